package farm.render.coordinator.assembly;

import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.image.FrameAssembler;
import farm.render.core.image.Png;
import farm.render.core.image.TileImage;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** Pastes the verified tile images of a frame together and stores the frame as a PNG. */
@ApplicationScoped
public class FrameAssembly {
    private final ObjectStorage storage;

    public FrameAssembly(ObjectStorage storage) {
        this.storage = storage;
    }

    /** Assembles {@code frame} from the verified attempt of each tile and returns the PNG's object key. */
    public String assemble(Job job, int frame, List<JobStore.TileRow> tiles) {
        FrameAssembler assembler = new FrameAssembler(job.settings().width(), job.settings().height());
        for (JobStore.TileRow t : tiles) {
            byte[] bytes = storage.get(ObjectKeys.tile(job.id(), frame, t.tile(), t.attempt()));
            assembler.paste(t.rect(), TileImage.decode(bytes));
        }
        String key = ObjectKeys.framePng(job.id(), frame);
        storage.put(key, Png.encodeSrgb(assembler.frame()), "image/png");
        return key;
    }
}
