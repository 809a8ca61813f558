package farm.render.e2e;

import farm.render.stack.launcher.SubmitCommand;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** An animated scene through the whole farm: the frames of one job show the ball where each frame puts it. */
@ExtendWith(SharedFarm.class)
class AnimatedJobTest {
    private static final int SIZE = 48;

    @Test
    void aFrameRangeOverAnAnimatedSceneGivesFramesThatDiffer(@TempDir Path dir) throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        String scene = SharedFarm.layout().sample("moving-sphere/moving-sphere.gltf").toString();
        SubmitCommand.Exit exit = new SubmitCommand(new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8), Map.of()).run(new String[]{scene, "--frames", "1,25",
                "--width", String.valueOf(SIZE), "--height", String.valueOf(SIZE), "--spp", "8", "--wait", "--download", dir.toString(),
                "--coordinator", SharedFarm.url()});
        String said = out.toString(StandardCharsets.UTF_8) + err.toString(StandardCharsets.UTF_8);
        assertThat(exit).as(said).isEqualTo(SubmitCommand.Exit.DONE);
        assertThat(said).contains("animation: frames 1-25 (25 frames) at 24 fps");

        BufferedImage first = ImageIO.read(dir.resolve("moving-sphere-0001.png").toFile());
        BufferedImage last = ImageIO.read(dir.resolve("moving-sphere-0025.png").toFile());
        // The orange ball rolls from the lower left (frame 1) to the lower right (frame 25); the upper wall stays.
        int[] right = {34, 30, 12, 12};
        int[] left = {2, 30, 12, 12};
        int[] wall = {0, 0, SIZE, 10};
        assertThat(orange(last, right)).as("ball arrived on the right").isGreaterThan(orange(first, right) + 0.15);
        assertThat(orange(first, left)).as("ball started on the left").isGreaterThan(orange(last, left) + 0.15);
        assertThat(brightness(last, wall)).isCloseTo(brightness(first, wall), org.assertj.core.api.Assertions.within(0.05));
    }

    /** Mean red minus blue over a region, in [0, 1] PNG values: high where the orange ball is. */
    private static double orange(BufferedImage image, int[] r) {
        double sum = 0;
        for (int y = r[1]; y < r[1] + r[3]; y++) {
            for (int x = r[0]; x < r[0] + r[2]; x++) {
                int rgb = image.getRGB(x, y);
                sum += (((rgb >> 16) & 0xFF) - (rgb & 0xFF)) / 255.0;
            }
        }
        return sum / (r[2] * r[3]);
    }

    private static double brightness(BufferedImage image, int[] r) {
        double sum = 0;
        for (int y = r[1]; y < r[1] + r[3]; y++) {
            for (int x = r[0]; x < r[0] + r[2]; x++) {
                int rgb = image.getRGB(x, y);
                sum += (((rgb >> 16) & 0xFF) + ((rgb >> 8) & 0xFF) + (rgb & 0xFF)) / (3 * 255.0);
            }
        }
        return sum / (r[2] * r[3]);
    }
}
