package org.eprop.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

/**
 * The event sums of the time-step loop and of e-prop's in-scan gradients against their definition:
 * {@link RowKernels#gatherRows} is a fill (or not), then one {@code addScaled} per input event and one
 * {@code add} per listed row; {@link RowKernels#scatterRow} and {@link RowKernels#scatterScaled} are one
 * {@code add} or {@code addScaled} per listed destination row. Bit for bit, in the vector loops (the
 * scatters keep blocks of the source row in registers) and the scalar loops alike, at row widths that leave every kind of
 * remainder after the blocks of four vectors, with signed zeros, subnormals and values far apart.
 */
class RowKernelsTest {

    private static final int[] WIDTHS = {7, 16, 37, 64, 100, 129, 403};

    @Test
    void gatherRowsIsAFillThenOneAdditionPerEventInOrder() {
        Rng rng = new Rng(41);
        for (int n : WIDTHS) {
            float[] x = values(rng, 6 * n);
            float[] y = values(rng, 9 * n);
            for (int rep = 0; rep < 60; rep++) {
                int events = rep % 4;
                int spikes = rep % 10; // every count of rows in fours, a pair and one
                int[] cols = distinct(rng, 6, events, 2);
                float[] vals = values(rng, events + 2);
                int[] list = distinct(rng, 9, spikes, 3);
                boolean clear = rep % 2 == 0;
                float[] start = values(rng, n + 11);
                float[] expected = start.clone();
                if (clear) {
                    java.util.Arrays.fill(expected, 11, 11 + n, 0f);
                }
                for (int e = 2; e < 2 + events; e++) {
                    RowKernels.addScaled(expected, 11, vals[e], x, cols[e] * n, 0, n);
                }
                for (int s = 3; s < 3 + spikes; s++) {
                    RowKernels.add(expected, 11, y, list[s] * n, 0, n);
                }
                float[] dispatched = start.clone();
                RowKernels.gatherRows(dispatched, 11, clear, x, cols, vals, 2, 2 + events, y, list, 3, 3 + spikes, n);
                assertSameBits(expected, dispatched, "n " + n + ", rep " + rep);
            }
        }
    }

    @Test
    void scattersAreOneAdditionPerListedRow() {
        Rng rng = new Rng(43);
        for (int n : WIDTHS) {
            int stride = n + 3;
            for (int rep = 0; rep < 40; rep++) {
                int rows = rep % 7;
                int[] list = distinct(rng, 12, rows, 1);
                float[] vals = values(rng, rows + 1);
                float[] a = values(rng, n + 5);
                float[] start = values(rng, 5 + 12 * stride);
                float[] expected = start.clone();
                float[] expectedScaled = start.clone();
                for (int s = 1; s < 1 + rows; s++) {
                    RowKernels.add(expected, 5 + list[s] * stride, a, 4, 0, n);
                    RowKernels.addScaled(expectedScaled, 5 + list[s] * stride, vals[s], a, 4, 0, n);
                }
                float[] scalar = start.clone();
                RowKernels.scatterRow(scalar, 5, stride, list, 1, 1 + rows, a, 4, 0, n);
                assertSameBits(expected, scalar, "scalar, n " + n + ", rep " + rep);
                float[] dispatched = start.clone();
                RowKernels.scatterRow(dispatched, 5, stride, list, 1, 1 + rows, a, 4, n);
                assertSameBits(expected, dispatched, "n " + n + ", rep " + rep);
                float[] scaled = start.clone();
                RowKernels.scatterScaled(scaled, 5, stride, list, vals, 1, 1 + rows, a, 4, 0, n);
                assertSameBits(expectedScaled, scaled, "scaled, scalar, n " + n + ", rep " + rep);
                float[] scaledDispatched = start.clone();
                RowKernels.scatterScaled(scaledDispatched, 5, stride, list, vals, 1, 1 + rows, a, 4, n);
                assertSameBits(expectedScaled, scaledDispatched, "scaled, n " + n + ", rep " + rep);
                if (Simd.ENABLED) {
                    float[] vector = start.clone();
                    VectorOps.scatterRow(vector, 5, stride, list, 1, 1 + rows, a, 4, n);
                    assertSameBits(expected, vector, "vector, n " + n + ", rep " + rep);
                    float[] vectorScaled = start.clone();
                    VectorOps.scatterScaled(vectorScaled, 5, stride, list, vals, 1, 1 + rows, a, 4, n);
                    assertSameBits(expectedScaled, vectorScaled, "vector, scaled, n " + n + ", rep " + rep);
                }
            }
        }
    }

    /** Values from every regime: normal at magnitudes far apart, signed zeros, subnormals. */
    private static float[] values(Rng rng, int length) {
        float[] v = new float[length];
        for (int i = 0; i < length; i++) {
            v[i] = i % 13 == 0 ? -0f : i % 17 == 0 ? Float.MIN_VALUE * 3
                    : (float) (rng.nextGaussian() * Math.pow(2, rng.uniform(-130, 20)));
        }
        return v;
    }

    /** {@code count} distinct row indices below {@code rows}, in ascending order, after {@code offset} unused entries. */
    private static int[] distinct(Rng rng, int rows, int count, int offset) {
        int[] list = new int[offset + count];
        int taken = 0;
        for (int r = 0; r < rows && taken < count; r++) {
            if (rng.uniform(0, 1) < (double) (count - taken) / (rows - r)) {
                list[offset + taken++] = r;
            }
        }
        return list;
    }

    private static void assertSameBits(float[] expected, float[] actual, String what) {
        for (int i = 0; i < expected.length; i++) {
            assertEquals(Float.floatToRawIntBits(expected[i]), Float.floatToRawIntBits(actual[i]), what + ", element " + i);
        }
    }
}
