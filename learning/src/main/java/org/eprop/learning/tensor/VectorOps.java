package org.eprop.learning.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * The link to the JDK's vector API that {@link Simd} probes, and {@link RowKernels}' vector loops:
 * loaded only when the module {@code jdk.incubator.vector} is resolved.
 */
public final class VectorOps {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_512;

    private VectorOps() {
    }

    /** Whether the hardware runs 512-bit vectors natively (otherwise the API would emulate them, slowly). */
    static boolean supported() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    }

    static void add(float[] acc, int aOff, float[] x, int xOff, int n) {
        int bound = F.loopBound(n);
        int j = 0;
        for (; j < bound; j += F.length()) {
            FloatVector.fromArray(F, acc, aOff + j).add(FloatVector.fromArray(F, x, xOff + j)).intoArray(acc, aOff + j);
        }
        RowKernels.add(acc, aOff, x, xOff, j, n);
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

    /**
     * {@link EventProduct#nonzeros} with 16 elements compared at once: most groups of a sparse row
     * are all zero and cost one comparison; the others are walked by the scalar loop. (The mask's
     * bits are not used directly: {@code VectorMask.toLong} is not an intrinsic on JDK 17, and the
     * boxed mask would allocate per group.)
     */
    static int nonzeros(float[] d, int o, int m, int[] col, float[] val, int nnz, int capacity) {
        final FloatVector zero = FloatVector.zero(F);
        int bound = F.loopBound(m);
        int i = 0;
        for (; i < bound; i += F.length()) {
            if (FloatVector.fromArray(F, d, o + i).compare(jdk.incubator.vector.VectorOperators.NE, zero).anyTrue()) {
                nnz = EventProduct.nonzeros(d, o, i, i + F.length(), col, val, nnz, capacity);
            }
        }
        return EventProduct.nonzeros(d, o, i, m, col, val, nnz, capacity);
    }
}
