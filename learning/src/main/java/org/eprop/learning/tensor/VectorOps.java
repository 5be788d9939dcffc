package org.eprop.learning.tensor;

import jdk.incubator.vector.DoubleVector;

/**
 * The link to the JDK's vector API that {@link Simd} probes: loaded only when the module
 * {@code jdk.incubator.vector} is resolved.
 */
public final class VectorOps {

    private VectorOps() {
    }

    /** Whether the hardware runs 512-bit vectors natively (otherwise the API would emulate them, slowly). */
    static boolean supported() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    }
}
