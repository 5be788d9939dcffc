package org.eprop.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PrecisionTest {
    @Test
    void float32RoundsAndFlushesSubnormalsToZero() {
        assertEquals((double) (float) 0.1, Precision.FLOAT32.round(0.1));
        assertEquals(-(double) (float) 1e-30, Precision.FLOAT32.round(-1e-30));
        assertEquals(0.0, Precision.FLOAT32.round(1e-40), "subnormal float");
        assertEquals(0.0, Precision.FLOAT32.round(-1e-44), "subnormal float");
        assertEquals(Float.MIN_NORMAL, Precision.FLOAT32.round(Float.MIN_NORMAL));
        assertEquals(Double.POSITIVE_INFINITY, Precision.FLOAT32.round(1e300));
        assertEquals(true, Double.isNaN(Precision.FLOAT32.round(Double.NaN)));
        assertEquals(1e-40, Precision.FLOAT64.round(1e-40));
        assertEquals(0.1, Precision.FLOAT64.round(0.1));
    }
}
