package farm.render.coordinator.peers;

import farm.render.core.planning.TileRect;

import java.util.List;
import java.util.Random;

/**
 * The pixels of one peer check and what the coordinator expects at each: {@code k} pixels of the tile, drawn now, with the
 * worker's values, and up to {@code m} known answers (pixels two workers of the class agreed on), in a shuffled order
 * that does not say which is which.
 *
 * @param xy       image coordinates, x then y per pixel
 * @param expected linear RGB per pixel
 * @param known    per pixel: a known answer rather than a pixel of the checked tile
 */
record CheckPixels(int[] xy, float[] expected, boolean[] known) {
    /**
     * @param tileRgb the checked tile's pixels, row by row
     * @param agreed  agreed pixels as {x, y, r, g, b}; those drawn are removed
     */
    static CheckPixels draw(TileRect rect, float[] tileRgb, int k, List<float[]> agreed, int m, Random random) {
        int n = k + Math.min(m, agreed.size());
        int[] xy = new int[n * 2];
        float[] expected = new float[n * 3];
        boolean[] known = new boolean[n];
        for (int i = 0; i < k; i++) {
            int p = random.nextInt(rect.pixelCount());
            xy[2 * i] = rect.x() + p % rect.width();
            xy[2 * i + 1] = rect.y() + p / rect.width();
            System.arraycopy(tileRgb, p * 3, expected, i * 3, 3);
        }
        for (int i = k; i < n; i++) {
            float[] a = agreed.remove(random.nextInt(agreed.size()));
            xy[2 * i] = (int) a[0];
            xy[2 * i + 1] = (int) a[1];
            System.arraycopy(a, 2, expected, i * 3, 3);
            known[i] = true;
        }
        for (int i = n - 1; i > 0; i--) {
            swap(xy, expected, known, i, random.nextInt(i + 1));
        }
        return new CheckPixels(xy, expected, known);
    }

    private static void swap(int[] xy, float[] rgb, boolean[] known, int i, int j) {
        for (int c = 0; c < 2; c++) {
            int v = xy[2 * i + c];
            xy[2 * i + c] = xy[2 * j + c];
            xy[2 * j + c] = v;
        }
        for (int c = 0; c < 3; c++) {
            float f = rgb[i * 3 + c];
            rgb[i * 3 + c] = rgb[j * 3 + c];
            rgb[j * 3 + c] = f;
        }
        boolean b = known[i];
        known[i] = known[j];
        known[j] = b;
    }
}
