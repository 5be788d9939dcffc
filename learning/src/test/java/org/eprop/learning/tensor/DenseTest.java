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
}
