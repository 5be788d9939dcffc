package org.eprop.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense.Block;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class DenseTest {

    private static RealArray random(Precision p, int n, Rng rng) {
        RealArray a = p.zeros(n);
        for (int i = 0; i < n; i++) {
            a.set(i, rng.nextGaussian());
        }
        return a;
    }

    /** op(A) op(B) by the definition, in double. */
    private static double[] naive(RealArray a, int aFirst, int aRows, int aCols, boolean ta, RealArray b, int bFirst,
            int bRows, int bCols, boolean tb) {
        int m = ta ? aCols : aRows;
        int k = ta ? aRows : aCols;
        int n = tb ? bRows : bCols;
        double[] c = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double s = 0;
                for (int q = 0; q < k; q++) {
                    double x = ta ? a.get((aFirst + q) * aCols + i) : a.get((aFirst + i) * aCols + q);
                    double y = tb ? b.get((bFirst + j) * bCols + q) : b.get((bFirst + q) * bCols + j);
                    s += x * y;
                }
                c[i * n + j] = s;
            }
        }
        return c;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void productsMatchTheDefinitionForEveryTransposeAndRowOffset(Precision p) {
        Rng rng = new Rng(5);
        Dense dense = new Dense(p);
        double tol = p == Precision.FLOAT64 ? 1e-12 : 1e-4;
        for (boolean ta : new boolean[] {false, true}) {
            for (boolean tb : new boolean[] {false, true}) {
                // A has 9 stored rows of 4 columns; use rows 2..8 (7 rows).
                RealArray a = random(p, 9 * 4, rng);
                int aRows = 7;
                int m = ta ? 4 : aRows;
                int k = ta ? aRows : 4;
                int bRows = tb ? 5 : k;
                int bCols = tb ? k : 5;
                RealArray b = random(p, (bRows + 1) * bCols, rng);
                RealArray c = p.zeros(m * 5 + 10);
                Dense.Resident ra = dense.resident().load(Block.of(a, 9, 4));
                dense.gemm(ra.rows(2, aRows), ta, new Block(b, 1, bRows, bCols), tb, new Block(c, 2, m, 5));
                double[] expected = naive(a, 2, aRows, 4, ta, b, 1, bRows, bCols, tb);
                for (int i = 0; i < expected.length; i++) {
                    assertEquals(expected[i], c.get(10 + i), tol, "ta=" + ta + " tb=" + tb + " element " + i);
                }
                assertEquals(0.0, c.get(0));
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void mismatchedShapesAreRejected(Precision p) {
        Dense dense = new Dense(p);
        RealArray a = p.zeros(6);
        RealArray c = p.zeros(4);
        var e = assertThrows(IllegalArgumentException.class,
                () -> dense.gemm(Block.of(a, 2, 3), false, Block.of(a, 2, 3), false, Block.of(c, 2, 2)));
        assertEquals(true, e.getMessage().contains("gemm shapes"), e.getMessage());
    }

    /**
     * A large product is cut into panels that run on several threads; every element must come out
     * as the whole product's and as the definition says. In float64 bit for bit; in float32 to
     * rounding, since OpenBLAS's AVX2 (Haswell, Zen) sgemm sums an element of a panel in another
     * order than the whole product's (observed on an AMD EPYC: up to 1e-4 absolute at k = 12,000,
     * with panel edges on multiples of 64 or of 128 alike; its AVX-512 kernels gave the same bits).
     * Results do not depend on the number of threads either way: the cut depends on the shape only.
     */
    @ParameterizedTest
    @EnumSource(Precision.class)
    void productsCutIntoPanelsGiveTheWholeProductsBits(Precision p) {
        Rng rng = new Rng(8);
        Dense cut = new Dense(p);
        Dense whole = new Dense(p);
        whole.cutProducts = false;
        int[][] shapes = {{170, 50, 12000}, {40, 330, 9000}, {300, 100, 1440}, {33, 2313, 600}, {400, 400, 900}};
        for (int[] shape : shapes) {
            int m = shape[0];
            int n = shape[1];
            int k = shape[2];
            int panels = Dense.panels(m, n, k);
            org.junit.jupiter.api.Assertions.assertTrue(panels >= 2, m + "x" + n + "x" + k + " is cut: " + panels);
            for (boolean ta : new boolean[] {false, true}) {
                for (boolean tb : new boolean[] {false, true}) {
                    int aRows = ta ? k : m;
                    int aCols = ta ? m : k;
                    int bRows = tb ? n : k;
                    int bCols = tb ? k : n;
                    RealArray a = random(p, (aRows + 3) * aCols, rng);
                    RealArray b = random(p, (bRows + 1) * bCols, rng);
                    RealArray c1 = p.zeros(m * n);
                    RealArray c2 = p.zeros(m * n);
                    cut.gemm(cut.resident().load(new Block(a, 0, aRows + 3, aCols)).rows(3, aRows), ta,
                            new Block(b, 1, bRows, bCols), tb, Block.of(c1, m, n));
                    whole.gemm(whole.resident().load(new Block(a, 0, aRows + 3, aCols)).rows(3, aRows), ta,
                            new Block(b, 1, bRows, bCols), tb, Block.of(c2, m, n));
                    String what = m + "x" + n + "x" + k + " ta=" + ta + " tb=" + tb + " in " + panels + " panels";
                    for (int i = 0; i < m * n; i++) {
                        assertEquals(c2.get(i), c1.get(i), panelTolerance(p, c2.get(i)), what + ", element " + i);
                    }
                    if (k <= 1000) {
                        double[] expected = naive(a, 3, aRows, aCols, ta, b, 1, bRows, bCols, tb);
                        double tol = p == Precision.FLOAT64 ? 1e-11 : 1e-3;
                        for (int i = 0; i < expected.length; i++) {
                            assertEquals(expected[i], c1.get(i), tol, what + ", element " + i + " against the definition");
                        }
                    }
                }
            }
        }
    }

    @org.junit.jupiter.api.Test
    void aProductIsCutByItsShapeOnly() {
        assertEquals(1, Dense.panels(64, 100, 100), "small products run whole");
        assertEquals(1, Dense.panels(10, 60, 10_000_000), "no panel but the last narrower than " + Dense.PANEL_ALIGN);
        assertEquals(2, Dense.panels(10, 100, 10_000_000));
        assertEquals(128, Dense.panelStart(400, 3, 1), "panel edges are aligned");
        assertEquals(256, Dense.panelStart(400, 3, 2));
        assertEquals(400, Dense.panelStart(400, 3, 3));
        assertEquals(8, Dense.panels(400, 2313, 3200), "at most 8 panels");
        assertEquals(Dense.panels(100, 100, 144_000), Dense.panels(100, 100, 144_000));
        org.junit.jupiter.api.Assertions.assertTrue(Dense.panels(100, 100, 144_000) >= 2,
                "the Fig. 3 weight gradient Z^T H is cut");
    }

    /**
     * How far a panel's element may be from the whole product's: nothing in float64; in float32 the
     * rounding of a sum of thousands of terms in another order (up to 1e-4 observed at k = 12,000,
     * where an element wrongly placed or summed would be off by about 1 or more).
     */
    private static double panelTolerance(Precision p, double whole) {
        return p == Precision.FLOAT64 ? 0.0 : 1e-3 + 1e-5 * Math.abs(whole);
    }

    /** Bytes allocated so far by all live threads (the pool's workers run the panels). */
    private static long allocatedByAllThreads() {
        var mx = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long sum = 0;
        for (long id : mx.getAllThreadIds()) {
            sum += Math.max(0, mx.getThreadAllocatedBytes(id));
        }
        return sum;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void theActorsPerStepProductAllocatesNothingWhenCutIntoPanels(Precision p) {
        // the Atari actor's input product: 5 steps x 32 rows of 2313 conv2 spikes times W_in (2313 x 400)
        int rows = 160;
        int k = 2313;
        int n = 400;
        org.junit.jupiter.api.Assertions.assertTrue(Dense.panels(rows, n, k) >= 2, "the product is cut into panels");
        Rng rng = new Rng(5);
        Dense dense = new Dense(p);
        RealArray weights = random(p, k * n, rng);
        Dense.Resident w = dense.resident().load(Block.of(weights, k, n));
        RealArray x = random(p, rows * k, rng);
        RealArray c = p.zeros(rows * n);
        for (int i = 0; i < 200; i++) {
            dense.multiplyRows(x, 0, rows, w, c); // warm-up: JIT, the kept tasks and panel pointers
        }
        int products = 200;
        long before = allocatedByAllThreads();
        for (int i = 0; i < products; i++) {
            dense.multiplyRows(x, 0, rows, w, c);
        }
        long perProduct = (allocatedByAllThreads() - before) / products;
        // before the panels kept their pointers and tasks: about 1.5 KB per product (3 pointers per
        // panel, a lambda and the task tree); what may remain is the pool's wait node when the caller
        // blocks on the join and the readings themselves
        org.junit.jupiter.api.Assertions.assertTrue(perProduct < 200, perProduct + " bytes per product");
        RealArray expected = p.zeros(rows * n);
        Dense whole = new Dense(p);
        whole.cutProducts = false;
        whole.multiplyRows(x, 0, rows, whole.resident().load(Block.of(weights, k, n)), expected);
        for (int i = 0; i < rows * n; i++) {
            assertEquals(expected.get(i), c.get(i), panelTolerance(p, expected.get(i)),
                    "element " + i + " of the reused panels' product");
        }
    }
}
