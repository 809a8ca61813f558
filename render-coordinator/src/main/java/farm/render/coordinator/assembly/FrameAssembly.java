package farm.render.coordinator.assembly;

import farm.render.coordinator.planning.Job;
import farm.render.coordinator.planning.TileStore;
import farm.render.coordinator.storage.ObjectKeys;
import farm.render.coordinator.storage.ObjectStorage;
import farm.render.core.digest.Digests;
import farm.render.core.image.Exr;
import farm.render.core.image.FrameAssembler;
import farm.render.core.image.Png;
import farm.render.core.image.TileImage;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Pastes the verified tile images of a frame together and stores the frame as linear float EXR and as sRGB PNG.
 * Only verified bytes reach a frame: each tile is read from the key of the worker whose attempt was verified and
 * must have the digest the verifier judged. A stored frame is never overwritten: each generation has its own keys.
 */
@ApplicationScoped
public class FrameAssembly {
    /** Tile downloads in flight at once: they wait on storage, not on the CPU. */
    private static final int FETCHES = 8;

    /** Tiles whose stored bytes are not the ones verified (changed since, or unreadable): the frame is not assembled. */
    public static final class UnverifiedTiles extends RuntimeException {
        private final List<Unverified> tiles;

        UnverifiedTiles(List<Unverified> tiles) {
            super(tiles.size() + " tile(s) do not hold the verified bytes", null, false, false);
            this.tiles = List.copyOf(tiles);
        }

        public List<Unverified> tiles() {
            return tiles;
        }
    }

    /** One tile whose stored bytes are not the verified ones, and why. */
    public record Unverified(TileStore.TileRow tile, String reason) {
    }

    private final ObjectStorage storage;
    private final ExecutorService fetches = Executors.newFixedThreadPool(FETCHES, r -> {
        Thread t = new Thread(r, "tile-fetch");
        t.setDaemon(true);
        return t;
    });

    public FrameAssembly(ObjectStorage storage) {
        this.storage = storage;
    }

    /** What one tile's fetch found: its image, or why it is not the verified tile. */
    private record Fetched(TileImage image, Optional<String> problem) {
    }

    /**
     * Assembles {@code frame} of this generation from the verified attempt of each tile, stores the EXR and then the
     * PNG (whose presence the frame's readers go by), and returns the PNG's object key. A generation already stored
     * is left as it is.
     *
     * @throws UnverifiedTiles when a tile's stored bytes do not have the verified digest or cannot be decoded
     */
    public String assemble(Job job, int frame, int generation, List<TileStore.TileRow> tiles) {
        String key = ObjectKeys.framePng(job.id(), frame, generation);
        if (storage.exists(key)) {
            return key; // assembled before (a crash between storing and marking done): never written twice
        }
        List<CompletableFuture<Fetched>> images = new ArrayList<>(tiles.size());
        for (TileStore.TileRow t : tiles) {
            images.add(CompletableFuture.supplyAsync(() -> fetch(job, frame, t), fetches));
        }
        FrameAssembler assembler = new FrameAssembler(job.settings().width(), job.settings().height());
        List<Unverified> unverified = new ArrayList<>();
        try {
            for (int i = 0; i < tiles.size(); i++) {
                Fetched f = images.get(i).join();
                if (f.problem().isPresent()) {
                    unverified.add(new Unverified(tiles.get(i), f.problem().get()));
                } else if (unverified.isEmpty()) {
                    assembler.paste(tiles.get(i).rect(), f.image());
                }
            }
        } catch (CompletionException e) {
            images.forEach(f -> f.cancel(false));
            throw e.getCause() instanceof RuntimeException r ? r : e;
        }
        if (!unverified.isEmpty()) {
            throw new UnverifiedTiles(unverified);
        }
        storage.put(ObjectKeys.frameExr(job.id(), frame, generation), Exr.encode(assembler.frame()), "image/x-exr");
        storage.put(key, Png.encodeSrgb(assembler.frame()), "image/png");
        return key;
    }

    private Fetched fetch(Job job, int frame, TileStore.TileRow t) {
        byte[] bytes = storage.get(ObjectKeys.tile(job.id(), frame, t.tile(), t.verifiedAttempt(), t.workerId()));
        String digest = Digests.sha256Hex(bytes);
        if (!digest.equals(t.verifiedDigest())) {
            return new Fetched(null, Optional.of("its stored bytes (sha256 " + digest + ") are not the ones verified (sha256 "
                    + t.verifiedDigest() + ")"));
        }
        try {
            TileImage image = TileImage.decode(bytes);
            if (image.width() != t.rect().width() || image.height() != t.rect().height()) {
                return new Fetched(null, Optional.of("it is " + image.width() + "x" + image.height() + ", not "
                        + t.rect().width() + "x" + t.rect().height()));
            }
            return new Fetched(image, Optional.empty());
        } catch (IllegalArgumentException e) {
            return new Fetched(null, Optional.of("its bytes cannot be decoded: " + e.getMessage()));
        }
    }

    @PreDestroy
    void stop() {
        fetches.shutdownNow();
    }
}
