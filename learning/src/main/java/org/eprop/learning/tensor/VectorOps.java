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

    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_512;

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
