package org.eprop.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense.Block;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The event-driven weight-gradient product against the definition and the dense product. */
class EventProductTest {

    @ParameterizedTest
    @EnumSource(Precision.class)
    void sparseProductsAreTheDefinition(Precision p) {
        Rng rng = new Rng(4);
        int rows = 900;
        int m = 37;
        int n = 53;
        int hFirst = 3;
        RealArray x = p.zeros((rows + 5) * m);
        for (int i = 0; i < x.length(); i++) {
            // spikes, and a few real-valued events
            x.set(i, rng.bernoulli(0.02) ? (i % 7 == 0 ? rng.nextGaussian() : 1.0) : 0.0);
        }
        RealArray h = p.zeros((rows + hFirst) * n);
        for (int i = 0; i < h.length(); i++) {
            h.set(i, rng.nextGaussian());
        }
        RealArray out = p.zeros(m * n);
        out.fill(7); // overwritten, not added to
        assertTrue(new EventProduct().multiply(x, 2, rows, m, h, hFirst, n, out), "2 % dense is event-driven");
        RealArray dense = p.zeros(m * n);
        new Dense(p).gemm(new Block(x, 2, rows, m), true, new Block(h, hFirst, rows, n), false, Block.of(dense, m, n));
        double tol = p == Precision.FLOAT64 ? 1e-12 : 1e-5;
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int r = 0; r < rows; r++) {
                    s += x.get((2 + r) * m + i) * h.get((hFirst + r) * n + j);
                }
                assertEquals(s, out.get(i * n + j), tol * (1 + Math.abs(s)), "element " + i + "," + j);
                assertEquals(dense.get(i * n + j), out.get(i * n + j), 2 * tol * (1 + Math.abs(s)), "against BLAS");
            }
        }
    }

    /**
     * A listing large enough to be made in blocks over the workers (where there are several) holds
     * each row's nonzeros in order, rows laid end to end, as the definition; and it declines a block
     * past the density limit.
     */
    @Test
    void aLargeListingIsEachRowsNonzerosInOrder() {
        Rng rng = new Rng(12);
        int m = 40;
        int rows = (int) (EventProduct.PARALLEL_LISTING / m) + 777;
        int first = 3;
        float[] d = new float[(first + rows) * m];
        for (int i = first * m; i < d.length; i++) {
            d[i] = rng.bernoulli(i % 97 == 0 ? 0.5 : 0.015) ? (i % 11 == 0 ? (float) rng.nextGaussian() : 1f) : 0f;
        }
        d[(first + 5) * m + 7] = -0f; // a negative zero is no event
        RealArray x = new RealArray.F32(d);
        EventProduct events = new EventProduct();
        assertTrue(events.list(x, first, rows, m, 100), "1.5 % dense is listed");
        assertTrue(events.holds(x, first, rows, m));
        int e = 0;
        for (int r = 0; r < rows; r++) {
            assertEquals(e, events.rowStarts()[r], "start of row " + r);
            for (int i = 0; i < m; i++) {
                float v = d[(first + r) * m + i];
                if (v != 0f) {
                    assertEquals(i, events.columns()[e], "row " + r + ", event " + (e - events.rowStarts()[r]));
                    assertEquals(v, events.values32()[e], 0f);
                    e++;
                }
            }
        }
        assertEquals(e, events.rowStarts()[rows], "all events");
        for (int i = first * m; i < d.length; i++) {
            d[i] = rng.bernoulli(0.07) ? 1f : 0f;
        }
        assertFalse(new EventProduct().list(x, first, rows, m, 100), "7 % dense (over the 5 % limit, under twice it) is left to BLAS");
    }

    /** out[i*n+j] = sum_r x[(xFirst+r)*m+i] h[(hFirst+r)*n+j], by the definition. */
    private static double definition(RealArray x, int xFirst, int rows, int m, RealArray h, int hFirst, int n, int i,
            int j) {
        double s = 0;
        for (int r = 0; r < rows; r++) {
            s += x.get((xFirst + r) * m + i) * h.get((hFirst + r) * n + j);
        }
        return s;
    }

    @Test
    void aListingServesLaterProductsOverItsFirstRowsUntilForgotten() {
        Rng rng = new Rng(12);
        Precision p = Precision.FLOAT32;
        int rows = 400;
        int m = 30;
        int n = 20;
        RealArray x = p.zeros(rows * m);
        RealArray h = p.zeros(rows * n);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(0.03) ? 1 : 0);
        }
        for (int i = 0; i < h.length(); i++) {
            h.set(i, rng.nextGaussian());
        }
        EventProduct events = new EventProduct();
        RealArray out = p.zeros(m * n);
        for (int round = 0; round < 2; round++) {
            // all rows, then the first rows against h shifted by 5 (the recurrent product's pairing)
            assertTrue(events.multiply(x, 0, rows, m, h, 0, n, out));
            check(out, x, rows, m, h, 0, n);
            assertTrue(events.multiply(x, 0, rows - 5, m, h, 5, n, out));
            check(out, x, rows - 5, m, h, 5, n);
            // new contents in the same array: listed again once forgotten
            for (int i = 0; i < x.length(); i++) {
                x.set(i, rng.bernoulli(0.03) ? 1 : 0);
            }
            events.forget();
        }
    }

    private static void check(RealArray out, RealArray x, int rows, int m, RealArray h, int hFirst, int n) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = definition(x, 0, rows, m, h, hFirst, n, i, j);
                assertEquals(s, out.get(i * n + j), 1e-5 * (1 + Math.abs(s)), "element " + i + "," + j);
            }
        }
    }

    @Test
    void denseInputsAreLeftToTheDenseProduct() {
        Rng rng = new Rng(5);
        RealArray x = Precision.FLOAT32.zeros(1000 * 20);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(0.3) ? 1 : 0);
        }
        RealArray h = Precision.FLOAT32.zeros(1000 * 8);
        RealArray out = Precision.FLOAT32.zeros(20 * 8);
        out.fill(3);
        assertFalse(new EventProduct().multiply(x, 0, 1000, 20, h, 0, 8, out), "30 % nonzeros");
        assertEquals(3.0, out.get(0), "nothing written");
        // just under the limit is event-driven, a few more is not
        RealArray edge = Precision.FLOAT32.zeros(1000 * 20);
        int limit = (int) (EventProduct.maxDensity(8) * edge.length());
        for (int i = 0; i < limit; i++) {
            edge.set(i * 7 % edge.length(), 1);
        }
        assertTrue(new EventProduct().multiply(edge, 0, 1000, 20, h, 0, 8, out));
        edge.set(1, 1);
        edge.set(2, 1);
        assertFalse(new EventProduct().multiply(edge, 0, 1000, 20, h, 0, 8, out));
        assertEquals(0.05, EventProduct.maxDensity(100), 1e-12);
        // the sampled pre-check: conv2-like input (40 % nonzeros) is judged dense from every 32nd row;
        // one whose sampled rows are silent is judged by the full listing, which still declines it
        RealArray spikes = Precision.FLOAT32.zeros(3200 * 50);
        RealArray hidden = Precision.FLOAT32.zeros(3200 * 50);
        RealArray tenth = Precision.FLOAT32.zeros(3200 * 50);
        for (int i = 0; i < spikes.length(); i++) {
            spikes.set(i, rng.bernoulli(0.4) ? 1 : 0);
            hidden.set(i, (i / 50) % EventProduct.SAMPLE_STRIDE != 0 && rng.bernoulli(0.4) ? 1 : 0);
            tenth.set(i, rng.bernoulli(0.1) ? 1 : 0);
        }
        assertTrue(EventProduct.clearlyDense(spikes, 0, 3200, 50, 400));
        assertFalse(EventProduct.clearlyDense(hidden, 0, 3200, 50, 400));
        assertFalse(EventProduct.clearlyDense(tenth, 0, 3200, 50, 400), "10 % is under twice the 15 % limit");
        RealArray h2 = Precision.FLOAT32.zeros(3200 * 400);
        RealArray out2 = Precision.FLOAT32.zeros(50 * 400);
        assertFalse(new EventProduct().multiply(spikes, 0, 3200, 50, h2, 0, 400, out2));
        assertFalse(new EventProduct().multiply(hidden, 0, 3200, 50, h2, 0, 400, out2), "declined by the listing");
        assertTrue(new EventProduct().multiply(tenth, 0, 3200, 50, h2, 0, 400, out2), "10 % is event-driven at n = 400");
        assertFalse(EventProduct.clearlyDense(spikes, 0, 320, 50, 400), "too few rows to sample: the listing decides");
        // a long block is sampled further apart, about MOST_SAMPLED rows in all (every 64th of 16,384)
        int longRows = 64 * EventProduct.MOST_SAMPLED;
        RealArray longDense = Precision.FLOAT32.zeros(longRows * 8);
        RealArray longHidden = Precision.FLOAT32.zeros(longRows * 8);
        for (int i = 0; i < longDense.length(); i++) {
            longDense.set(i, rng.bernoulli(0.4) ? 1 : 0);
            longHidden.set(i, (i / 8) % 64 != 0 && rng.bernoulli(0.4) ? 1 : 0);
        }
        assertTrue(EventProduct.clearlyDense(longDense, 0, longRows, 8, 400));
        assertFalse(EventProduct.clearlyDense(longHidden, 0, longRows, 8, 400), "only every 64th row is counted");
        assertEquals(0.15, EventProduct.maxDensity(400), 1e-12);
        assertEquals(0.15, EventProduct.maxDensity(800), 1e-12);
    }

    @Test
    void theVectorRowKernelsGiveTheScalarLoopsBits() {
        org.junit.jupiter.api.Assumptions.assumeTrue(Simd.ENABLED, "no vector kernels in this JVM");
        Rng rng = new Rng(6);
        for (int n : new int[] {16, 100, 403, 7}) {
            float[] a = new float[n + 9];
            float[] b = new float[n + 9];
            float[] x = new float[n + 5];
            for (int rep = 0; rep < 50; rep++) {
                for (int i = 0; i < x.length; i++) {
                    x[i] = (float) (rng.nextGaussian() * Math.pow(2, rng.uniform(-130, 20)));
                }
                float v = (float) rng.nextGaussian();
                VectorOps.addScaled(a, 9, v, x, 5, n);
                RowKernels.addScaled(b, 9, v, x, 5, 0, n);
                VectorOps.add(a, 3, x, 2, n);
                RowKernels.add(b, 3, x, 2, 0, n);
                for (int i = 0; i < a.length; i++) {
                    assertEquals(Float.floatToRawIntBits(b[i]), Float.floatToRawIntBits(a[i]), "n " + n + " element " + i);
                }
                double[] da = new double[n];
                double[] db = new double[n];
                double[] dx = new double[n + 5];
                for (int i = 0; i < dx.length; i++) {
                    dx[i] = rng.nextGaussian() * Math.pow(2, rng.uniform(-1000, 20));
                }
                for (int k = 0; k < 3; k++) {
                    VectorOps.addScaled(da, v * (k + 1), dx, 5, n);
                    RowKernels.addScaled(db, v * (k + 1), dx, 5, 0, n);
                }
                for (int i = 0; i < n; i++) {
                    assertEquals(Double.doubleToRawLongBits(db[i]), Double.doubleToRawLongBits(da[i]), "double, element " + i);
                }
            }
        }
    }
}
