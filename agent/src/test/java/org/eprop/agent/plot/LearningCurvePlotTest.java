package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eprop.agent.plot.LearningCurvePlot.Series;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Learning curves are written, decoded and checked for size and ink, also when there is nothing
 * (or nothing positive) to plot; no temporary file is left behind.
 */
class LearningCurvePlotTest {

    @TempDir
    Path dir;

    @Test
    void learningCurveIsWrittenAndNotBlank() throws IOException {
        Path png = dir.resolve("curves/learning.png");
        LearningCurvePlot.write(png, "Evidence accumulation: training", "iteration", "loss / error",
                demoCurves(), false);
        BufferedImage img = read(png);
        assertSize(img, 1200, 1200, 600, 800);
        assertInked(img, 0.02);
        assertOnly(png.getParent(), "learning.png");
    }

    @Test
    void learningCurveOnLogAxisSkipsNonPositiveValues() throws IOException {
        Path png = dir.resolve("learning_log.png");
        double[] x = {0, 1, 2, 3, 4};
        LearningCurvePlot.write(png, "log", "iteration", "loss", List.of(
                new Series("loss", x, new double[] {1, 0.5, 0, -1, 0.1}),
                new Series("never positive", x, new double[] {0, 0, 0, 0, 0})), true);
        assertInked(read(png), 0.02);
        assertOnly(dir, "learning_log.png");
    }

    @Test
    void learningCurveWithoutDataStillWritesAFigure() throws IOException {
        Path png = dir.resolve("empty.png");
        LearningCurvePlot.write(png, "nothing yet", "iteration", "loss",
                List.of(new Series("loss", new double[] {0}, new double[] {Double.NaN})), false);
        assertSize(read(png), 1200, 1200, 600, 800);
        Path one = dir.resolve("one.png");
        LearningCurvePlot.write(one, "one point", "iteration", "loss",
                List.of(new Series("loss", new double[] {3}, new double[] {0.5})), true);
        assertInked(read(one), 0.005); // axes, title, legend and a single marker
        assertOnly(dir, "empty.png", "one.png");
    }

    @Test
    void learningCurveReplacesAnExistingFile() throws IOException {
        Path png = dir.resolve("again.png");
        Files.writeString(png, "not a png");
        LearningCurvePlot.write(png, "again", "iteration", "loss", demoCurves(), false);
        LearningCurvePlot.write(png, "again", "iteration", "loss", demoCurves(), true);
        assertNotNull(read(png));
        assertOnly(dir, "again.png");
    }

    @Test
    void seriesRefusesMismatchedLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Series("loss", new double[3], new double[2]));
        assertTrue(e.getMessage().contains("'loss'") && e.getMessage().contains("y has 2"), e.getMessage());
    }
}
