package org.eprop.agent.plot;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import org.eprop.agent.plot.LearningCurvePlot.Series;
import org.eprop.agent.plot.TrialPlot.TrialFigure;

/**
 * Demo data that looks like real runs, and checks on the decoded PNGs (size, ink, colours at a
 * place), shared by the tests of the figures.
 */
final class PlotTestSupport {
    private PlotTestSupport() {}

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

    static double[][] poisson(Random rng, int n, int steps, double lowHz, double highHz) {
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

    static BufferedImage read(Path png) throws IOException {
        BufferedImage img = ImageIO.read(png.toFile());
        assertNotNull(img, "ImageIO could not decode " + png);
        return img;
    }

    static void assertSize(BufferedImage img, int minW, int maxW, int minH, int maxH) {
        assertTrue(img.getWidth() >= minW && img.getWidth() <= maxW, "width " + img.getWidth());
        assertTrue(img.getHeight() >= minH && img.getHeight() <= maxH, "height " + img.getHeight());
    }

    static void assertInked(BufferedImage img, double minFraction) {
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
    static void assertOnly(Path directory, String... names) {
        try (Stream<Path> files = Files.list(directory)) {
            assertEquals(List.of(names).stream().sorted().collect(Collectors.toList()),
                    files.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList()));
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    static void assertMessage(String fragment, org.junit.jupiter.api.function.Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertTrue(e.getMessage().contains(fragment), "message '" + e.getMessage() + "' lacks '" + fragment + "'");
    }

    static int xOf(Rectangle plot, double tMs, double tMaxMs) {
        return plot.x + (int) Math.round(tMs / tMaxMs * plot.width);
    }

    static int yOf(Rectangle plot, int row, int rows) {
        return plot.y + plot.height - (int) Math.round((row + 0.5) * plot.height / rows);
    }

    static boolean darkNear(BufferedImage img, int x, int y) {
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

    static int[] reddestNear(BufferedImage img, int x, int y) {
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
