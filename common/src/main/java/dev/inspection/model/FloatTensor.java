package dev.inspection.model;

import java.util.Arrays;

/** A dense float tensor: a model input, or an output converted to floats (bool outputs become 0 and 1). */
public record FloatTensor(long[] shape, float[] data) {

    public FloatTensor {
        long size = Arrays.stream(shape).reduce(1, (a, b) -> a * b);
        if (size != data.length) {
            throw new IllegalArgumentException(
                    "shape " + Arrays.toString(shape) + " holds " + size + " values, got " + data.length);
        }
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int i) {
        return (int) shape[i];
    }

    @Override
    public String toString() {
        return "FloatTensor" + Arrays.toString(shape);
    }
}
