package org.eprop.envs.wrappers;

import jdk.incubator.vector.ByteVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link AreaResize}'s vertical pass with the JDK's vector API, 16 pixels per operation; loaded only
 * where {@link org.eprop.learning.tensor.Simd#ENABLED}. Each lane does the scalar loop's float
 * operations in its order (the byte widened exactly, a product, then a sum), so the filtered rows
 * are the scalar ones bit for bit ({@code AreaResizeTest}). Why by hand: the JIT leaves the scalar
 * loop's byte-to-float conversions scalar, and they were most of a resize.
 */
final class ResizeKernels {
    private static final VectorSpecies<Byte> B = ByteVector.SPECIES_128;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;
    /** Pixels per vector. */
    static final int LANES = 16;

    private ResizeKernels() {
    }

    /**
     * {@code col[x] = (w0 src[r0+x] + w1 src[r1+x]) + w2 src[r2+x]} (bytes unsigned) for the whole
     * vectors of {@code x < n}; returns where the caller's scalar loop goes on.
     */
    static int rows3(byte[] src, int r0, int r1, int r2, float w0, float w1, float w2, float[] col, int n) {
        int x = 0;
        for (; x <= n - LANES; x += LANES) {
            FloatVector v = level(src, r0 + x).mul(w0);
            v = v.add(level(src, r1 + x).mul(w1));
            v = v.add(level(src, r2 + x).mul(w2));
            v.intoArray(col, x);
        }
        return x;
    }

    /** 16 bytes from {@code off} as the floats 0..255. */
    private static FloatVector level(byte[] src, int off) {
        IntVector i = (IntVector) ByteVector.fromArray(B, src, off).convertShape(VectorOperators.B2I, I, 0);
        return (FloatVector) i.and(0xFF).convertShape(VectorOperators.I2F, F, 0);
    }
}
