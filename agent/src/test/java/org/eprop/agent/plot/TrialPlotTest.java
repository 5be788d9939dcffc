package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.eprop.agent.plot.TrialPlot.TrialFigure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The trial figure: spikes land where they should, panels share the time axis pixel for pixel,
 * empty panels are left out, and bad shapes are refused with the argument named.
 */
class TrialPlotTest {

    @TempDir
    Path dir;

    @Test
    void trialDrawsSpikesWhereTheyAreAndIsFast() throws IOException {
        TrialFigure f = demoTrial(2250, 40, 50, 50, true);
        // LIF: silence every neuron around t = 1000 except neuron 40, which spikes at exactly 1000.
        double[][] lif = f.lifSpikes();
        for (double[] row : lif) {
            java.util.Arrays.fill(row, 990, 1011, 0);
        }
        lif[40][1000] = 1;
        // Input channel 15 (second group, drawn in red) spikes alone at t = 500.
        for (double[] row : f.inputSpikes()) {
            java.util.Arrays.fill(row, 490, 511, 0);
        }
        f.inputSpikes()[15][500] = 1;

        TimePanels.Render warm = TrialPlot.render(f);
        long start = System.nanoTime();
        TimePanels.Render r = TrialPlot.render(f);
        long ms = (System.nanoTime() - start) / 1_000_000;
        assertTrue(ms < 2000, "trial figure took " + ms + " ms");
        assertEquals(warm.plots(), r.plots());
        assertEquals(List.of("input", "lif", "alif", "thresholds", "outputs"), List.copyOf(r.plots().keySet()));

        // The panels share the time axis pixel for pixel.
        Rectangle first = r.plots().get("input");
        for (Rectangle p : r.plots().values()) {
            assertEquals(first.x, p.x, "plot left edge " + r.plots());
            assertEquals(first.width, p.width, "plot width " + r.plots());
            assertTrue(p.height >= 100, "plot height " + r.plots());
        }

        BufferedImage img = r.image();
        Rectangle lifPlot = r.plots().get("lif");
        int x = xOf(lifPlot, 1000, 2250);
        assertTrue(darkNear(img, x, yOf(lifPlot, 40, 50)), "spike of LIF neuron 40 at t = 1000 ms");
        assertFalse(darkNear(img, x, yOf(lifPlot, 9, 50)), "nothing drawn for silent LIF neuron 9");

        Rectangle inPlot = r.plots().get("input");
        int[] rgb = reddestNear(img, xOf(inPlot, 500, 2250), yOf(inPlot, 15, 40));
        assertTrue(rgb[0] > 150 && rgb[0] - rgb[1] > 80, "input spike of group 2 drawn red");

        Path png = dir.resolve("trial/trial.png");
        TrialPlot.write(png, f);
        BufferedImage written = read(png);
        assertSize(written, 1300, 1300, 800, 1500);
        assertInked(written, 0.05);
        assertOnly(png.getParent(), "trial.png");
    }

    @Test
    void trialLeavesOutEmptyPanels() throws IOException {
        TrialFigure full = demoTrial(300, 3, 0, 2, false);
        TrialFigure f = new TrialFigure("small", 1.0, full.inputSpikes(), new int[0], new String[0],
                new double[0][], full.alifSpikes(), new double[0][], full.outputs(), full.outputNames(),
                null, null, null);
        TimePanels.Render r = TrialPlot.render(f);
        assertEquals(List.of("input", "alif", "outputs"), List.copyOf(r.plots().keySet()));
        Path png = dir.resolve("small.png");
        TrialPlot.write(png, f);
        assertSize(read(png), 1300, 1300, 350, 900);
    }

    @Test
    void trialWithManyOutputsAndOneStep() throws IOException {
        double[][] outputs = new double[20][300];
        String[] names = new String[20];
        for (int k = 0; k < 20; k++) {
            names[k] = "class " + k;
            for (int t = 0; t < 300; t++) {
                outputs[k][t] = Math.sin(0.02 * t + k);
            }
        }
        Path png = dir.resolve("many.png");
        TrialPlot.write(png, new TrialFigure("20 outputs", 0.5, null, null, null, null, null, null,
                outputs, names, outputs, null, null));
        assertInked(read(png), 0.05);
        Path step = dir.resolve("step.png");
        TrialPlot.write(step, new TrialFigure("one step", 1, new double[][] {{1}}, null, null, null, null,
                new double[][] {{0.6}}, null, null, null, null, null));
        assertSize(read(step), 1300, 1300, 200, 800);
    }

    @Test
    void trialFigureRefusesInconsistentShapes() {
        TrialFigure ok = demoTrial(100, 4, 3, 3, true);
        double[][] shortLif = {new double[100], new double[100], new double[99]};
        assertMessage("lifSpikes[2]", () -> new TrialFigure("t", 1, ok.inputSpikes(), ok.inputGroupStarts(),
                ok.inputGroupNames(), shortLif, ok.alifSpikes(), ok.alifThresholds(), ok.outputs(),
                ok.outputNames(), ok.targets(), ok.shadeFromMs(), ok.shadeToMs()));
        assertMessage("outputNames", () -> new TrialFigure("t", 1, ok.inputSpikes(), ok.inputGroupStarts(),
                ok.inputGroupNames(), ok.lifSpikes(), ok.alifSpikes(), ok.alifThresholds(), ok.outputs(),
                new String[] {"only one"}, ok.targets(), ok.shadeFromMs(), ok.shadeToMs()));
        assertMessage("targets", () -> new TrialFigure("t", 1, ok.inputSpikes(), ok.inputGroupStarts(),
                ok.inputGroupNames(), ok.lifSpikes(), ok.alifSpikes(), ok.alifThresholds(), ok.outputs(),
                ok.outputNames(), new double[1][100], ok.shadeFromMs(), ok.shadeToMs()));
        assertMessage("inputGroupNames", () -> new TrialFigure("t", 1, ok.inputSpikes(),
                ok.inputGroupStarts(), new String[] {"a"}, ok.lifSpikes(), ok.alifSpikes(),
                ok.alifThresholds(), ok.outputs(), ok.outputNames(), ok.targets(), ok.shadeFromMs(),
                ok.shadeToMs()));
        assertMessage("shadeToMs", () -> new TrialFigure("t", 1, ok.inputSpikes(), ok.inputGroupStarts(),
                ok.inputGroupNames(), ok.lifSpikes(), ok.alifSpikes(), ok.alifThresholds(), ok.outputs(),
                ok.outputNames(), ok.targets(), new double[] {1, 2}, new double[] {3}));
        assertMessage("dtMs", () -> new TrialFigure("t", 0, ok.inputSpikes(), ok.inputGroupStarts(),
                ok.inputGroupNames(), ok.lifSpikes(), ok.alifSpikes(), ok.alifThresholds(), ok.outputs(),
                ok.outputNames(), ok.targets(), ok.shadeFromMs(), ok.shadeToMs()));
    }
}
