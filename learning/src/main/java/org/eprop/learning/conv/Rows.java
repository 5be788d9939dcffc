package org.eprop.learning.conv;

import org.eprop.learning.tensor.Simd;
import org.eprop.learning.tensor.RealArray;

/**
 * Bulk moves between the network's storage ({@link RealArray}, float32 or float64) and the double
 * work rows of the kernels. The precision is resolved once per row rather than once per element,
 * so a float32 network reads and writes its {@code float[]} directly in a tight loop.
 */
final class Rows {
    private Rows() {
    }

    /** {@code dst[dOff .. dOff+n) = src[sOff .. sOff+n)}. */
    static void load(RealArray src, int sOff, double[] dst, int dOff, int n) {
        if (src instanceof RealArray.F32 f) {
            float[] a = f.data();
            if (Simd.ENABLED) {
                VectorKernels.widen(a, sOff, dst, dOff, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                dst[dOff + i] = a[sOff + i];
            }
        } else {
            System.arraycopy(((RealArray.F64) src).data(), sOff, dst, dOff, n);
        }
    }

    /**
     * {@code dst[dOff .. dOff+n) = src[sOff .. sOff+n)}; the values must already be representable in
     * the destination's precision (they are rounded where computed), so the float cast is exact.
     */
    static void store(double[] src, int sOff, RealArray dst, int dOff, int n) {
        if (dst instanceof RealArray.F32 f) {
            float[] a = f.data();
            if (Simd.ENABLED) {
                VectorKernels.narrow(src, sOff, a, dOff, n);
                return;
            }
            for (int i = 0; i < n; i++) {
                a[dOff + i] = (float) src[sOff + i];
            }
        } else {
            System.arraycopy(src, sOff, ((RealArray.F64) dst).data(), dOff, n);
        }
    }

    /**
     * {@link org.eprop.learning.tensor.Precision#FLOAT32}'s rounding, bit for bit (nearest float,
     * zeros and subnormals to +0), written with a compare instead of moves between float and integer
     * registers, so that the loops calling it stay cheap.
     */
    static double round32(double value) {
        float f = (float) value;
        return Math.abs(f) < Float.MIN_NORMAL ? 0.0 : f;
    }

    /** {@code dst[off .. off+n) = value}. */
    static void fill(RealArray dst, int off, int n, double value) {
        if (dst instanceof RealArray.F32 f) {
            java.util.Arrays.fill(f.data(), off, off + n, (float) value);
        } else {
            java.util.Arrays.fill(((RealArray.F64) dst).data(), off, off + n, value);
        }
    }
}
