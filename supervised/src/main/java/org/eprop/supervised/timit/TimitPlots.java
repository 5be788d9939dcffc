package org.eprop.supervised.timit;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.eprop.envs.supervised.SupervisedTask.Split;
import org.eprop.learning.bidir.BidirectionalPass;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.RealArray;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;

/**
 * The pictures of a TIMIT run (paper Fig. 2; docs/timit.md):
 * <ul>
 *   <li>{@code timit-confusion.png}: the confusion matrix of the test set over the 39 scoring classes
 *       (frame-wise: every frame's argmax folded to 39; row = true class, normalised per row), an
 *       XChart heat map;</li>
 *   <li>{@code timit-utterance.png}: the first test utterance: its spectrogram (log power of a 512-point
 *       DFT of 25 ms Hann windows every 10 ms, computed here for display only), the network's input
 *       features, the spike rasters of the forward and the backward half (the backward half drawn in
 *       utterance time, so both line up with the frames), and the phone posteriors with the true
 *       phone of every frame marked.</li>
 * </ul>
 * Files are written to a temporary name and moved into place, so a reader never sees half a PNG.
 */
public final class TimitPlots {
    public static final String CONFUSION = "timit-confusion.png";
    public static final String UTTERANCE = "timit-utterance.png";

    private TimitPlots() {
    }

    /** Draws both pictures of the current network of {@code training} into {@code dir}. */
    public static void draw(Path dir, TimitTask task, TimitTraining training) throws IOException {
        Files.createDirectories(dir);
        var net = training.learner().network();
        BidirectionalPass pass = new BidirectionalPass(new Dense(net.precision()));
        List<Utterance> test = task.utterances(Split.TEST);
        if (test.isEmpty()) {
            return;
        }
        int[] fold = task.phones() == 61 ? PhoneSet.foldIds() : identity(task.phones());
        long[][] counts = new long[39][39];
        RealArray x = net.precision().zeros(task.steps() * task.inputs());
        Targets t = new Targets();
        int[] len = new int[1];
        for (Utterance u : test) {
            task.fill(List.of(u), x, t);
            len[0] = u.frames();
            pass.run(net, x, u.frames(), 1, len, false);
            for (int f = 0; f < u.frames(); f++) {
                int p = FrameScores.argmax(pass.outputs(), f, 0, 1, task.outputs(), task.phones());
                counts[fold[u.label(f)]][fold[p]]++;
            }
        }
        confusion(dir.resolve(CONFUSION), counts, task.mode());
        Utterance u = test.get(0);
        task.fill(List.of(u), x, t);
        len[0] = u.frames();
        pass.run(net, x, u.frames(), 1, len, false);
        short[] samples = null;
        for (TimitCorpus.UtteranceFiles files : task.data().corpus().utterances(Split.TEST)) {
            if (files.id().equals(u.id())) {
                samples = TimitCorpus.read(files).audio().samples();
            }
        }
        utterance(dir.resolve(UTTERANCE), task, u, samples, pass, net.repeat());
    }

    private static int[] identity(int n) {
        int[] m = new int[n];
        for (int i = 0; i < n; i++) {
            m[i] = i;
        }
        return m;
    }

    static void confusion(Path file, long[][] counts, TimitTask.Mode mode) throws IOException {
        List<String> names = PhoneSet.TIMIT_39.names();
        int n = names.size();
        int[] idx = identity(n);
        List<Number[]> heat = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            long row = 0;
            for (int j = 0; j < n; j++) {
                row += counts[i][j];
            }
            for (int j = 0; j < n; j++) {
                // x = predicted, y = true; rows without frames stay 0
                heat.add(new Number[] {j, i, row == 0 ? 0.0 : counts[i][j] / (double) row});
            }
        }
        HeatMapChart chart = new HeatMapChartBuilder().width(1300).height(1200)
                .title("TIMIT test confusion (39 classes, row-normalised" + (mode == TimitTask.Mode.CTC
                        ? ", CTC outputs read frame by frame)" : ")"))
                .xAxisTitle("predicted").yAxisTitle("true").build();
        chart.getStyler().setPlotContentSize(1.0);
        chart.getStyler().setShowValue(false);
        chart.getStyler().setLegendVisible(true);
        chart.getStyler().setRangeColors(new Color[] {Color.WHITE, new Color(255, 200, 120), new Color(180, 30, 30)});
        chart.getStyler().setMin(0.0);
        chart.getStyler().setMax(1.0);
        List<String> labels = names;
        List<Number> ax = new ArrayList<>();
        for (int i : idx) {
            ax.add(i);
        }
        chart.addSeries("share of the true class's frames", ax, ax, heat);
        chart.getStyler().setxAxisTickLabelsFormattingFunction(v -> labels.get((int) Math.round(v)));
        chart.getStyler().setyAxisTickLabelsFormattingFunction(v -> labels.get((int) Math.round(v)));
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        BitmapEncoder.saveBitmap(chart, tmp.toString(), BitmapEncoder.BitmapFormat.PNG);
        Path written = tmp.resolveSibling(tmp.getFileName() + ".png");
        Files.move(written, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    static void utterance(Path file, TimitTask task, Utterance u, short[] samples, BidirectionalPass pass, int repeat)
            throws IOException {
        int frames = u.frames();
        int w = 1400;
        int left = 150;
        int right = 30;
        int plotW = w - left - right;
        int[] heights = {160, 160, 200, 200, 260};
        String[] titles = {"spectrogram (log power, 0-8 kHz)", "input features (" + task.inputs() + ", z-scored)",
            "forward half spikes", "backward half spikes", "phone posteriors (o: true phone)"};
        int gap = 40;
        int h = 60 + gap * heights.length;
        for (int x : heights) {
            h += x;
        }
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 20));
        g.drawString("TIMIT " + u.id() + " (" + frames + " frames of 10 ms)", left, 35);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 14));
        int y = 60;
        for (int p = 0; p < heights.length; p++) {
            y += gap;
            g.setColor(Color.BLACK);
            g.drawString(titles[p], left, y - 8);
            int ph = heights[p];
            switch (p) {
                case 0 -> heat(g, spectrogram(samples, frames), frames, 257, left, y, plotW, ph);
                case 1 -> {
                    double[][] f = new double[frames][task.inputs()];
                    for (int t = 0; t < frames; t++) {
                        for (int k = 0; k < task.inputs(); k++) {
                            f[t][k] = u.feature(t, k);
                        }
                    }
                    heat(g, f, frames, task.inputs(), left, y, plotW, ph);
                }
                case 2 -> raster(g, pass.forwardTrajectory(), frames, repeat, false, left, y, plotW, ph);
                case 3 -> raster(g, pass.backwardTrajectory(), frames, repeat, true, left, y, plotW, ph);
                default -> posteriors(g, task, u, pass.outputs(), left, y, plotW, ph);
            }
            g.setColor(Color.DARK_GRAY);
            g.drawRect(left, y, plotW, ph);
            y += ph;
        }
        g.setColor(Color.BLACK);
        g.drawString("time (frames of 10 ms; the network runs " + repeat + " steps of 1 ms per frame)", left, y + 30);
        g.dispose();
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        ImageIO.write(img, "png", tmp.toFile());
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /** Log power per 10 ms frame (25 ms Hann window, 512-point DFT, 257 bins); zeros without audio. */
    static double[][] spectrogram(short[] samples, int frames) {
        double[][] out = new double[frames][257];
        if (samples == null) {
            return out;
        }
        double[] win = new double[400];
        for (int i = 0; i < 400; i++) {
            win[i] = 0.5 - 0.5 * Math.cos(2 * Math.PI * i / 399);
        }
        double[] cos = new double[512];
        double[] sin = new double[512];
        for (int i = 0; i < 512; i++) {
            cos[i] = Math.cos(2 * Math.PI * i / 512);
            sin[i] = Math.sin(2 * Math.PI * i / 512);
        }
        for (int f = 0; f < frames; f++) {
            int start = f * 160;
            for (int k = 0; k < 257; k++) {
                double re = 0;
                double im = 0;
                for (int i = 0; i < 400 && start + i < samples.length; i++) {
                    double v = samples[start + i] * win[i];
                    int a = (k * i) & 511;
                    re += v * cos[a];
                    im -= v * sin[a];
                }
                out[f][k] = Math.log(re * re + im * im + 1e-3);
            }
        }
        return out;
    }

    private static void heat(Graphics2D g, double[][] v, int frames, int rows, int x0, int y0, int w, int h) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] col : v) {
            for (double a : col) {
                lo = Math.min(lo, a);
                hi = Math.max(hi, a);
            }
        }
        double span = hi > lo ? hi - lo : 1;
        for (int px = 0; px < w; px++) {
            int t = Math.min(frames - 1, px * frames / w);
            for (int py = 0; py < h; py++) {
                int r = Math.min(rows - 1, (h - 1 - py) * rows / h); // row 0 at the bottom
                double a = (v[t][r] - lo) / span;
                g.setColor(viridisLike(a));
                g.fillRect(x0 + px, y0 + py, 1, 1);
            }
        }
    }

    private static Color viridisLike(double a) {
        a = Math.max(0, Math.min(1, a));
        return new Color((float) Math.min(1, 1.6 * a * a), (float) (0.15 + 0.75 * a), (float) (0.35 + 0.4 * (1 - a)));
    }

    private static void raster(Graphics2D g, Trajectory tr, int frames, int repeat, boolean reversed, int x0, int y0,
            int w, int h) {
        int n = tr.neurons();
        int steps = frames * repeat;
        RealArray z = tr.spikes();
        g.setColor(new Color(20, 20, 20));
        for (int s = 0; s < steps; s++) {
            // the backward half's step s shows frame L-1-floor(s/R): drawn at that frame
            double frame = reversed ? frames - 1 - s / repeat + (s % repeat) / (double) repeat
                    : s / (double) repeat;
            int px = x0 + (int) (frame / frames * w);
            for (int j = 0; j < n; j++) {
                if (z.get(s * n + j) != 0) {
                    int py = y0 + (int) ((j + 0.5) / n * h);
                    g.fillRect(px, py, 1, Math.max(1, h / n));
                }
            }
        }
    }

    private static void posteriors(Graphics2D g, TimitTask task, Utterance u, RealArray y, int x0, int y0, int w,
            int h) {
        int frames = u.frames();
        int classes = task.phones();
        int nOut = task.outputs();
        double[][] p = new double[frames][classes];
        for (int t = 0; t < frames; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < nOut; k++) {
                max = Math.max(max, y.get(t * nOut + k));
            }
            double sum = 0;
            for (int k = 0; k < nOut; k++) {
                sum += Math.exp(y.get(t * nOut + k) - max);
            }
            for (int k = 0; k < classes; k++) {
                p[t][k] = Math.exp(y.get(t * nOut + k) - max) / sum;
            }
        }
        for (int px = 0; px < w; px++) {
            int t = Math.min(frames - 1, px * frames / w);
            for (int py = 0; py < h; py++) {
                int k = Math.min(classes - 1, py * classes / h);
                float a = (float) p[t][k];
                g.setColor(new Color(1 - a, 1 - 0.6f * a, 1 - 0.2f * a));
                g.fillRect(x0 + px, y0 + py, 1, 1);
            }
        }
        g.setColor(new Color(200, 30, 30));
        g.setStroke(new BasicStroke(1f));
        for (int t = 0; t < frames; t++) {
            int px = x0 + (int) ((t + 0.5) / frames * w);
            int py = y0 + (int) ((u.label(t) + 0.5) / classes * h);
            g.drawOval(px - 1, py - 1, 2, 2);
        }
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 9));
        List<String> names = task.data().phones().names();
        for (int k = 0; k < classes; k += 2) {
            g.drawString(names.get(k), x0 - 30, y0 + (int) ((k + 0.8) / classes * h));
        }
    }
}
