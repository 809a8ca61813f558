package farm.render.stack.services;

import java.nio.file.Files;
import java.nio.file.Path;

/** Where a built checkout keeps the runnable parts of the farm. */
public record FarmLayout(Path root) {
    private static final String VERSION = "0.1.0-SNAPSHOT";

    /** The checkout from {@code farm.root}, {@code FARM_ROOT}, or the nearest folder above the working directory holding ./farm. */
    public static FarmLayout locate() {
        String configured = System.getProperty("farm.root", System.getenv("FARM_ROOT"));
        if (configured != null && !configured.isBlank()) {
            return new FarmLayout(Path.of(configured).toAbsolutePath().normalize());
        }
        for (Path p = Path.of("").toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isRegularFile(p.resolve("farm")) && Files.isRegularFile(p.resolve("pom.xml"))) {
                return new FarmLayout(p);
            }
        }
        throw new IllegalStateException("cannot find the farm checkout: set FARM_ROOT");
    }

    public Path kafkaLib() {
        return built(root.resolve("stack-services/target/kafka/lib"));
    }

    public Path s3proxyJar() {
        return built(root.resolve("stack-services/target/s3proxy/s3proxy.jar"));
    }

    public Path coordinatorJar() {
        return built(root.resolve("render-coordinator/target/quarkus-app/quarkus-run.jar"));
    }

    public Path workerJar() {
        return built(root.resolve("render-worker/target/render-worker-" + VERSION + ".jar"));
    }

    public Path verifierJar() {
        return built(root.resolve("frame-verifier/target/frame-verifier-" + VERSION + ".jar"));
    }

    public Path sample(String relative) {
        return built(root.resolve("samples").resolve(relative));
    }

    private static Path built(Path p) {
        if (!Files.exists(p)) {
            throw new IllegalStateException(p + " is missing: build the farm first (./farm build)");
        }
        return p;
    }
}
