package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotTestSupport.assertInked;
import static org.eprop.agent.plot.PlotTestSupport.assertOnly;
import static org.eprop.agent.plot.PlotTestSupport.assertSize;
import static org.eprop.agent.plot.PlotTestSupport.read;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eprop.agent.plot.LearningCurves.Aggregate;
import org.eprop.agent.plot.LearningCurves.Band;
import org.eprop.agent.plot.LearningCurves.Curve;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading runs' metrics.csv and the mean and band over runs on a common grid, checked by hand. */
class LearningCurvesTest {
    private static final double EPS = 1e-12;

    @TempDir
    Path tmp;

    private Path run(String name, String csv) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("metrics.csv"), csv);
        return dir;
    }

    @Test
    void readsFramesAndSkipsRowsWithoutAValue() throws IOException {
        Path r = run("a", "iteration,frames,return_mean,return_recent\n"
                + "1,100,-3.0,-3.0\n2,250,,-2.5\n3,400,-1.0,\n");
        assertEquals("frames", LearningCurves.abscissa(List.of(r)));
        Curve c = LearningCurves.read(r, "frames", "return_recent");
        assertEquals("a", c.name());
        assertArrayEquals(new double[] {100, 250}, c.x(), EPS);
        assertArrayEquals(new double[] {-3.0, -2.5}, c.y(), EPS);
        assertEquals("return_recent", LearningCurves.defaultMetric(List.of(r), "frames"));
    }

    @Test
    void supervisedRunsGoAgainstIterationsAndTheirTestError() throws IOException {
        Path r = run("s", "iteration,loss,reg_loss,train_error,validation_error,test_error,rate_hz\n"
                + "1,0.9,0.1,0.5,0.5,,10\n2,0.8,0.1,0.4,0.4,0.45,10\n3,0.7,0.1,0.3,0.3,,10\n4,0.6,0.1,0.2,0.2,0.25,10\n");
        assertEquals("iteration", LearningCurves.abscissa(List.of(r)));
        assertEquals("test_error", LearningCurves.defaultMetric(List.of(r), "iteration"));
        Curve c = LearningCurves.read(r, "iteration", "test_error");
        assertArrayEquals(new double[] {2, 4}, c.x(), EPS);
        assertArrayEquals(new double[] {0.45, 0.25}, c.y(), EPS);
    }

    /**
     * Run a rises 0, 1, 2, 3 at frames 0, 100, 200, 300; run b is 1 from frame 50 to 350, and c
     * falls from 4 to 0 over frames 0 to 400. The common range is 50..300; on 6 points (every 50
     * frames) a reads 0.5, 1, ..., 3, b 1, c 3.5, 3, ..., 1.
     */
    @Test
    void meanAndBandOnTheCommonRangeByLinearInterpolation() throws IOException {
        Path a = run("a", "iteration,frames,return_recent\n1,0,0\n2,100,1\n3,200,2\n4,300,3\n");
        Path b = run("b", "iteration,frames,return_recent\n1,50,1\n2,350,1\n");
        Path c = run("c", "iteration,frames,return_recent\n1,0,4\n2,400,0\n");
        List<Curve> curves = LearningCurves.readAll(List.of(a, b, c), "frames", "return_recent");
        double[] x = {50, 100, 150, 200, 250, 300};
        double[] va = {0.5, 1, 1.5, 2, 2.5, 3};
        double[] vc = {3.5, 3, 2.5, 2, 1.5, 1};

        Aggregate std = LearningCurves.aggregate(curves, 6, Band.STD);
        assertEquals(3, std.runs());
        assertArrayEquals(x, std.x(), EPS);
        for (int p = 0; p < x.length; p++) {
            double mean = (va[p] + 1 + vc[p]) / 3;
            double sd = Math.sqrt(((va[p] - mean) * (va[p] - mean) + (1 - mean) * (1 - mean)
                    + (vc[p] - mean) * (vc[p] - mean)) / 2);
            assertEquals(mean, std.mean()[p], EPS, "mean at " + x[p]);
            assertEquals(mean - sd, std.lower()[p], EPS, "mean - std at " + x[p]);
            assertEquals(mean + sd, std.upper()[p], EPS, "mean + std at " + x[p]);
        }
        // at frame 200: a = 2, b = 1, c = 2: mean 5/3, sample std sqrt(1/3)
        assertEquals(5.0 / 3, std.mean()[3], EPS);
        assertEquals(5.0 / 3 + Math.sqrt(1.0 / 3), std.upper()[3], EPS);

        Aggregate range = LearningCurves.aggregate(curves, 6, Band.MINMAX);
        assertArrayEquals(std.mean(), range.mean(), EPS);
        assertArrayEquals(new double[] {0.5, 1, 1, 1, 1, 1}, range.lower(), EPS);
        assertArrayEquals(new double[] {3.5, 3, 2.5, 2, 2.5, 3}, range.upper(), EPS);

        String csv = LearningCurves.csv(std);
        assertTrue(csv.startsWith("frames,mean,lower,upper\n50.0,"), csv);
        assertEquals(7, csv.split("\n").length);
    }

    @Test
    void refusesWhatItCannotAverage() throws IOException {
        Path a = run("a", "iteration,frames,return_recent\n1,0,0\n2,100,1\n");
        Path later = run("later", "iteration,frames,return_recent\n1,200,0\n2,300,1\n");
        Path back = run("back", "iteration,frames,return_recent\n1,0,0\n2,100,1\n3,100,2\n");
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.aggregate(
                LearningCurves.readAll(List.of(a, later), "frames", "return_recent"), 10, Band.STD), "no overlap");
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.aggregate(
                LearningCurves.readAll(List.of(a, back), "frames", "return_recent"), 10, Band.STD), "not increasing");
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.aggregate(
                LearningCurves.readAll(List.of(a), "frames", "return_recent"), 10, Band.STD), "one run");
        assertThrows(IllegalArgumentException.class, () -> LearningCurves.read(a, "frames", "loss"), "no column");
        Path supervised = run("s", "iteration,loss\n1,0.5\n");
        assertEquals("iteration", LearningCurves.abscissa(List.of(a, supervised)), "frames only if all have them");
    }

    @Test
    void theBandFigureIsWritten() throws IOException {
        double[] x = {0, 1e6, 2e6, 3e6};
        Path png = tmp.resolve("figs/band.png");
        LearningCurvePlot.writeBand(png, "pong: 3 seeds", "emulator frames", "return",
                new LearningCurvePlot.Series("mean of 3 runs", x, new double[] {-20, -15, -10, -8}),
                "± 1 std over runs", new double[] {-21, -17, -13, -12}, new double[] {-19, -13, -7, -4});
        BufferedImage img = read(png);
        assertSize(img, 1200, 1200, 600, 800);
        assertInked(img, 0.05);
        assertOnly(png.getParent(), "band.png");
    }
}
