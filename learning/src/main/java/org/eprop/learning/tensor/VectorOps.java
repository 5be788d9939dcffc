package org.eprop.learning.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The link to the JDK's vector API that {@link Simd} probes, and {@link RowKernels}' vector loops:
 * loaded only when the module {@code jdk.incubator.vector} is resolved.
 */
public final class VectorOps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    private VectorOps() {
    }

    /**
     * Whether the hardware runs vectors of at least 256 bits natively (AVX2, AVX-512): the kernels use
     * the JVM's preferred species, 8 or 16 floats (4 or 8 doubles) per operation, whose operations the
     * JIT compiles to single instructions. Narrower vectors would gain too little.
     */
    static boolean supported() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 256;
    }

    static void add(float[] acc, int aOff, float[] x, int xOff, int n) {
        int bound = F.loopBound(n);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector.fromArray(F, acc, aOff + j).add(FloatVector.fromArray(F, x, xOff + j)).intoArray(acc, aOff + j);
        }
        RowKernels.add(acc, aOff, x, xOff, j, n);
    }

    /**
     * Four rows added in turn, {@code (((acc + y0) + y1) + y2) + y3} per element: four {@link #add}s'
     * bits with one load and store of the accumulator. (No vector lives across iterations, which this
     * JDK's compiler may box where a loop-carried vector's class comes from a shared type profile.)
     */
    static void add4(float[] acc, int aOff, float[] y, int o0, int o1, int o2, int o3, int n) {
        int bound = F.loopBound(n);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector.fromArray(F, acc, aOff + j).add(FloatVector.fromArray(F, y, o0 + j))
                    .add(FloatVector.fromArray(F, y, o1 + j)).add(FloatVector.fromArray(F, y, o2 + j))
                    .add(FloatVector.fromArray(F, y, o3 + j)).intoArray(acc, aOff + j);
        }
        for (; j < n; j++) {
            acc[aOff + j] = acc[aOff + j] + y[o0 + j] + y[o1 + j] + y[o2 + j] + y[o3 + j];
        }
    }

    /** Two rows added in turn, {@code (acc + y0) + y1} per element, as {@link #add4}. */
    static void add2(float[] acc, int aOff, float[] y, int o0, int o1, int n) {
        int bound = F.loopBound(n);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector.fromArray(F, acc, aOff + j).add(FloatVector.fromArray(F, y, o0 + j))
                    .add(FloatVector.fromArray(F, y, o1 + j)).intoArray(acc, aOff + j);
        }
        for (; j < n; j++) {
            acc[aOff + j] = acc[aOff + j] + y[o0 + j] + y[o1 + j];
        }
    }

    static void addScaled(float[] acc, int aOff, float v, float[] x, int xOff, int n) {
        FloatVector s = FloatVector.broadcast(F, v);
        int bound = F.loopBound(n);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector.fromArray(F, acc, aOff + j).add(s.mul(FloatVector.fromArray(F, x, xOff + j)))
                    .intoArray(acc, aOff + j);
        }
        RowKernels.addScaled(acc, aOff, v, x, xOff, j, n);
    }

    /** {@link RowKernels#scatterRow}: a block of four vectors of {@code a} at a time, then single vectors, then the scalar tail. */
    static void scatterRow(float[] dest, int base, int stride, int[] list, int s0, int s1, float[] a, int aOff, int n) {
        final int l = F.length();
        int j = 0;
        for (; j + 4 * l <= n; j += 4 * l) {
            final FloatVector a0 = FloatVector.fromArray(F, a, aOff + j);
            final FloatVector a1 = FloatVector.fromArray(F, a, aOff + j + l);
            final FloatVector a2 = FloatVector.fromArray(F, a, aOff + j + 2 * l);
            final FloatVector a3 = FloatVector.fromArray(F, a, aOff + j + 3 * l);
            for (int s = s0; s < s1; s++) {
                final int o = base + list[s] * stride + j;
                FloatVector.fromArray(F, dest, o).add(a0).intoArray(dest, o);
                FloatVector.fromArray(F, dest, o + l).add(a1).intoArray(dest, o + l);
                FloatVector.fromArray(F, dest, o + 2 * l).add(a2).intoArray(dest, o + 2 * l);
                FloatVector.fromArray(F, dest, o + 3 * l).add(a3).intoArray(dest, o + 3 * l);
            }
        }
        for (; j + l <= n; j += l) {
            final FloatVector a0 = FloatVector.fromArray(F, a, aOff + j);
            for (int s = s0; s < s1; s++) {
                final int o = base + list[s] * stride + j;
                FloatVector.fromArray(F, dest, o).add(a0).intoArray(dest, o);
            }
        }
        RowKernels.scatterRow(dest, base, stride, list, s0, s1, a, aOff, j, n);
    }

    /** {@link RowKernels#scatterScaled}, blocked as {@link #scatterRow}. */
    static void scatterScaled(float[] dest, int base, int stride, int[] cols, float[] vals, int e0, int e1, float[] a,
            int aOff, int n) {
        final int l = F.length();
        int j = 0;
        for (; j + 4 * l <= n; j += 4 * l) {
            final FloatVector a0 = FloatVector.fromArray(F, a, aOff + j);
            final FloatVector a1 = FloatVector.fromArray(F, a, aOff + j + l);
            final FloatVector a2 = FloatVector.fromArray(F, a, aOff + j + 2 * l);
            final FloatVector a3 = FloatVector.fromArray(F, a, aOff + j + 3 * l);
            for (int e = e0; e < e1; e++) {
                final FloatVector v = FloatVector.broadcast(F, vals[e]);
                final int o = base + cols[e] * stride + j;
                FloatVector.fromArray(F, dest, o).add(v.mul(a0)).intoArray(dest, o);
                FloatVector.fromArray(F, dest, o + l).add(v.mul(a1)).intoArray(dest, o + l);
                FloatVector.fromArray(F, dest, o + 2 * l).add(v.mul(a2)).intoArray(dest, o + 2 * l);
                FloatVector.fromArray(F, dest, o + 3 * l).add(v.mul(a3)).intoArray(dest, o + 3 * l);
            }
        }
        for (; j + l <= n; j += l) {
            final FloatVector a0 = FloatVector.fromArray(F, a, aOff + j);
            for (int e = e0; e < e1; e++) {
                final int o = base + cols[e] * stride + j;
                FloatVector.fromArray(F, dest, o).add(FloatVector.broadcast(F, vals[e]).mul(a0)).intoArray(dest, o);
            }
        }
        RowKernels.scatterScaled(dest, base, stride, cols, vals, e0, e1, a, aOff, j, n);
    }

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    static void addScaled(double[] acc, double v, double[] x, int xOff, int n) {
        DoubleVector s = DoubleVector.broadcast(D, v);
        int bound = D.loopBound(n);
        int j = 0;
        for (; j < bound; j += D.length()) {
            DoubleVector.fromArray(D, acc, j).add(DoubleVector.fromArray(D, x, xOff + j).mul(s)).intoArray(acc, j);
        }
        RowKernels.addScaled(acc, v, x, xOff, j, n);
    }
}
