package org.eprop.agent.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.eprop.agent.plot.Plots.Series;
import org.eprop.agent.plot.Plots.TrialFigure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * Each figure is written, decoded and checked for size, ink and, for the trial raster, that spikes
 * land where they should; bad shapes must be refused with the argument named.
 */
class PlotsTest {

    @TempDir
    Path dir;

    // ---------------------------------------------------------------------------------------------
    // Learning curve
    // ---------------------------------------------------------------------------------------------

    @Test
    void learningCurveIsWrittenAndNotBlank() throws IOException {
        Path png = dir.resolve("curves/learning.png");
        Plots.learningCurve(png, "Evidence accumulation: training", "iteration", "loss / error",
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
        Plots.learningCurve(png, "log", "iteration", "loss", List.of(
                new Series("loss", x, new double[] {1, 0.5, 0, -1, 0.1}),
                new Series("never positive", x, new double[] {0, 0, 0, 0, 0})), true);
        assertInked(read(png), 0.02);
        assertOnly(dir, "learning_log.png");
    }

    @Test
    void learningCurveWithoutDataStillWritesAFigure() throws IOException {
        Path png = dir.resolve("empty.png");
        Plots.learningCurve(png, "nothing yet", "iteration", "loss",
                List.of(new Series("loss", new double[] {0}, new double[] {Double.NaN})), false);
        assertSize(read(png), 1200, 1200, 600, 800);
        Path one = dir.resolve("one.png");
        Plots.learningCurve(one, "one point", "iteration", "loss",
                List.of(new Series("loss", new double[] {3}, new double[] {0.5})), true);
        assertInked(read(one), 0.005); // axes, title, legend and a single marker
        assertOnly(dir, "empty.png", "one.png");
    }

    @Test
    void learningCurveReplacesAnExistingFile() throws IOException {
        Path png = dir.resolve("again.png");
        Files.writeString(png, "not a png");
        Plots.learningCurve(png, "again", "iteration", "loss", demoCurves(), false);
        Plots.learningCurve(png, "again", "iteration", "loss", demoCurves(), true);
        assertNotNull(read(png));
        assertOnly(dir, "again.png");
    }

    @Test
    void seriesRefusesMismatchedLengths() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new Series("loss", new double[3], new double[2]));
        assertTrue(e.getMessage().contains("'loss'") && e.getMessage().contains("y has 2"), e.getMessage());
    }

    // ---------------------------------------------------------------------------------------------
    // Trial
    // ---------------------------------------------------------------------------------------------

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

        Plots.TrialRender warm = Plots.renderTrial(f);
        long start = System.nanoTime();
        Plots.TrialRender r = Plots.renderTrial(f);
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
        Plots.trial(png, f);
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
        Plots.TrialRender r = Plots.renderTrial(f);
        assertEquals(List.of("input", "alif", "outputs"), List.copyOf(r.plots().keySet()));
        Path png = dir.resolve("small.png");
        Plots.trial(png, f);
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
        Plots.trial(png, new TrialFigure("20 outputs", 0.5, null, null, null, null, null, null,
                outputs, names, outputs, null, null));
        assertInked(read(png), 0.05);
        Path step = dir.resolve("step.png");
        Plots.trial(step, new TrialFigure("one step", 1, new double[][] {{1}}, null, null, null, null,
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

    // ---------------------------------------------------------------------------------------------
    // Target vs output
    // ---------------------------------------------------------------------------------------------

    @Test
    void targetVsOutputIsWrittenWithTheNormalisedMse() throws IOException {
        double[][] tv = demoRegression(1000);
        Path png = dir.resolve("fit.png");
        Plots.targetVsOutput(png, "Pattern generation", 1.0, tv[0], tv[1]);
        BufferedImage img = read(png);
        assertSize(img, 1200, 1200, 450, 700);
        assertInked(img, 0.02);
        assertOnly(dir, "fit.png");

        double[] target = {1, 2, 3, 4};
        double[] output = {1, 2, 3, 5};
        // mse = 1/4, var = 5/4
        assertEquals(0.2, Plots.normalisedMse(target, output), 1e-12);
        assertEquals("0.200", Plots.formatNmse(0.2));
        assertEquals("4.3e-05", Plots.formatNmse(4.3e-5));
        assertEquals(Double.POSITIVE_INFINITY, Plots.normalisedMse(new double[] {1, 1}, new double[] {1, 2}));
    }

    @Test
    void targetVsOutputRefusesMismatchedLengths() {
        assertMessage("output has 3", () -> Plots.targetVsOutput(dir.resolve("x.png"), "t", 1.0,
                new double[4], new double[3]));
        assertOnly(dir);
    }

    // ---------------------------------------------------------------------------------------------
    // Gradient comparison
    // ---------------------------------------------------------------------------------------------

    @Test
    void gradientComparisonHandlesRowSquareAndLargeMatrices() throws IOException {
        for (int[] shape : new int[][] {{1, 60}, {30, 30}, {400, 400}}) {
            double[][][] ab = demoGradients(shape[0], shape[1], 1e-7);
            Path png = dir.resolve("grad_" + shape[0] + "x" + shape[1] + ".png");
            Plots.gradientComparison(png, "W_rec", "e-prop", ab[0], "BPTT", ab[1]);
            BufferedImage img = read(png);
            assertSize(img, 1380, 1380, 250, 700);
            assertInked(img, 0.10);
        }
        assertOnly(dir, "grad_1x60.png", "grad_30x30.png", "grad_400x400.png");
        assertEquals("3.1e-16", Plots.formatRatio(3.1e-16));
    }

    @Test
    void maxRelativeDifferenceIsRelativeToB() {
        double[][] a = {{1, 2}, {3, 4.5}};
        double[][] b = {{1, 2}, {3, 5}};
        assertEquals(0.1, Plots.maxRelativeDifference(a, b), 1e-15);
        assertEquals(0, Plots.maxRelativeDifference(new double[1][1], new double[1][1]));
    }

    @Test
    void gradientComparisonRefusesMismatchedShapes() {
        assertMessage("b is 2x3", () -> Plots.gradientComparison(dir.resolve("g.png"), "t", "A",
                new double[3][3], "B", new double[2][3]));
        assertMessage("a is not rectangular", () -> Plots.gradientComparison(dir.resolve("g.png"), "t",
                "A", new double[][] {{1, 2}, {3}}, "B", new double[2][2]));
        assertOnly(dir);
    }

    // ---------------------------------------------------------------------------------------------
    // Previews for looking at: mvn ... -Dtest=PlotsTest -Dplots.preview.dir=/tmp/plots-preview
    // ---------------------------------------------------------------------------------------------

    @Test
    @EnabledIfSystemProperty(named = "plots.preview.dir", matches = ".+")
    void writePreviews() {
        Path out = Path.of(System.getProperty("plots.preview.dir"));
        Plots.learningCurve(out.resolve("learning_curve.png"), "Evidence accumulation: training",
                "iteration", "loss / error rate", demoCurves(), false);
        Plots.learningCurve(out.resolve("learning_curve_log.png"), "Evidence accumulation: training (log)",
                "iteration", "loss / error rate", demoCurves(), true);
        Plots.trial(out.resolve("trial.png"), demoTrial(2250, 40, 50, 50, true));
        Plots.trial(out.resolve("trial_100.png"), demoTrial(2250, 40, 100, 100, false));
        TrialFigure tiny = demoTrial(300, 3, 1, 2, true);
        Plots.trial(out.resolve("trial_tiny.png"), new TrialFigure("A tiny network: 3 inputs, 1 LIF, 2 ALIF",
                1.0, tiny.inputSpikes(), new int[] {0, 2}, new String[] {"stimulus", "a very long group name that does not fit"},
                tiny.lifSpikes(), tiny.alifSpikes(), tiny.alifThresholds(), tiny.outputs(), tiny.outputNames(),
                tiny.targets(), new double[] {50}, new double[] {120}));
        double[][] tv = demoRegression(1000);
        Plots.targetVsOutput(out.resolve("target_vs_output.png"), "Pattern generation, iteration 500", 1.0,
                tv[0], tv[1]);
        Plots.learningCurve(out.resolve("learning_curve_empty.png"), "Before the first evaluation",
                "iteration", "error rate", List.of(new Series("error", new double[] {0}, new double[] {Double.NaN})), false);
        double[][] many = new double[20][300];
        String[] manyNames = new String[20];
        for (int k = 0; k < 20; k++) {
            manyNames[k] = "class " + k;
            for (int t = 0; t < 300; t++) {
                many[k][t] = Math.sin(0.02 * t + k);
            }
        }
        Plots.trial(out.resolve("trial_many_outputs.png"), new TrialFigure("20 outputs, dt = 0.5 ms", 0.5,
                null, null, null, null, null, null, many, manyNames, null, new double[] {20}, new double[] {40}));
        double[][][] sq = demoGradients(40, 40, 1e-7);
        Plots.gradientComparison(out.resolve("gradients_40x40.png"), "W_rec gradient", "e-prop", sq[0],
                "BPTT", sq[1]);
        double[][][] row = demoGradients(1, 100, 0.05);
        Plots.gradientComparison(out.resolve("gradients_1x100.png"), "W_out gradient", "e-prop", row[0],
                "BPTT", row[1]);
        double[][][] big = demoGradients(400, 400, 1e-16);
        Plots.gradientComparison(out.resolve("gradients_400x400.png"), "W_rec gradient, float64",
                "FastEprop", big[0], "OnlineEprop", big[1]);
    }

    // ---------------------------------------------------------------------------------------------
    // Demo data
    // ---------------------------------------------------------------------------------------------

    static List<Series> demoCurves() {
        int n = 400;
        double[] it = new double[n];
        double[] loss = new double[n];
        double[] err = new double[n];
        Random rng = new Random(1);
        for (int i = 0; i < n; i++) {
            it[i] = i;
            loss[i] = 0.7 * Math.exp(-i / 120.0) + 0.05 + 0.03 * rng.nextGaussian() * Math.exp(-i / 300.0);
            err[i] = i % 25 == 0 ? 0.5 * Math.exp(-i / 100.0) + 0.02 : Double.NaN;
        }
        return List.of(new Series("training loss", it, loss), new Series("validation error", it, err));
    }

    /** An evidence-accumulation-like trial: 7 cues of 100 ms, a delay, a 150 ms recall. */
    static TrialFigure demoTrial(int steps, int nIn, int nLif, int nAlif, boolean withTargets) {
        Random rng = new Random(42);
        double dt = 1.0;
        int groupSize = Math.max(1, nIn / 4);
        int[] starts = nIn >= 4 ? new int[] {0, groupSize, 2 * groupSize, 3 * groupSize} : new int[0];
        String[] names = nIn >= 4 ? new String[] {"left cue", "right cue", "recall", "noise"} : new String[0];
        int cues = 7;
        double[] from = new double[cues + 1];
        double[] to = new double[cues + 1];
        boolean[] left = new boolean[cues];
        for (int c = 0; c < cues; c++) {
            from[c] = 50 + c * 150;
            to[c] = from[c] + 100;
            left[c] = rng.nextDouble() < 0.7;
        }
        from[cues] = steps - 150;
        to[cues] = steps;
        double[][] in = new double[nIn][steps];
        for (int ch = 0; ch < nIn; ch++) {
            int group = starts.length == 0 ? 3 : Math.min(3, ch / groupSize);
            for (int t = 0; t < steps; t++) {
                double rate = 0;
                if (group == 3) {
                    rate = 10;
                } else if (group == 2) {
                    rate = t >= steps - 150 ? 40 : 0;
                } else {
                    for (int c = 0; c < cues; c++) {
                        if (t >= from[c] && t < to[c] && left[c] == (group == 0)) {
                            rate = 40;
                        }
                    }
                }
                in[ch][t] = rng.nextDouble() < rate * dt / 1000 ? 1 : 0;
            }
        }
        double[][] lif = poisson(rng, nLif, steps, 3, 30);
        double[][] alif = poisson(rng, nAlif, steps, 3, 25);
        double rho = Math.exp(-dt / 2000);
        double[][] thr = new double[nAlif][steps];
        for (int j = 0; j < nAlif; j++) {
            double b = 0;
            for (int t = 0; t < steps; t++) {
                b = rho * b + (t > 0 ? alif[j][t - 1] : 0);
                thr[j][t] = 0.6 + 0.017424 * b;
            }
        }
        double[][] out = new double[2][steps];
        double[][] tgt = new double[2][steps];
        double kappa = Math.exp(-dt / 20);
        double evidence = 0;
        double a = 0;
        double b = 0;
        long nLeft = java.util.stream.IntStream.range(0, cues).filter(c -> left[c]).count();
        for (int t = 0; t < steps; t++) {
            for (int c = 0; c < cues; c++) {
                if (t >= from[c] && t < to[c]) {
                    evidence += (left[c] ? 1 : -1) * 0.004;
                }
            }
            double za = Math.tanh(evidence) + 0.15 * rng.nextGaussian();
            a = kappa * a + (1 - kappa) * za;
            b = kappa * b + (1 - kappa) * (-za);
            out[0][t] = 1 / (1 + Math.exp(-3 * (a - b)));
            out[1][t] = 1 - out[0][t];
            boolean recall = t >= steps - 150;
            tgt[0][t] = recall ? (nLeft > cues / 2 ? 1 : 0) : Double.NaN;
            tgt[1][t] = recall ? (nLeft > cues / 2 ? 0 : 1) : Double.NaN;
        }
        return new TrialFigure("Evidence accumulation, test trial " + 3 + " (" + nLeft + " of 7 cues left)",
                dt, in, starts, names, lif, alif, thr, out,
                new String[] {"P(left)", "P(right)"}, withTargets ? tgt : null, from, to);
    }

    private static double[][] poisson(Random rng, int n, int steps, double lowHz, double highHz) {
        double[][] z = new double[n][steps];
        for (int j = 0; j < n; j++) {
            double rate = lowHz + (highHz - lowHz) * rng.nextDouble();
            int refractory = 0;
            for (int t = 0; t < steps; t++) {
                if (refractory > 0) {
                    refractory--;
                } else if (rng.nextDouble() < rate / 1000) {
                    z[j][t] = 1;
                    refractory = 4;
                }
            }
        }
        return z;
    }

    static double[][] demoRegression(int steps) {
        double[] target = new double[steps];
        double[] output = new double[steps];
        Random rng = new Random(3);
        double noise = 0;
        for (int t = 0; t < steps; t++) {
            double s = t / 1000.0;
            target[t] = 0.4 * Math.sin(2 * Math.PI * s) + 0.25 * Math.sin(2 * Math.PI * 2 * s + 1)
                    + 0.2 * Math.sin(2 * Math.PI * 3 * s + 2.5) + 0.1 * Math.sin(2 * Math.PI * 5 * s);
            noise = 0.97 * noise + 0.03 * rng.nextGaussian();
            output[t] = 0.92 * target[t] + 0.12 * noise;
        }
        return new double[][] {target, output};
    }

    static double[][][] demoGradients(int rows, int cols, double relNoise) {
        Random rng = new Random(7);
        double[][] a = new double[rows][cols];
        double[][] b = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                double v = 0.01 * (Math.sin(i * 0.3) * Math.cos(j * 0.2) + 0.3 * rng.nextGaussian());
                b[i][j] = v;
                a[i][j] = v * (1 + relNoise * rng.nextGaussian());
            }
        }
        return new double[][][] {a, b};
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers
    // ---------------------------------------------------------------------------------------------

    private static BufferedImage read(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO could not decode " + png);
        return img;
    }

    private static void assertSize(BufferedImage img, int minW, int maxW, int minH, int maxH) {
        assertTrue(img.getWidth() >= minW && img.getWidth() <= maxW, "width " + img.getWidth());
        assertTrue(img.getHeight() >= minH && img.getHeight() <= maxH, "height " + img.getHeight());
    }

    private static void assertInked(BufferedImage img, double minFraction) {
        long ink = 0;
        for (int y = 0; y < img.getHeight(); y++) {
            for (int x = 0; x < img.getWidth(); x++) {
                if ((img.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    ink++;
                }
            }
        }
        double fraction = ink / (double) (img.getWidth() * img.getHeight());
        assertTrue(fraction >= minFraction, "only " + fraction + " of the pixels are not white");
    }

    /** The directory holds exactly these files: no temporary file is left behind. */
    private static void assertOnly(Path directory, String... names) {
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(names).stream().sorted().collect(Collectors.toList()),
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    private static int xOf(Rectangle plot, double tMs, double tMaxMs) {
        return plot.x + (int) Math.round(tMs / tMaxMs * plot.width);
    }

    private static int yOf(Rectangle plot, int row, int rows) {
        return plot.y + plot.height - (int) Math.round((row + 0.5) * plot.height / rows);
    }

    private static boolean darkNear(BufferedImage img, int x, int y) {
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int rgb = img.getRGB(x + dx, y + dy);
                int lum = ((rgb >> 16 & 0xff) + (rgb >> 8 & 0xff) + (rgb & 0xff)) / 3;
                if (lum < 100) {
                    return true;
                }
            }
        }
        return false;
    }

    private static int[] reddestNear(BufferedImage img, int x, int y) {
        int[] best = {0, 255, 255};
        for (int dy = -1; dy <= 1; dy++) {
            for (int dx = -1; dx <= 1; dx++) {
                int rgb = img.getRGB(x + dx, y + dy);
                int[] c = {rgb >> 16 & 0xff, rgb >> 8 & 0xff, rgb & 0xff};
                if (c[0] - c[1] > best[0] - best[1]) {
                    best = c;
                }
            }
        }
        return best;
    }
}
