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
