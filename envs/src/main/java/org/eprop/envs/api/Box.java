package org.eprop.envs.api;

import java.util.Arrays;
import org.eprop.learning.rng.Rng;

/** Real vectors of a fixed shape with per-element bounds, stored flat in row-major order. */
public record Box(int[] shape, float low, float high) implements Space<float[]> {

    public Box {
        shape = shape.clone();
        for (int d : shape) {
            if (d <= 0) {
                throw new IllegalArgumentException("Box dimensions must be positive: " + Arrays.toString(shape));
            }
        }
        if (!(low <= high)) {
            throw new IllegalArgumentException("Box needs low <= high, got " + low + " > " + high);
        }
    }

    /** A flat box of {@code size} elements. */
    public static Box of(int size, float low, float high) {
        return new Box(new int[] {size}, low, high);
    }

    /** Number of elements. */
    public int size() {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    @Override
    public int[] shape() {
        return shape.clone();
    }

    @Override
    public boolean contains(float[] value) {
        if (value == null || value.length != size()) {
            return false;
        }
        for (float v : value) {
            if (!(v >= low && v <= high)) {
                return false;
            }
        }
        return true;
    }

    @Override
    public float[] sample(Rng rng) {
        float[] v = new float[size()];
        boolean finite = Float.isFinite(low) && Float.isFinite(high);
        for (int i = 0; i < v.length; i++) {
            v[i] = finite ? (float) rng.uniform(low, high) : (float) rng.nextGaussian();
        }
        return v;
    }

    @Override
    public String describe() {
        return "Box(" + Arrays.toString(shape).replace("[", "").replace("]", "") + ", [" + low + ", " + high + "])";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Box b && Arrays.equals(shape, b.shape) && low == b.low && high == b.high;
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(shape) * 31 + Float.hashCode(low) * 7 + Float.hashCode(high);
    }

    @Override
    public String toString() {
        return describe();
    }
}
