package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.RowKernels;
import org.junit.jupiter.api.Test;

/**
 * The forward pass's recurrent row additions in float arithmetic ({@link RowKernels#gatherRows}, the
 * W_rec rows of the neurons that spiked added to a row of currents) against {@link RealArray.F32#add}
 * (a double sum rounded to float), bit for bit, over magnitudes far apart, cancellations, signed
 * zeros and subnormals.
 */
class RecurrentAddTest {

    @Test
    void floatRowAdditionIsTheDoubleSumRoundedToFloat() {
        Rng rng = new Rng(31);
        int n = 403;
        RealArray expected = Precision.FLOAT32.zeros(3 * n);
        RealArray w = Precision.FLOAT32.zeros(2 * n);
        for (int i = 0; i < expected.length(); i++) {
            expected.set(i, i % 11 == 0 ? -0.0 : rng.nextGaussian() * Math.pow(2, rng.uniform(-140, 40)));
        }
        float[] acc = ((RealArray.F32) expected.copy()).data();
        for (int rep = 0; rep < 200; rep++) {
            for (int i = 0; i < w.length(); i++) {
                double x = rng.nextGaussian() * Math.pow(2, rng.uniform(-140, 40));
                w.set(i, i % 13 == 0 ? -expected.get(n + i % n) : i % 17 == 0 ? Float.MIN_VALUE * 3 : x);
            }
            for (int j = 0; j < n; j++) {
                expected.add(n + j, w.get(5 + j));
            }
            // row 0 of w starts at 0; the "spike list" {0} adds w[0 .. n), shifted by 5 through an offset row
            float[] shifted = new float[n];
            System.arraycopy(((RealArray.F32) w).data(), 5, shifted, 0, n);
            RowKernels.gatherRows(acc, n, false, null, null, null, 0, 0, shifted, new int[] {0}, 0, 1, n);
            for (int i = 0; i < acc.length; i++) {
                assertEquals(Float.floatToRawIntBits(((RealArray.F32) expected).data()[i]), Float.floatToRawIntBits(acc[i]),
                        "element " + i + " after " + rep + " additions");
            }
        }
    }
}
