package org.eprop.learning.tensor;

import java.util.Arrays;

/**
 * A flat array of reals in one {@link Precision}: the storage of every state, trajectory, weight
 * and gradient of the project.
 *
 * <p>Why an abstraction rather than plain {@code float[]}: the gradient methods must be comparable
 * to 1e-12 in double precision, and the same code must train in float32. The class has exactly
 * two final implementations, so the JIT inlines {@link #get}/{@link #set} in hot loops (a call
 * site sees at most two receiver types). Expressions are evaluated in double and rounded to the
 * array's precision on store, so a float32 run stores every state in float32, like a float32
 * simulation with fused intermediate arithmetic.
 *
 * <p>Recurrences that decay (filters, traces, adjoints) round through {@link Precision#round},
 * which flushes float32 subnormals to zero as GPUs do: x86 arithmetic on subnormal floats is
 * about 40 times slower, and a filter run backwards over a 2250-step trial reaches them.
 */
public abstract sealed class RealArray permits RealArray.F32, RealArray.F64 {

    /** Number of elements. */
    public abstract int length();

    /** Element {@code i}, widened to double. */
    public abstract double get(int i);

    /** Stores {@code value} at {@code i}, rounded to this array's precision. */
    public abstract void set(int i, double value);

    /** {@code a[i] += value}. */
    public abstract void add(int i, double value);

    /** Sets every element to {@code value}. */
    public abstract void fill(double value);

    /** The precision of this array. */
    public abstract Precision precision();

    /** A deep copy. */
    public abstract RealArray copy();

    /** Copies all elements of {@code src} (same length, any precision) into this array. */
    public void copyFrom(RealArray src) {
        if (src.length() != length()) {
            throw new IllegalArgumentException("length " + src.length() + " != " + length());
        }
        if (src instanceof F32 s && this instanceof F32 d) {
            System.arraycopy(s.data, 0, d.data, 0, s.data.length);
        } else if (src instanceof F64 s && this instanceof F64 d) {
            System.arraycopy(s.data, 0, d.data, 0, s.data.length);
        } else {
            for (int i = 0; i < length(); i++) {
                set(i, src.get(i));
            }
        }
    }

    /**
     * {@code dst[dstPos .. dstPos+n) = src[srcPos .. srcPos+n)}, any precisions (rounded where
     * {@code dst} is float32): one array copy where both have the same precision.
     */
    public static void copy(RealArray src, int srcPos, RealArray dst, int dstPos, int n) {
        if (src instanceof F32 s && dst instanceof F32 d) {
            System.arraycopy(s.data, srcPos, d.data, dstPos, n);
        } else if (src instanceof F64 s && dst instanceof F64 d) {
            System.arraycopy(s.data, srcPos, d.data, dstPos, n);
        } else {
            for (int i = 0; i < n; i++) {
                dst.set(dstPos + i, src.get(srcPos + i));
            }
        }
    }

    /** The elements as a new double array (for tests, reports and serialisation). */
    public double[] toDoubleArray() {
        double[] out = new double[length()];
        for (int i = 0; i < out.length; i++) {
            out[i] = get(i);
        }
        return out;
    }

    /** Largest absolute element; 0 for an empty array. */
    public double maxAbs() {
        double m = 0;
        for (int i = 0; i < length(); i++) {
            m = Math.max(m, Math.abs(get(i)));
        }
        return m;
    }

    /** Sum of all elements, accumulated in double. */
    public double sum() {
        double s = 0;
        for (int i = 0; i < length(); i++) {
            s += get(i);
        }
        return s;
    }

    /** float32 storage backed by a {@code float[]}. */
    public static final class F32 extends RealArray {
        final float[] data;

        public F32(float[] data) {
            this.data = data;
        }

        /** The backing array (no copy). */
        public float[] data() {
            return data;
        }

        @Override
        public int length() {
            return data.length;
        }

        @Override
        public double get(int i) {
            return data[i];
        }

        @Override
        public void set(int i, double value) {
            data[i] = (float) value;
        }

        @Override
        public void add(int i, double value) {
            data[i] = (float) (data[i] + value);
        }

        @Override
        public void fill(double value) {
            Arrays.fill(data, (float) value);
        }

        @Override
        public Precision precision() {
            return Precision.FLOAT32;
        }

        @Override
        public RealArray copy() {
            return new F32(data.clone());
        }
    }

    /** float64 storage backed by a {@code double[]}. */
    public static final class F64 extends RealArray {
        final double[] data;

        public F64(double[] data) {
            this.data = data;
        }

        /** The backing array (no copy). */
        public double[] data() {
            return data;
        }

        @Override
        public int length() {
            return data.length;
        }

        @Override
        public double get(int i) {
            return data[i];
        }

        @Override
        public void set(int i, double value) {
            data[i] = value;
        }

        @Override
        public void add(int i, double value) {
            data[i] += value;
        }

        @Override
        public void fill(double value) {
            Arrays.fill(data, value);
        }

        @Override
        public Precision precision() {
            return Precision.FLOAT64;
        }

        @Override
        public RealArray copy() {
            return new F64(data.clone());
        }
    }
}
