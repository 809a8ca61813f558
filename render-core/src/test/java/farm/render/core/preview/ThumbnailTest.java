package farm.render.core.preview;

import farm.render.core.image.TileImage;
import farm.render.core.scene.Camera;
import farm.render.core.scene.Scene;
import farm.render.core.scene.SceneImporter;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.joml.Vector3f;

import static org.assertj.core.api.Assertions.assertThat;

/** The thumbnail rasterizer on the Cornell box: the light is brightest, the walls keep their colours, the aspect holds. */
class ThumbnailTest {
    static final Path CORNELL = Path.of("../samples/cornell-box/cornell-box.gltf");
    static Scene cornell;

    @BeforeAll
    static void load() throws Exception {
        cornell = SceneImporter.importScene(Files.readAllBytes(CORNELL), "gltf");
    }

    private static float luminance(TileImage image, int x, int y) {
        return 0.2126f * image.channel(x, y, 0) + 0.7152f * image.channel(x, y, 1) + 0.0722f * image.channel(x, y, 2);
    }

    @Test
    void theLightIsTheBrightestPartOfTheCornellBox() {
        TileImage image = Thumbnail.render(cornell, 256, 256);
        float max = 0;
        double sum = 0;
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                max = Math.max(max, luminance(image, x, y));
                sum += luminance(image, x, y);
            }
        }
        double mean = sum / (256 * 256);
        assertThat(max).as("the image is not uniform").isGreaterThan((float) mean * 1.5f);
        int[] light = projectedLightCentre(256, 256);
        assertThat(luminance(image, light[0], light[1])).as("luminance at the light's centre " + light[0] + "," + light[1])
                .isEqualTo(max);
    }

    @Test
    void theRedAndGreenWallsShowTheirBaseColours() {
        TileImage image = Thumbnail.render(cornell, 256, 256);
        int redSide = 0;
        int greenSide = 0;
        for (int y = 64; y < 192; y++) {
            for (int x = 0; x < 256; x++) {
                boolean red = image.channel(x, y, 0) > 2 * image.channel(x, y, 1);
                boolean green = image.channel(x, y, 1) > 2 * image.channel(x, y, 0);
                redSide += red ? (x < 128 ? 1 : -1) : 0;
                greenSide += green ? (x < 128 ? 1 : -1) : 0;
            }
        }
        assertThat(redSide).as("red pixels sit on one side").isNotZero();
        assertThat(greenSide).as("green pixels sit on the other side").isNotZero();
        assertThat(Integer.signum(redSide)).isEqualTo(-Integer.signum(greenSide));
    }

    @Test
    void thePngHasTheAskedSizeAndTheSameSceneGivesTheSameBytes() throws Exception {
        byte[] png = Thumbnail.png(cornell, 256, 144);
        BufferedImage decoded = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(decoded.getWidth()).isEqualTo(256);
        assertThat(decoded.getHeight()).isEqualTo(144);
        assertThat(Thumbnail.png(cornell, 256, 144)).isEqualTo(png);
    }

    /** Where the emissive triangles' centroid lands in the image, by the camera's own projection. */
    private static int[] projectedLightCentre(int width, int height) {
        Vector3f sum = new Vector3f(0, 0, 0);
        int n = 0;
        for (int t = 0; t < cornell.triangleCount(); t++) {
            if (cornell.materials().get(cornell.materialIds()[t]).isEmissive()) {
                for (int c = 0; c < 3; c++) {
                    sum = sum.add(cornell.vertex(t, c));
                    n++;
                }
            }
        }
        assertThat(n).as("the Cornell box has an emissive light").isPositive();
        Vector3f centre = sum.mul(1f / n);
        Camera cam = cornell.camera();
        Vector3f right = cam.forward().cross(cam.up(), new Vector3f()).normalize();
        Vector3f d = centre.sub(cam.position());
        float z = d.dot(cam.forward());
        float tanHalf = (float) Math.tan(cam.verticalFovRadians() / 2);
        float ndcX = d.dot(right) / (z * tanHalf * width / height);
        float ndcY = d.dot(cam.up()) / (z * tanHalf);
        return new int[]{(int) ((1 + ndcX) / 2 * width), (int) ((1 - ndcY) / 2 * height)};
    }
}
