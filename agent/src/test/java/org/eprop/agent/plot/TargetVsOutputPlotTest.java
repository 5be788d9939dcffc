package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.eprop.envs.supervised.TaskMetrics;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The regression figure is written, and its title shows the number the training metric
 * {@link TaskMetrics#normalisedMse(double[], double[])} returns.
 */
class TargetVsOutputPlotTest {

    @TempDir
    Path dir;

    @Test
    void targetVsOutputIsWrittenWithTheNormalisedMse() throws IOException {
        double[][] tv = demoRegression(1000);
        Path png = dir.resolve("fit.png");
        TargetVsOutputPlot.write(png, "Pattern generation", 1.0, tv[0], tv[1]);
        BufferedImage img = read(png);
        assertSize(img, 1200, 1200, 450, 700);
        assertInked(img, 0.02);
        assertOnly(dir, "fit.png");

        double[] target = {1, 2, 3, 4};
        double[] output = {1, 2, 3, 5};
        // mse = 1/4, var = 5/4
        assertEquals(0.2, TaskMetrics.normalisedMse(output, target), 1e-12);
        assertEquals("0.200", TargetVsOutputPlot.formatNmse(0.2));
        assertEquals("4.3e-05", TargetVsOutputPlot.formatNmse(4.3e-5));
        // A constant target has no normalised MSE (it was +inf here and NaN in training before).
        assertTrue(Double.isNaN(TaskMetrics.normalisedMse(new double[] {1, 2}, new double[] {1, 1})));
    }

    @Test
    void titleShowsTheNumberTheMetricReturns() {
        double[][] tv = demoRegression(1000);
        double nmse = TaskMetrics.normalisedMse(tv[1], tv[0]);
        String title = TargetVsOutputPlot.render("Pattern generation", 1.0, tv[0], tv[1]).title();
        assertEquals("Pattern generation (normalised MSE " + TargetVsOutputPlot.formatNmse(nmse) + ")", title);
        double shown = Double.parseDouble(title.replaceAll(".*normalised MSE ([^)]*)\\)", "$1"));
        assertEquals(nmse, shown, 5e-4, title);

        // The edge cases say what they are rather than show a number that would mislead.
        assertEquals("flat (normalised MSE NaN, undefined for a constant target)",
                TargetVsOutputPlot.render("flat", 1.0, new double[] {2, 2, 2}, new double[] {2, 2, 3}).title());
        assertEquals("diverged (normalised MSE NaN)",
                TargetVsOutputPlot.render("diverged", 1.0, new double[] {1, 2, 3}, new double[] {1, Double.NaN, 3})
                        .title());
    }

    @Test
    void targetVsOutputRefusesMismatchedLengths() {
        assertMessage("output has 3", () -> TargetVsOutputPlot.write(dir.resolve("x.png"), "t", 1.0,
                new double[4], new double[3]));
        assertOnly(dir);
    }
}
