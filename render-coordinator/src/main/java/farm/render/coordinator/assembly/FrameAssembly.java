package farm.render.coordinator.assembly;

import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.JobStore;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.image.Exr;
import farm.render.core.image.FrameAssembler;
import farm.render.core.image.Png;
import farm.render.core.image.TileImage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/** Pastes the verified tile images of a frame together and stores the frame as linear float EXR and as sRGB PNG. */
@ApplicationScoped
public class FrameAssembly {
    /** Tile downloads in flight at once: they wait on storage, not on the CPU. */
    private static final int FETCHES = 8;

    private final ObjectStorage storage;
    private final ExecutorService fetches = Executors.newFixedThreadPool(FETCHES, r -> {
        Thread t = new Thread(r, "tile-fetch");
        t.setDaemon(true);
        return t;
    });

    public FrameAssembly(ObjectStorage storage) {
        this.storage = storage;
    }

    /**
     * Assembles {@code frame} from the verified attempt of each tile, stores the EXR and then the PNG (whose
     * presence the frame's readers go by), and returns the PNG's object key.
     */
    public String assemble(Job job, int frame, List<JobStore.TileRow> tiles) {
        List<CompletableFuture<TileImage>> images = new ArrayList<>(tiles.size());
        for (JobStore.TileRow t : tiles) {
            images.add(CompletableFuture.supplyAsync(
                    () -> TileImage.decode(storage.get(ObjectKeys.tile(job.id(), frame, t.tile(), t.attempt()))), fetches));
        }
        FrameAssembler assembler = new FrameAssembler(job.settings().width(), job.settings().height());
        try {
            for (int i = 0; i < tiles.size(); i++) {
                assembler.paste(tiles.get(i).rect(), images.get(i).join());
            }
        } catch (CompletionException e) {
            images.forEach(f -> f.cancel(false));
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        storage.put(ObjectKeys.frameExr(job.id(), frame), Exr.encode(assembler.frame()), "image/x-exr");
        String key = ObjectKeys.framePng(job.id(), frame);
        storage.put(key, Png.encodeSrgb(assembler.frame()), "image/png");
        return key;
    }

    @PreDestroy
    void stop() {
        fetches.shutdownNow();
    }
}
