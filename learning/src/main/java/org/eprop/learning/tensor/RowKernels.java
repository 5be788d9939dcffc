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
