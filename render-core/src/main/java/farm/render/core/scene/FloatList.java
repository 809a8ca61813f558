package farm.render.core.scene;

import java.util.Arrays;
import org.joml.Matrix4fc;
import org.joml.Vector3f;

/** A growable float array for the importer's per-triangle data. */
final class FloatList {
    float[] data = new float[1024];
    int size;

    /** Appends the point (x, y, z) transformed by {@code m}. */
    void addPoint(Matrix4fc m, float x, float y, float z) {
        if (size + 3 > data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        Vector3f p = m.transformPosition(x, y, z, new Vector3f());
        data[size++] = p.x();
        data[size++] = p.y();
        data[size++] = p.z();
    }

    void add(float a) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = a;
    }

    void add(float a, float b) {
        if (size + 2 > data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = a;
        data[size++] = b;
    }

    void add(float a, float b, float c) {
        if (size + 3 > data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = a;
        data[size++] = b;
        data[size++] = c;
    }

    void add(float... values) {
        if (size + values.length > data.length) {
            data = Arrays.copyOf(data, Math.max(data.length * 2, size + values.length));
        }
        for (float v : values) {
            data[size++] = v;
        }
    }

    float[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
