package farm.render.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import farm.render.core.scene.testing.SphereFieldGlb;
import farm.render.stack.launcher.FarmClient;
import farm.render.stack.launcher.SubmitCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A production-size scene through the whole farm as an artist sends it: a GLB of about a million triangles
 * goes through {@code ./farm submit}, is imported in the coordinator's isolated child, stored as a compact
 * package, rendered by the worker and verified tile by tile, and the frame comes back.
 */
@ExtendWith(SharedFarm.class)
class MillionTriangleJobTest {
    private static final int WIDTH = 32;
    private static final int HEIGHT = 24;
    /** The compact package's bound per triangle, as the farm promises for a typical indexed mesh. */
    private static final double MAX_PACKAGE_BYTES_PER_TRIANGLE = 48;

    @Test
    void aMillionTriangleSceneIsImportedRenderedAndVerified(@TempDir Path dir) throws Exception {
        Path glb = dir.resolve("spheres.glb");
        long triangles = SphereFieldGlb.write(glb, 1_000_000, true);
        assertThat(triangles).isBetween(1_000_000L, 1_100_000L);

        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String token = FarmClient.signUp(SharedFarm.url(), "modeller-" + UUID.randomUUID().toString().substring(0, 8), "modeller password 1");
        SubmitCommand.Exit exit = new SubmitCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of("FARM_TOKEN", token)).run(glb.toString(),
                "--width", String.valueOf(WIDTH), "--height", String.valueOf(HEIGHT), "--spp", "1", "--bounces", "2",
                "--tile-size", "16", "--timeout", "4", "--wait", "--download", dir.resolve("frames").toString(), "--coordinator", SharedFarm.url());
        String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(said).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(said).containsPattern("scene spheres\\.glb: \\d+ meshes, " + triangles + " triangles");

        String digest = find(said, "\\(digest ([0-9a-f]{64})\\)");
        long packageBytes = Files.size(storedPackage(digest));
        assertThat((double) packageBytes / triangles).as("package bytes per triangle (%d bytes)", packageBytes)
                .isLessThanOrEqualTo(MAX_PACKAGE_BYTES_PER_TRIANGLE);

        JsonNode job = new FarmClient(SharedFarm.url(), token).job(find(said, "job ([0-9a-f-]{36}) launched"));
        assertThat(job.path("state").asText()).isEqualTo("COMPLETED");
        JsonNode tiles = job.path("tiles");
        assertThat(tiles.path("total").asInt()).isEqualTo(4);
        assertThat(tiles.path("verified").asInt()).as("every tile verified: %s", tiles).isEqualTo(tiles.path("total").asInt());

        BufferedImage frame = ImageIO.read(dir.resolve("frames").resolve("spheres-0000.png").toFile());
        assertThat(frame.getWidth()).isEqualTo(WIDTH);
        assertThat(frame.getHeight()).isEqualTo(HEIGHT);
        assertThat(litPixels(frame)).as("pixels the sunlit spheres light").isPositive();
    }

    private static String find(String text, String regex) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.find()).as("%s in:%n%s", regex, text).isTrue();
        return m.group(1);
    }

    /** The package as the coordinator stored it: S3Proxy's filesystem backend keeps each object as a plain file. */
    private static Path storedPackage(String digest) throws IOException {
        Path data = SharedFarm.stack().workDir().resolve("s3").resolve("data");
        try (Stream<Path> files = Files.walk(data)) {
            List<Path> found = files.filter(p -> p.endsWith(Path.of("scenes", digest, "scene.pkg"))).toList();
            assertThat(found).as("the stored package of %s under %s", digest, data).hasSize(1);
            return found.get(0);
        }
    }

    private static int litPixels(BufferedImage image) {
        int lit = 0;
        for (int y = 0; y < image.getHeight(); y++) {
            for (int x = 0; x < image.getWidth(); x++) {
                int rgb = image.getRGB(x, y);
                lit += ((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF) > 60 ? 1 : 0;
            }
        }
        return lit;
    }
}
