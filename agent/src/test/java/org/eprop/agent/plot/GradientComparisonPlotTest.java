package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The gradient comparison is written for row, square and large matrices, refuses mismatched
 * shapes, and its title shows the number {@link Compare#maxRelativeDifference(double[], double[])}
 * returns, edge cases included.
 */
class GradientComparisonPlotTest {

    @TempDir
    Path dir;

    @Test
    void gradientComparisonHandlesRowSquareAndLargeMatrices() throws IOException {
        for (int[] shape : new int[][] {{1, 60}, {30, 30}, {400, 400}}) {
            double[][][] ab = demoGradients(shape[0], shape[1], 1e-7);
            Path png = dir.resolve("grad_" + shape[0] + "x" + shape[1] + ".png");
            GradientComparisonPlot.write(png, "W_rec", "e-prop", ab[0], "BPTT", ab[1]);
            BufferedImage img = read(png);
            assertSize(img, 1380, 1380, 250, 700);
            assertInked(img, 0.10);
        }
        assertOnly(dir, "grad_1x60.png", "grad_30x30.png", "grad_400x400.png");
        assertEquals("3.1e-16", GradientComparisonPlot.formatRatio(3.1e-16));
    }

    @Test
    void maxRelativeDifferenceIsRelativeToB() {
        double[][] a = {{1, 2}, {3, 4.5}};
        double[][] b = {{1, 2}, {3, 5}};
        assertEquals(0.1, Compare.maxRelativeDifference(new double[] {1, 2, 3, 4.5}, new double[] {1, 2, 3, 5}), 1e-15);
        assertEquals(0, Compare.maxRelativeDifference(new double[1], new double[1]));
        assertEquals(" \u2014 max|A\u2212B| / max|B| = 1.0e-01", GradientComparisonPlot.render("", "A", a, "B", b).title());
    }

    /**
     * The edge cases where the plot's former copy differed from Compare: an all-zero reference
     * (it said +inf, Compare gives the absolute difference) and NaN (it skipped NaN, Compare
     * propagates it, so that a broken gradient never looks like agreement).
     */
    @Test
    void edgeCasesFollowCompare() {
        assertEquals(3e-20, Compare.maxRelativeDifference(new double[] {3e-20, 0}, new double[2]));
        assertEquals("W_in \u2014 max|A\u2212B| = 3.0e-20 (B is zero)",
                GradientComparisonPlot.render("W_in", "A", new double[][] {{3e-20, 0}}, "B", new double[1][2]).title());

        double[][] withNan = {{1, Double.NaN}, {3, 4}};
        double[][] b = {{1, 2}, {3, 4}};
        assertTrue(Double.isNaN(Compare.maxRelativeDifference(new double[] {1, Double.NaN, 3, 4}, new double[] {1, 2, 3, 4})));
        assertEquals("nan \u2014 max|A\u2212B| / max|B| = NaN",
                GradientComparisonPlot.render("nan", "A", withNan, "B", b).title());

        assertThrows(IllegalArgumentException.class, () -> Compare.maxRelativeDifference(new double[3], new double[2]));
    }

    @Test
    void titleShowsTheNumberCompareReturns() {
        double[][][] ab = demoGradients(30, 30, 1e-7);
        double[] a = new double[900];
        double[] b = new double[900];
        for (int i = 0; i < 30; i++) {
            System.arraycopy(ab[0][i], 0, a, 30 * i, 30);
            System.arraycopy(ab[1][i], 0, b, 30 * i, 30);
        }
        double expected = Compare.maxRelativeDifference(a, b);
        String title = GradientComparisonPlot.render("W_rec", "e-prop", ab[0], "BPTT", ab[1]).title();
        double shown = Double.parseDouble(title.substring(title.lastIndexOf("= ") + 2));
        assertEquals(expected, shown, 0.05 * expected, title);
        assertEquals("W_rec \u2014 max|A\u2212B| / max|B| = " + GradientComparisonPlot.formatRatio(expected), title);
    }

    @Test
    void gradientComparisonRefusesMismatchedShapes() {
        assertMessage("b is 2x3", () -> GradientComparisonPlot.write(dir.resolve("g.png"), "t", "A",
                new double[3][3], "B", new double[2][3]));
        assertMessage("a is not rectangular", () -> GradientComparisonPlot.write(dir.resolve("g.png"), "t",
                "A", new double[][] {{1, 2}, {3}}, "B", new double[2][2]));
        assertOnly(dir);
    }
}
