package org.eprop.learning.tensor;

/**
 * Row operations on float arrays that the event-driven sums are made of: a row of weights added to
 * a row of currents for each presynaptic spike, a row of adjoints added to a row of the weight
 * gradient for each presynaptic event. Where {@link Simd#ENABLED} they run as {@link VectorOps}'s
 * vector loops (8 or 16 lanes), which do the scalar loops' float operations element for element (no fused
 * multiply-add), so the results are the same bits either way ({@code EventProductTest}).
 */
public final class RowKernels {

    private RowKernels() {
    }

    /** {@code acc[aOff + j] += x[xOff + j]} for j in [0, n), in float arithmetic. */
    public static void add(float[] acc, int aOff, float[] x, int xOff, int n) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            VectorOps.add(acc, aOff, x, xOff, n);
        } else {
            add(acc, aOff, x, xOff, 0, n);
        }
    }

    /** The scalar loop over [from, n): the reference and the vector loop's tail. */
    static void add(float[] acc, int aOff, float[] x, int xOff, int from, int n) {
        for (int j = from; j < n; j++) {
            acc[aOff + j] += x[xOff + j];
        }
    }

    /** {@code acc[aOff + j] += v * x[xOff + j]} for j in [0, n), the product rounded before the sum. */
    public static void addScaled(float[] acc, int aOff, float v, float[] x, int xOff, int n) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            VectorOps.addScaled(acc, aOff, v, x, xOff, n);
        } else {
            addScaled(acc, aOff, v, x, xOff, 0, n);
        }
    }

    /** The scalar loop over [from, n). */
    static void addScaled(float[] acc, int aOff, float v, float[] x, int xOff, int from, int n) {
        for (int j = from; j < n; j++) {
            acc[aOff + j] += v * x[xOff + j];
        }
    }

    /**
     * The sum of a row from the rows of its events, in float arithmetic and in this order for every
     * element j in [0, n):
     * <pre>
     *   acc[aOff + j] = (clear ? 0 : acc[aOff + j]) + vals[e0] x[cols[e0] n + j] + ... + vals[e1 - 1] x[cols[e1 - 1] n + j]
     *                   + y[list[s0] n + j] + ... + y[list[s1 - 1] n + j]
     * </pre>
     * each product rounded before its sum: a {@code fill} (with {@code clear}), then
     * {@link #addScaled(float[], int, float, float[], int, int)} per event and {@link #add} per listed
     * row, as a time-step loop's input and recurrent currents are defined.
     *
     * <p>Through the accumulator row in memory, the listed rows four at a time, then two, then one
     * where the vector loops run ({@code VectorOps.add4}: one load and store of the accumulator per
     * four rows, each element's additions in the order above). A loop that kept a block of the
     * accumulator in registers over all the events (1.3x faster with 5 rows to add, 2x with 20,
     * alone) fell back to the vector API's allocating code in the Atari agent, 150 KB per emulator
     * frame: its accumulators reach the store through loop-carried variables, whose class C2 takes
     * from a type profile that the CNN's half-width vectors make bimorphic
     * ({@code docs/fast-eprop.md}, "JIT"); the groups of four keep no vector across iterations.
     *
     * @param x rows scaled by {@code vals} (may be null when {@code e0 == e1})
     * @param y rows added as they are (may be null when {@code s0 == s1})
     */
    public static void gatherRows(float[] acc, int aOff, boolean clear, float[] x, int[] cols, float[] vals, int e0,
            int e1, float[] y, int[] list, int s0, int s1, int n) {
        if (clear) {
            java.util.Arrays.fill(acc, aOff, aOff + n, 0f);
        }
        for (int e = e0; e < e1; e++) {
            addScaled(acc, aOff, vals[e], x, cols[e] * n, n);
        }
        int s = s0;
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            for (; s + 4 <= s1; s += 4) {
                VectorOps.add4(acc, aOff, y, list[s] * n, list[s + 1] * n, list[s + 2] * n, list[s + 3] * n, n);
            }
            if (s + 2 <= s1) {
                VectorOps.add2(acc, aOff, y, list[s] * n, list[s + 1] * n, n);
                s += 2;
            }
        }
        for (; s < s1; s++) {
            add(acc, aOff, y, list[s] * n, n);
        }
    }

    /**
     * One row added to many: {@code dest[base + list[s] stride + j] += a[aOff + j]} for s in [s0, s1)
     * and j in [0, n), in float arithmetic; the rows {@code list[s]} must be distinct (spike lists
     * are), so every element of {@code dest} sees the additions of {@link #add} one row at a time, in
     * the same order. The vector loop keeps a block of {@code a} in registers over the listed rows
     * (1.2x faster than a row at a time with 5 rows, 1.4x with 20; a single row takes the plain loop).
     */
    public static void scatterRow(float[] dest, int base, int stride, int[] list, int s0, int s1, float[] a, int aOff,
            int n) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            if (s1 - s0 == 1) { // one row: the plain loop is faster
                VectorOps.add(dest, base + list[s0] * stride, a, aOff, n);
                return;
            }
            VectorOps.scatterRow(dest, base, stride, list, s0, s1, a, aOff, n);
        } else {
            scatterRow(dest, base, stride, list, s0, s1, a, aOff, 0, n);
        }
    }

    /** The scalar loop of {@link #scatterRow} over elements [from, n). */
    static void scatterRow(float[] dest, int base, int stride, int[] list, int s0, int s1, float[] a, int aOff, int from,
            int n) {
        for (int s = s0; s < s1; s++) {
            int o = base + list[s] * stride;
            for (int j = from; j < n; j++) {
                dest[o + j] += a[aOff + j];
            }
        }
    }

    /**
     * {@link #scatterRow} with a scale per row: {@code dest[base + cols[e] stride + j] += vals[e] a[aOff + j]}
     * (the product rounded before the sum, as {@link #addScaled(float[], int, float, float[], int, int)}),
     * {@code cols} distinct.
     */
    public static void scatterScaled(float[] dest, int base, int stride, int[] cols, float[] vals, int e0, int e1,
            float[] a, int aOff, int n) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            if (e1 - e0 == 1) { // one row: the plain loop is faster
                VectorOps.addScaled(dest, base + cols[e0] * stride, vals[e0], a, aOff, n);
                return;
            }
            VectorOps.scatterScaled(dest, base, stride, cols, vals, e0, e1, a, aOff, n);
        } else {
            scatterScaled(dest, base, stride, cols, vals, e0, e1, a, aOff, 0, n);
        }
    }

    /** The scalar loop of {@link #scatterScaled} over elements [from, n). */
    static void scatterScaled(float[] dest, int base, int stride, int[] cols, float[] vals, int e0, int e1, float[] a,
            int aOff, int from, int n) {
        for (int e = e0; e < e1; e++) {
            int o = base + cols[e] * stride;
            float v = vals[e];
            for (int j = from; j < n; j++) {
                dest[o + j] += v * a[aOff + j];
            }
        }
    }

    /**
     * {@code acc[j] += (x[xOff + j] * v)} for j in [0, n), in double: the product rounded before the
     * sum, as the scalar expression {@code acc[j] += x[xOff + j] * v}.
     */
    public static void addScaled(double[] acc, double v, double[] x, int xOff, int n) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            VectorOps.addScaled(acc, v, x, xOff, n);
        } else {
            addScaled(acc, v, x, xOff, 0, n);
        }
    }

    /** The scalar loop over [from, n). */
    static void addScaled(double[] acc, double v, double[] x, int xOff, int from, int n) {
        for (int j = from; j < n; j++) {
            acc[j] += x[xOff + j] * v;
        }
    }
}
