package farm.render.stack.bench;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.LocalStack;
import farm.render.stack.services.FarmLayout;
import farm.render.stack.services.ServiceProcess;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The farm overhead phase: the wall time of a multi-frame job on a local stack with two real workers, against the same
 * frames rendered one after another by {@code ./farm render}.
 */
final class OverheadPhase {
    private static final int BOUNCES = 4;
    private static final int WORKERS = 2;

    /** The two wall times of the same frames. */
    record Result(int frames, int size, int spp, int bounces, int workers, double farmSeconds, double localSeconds) {
        /** Farm over local, minus one. */
        double overhead() {
            return farmSeconds / localSeconds - 1;
        }
    }

    private OverheadPhase() {
    }

    static Result run(FarmLayout layout, Path dir, int frames, int size, int spp) throws Exception {
        Path scene = layout.sample("cornell-box/cornell-box.gltf");
        double farmSeconds;
        try (LocalStack stack = LocalStack.start(layout, new LocalStack.Options(dir, WORKERS, 30_000), s -> System.out.println("  " + s))) {
            FarmClient client = new FarmClient(stack.coordinatorUrl(), stack.operatorToken());
            String digest = client.uploadScene(scene).path("digest").asText();
            Map<String, Object> job = new LinkedHashMap<>();
            job.put("sceneDigest", digest);
            job.put("width", size);
            job.put("height", size);
            job.put("spp", spp);
            job.put("maxBounces", BOUNCES);
            job.put("tileSize", 64);
            job.put("frameStart", 0);
            job.put("frameEnd", frames - 1);
            job.put("tier", "standard");
            long t0 = System.nanoTime();
            String id = client.createJob(job).path("id").asText();
            JsonNode status = client.job(id);
            while (status.path("state").asText().equals("RUNNING")) {
                Thread.sleep(100); // polling the job's state
                status = client.job(id);
            }
            farmSeconds = (System.nanoTime() - t0) / 1e9;
            if (!status.path("state").asText().equals("COMPLETED")) {
                throw new IllegalStateException("overhead job ended " + status.path("state").asText());
            }
        }
        double localSeconds = 0;
        for (int f = 0; f < frames; f++) {
            Path out = dir.resolve("local-frame" + f + ".png");
            long t0 = System.nanoTime();
            Process p = new ProcessBuilder(ServiceProcess.java(), "-jar", layout.workerJar().toString(), "render", scene.toString(),
                    "--frame", String.valueOf(f), "--spp", String.valueOf(spp), "--width", String.valueOf(size),
                    "--height", String.valueOf(size), "--bounces", String.valueOf(BOUNCES), "-o", out.toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("local-render.log").toFile()).start();
            if (p.waitFor() != 0) {
                throw new IllegalStateException("./farm render failed: see " + dir.resolve("local-render.log"));
            }
            localSeconds += (System.nanoTime() - t0) / 1e9;
        }
        return new Result(frames, size, spp, BOUNCES, WORKERS, farmSeconds, localSeconds);
    }
}
