package org.eprop.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

/** {@link VectorOps} against the scalar {@link RealArray} operations it replaces, bit for bit. */
class VectorOpsTest {

    @Test
    void rowAdditionsMatchRealArrayAdd() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(21);
        int n = 400 + 5; // a tail after the vectors
        for (Precision p : Precision.values()) {
            RealArray acc = p.zeros(3 * n);
            RealArray w = p.zeros(2 * n);
            for (int i = 0; i < acc.length(); i++) {
                // mixed magnitudes (float32 rounding of the sums), zeros and subnormal floats
                acc.set(i, i % 11 == 0 ? -0.0 : rng.nextGaussian() * Math.pow(2, rng.uniform(-20, 20)));
            }
            for (int i = 0; i < w.length(); i++) {
                w.set(i, i % 13 == 0 ? Float.MIN_VALUE * 3 : rng.nextGaussian() * Math.pow(2, rng.uniform(-20, 20)));
            }
            RealArray expected = acc.copy();
            for (int rep = 0; rep < 5; rep++) {
                for (int j = 0; j < n; j++) {
                    expected.add(n + 1 + j - 1, w.get(n - 3 + j));
                }
                if (acc instanceof RealArray.F32 f) {
                    VectorOps.addRow(f.data(), n, ((RealArray.F32) w).data(), n - 3, n);
                } else {
                    VectorOps.addRow(((RealArray.F64) acc).data(), n, ((RealArray.F64) w).data(), n - 3, n);
                }
                for (int i = 0; i < acc.length(); i++) {
                    assertEquals(Double.doubleToRawLongBits(expected.get(i)), Double.doubleToRawLongBits(acc.get(i)),
                            p + " element " + i);
                }
            }
        }
    }
}
