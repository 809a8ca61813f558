package farm.render.core.scene;

import java.util.Arrays;

/** A growable int array for the importer's per-triangle material indices. */
final class IntList {
    int[] data = new int[512];
    int size;

    void add(int v) {
        if (size == data.length) {
            data = Arrays.copyOf(data, data.length * 2);
        }
        data[size++] = v;
    }

    int[] toArray() {
        return Arrays.copyOf(data, size);
    }
}
