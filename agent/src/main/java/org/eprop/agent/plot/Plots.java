package org.eprop.agent.plot;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;
import org.knowm.xchart.AnnotationText;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Figures of training runs as PNG files, so that a run on a headless server leaves results a
 * scientist can read directly: learning curves, one trial of a spiking network in the style of
 * Fig. 3 of Bellec et al. 2020, a regression target against the network output, and a side-by-side
 * comparison of two gradients.
 *
 * <p>Every method writes its file atomically (a temporary file in the target directory, then an
 * atomic rename), so that a process watching the directory never reads half a PNG, and creates
 * missing parent directories. Failures to write are reported as {@link UncheckedIOException};
 * inconsistent arguments as {@link IllegalArgumentException} naming the argument.
 */
public final class Plots {

    static {
        // Before any AWT class is touched: servers and CI have no display.
        System.setProperty("java.awt.headless", "true");
    }

    private static final String FAMILY = Font.SANS_SERIF;
    private static final Font TITLE_FONT = new Font(FAMILY, Font.BOLD, 22);
    private static final Font AXIS_TITLE_FONT = new Font(FAMILY, Font.PLAIN, 18);
    private static final Font TICK_FONT = new Font(FAMILY, Font.PLAIN, 15);
    private static final Font LEGEND_FONT = new Font(FAMILY, Font.PLAIN, 16);
    private static final Font NOTE_FONT = new Font(FAMILY, Font.ITALIC, 14);

    /** Matplotlib's tab10: distinguishable, and familiar to readers of scientific figures. */
    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)
    };
    private static final Color GRID = new Color(226, 226, 226);
    private static final Color FRAME = new Color(80, 80, 80);
    private static final Color SHADE = new Color(226, 226, 226);
    private static final Color CLEAR = new Color(255, 255, 255, 0);
    private static final Color NAN_GREY = new Color(170, 170, 170);
    private static final Color SPIKE = new Color(20, 20, 20);

    private static final BasicStroke SOLID = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke THIN = new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(2.2f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f);

    /** Width of the single-chart figures (learning curve, target vs output), in pixels. */
    static final int CHART_WIDTH = 1200;
    /** Width of the trial figure, in pixels. */
    static final int TRIAL_WIDTH = 1300;
    /** Width of the gradient comparison, in pixels. */
    static final int GRADIENT_WIDTH = 1380;
    /** Right-hand column of the trial figure that holds group labels and legends. */
    private static final int SIDE_WIDTH = 200;

    private Plots() {}

    // ------------------------------------------------------------------------------------------
    // Records
    // ------------------------------------------------------------------------------------------

    /**
     * One named curve of a {@link #learningCurve learning curve}. NaN values (an iteration where a
     * quantity was not measured) are skipped when drawing, so series sampled at different
     * iterations can share one x grid. The arrays are not copied.
     *
     * @param name legend entry
     * @param x    abscissae, e.g. iterations
     * @param y    ordinates, same length as {@code x}
     */
    public record Series(String name, double[] x, double[] y) {
        /** Checks that x and y pair up, because a silently truncated curve would mislead. */
        public Series {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(x, "x");
            Objects.requireNonNull(y, "y");
            if (x.length != y.length) {
                throw new IllegalArgumentException("series '" + name + "': y has " + y.length
                        + " values but x has " + x.length);
            }
        }
    }

    /**
     * Everything recorded in one trial that {@link #trial} draws. Matrices are indexed
     * [row][time step] and all share the number of time steps; optional parts may be {@code null}
     * or have zero rows, and their panels are then left out. The arrays are not copied.
     *
     * @param title            figure title
     * @param dtMs             time step in ms; step t is drawn at t·dtMs
     * @param inputSpikes      input spikes [channel][t], 0 or 1
     * @param inputGroupStarts first channel of each input group (ascending), may be empty
     * @param inputGroupNames  one name per group
     * @param lifSpikes        LIF spikes [neuron][t], 0 or 1
     * @param alifSpikes       ALIF spikes [neuron][t], 0 or 1
     * @param alifThresholds   adaptive thresholds A_j(t) of the ALIF neurons; at most 10 are drawn
     * @param outputs          readout outputs or probabilities [k][t]
     * @param outputNames      one name per output
     * @param targets          target traces [k][t], drawn dashed, or {@code null}
     * @param shadeFromMs      starts of time windows (cue, recall) shaded in every panel
     * @param shadeToMs        ends of those windows, same length as {@code shadeFromMs}
     */
    public record TrialFigure(String title, double dtMs,
            double[][] inputSpikes, int[] inputGroupStarts, String[] inputGroupNames,
            double[][] lifSpikes, double[][] alifSpikes, double[][] alifThresholds,
            double[][] outputs, String[] outputNames, double[][] targets,
            double[] shadeFromMs, double[] shadeToMs) {

        /** Checks shapes up front, so that a bad recording fails here and not as a garbled figure. */
        public TrialFigure {
            Objects.requireNonNull(title, "title");
            if (!(dtMs > 0) || !Double.isFinite(dtMs)) {
                throw new IllegalArgumentException("dtMs must be positive and finite, got " + dtMs);
            }
            inputSpikes = orEmpty(inputSpikes);
            inputGroupStarts = inputGroupStarts == null ? new int[0] : inputGroupStarts;
            inputGroupNames = inputGroupNames == null ? new String[0] : inputGroupNames;
            lifSpikes = orEmpty(lifSpikes);
            alifSpikes = orEmpty(alifSpikes);
            alifThresholds = orEmpty(alifThresholds);
            outputs = orEmpty(outputs);
            outputNames = outputNames == null ? new String[0] : outputNames;
            shadeFromMs = shadeFromMs == null ? new double[0] : shadeFromMs;
            shadeToMs = shadeToMs == null ? new double[0] : shadeToMs;

            int steps = -1;
            for (double[][] m : new double[][][] {inputSpikes, lifSpikes, alifSpikes, alifThresholds, outputs}) {
                if (m.length > 0 && m[0] != null) {
                    steps = m[0].length;
                    break;
                }
            }
            if (steps <= 0) {
                throw new IllegalArgumentException("TrialFigure '" + title + "' has no time steps: "
                        + "inputSpikes, lifSpikes, alifSpikes, alifThresholds and outputs are all empty");
            }
            checkSteps("inputSpikes", inputSpikes, steps);
            checkSteps("lifSpikes", lifSpikes, steps);
            checkSteps("alifSpikes", alifSpikes, steps);
            checkSteps("alifThresholds", alifThresholds, steps);
            checkSteps("outputs", outputs, steps);

            if (inputGroupNames.length != inputGroupStarts.length) {
                throw new IllegalArgumentException("inputGroupNames has " + inputGroupNames.length
                        + " entries but inputGroupStarts has " + inputGroupStarts.length);
            }
            for (int g = 0; g < inputGroupStarts.length; g++) {
                int start = inputGroupStarts[g];
                if (start < 0 || start >= inputSpikes.length
                        || (g > 0 && start <= inputGroupStarts[g - 1])) {
                    throw new IllegalArgumentException("inputGroupStarts[" + g + "] = " + start
                            + " must be ascending and within the " + inputSpikes.length + " input channels");
                }
                Objects.requireNonNull(inputGroupNames[g], "inputGroupNames[" + g + "]");
            }
            if (outputNames.length != outputs.length) {
                throw new IllegalArgumentException("outputNames has " + outputNames.length
                        + " entries but outputs has " + outputs.length + " rows");
            }
            for (int k = 0; k < outputNames.length; k++) {
                Objects.requireNonNull(outputNames[k], "outputNames[" + k + "]");
            }
            if (targets != null) {
                if (targets.length != outputs.length) {
                    throw new IllegalArgumentException("targets has " + targets.length
                            + " rows but outputs has " + outputs.length);
                }
                checkSteps("targets", targets, steps);
            }
            if (shadeFromMs.length != shadeToMs.length) {
                throw new IllegalArgumentException("shadeToMs has " + shadeToMs.length
                        + " entries but shadeFromMs has " + shadeFromMs.length);
            }
        }

        /**
         * Length of the time axis, so that callers need not know which matrices are present.
         *
         * @return the number of time steps shared by all matrices
         */
        public int steps() {
            for (double[][] m : new double[][][] {inputSpikes, lifSpikes, alifSpikes, alifThresholds, outputs}) {
                if (m.length > 0) {
                    return m[0].length;
                }
            }
            throw new IllegalStateException("unreachable: checked in the constructor");
        }

        private static double[][] orEmpty(double[][] m) {
            return m == null ? new double[0][] : m;
        }

        private static void checkSteps(String name, double[][] m, int steps) {
            for (int r = 0; r < m.length; r++) {
                if (m[r] == null) {
                    throw new IllegalArgumentException(name + "[" + r + "] is null");
                }
                if (m[r].length != steps) {
                    throw new IllegalArgumentException(name + "[" + r + "] has " + m[r].length
                            + " time steps but the figure has " + steps);
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------
    // Learning curve
    // ------------------------------------------------------------------------------------------

    /**
     * Draws how training progresses (loss, error rates) against iterations, the first figure one
     * looks at to see whether a run learns.
     *
     * @param png    file to write
     * @param title  figure title
     * @param xLabel x axis title with unit, e.g. "iteration"
     * @param yLabel y axis title with unit
     * @param series curves; NaN values are skipped
     * @param logY   logarithmic y axis; non-positive values are then skipped too
     */
    public static void learningCurve(Path png, String title, String xLabel, String yLabel,
            List<Series> series, boolean logY) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(xLabel, "xLabel");
        Objects.requireNonNull(yLabel, "yLabel");
        Objects.requireNonNull(series, "series");

        XYChart chart = new XYChart(CHART_WIDTH, 700);
        chart.setTitle(title);
        chart.setXAxisTitle(xLabel);
        chart.setYAxisTitle(yLabel);
        XYStyler styler = chart.getStyler();
        styleAxes(styler);
        styler.setLegendPosition(series.size() <= 4 ? LegendPosition.OutsideS : LegendPosition.OutsideE);
        styler.setLegendLayout(series.size() <= 4 ? LegendLayout.Horizontal : LegendLayout.Vertical);

        Set<String> names = new HashSet<>();
        names.add(TICK_HELPER);
        int drawn = 0;
        double xLo = Double.POSITIVE_INFINITY;
        double xHi = Double.NEGATIVE_INFINITY;
        double yLo = Double.POSITIVE_INFINITY;
        double yHi = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < series.size(); i++) {
            Series s = Objects.requireNonNull(series.get(i), "series[" + i + "]");
            int n = 0;
            double[] fx = new double[s.x().length];
            double[] fy = new double[s.y().length];
            for (int t = 0; t < s.x().length; t++) {
                double x = s.x()[t];
                double y = s.y()[t];
                if (Double.isFinite(x) && Double.isFinite(y) && (!logY || y > 0)) {
                    fx[n] = x;
                    fy[n] = y;
                    n++;
                    xLo = Math.min(xLo, x);
                    xHi = Math.max(xHi, x);
                    yLo = Math.min(yLo, y);
                    yHi = Math.max(yHi, y);
                }
            }
            if (n == 0) {
                continue;
            }
            String name = s.name().isEmpty() ? "series " + (i + 1) : s.name();
            while (!names.add(name)) {
                name = name + " ";
            }
            XYSeries xs = chart.addSeries(name, Arrays.copyOf(fx, n), Arrays.copyOf(fy, n));
            Color colour = PALETTE[i % PALETTE.length];
            xs.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            xs.setLineColor(colour);
            xs.setLineStyle(SOLID);
            xs.setMarkerColor(colour);
            xs.setMarker(n <= 60 ? SeriesMarkers.CIRCLE : SeriesMarkers.NONE);
            drawn++;
        }
        if (drawn == 0) {
            // Keep the figure (the run may have only just started) but say why it is empty.
            XYSeries placeholder = chart.addSeries("no data", new double[] {0, 1}, new double[] {1, 1});
            placeholder.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
            placeholder.setMarker(SeriesMarkers.NONE);
            placeholder.setShowInLegend(false);
            styler.setLegendVisible(false);
            styler.setAxisTicksVisible(false);
            chart.addAnnotation(new AnnotationText(logY ? "no positive finite values to plot"
                    : "no finite values to plot", CHART_WIDTH / 2.0, 350, true));
        } else {
            roundTicks(chart, xLo + 0.382 * (xHi - xLo),
                    logY ? yLo * Math.pow(yHi / yLo, 0.618) : yLo + 0.618 * (yHi - yLo));
            styler.setXAxisDecimalPattern(decimalPattern(xLo, xHi));
            if (!logY) {
                styler.setYAxisDecimalPattern(decimalPattern(yLo, yHi));
            } else {
                // Labels on every 1..9 x 10^k tick when there are few decades, else only on decades.
                styler.setYAxisLogarithmicDecadeOnly(Math.log10(yHi / yLo) > 2);
            }
        }
        styler.setYAxisLogarithmic(logY);
        writePng(png, BitmapEncoder.getBufferedImage(chart));
    }

    // ------------------------------------------------------------------------------------------
    // Target vs output
    // ------------------------------------------------------------------------------------------

    /**
     * Draws a regression target and the network output over one trial, with the normalised mean
     * squared error in the title so that figures of different runs compare at a glance.
     *
     * @param png    file to write
     * @param title  start of the figure title; the normalised MSE is appended
     * @param dtMs   time step in ms
     * @param target target y*(t), drawn dashed
     * @param output network output y(t), same length
     */
    public static void targetVsOutput(Path png, String title, double dtMs, double[] target, double[] output) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(title, "title");
        double nmse = normalisedMse(target, output);
        if (!(dtMs > 0) || !Double.isFinite(dtMs)) {
            throw new IllegalArgumentException("dtMs must be positive and finite, got " + dtMs);
        }
        double[] time = new double[target.length];
        for (int t = 0; t < time.length; t++) {
            time[t] = t * dtMs;
        }
        XYChart chart = new XYChart(CHART_WIDTH, 560);
        chart.setTitle(title + " (normalised MSE " + formatNmse(nmse) + ")");
        chart.setXAxisTitle("time (ms)");
        chart.setYAxisTitle("y(t)");
        XYStyler styler = chart.getStyler();
        styleAxes(styler);
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setLegendLayout(LegendLayout.Horizontal);
        styler.setPlotContentSize(1.0);
        double tEnd = time.length > 1 ? time[time.length - 1] : dtMs;
        styler.setXAxisMin(-1e-6 * tEnd); // a hair below 0, or XChart drops the "0" tick label
        styler.setXAxisMax(tEnd);

        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[] v : new double[][] {target, output}) {
            for (double d : v) {
                if (Double.isFinite(d)) {
                    lo = Math.min(lo, d);
                    hi = Math.max(hi, d);
                }
            }
        }
        double[] range = paddedRange(lo, hi);
        styler.setYAxisMin(range[0]);
        styler.setYAxisMax(range[1]);
        styler.setXAxisDecimalPattern(decimalPattern(0, tEnd));
        styler.setYAxisDecimalPattern(decimalPattern(range[0], range[1]));
        roundTicks(chart, 0.382 * tEnd, range[0] + 0.618 * (range[1] - range[0]));
        XYSeries out = chart.addSeries("network output y(t)", time, output.clone());
        out.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        out.setMarker(SeriesMarkers.NONE);
        out.setLineColor(PALETTE[0]);
        out.setLineStyle(SOLID);
        // XChart restarts the dash pattern at every data point, which draws dense dashed lines
        // solid; this one-point series only provides the legend entry, the curve is drawn below.
        XYSeries tgt = chart.addSeries("target y*(t)", new double[] {0}, new double[] {range[0]});
        tgt.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        tgt.setMarker(SeriesMarkers.NONE);
        tgt.setLineColor(Color.BLACK);
        tgt.setLineStyle(DASHED);
        BufferedImage image = BitmapEncoder.getBufferedImage(chart);
        Graphics2D g = image.createGraphics();
        prepare(g);
        int x0 = (int) Math.round(chart.getScreenXFromChart(-1e-6 * tEnd));
        int x1 = (int) Math.round(chart.getScreenXFromChart(tEnd));
        int y0 = (int) Math.round(chart.getScreenYFromChart(range[1]));
        int y1 = (int) Math.round(chart.getScreenYFromChart(range[0]));
        g.clipRect(x0, y0, x1 - x0 + 1, y1 - y0 + 1);
        g.setColor(Color.BLACK);
        g.setStroke(DASHED);
        g.draw(polyline(time, target, chart::getScreenXFromChart, chart::getScreenYFromChart));
        g.dispose();
        writePng(png, image);
    }

    /** The curve through the finite points, broken at NaN and infinite values. */
    private static Path2D polyline(double[] x, double[] y, DoubleUnaryOperator screenX, DoubleUnaryOperator screenY) {
        Path2D.Double path = new Path2D.Double();
        boolean open = false;
        for (int t = 0; t < x.length; t++) {
            if (Double.isFinite(x[t]) && Double.isFinite(y[t])) {
                double px = screenX.applyAsDouble(x[t]);
                double py = screenY.applyAsDouble(y[t]);
                if (open) {
                    path.lineTo(px, py);
                } else {
                    path.moveTo(px, py);
                    open = true;
                }
            } else {
                open = false;
            }
        }
        return path;
    }

    /** The finite range [lo, hi] widened by 8 % on each side (or to a unit interval when flat). */
    private static double[] paddedRange(double lo, double hi) {
        if (!(lo <= hi)) {
            return new double[] {0, 1};
        }
        if (lo == hi) {
            double d = Math.max(Math.abs(lo) * 0.1, 0.5);
            return new double[] {lo - d, hi + d};
        }
        double pad = 0.08 * (hi - lo);
        return new double[] {lo - pad, hi + pad};
    }

    /**
     * The error measure of the regression tasks, mean((y − y*)²) / var(y*), exposed so that logs and
     * figure titles agree. A constant target gives 0 for a perfect fit and +∞ otherwise.
     *
     * @param target target y*
     * @param output network output y, same length
     * @return the normalised mean squared error
     */
    public static double normalisedMse(double[] target, double[] output) {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(output, "output");
        if (target.length == 0) {
            throw new IllegalArgumentException("target is empty");
        }
        if (output.length != target.length) {
            throw new IllegalArgumentException("output has " + output.length
                    + " values but target has " + target.length);
        }
        double mean = 0;
        for (double v : target) {
            mean += v;
        }
        mean /= target.length;
        double var = 0;
        double mse = 0;
        for (int t = 0; t < target.length; t++) {
            double d = target[t] - mean;
            var += d * d;
            double e = output[t] - target[t];
            mse += e * e;
        }
        var /= target.length;
        mse /= target.length;
        if (var == 0) {
            return mse == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return mse / var;
    }

    static String formatNmse(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return "undefined: constant target";
        }
        if (v == 0 || (v >= 0.01 && v < 1000)) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.1e", v);
    }

    // ------------------------------------------------------------------------------------------
    // Gradient comparison
    // ------------------------------------------------------------------------------------------

    /**
     * Shows two gradients of the same weight matrix (say e-prop and BPTT) and their difference as
     * heat maps, so that a reader sees both where they disagree and by how much; the largest
     * relative difference max|A−B| / max|B| is in the title. Each map has its own colour bar,
     * symmetric around zero, so that a difference at rounding level is still visible as a pattern.
     * Large matrices are reduced by keeping, per pixel, the entry of largest magnitude.
     *
     * @param png   file to write
     * @param title start of the figure title
     * @param nameA name of the first gradient
     * @param a     first gradient [presynaptic i][postsynaptic j]
     * @param nameB name of the second (reference) gradient
     * @param b     second gradient, same shape
     */
    public static void gradientComparison(Path png, String title, String nameA, double[][] a,
            String nameB, double[][] b) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(nameA, "nameA");
        Objects.requireNonNull(nameB, "nameB");
        double ratio = maxRelativeDifference(a, b);
        writePng(png, renderGradientComparison(title, nameA, a, nameB, b, ratio));
    }

    /**
     * The agreement measure of {@link #gradientComparison}, max|A−B| / max|B|, exposed so that tests
     * and logs use the same number as the figure. NaN entries are ignored; 0/0 gives 0.
     *
     * @param a first matrix
     * @param b reference matrix, same shape
     * @return the largest absolute difference relative to the largest magnitude of {@code b}
     */
    public static double maxRelativeDifference(double[][] a, double[][] b) {
        checkMatrix("a", a);
        checkMatrix("b", b);
        if (a.length != b.length || a[0].length != b[0].length) {
            throw new IllegalArgumentException("b is " + b.length + "x" + b[0].length
                    + " but a is " + a.length + "x" + a[0].length);
        }
        double maxDiff = 0;
        double maxB = 0;
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                double d = Math.abs(a[i][j] - b[i][j]);
                if (d > maxDiff) {
                    maxDiff = d;
                }
                double m = Math.abs(b[i][j]);
                if (m > maxB) {
                    maxB = m;
                }
            }
        }
        if (maxB == 0) {
            return maxDiff == 0 ? 0 : Double.POSITIVE_INFINITY;
        }
        return maxDiff / maxB;
    }

    static String formatRatio(double v) {
        return Double.isInfinite(v) ? "inf" : String.format(Locale.ROOT, "%.1e", v);
    }

    private static void checkMatrix(String name, double[][] m) {
        Objects.requireNonNull(m, name);
        if (m.length == 0 || m[0] == null || m[0].length == 0) {
            throw new IllegalArgumentException(name + " is empty");
        }
        for (int i = 0; i < m.length; i++) {
            if (m[i] == null || m[i].length != m[0].length) {
                throw new IllegalArgumentException(name + " is not rectangular: " + name + "[" + i + "] has "
                        + (m[i] == null ? "no" : String.valueOf(m[i].length)) + " columns but "
                        + name + "[0] has " + m[0].length);
            }
        }
    }

    private static BufferedImage renderGradientComparison(String title, String nameA, double[][] a,
            String nameB, double[][] b, double ratio) {
        int rows = a.length;
        int cols = a[0].length;
        double[][] diff = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                diff[i][j] = a[i][j] - b[i][j];
            }
        }
        double[][][] maps = {a, b, diff};
        String[] names = {"A: " + nameA, "B: " + nameB, "A \u2212 B"};

        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D pg = probe.createGraphics();
        FontMetrics tick = pg.getFontMetrics(TICK_FONT);
        FontMetrics axis = pg.getFontMetrics(AXIS_TITLE_FONT);
        double[] scale = new double[3];
        String[][] barLabels = new String[3][];
        int[] barLabelWidth = new int[3];
        for (int p = 0; p < 3; p++) {
            scale[p] = maxAbs(maps[p]);
            if (scale[p] == 0) {
                scale[p] = 1;
            }
            double m = scale[p];
            barLabels[p] = new String[] {barLabel(m, m), barLabel(m / 2, m), "0", barLabel(-m / 2, m), barLabel(-m, m)};
            for (String s : barLabels[p]) {
                barLabelWidth[p] = Math.max(barLabelWidth[p], tick.stringWidth(s));
            }
        }
        int[] rowTicks = niceIndexTicks(rows);
        int rowTickWidth = 0;
        for (int t : rowTicks) {
            rowTickWidth = Math.max(rowTickWidth, tick.stringWidth(Integer.toString(t)));
        }
        pg.dispose();

        int outer = 18;
        int yTitleW = axis.getHeight() + 8;
        int tickW = rowTickWidth + 12;
        int barGap = 14;
        int barW = 20;
        int between = 34;
        int fixed = 2 * outer + yTitleW;
        for (int p = 0; p < 3; p++) {
            fixed += tickW + barGap + barW + 8 + barLabelWidth[p];
        }
        fixed += 2 * between;
        int plotW = (GRADIENT_WIDTH - fixed) / 3;
        double aspect = Math.max(0.5, Math.min(1.0, rows / (double) cols));
        int plotH = (int) Math.round(plotW * aspect);
        int titleH = 60;
        int nameH = 34;
        int top = titleH + nameH;
        int height = top + plotH + tick.getHeight() + 10 + axis.getHeight() + 22;

        BufferedImage img = new BufferedImage(GRADIENT_WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        prepare(g);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        drawTitle(g, title + " \u2014 max|A\u2212B| / max|B| = " + formatRatio(ratio), img.getWidth(), 40);

        int x = outer + yTitleW;
        // y axis title once, left of the first map: the rows are the same in all three.
        drawRotated(g, "presynaptic i", AXIS_TITLE_FONT, outer + axis.getAscent(), top + plotH / 2);
        int[] colTicks = niceIndexTicks(cols);
        for (int p = 0; p < 3; p++) {
            Rectangle plot = new Rectangle(x + tickW, top, plotW, plotH);
            paintHeatMap(img, plot, maps[p], scale[p]);
            g.setColor(FRAME);
            g.setStroke(new BasicStroke(1f));
            g.drawRect(plot.x, plot.y, plot.width, plot.height);

            g.setFont(LEGEND_FONT.deriveFont(Font.BOLD));
            g.setColor(Color.BLACK);
            String name = fit(g.getFontMetrics(), names[p], plotW + barGap + barW + barLabelWidth[p]);
            g.drawString(name, plot.x, top - 12);

            g.setFont(TICK_FONT);
            FontMetrics fm = g.getFontMetrics();
            for (int r : rowTicks) {
                int yy = plot.y + (int) Math.round((r + 0.5) * plotH / rows);
                g.drawLine(plot.x - 5, yy, plot.x, yy);
                String s = Integer.toString(r);
                g.drawString(s, plot.x - 8 - fm.stringWidth(s), yy + fm.getAscent() / 2 - 1);
            }
            for (int c : colTicks) {
                int xx = plot.x + (int) Math.round((c + 0.5) * plotW / cols);
                g.drawLine(xx, plot.y + plotH, xx, plot.y + plotH + 5);
                String s = Integer.toString(c);
                g.drawString(s, xx - fm.stringWidth(s) / 2, plot.y + plotH + 8 + fm.getAscent());
            }
            g.setFont(AXIS_TITLE_FONT);
            FontMetrics am = g.getFontMetrics();
            String xt = "postsynaptic j";
            g.drawString(xt, plot.x + (plotW - am.stringWidth(xt)) / 2,
                    plot.y + plotH + 8 + fm.getHeight() + 6 + am.getAscent());

            int barH = Math.max(plotH, 140);
            Rectangle bar = new Rectangle(plot.x + plotW + barGap, plot.y + (plotH - barH) / 2, barW, barH);
            if (bar.y + barH > height - 4) {
                bar.y = plot.y;
            }
            for (int yy = 0; yy < barH; yy++) {
                double u = 1 - 2.0 * (yy + 0.5) / barH;
                g.setColor(new Color(diverging(u)));
                g.drawLine(bar.x, bar.y + yy, bar.x + barW - 1, bar.y + yy);
            }
            g.setColor(FRAME);
            g.drawRect(bar.x, bar.y, barW, barH);
            g.setFont(TICK_FONT);
            g.setColor(Color.BLACK);
            for (int k = 0; k < 5; k++) {
                int yy = bar.y + (int) Math.round(k * barH / 4.0);
                g.drawLine(bar.x + barW, yy, bar.x + barW + 4, yy);
                g.drawString(barLabels[p][k], bar.x + barW + 7, yy + fm.getAscent() / 2 - 1);
            }
            x = bar.x + barW + 8 + barLabelWidth[p] + between;
        }
        g.dispose();
        return img;
    }

    /** Paints the matrix into plot, keeping per pixel the covered entry of largest magnitude. */
    private static void paintHeatMap(BufferedImage img, Rectangle plot, double[][] m, double scale) {
        int rows = m.length;
        int cols = m[0].length;
        int[] c0 = new int[plot.width];
        int[] c1 = new int[plot.width];
        for (int px = 0; px < plot.width; px++) {
            c0[px] = (int) ((long) px * cols / plot.width);
            c1[px] = Math.max(c0[px] + 1, (int) ((long) (px + 1) * cols / plot.width));
        }
        for (int py = 0; py < plot.height; py++) {
            int r0 = (int) ((long) py * rows / plot.height);
            int r1 = Math.max(r0 + 1, (int) ((long) (py + 1) * rows / plot.height));
            for (int px = 0; px < plot.width; px++) {
                double best = Double.NaN;
                for (int r = r0; r < r1; r++) {
                    double[] row = m[r];
                    for (int c = c0[px]; c < c1[px]; c++) {
                        double v = row[c];
                        if (!Double.isNaN(v) && (Double.isNaN(best) || Math.abs(v) > Math.abs(best))) {
                            best = v;
                        }
                    }
                }
                int rgb = Double.isNaN(best) ? NAN_GREY.getRGB() : diverging(best / scale);
                img.setRGB(plot.x + px, plot.y + py, rgb);
            }
        }
    }

    private static double maxAbs(double[][] m) {
        double max = 0;
        for (double[] row : m) {
            for (double v : row) {
                if (Math.abs(v) > max && Double.isFinite(v)) {
                    max = Math.abs(v);
                }
            }
        }
        return max;
    }

    /** Blue (−1), white (0), red (+1), through ColorBrewer's RdBu; values beyond ±1 saturate. */
    static int diverging(double u) {
        final double[][] stops = {
            {33, 102, 172}, {146, 197, 222}, {255, 255, 255}, {244, 165, 130}, {178, 24, 43}
        };
        double v = Math.max(-1, Math.min(1, u));
        double pos = (v + 1) * 2;
        int k = Math.min(3, (int) Math.floor(pos));
        double f = pos - k;
        int[] rgb = new int[3];
        for (int c = 0; c < 3; c++) {
            rgb[c] = (int) Math.round(stops[k][c] + f * (stops[k + 1][c] - stops[k][c]));
        }
        return 0xff000000 | rgb[0] << 16 | rgb[1] << 8 | rgb[2];
    }

    /** Index ticks 0, s, 2s, … with s in {1, 2, 5}·10^k and at most about six of them. */
    private static int[] niceIndexTicks(int n) {
        int step = 1;
        outer:
        for (int pow = 1; ; pow *= 10) {
            for (int f : new int[] {1, 2, 5}) {
                step = f * pow;
                if ((n - 1) / step <= 5) {
                    break outer;
                }
            }
        }
        int[] ticks = new int[(n - 1) / step + 1];
        for (int k = 0; k < ticks.length; k++) {
            ticks[k] = k * step;
        }
        return ticks;
    }

    /**
     * Colour bar label for v on a bar running to ±max, in one style per bar: plain decimals with
     * the digits that 3 significant digits of max need, or 3.1e-16 for extreme magnitudes.
     */
    static String barLabel(double v, double max) {
        String s;
        if (max >= 1e-2 && max < 1e4) {
            int decimals = Math.max(0, 2 - (int) Math.floor(Math.log10(max)));
            s = new BigDecimal(v).setScale(decimals, RoundingMode.HALF_EVEN).toPlainString();
        } else {
            s = String.format(Locale.ROOT, "%.1e", v);
        }
        return s.startsWith("-") ? "\u2212" + s.substring(1) : s;
    }

    // ------------------------------------------------------------------------------------------
    // Trial figure
    // ------------------------------------------------------------------------------------------

    /**
     * Draws one trial the way Fig. 3 of Bellec et al. 2020 does, panels sharing a time axis in ms:
     * input raster (coloured by group), LIF raster, ALIF raster, adaptive thresholds of up to ten
     * ALIF neurons, readout outputs (targets dashed). Panels without rows are left out; the
     * {@code shade} windows (cue, recall) are shaded in every panel. This is the figure that shows
     * what the network does, not just how well.
     *
     * @param png    file to write
     * @param figure the recorded trial
     */
    public static void trial(Path png, TrialFigure figure) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(figure, "figure");
        writePng(png, renderTrial(figure).image());
    }

    /** The rendered trial and, for tests, each panel's plot area in image coordinates. */
    record TrialRender(BufferedImage image, Map<String, Rectangle> plots) {}

    /** One stacked panel: an XChart for axes and lines, plus what is painted over it. */
    private static final class Panel {
        final String key;
        final XYChart chart;
        final int plotHeight;
        final double yMin;
        final double yMax;
        double[][] raster;
        Color[] rowColours;
        double[][] dashed;
        Color[] dashedColours;
        int[] separators = new int[0];
        final List<SideEntry> side = new ArrayList<>();
        final List<XYSeries> data = new ArrayList<>();
        String note;
        int offset;
        int width;
        int height;
        BufferedImage image;
        Rectangle plot;

        Panel(String key, XYChart chart, int plotHeight, double yMin, double yMax) {
            this.key = key;
            this.chart = chart;
            this.plotHeight = plotHeight;
            this.yMin = yMin;
            this.yMax = yMax;
        }
    }

    /** A legend entry in the right-hand column: a line sample or a label at a data y position. */
    private record SideEntry(String text, Color colour, Stroke stroke, double anchorY) {}

    static TrialRender renderTrial(TrialFigure f) {
        int steps = f.steps();
        double dt = f.dtMs();
        double tMax = steps * dt;
        int chartWidth = TRIAL_WIDTH - SIDE_WIDTH;
        List<Panel> panels = new ArrayList<>();

        if (f.inputSpikes().length > 0) {
            double[][] in = f.inputSpikes();
            Color[] colours = new Color[in.length];
            Arrays.fill(colours, SPIKE);
            int[] starts = f.inputGroupStarts();
            Panel p = rasterPanel("input", "input channel", in, colours, tMax);
            for (int gi = 0; gi < starts.length; gi++) {
                int end = gi + 1 < starts.length ? starts[gi + 1] : in.length;
                Color c = PALETTE[gi % PALETTE.length];
                Arrays.fill(colours, starts[gi], end, c);
                p.side.add(new SideEntry(f.inputGroupNames()[gi], c, null, (starts[gi] + end - 1) / 2.0));
            }
            p.separators = starts;
            panels.add(p);
        }
        if (f.lifSpikes().length > 0) {
            Color[] colours = new Color[f.lifSpikes().length];
            Arrays.fill(colours, SPIKE);
            panels.add(rasterPanel("lif", "LIF neuron", f.lifSpikes(), colours, tMax));
        }
        if (f.alifSpikes().length > 0) {
            Color[] colours = new Color[f.alifSpikes().length];
            Arrays.fill(colours, SPIKE);
            panels.add(rasterPanel("alif", "ALIF neuron", f.alifSpikes(), colours, tMax));
        }
        if (f.alifThresholds().length > 0) {
            int n = Math.min(10, f.alifThresholds().length);
            double[][] rows = Arrays.copyOf(f.alifThresholds(), n);
            Color[] colours = new Color[n];
            for (int k = 0; k < n; k++) {
                colours[k] = PALETTE[k % PALETTE.length];
            }
            Panel p = linePanel("thresholds", "threshold A_j", dt, tMax, rows, colours, null, 150);
            p.note = f.alifThresholds().length > n
                    ? "first " + n + " of " + f.alifThresholds().length + " ALIF neurons"
                    : n + " ALIF neuron" + (n == 1 ? "" : "s");
            panels.add(p);
        }
        if (f.outputs().length > 0) {
            int k = f.outputs().length;
            Color[] colours = new Color[k];
            for (int i = 0; i < k; i++) {
                colours[i] = PALETTE[i % PALETTE.length];
            }
            Panel p = linePanel("outputs", "output y_k", dt, tMax, f.outputs(), colours, f.targets(), 170);
            for (int i = 0; i < k; i++) {
                p.side.add(new SideEntry(f.outputNames()[i], colours[i], SOLID, Double.NaN));
            }
            if (f.targets() != null) {
                p.side.add(new SideEntry("target (dashed)", FRAME, DASHED, Double.NaN));
            }
            panels.add(p);
        }

        Panel bottom = panels.get(panels.size() - 1);
        bottom.chart.setXAxisTitle("time (ms)");
        bottom.chart.getStyler().setXAxisTicksVisible(true);
        bottom.chart.getStyler().setXAxisTitleVisible(true);

        layout(panels, chartWidth, tMax);

        int titleH = 56;
        int gap = 6;
        int height = titleH + 12;
        for (Panel p : panels) {
            height += p.height + gap;
        }
        BufferedImage img = new BufferedImage(TRIAL_WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        prepare(g);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        drawTitle(g, f.title(), TRIAL_WIDTH, 38);

        Map<String, Rectangle> plots = new LinkedHashMap<>();
        int y = titleH;
        for (Panel p : panels) {
            Rectangle plot = new Rectangle(p.offset + p.plot.x, y + p.plot.y, p.plot.width, p.plot.height);
            plots.put(p.key, plot);
            shade(g, plot, f, tMax);
            if (p.raster != null) {
                drawSeparators(g, plot, p);
            }
            g.drawImage(p.image, p.offset, y, null);
            if (p.raster != null) {
                drawRaster(g, plot, p.raster, p.rowColours, dt, tMax);
            }
            if (p.dashed != null) {
                drawDashed(g, plot, p, dt, tMax);
            }
            drawSide(g, plot, p);
            y += p.height + gap;
        }
        g.dispose();
        return new TrialRender(img, plots);
    }

    private static XYChart panelChart(String yTitle, double tMax) {
        XYChart chart = new XYChart(400, 200);
        chart.setYAxisTitle(yTitle);
        XYStyler s = chart.getStyler();
        styleAxes(s);
        s.setChartTitleVisible(false);
        s.setLegendVisible(false);
        s.setChartBackgroundColor(CLEAR);
        s.setPlotBackgroundColor(CLEAR);
        s.setChartPadding(6);
        s.setPlotContentSize(1.0);
        s.setXAxisMin(-1e-6 * tMax); // a hair below 0, or XChart drops the "0" tick label
        s.setXAxisMax(tMax);
        s.setXAxisTicksVisible(false);
        s.setXAxisTitleVisible(false);
        s.setXAxisDecimalPattern(decimalPattern(0, tMax));
        return chart;
    }

    /** Plot height that fits the rotated y axis title, so that titles of stacked panels never touch. */
    private static int fitTitle(String yTitle, int wanted) {
        BufferedImage probe = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = probe.createGraphics();
        int w = g.getFontMetrics(AXIS_TITLE_FONT).stringWidth(yTitle);
        g.dispose();
        return Math.max(wanted, w + 12);
    }

    private static Panel rasterPanel(String key, String yTitle, double[][] spikes, Color[] colours, double tMax) {
        int n = spikes.length;
        int plotH = fitTitle(yTitle, Math.max(110, Math.min(240, 4 * n)));
        XYChart chart = panelChart(yTitle, tMax);
        XYStyler s = chart.getStyler();
        double yMin = -0.5;
        double yMax = n - 0.5;
        s.setYAxisMin(yMin);
        s.setYAxisMax(yMax);
        s.setPlotGridHorizontalLinesVisible(false);
        // Integer labels only: XChart widens the tick step until the labels are distinct.
        s.setYAxisDecimalPattern("0");
        // Spikes are painted directly (fast and crisp); this invisible series only fixes the axes.
        XYSeries frame = chart.addSeries("frame", new double[] {0, tMax}, new double[] {yMin, yMax});
        frame.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        frame.setMarker(SeriesMarkers.NONE);
        frame.setShowInLegend(false);
        roundTicks(chart, 0.382 * tMax, yMin + 0.618 * (yMax - yMin));
        Panel p = new Panel(key, chart, plotH, yMin, yMax);
        p.raster = spikes;
        p.rowColours = colours;
        return p;
    }

    private static Panel linePanel(String key, String yTitle, double dt, double tMax, double[][] rows,
            Color[] colours, double[][] dashed, int wantedH) {
        int steps = rows[0].length;
        double[] time = new double[steps];
        for (int t = 0; t < steps; t++) {
            time[t] = t * dt;
        }
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double[][] m : new double[][][] {rows, dashed}) {
            if (m == null) {
                continue;
            }
            for (double[] r : m) {
                for (double v : r) {
                    if (Double.isFinite(v)) {
                        lo = Math.min(lo, v);
                        hi = Math.max(hi, v);
                    }
                }
            }
        }
        double[] range = paddedRange(lo, hi);
        lo = range[0];
        hi = range[1];
        XYChart chart = panelChart(yTitle, tMax);
        XYStyler s = chart.getStyler();
        s.setYAxisMin(lo);
        s.setYAxisMax(hi);
        s.setYAxisDecimalPattern(decimalPattern(lo, hi));
        roundTicks(chart, 0.382 * tMax, lo + 0.618 * (hi - lo));
        for (int k = 0; k < rows.length; k++) {
            XYSeries xs = chart.addSeries("s" + k, time, rows[k].clone());
            xs.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
            xs.setMarker(SeriesMarkers.NONE);
            xs.setLineColor(colours[k]);
            xs.setLineStyle(rows.length > 4 ? THIN : SOLID);
        }
        Panel p = new Panel(key, chart, fitTitle(yTitle, wantedH), lo, hi);
        p.dashed = dashed;
        p.dashedColours = colours;
        for (XYSeries xs : chart.getSeriesMap().values()) {
            if (!TICK_HELPER.equals(xs.getName())) {
                p.data.add(xs);
            }
        }
        return p;
    }

    /**
     * Sizes and offsets the panels so that all plot areas span the same pixels horizontally and
     * have their wanted heights; XChart's plot area depends on its tick labels, so this measures,
     * adjusts and repaints until nothing moves.
     */
    private static void layout(List<Panel> panels, int chartWidth, double tMax) {
        for (Panel p : panels) {
            p.offset = 0;
            p.width = chartWidth;
            p.height = p.plotHeight + (p.chart.getStyler().isXAxisTicksVisible() ? 80 : 14);
        }
        // Axes depend on the explicit ranges only, so the layout passes skip the (slow) lines.
        for (Panel p : panels) {
            p.data.forEach(xs -> xs.setEnabled(false));
        }
        for (int iteration = 0; iteration < 6; iteration++) {
            int left = 0;
            int rightMargin = 0;
            for (Panel p : panels) {
                paintPanel(p, tMax);
                left = Math.max(left, p.plot.x);
                rightMargin = Math.max(rightMargin, p.width - p.plot.x - p.plot.width);
            }
            int right = chartWidth - rightMargin;
            boolean stable = true;
            for (Panel p : panels) {
                int offset = left - p.plot.x;
                int pRightMargin = p.width - p.plot.x - p.plot.width;
                int width = right - offset + pRightMargin;
                int height = p.height + p.plotHeight - p.plot.height;
                if (offset != p.offset || width != p.width || height != p.height) {
                    stable = false;
                    p.offset = offset;
                    p.width = width;
                    p.height = height;
                }
            }
            if (stable) {
                break;
            }
        }
        for (Panel p : panels) {
            p.data.forEach(xs -> xs.setEnabled(true));
            paintPanel(p, tMax);
        }
    }

    private static void paintPanel(Panel p, double tMax) {
        BufferedImage image = new BufferedImage(p.width, p.height, BufferedImage.TYPE_INT_ARGB);
        Graphics2D g = image.createGraphics();
        p.chart.paint(g, p.width, p.height);
        g.dispose();
        int x0 = (int) Math.round(p.chart.getScreenXFromChart(-1e-6 * tMax));
        int x1 = (int) Math.round(p.chart.getScreenXFromChart(tMax));
        int y0 = (int) Math.round(p.chart.getScreenYFromChart(p.yMax));
        int y1 = (int) Math.round(p.chart.getScreenYFromChart(p.yMin));
        p.image = image;
        p.plot = new Rectangle(x0, y0, x1 - x0, y1 - y0);
    }

    private static void shade(Graphics2D g, Rectangle plot, TrialFigure f, double tMax) {
        g.setColor(SHADE);
        for (int w = 0; w < f.shadeFromMs().length; w++) {
            double from = Math.max(0, Math.min(f.shadeFromMs()[w], f.shadeToMs()[w]));
            double to = Math.min(tMax, Math.max(f.shadeFromMs()[w], f.shadeToMs()[w]));
            if (!(to > from)) {
                continue;
            }
            int x0 = plot.x + (int) Math.round(from / tMax * plot.width);
            int x1 = plot.x + (int) Math.round(to / tMax * plot.width);
            g.fillRect(x0, plot.y, Math.max(1, x1 - x0), plot.height);
        }
    }

    /** Targets as dashed lines, drawn here because XChart's dashes vanish on dense data. */
    private static void drawDashed(Graphics2D g, Rectangle plot, Panel p, double dt, double tMax) {
        Graphics2D d = (Graphics2D) g.create();
        d.clipRect(plot.x, plot.y, plot.width + 1, plot.height + 1);
        d.setStroke(DASHED);
        double[] time = new double[p.dashed[0].length];
        for (int t = 0; t < time.length; t++) {
            time[t] = t * dt;
        }
        for (int k = 0; k < p.dashed.length; k++) {
            d.setColor(p.dashedColours[k].darker());
            d.draw(polyline(time, p.dashed[k], x -> plot.x + x / tMax * plot.width,
                    y -> plot.y + (p.yMax - y) / (p.yMax - p.yMin) * plot.height));
        }
        d.dispose();
    }

    private static void drawSeparators(Graphics2D g, Rectangle plot, Panel p) {
        int n = p.raster.length;
        g.setColor(new Color(190, 190, 190));
        g.setStroke(new BasicStroke(1f));
        for (int start : p.separators) {
            if (start <= 0) {
                continue;
            }
            int yy = plot.y + plot.height - (int) Math.round(start * plot.height / (double) n);
            g.drawLine(plot.x, yy, plot.x + plot.width, yy);
        }
    }

    /** Spikes as small bars, one row per neuron, row 0 at the bottom like the y axis. */
    private static void drawRaster(Graphics2D g, Rectangle plot, double[][] spikes, Color[] colours,
            double dt, double tMax) {
        int n = spikes.length;
        double rowH = plot.height / (double) n;
        double pxPerMs = plot.width / tMax;
        int w = (int) Math.max(2, Math.min(3, Math.round(dt * pxPerMs)));
        int h = (int) Math.max(1, Math.min(10, Math.round(rowH * 0.75)));
        Graphics2D r = (Graphics2D) g.create();
        r.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_OFF);
        r.clipRect(plot.x + 1, plot.y + 1, plot.width - 1, plot.height - 1);
        for (int row = 0; row < n; row++) {
            double yc = plot.y + plot.height - (row + 0.5) * rowH;
            int top = (int) Math.round(yc - h / 2.0);
            r.setColor(colours[row]);
            double[] s = spikes[row];
            for (int t = 0; t < s.length; t++) {
                if (s[t] >= 0.5) {
                    int xc = plot.x + (int) Math.round(t * dt * pxPerMs);
                    r.fillRect(xc - w / 2, top, w, h);
                }
            }
        }
        r.dispose();
    }

    private static void drawSide(Graphics2D g, Rectangle plot, Panel p) {
        int x = plot.x + plot.width + 16;
        int avail = TRIAL_WIDTH - x - 10;
        g.setFont(LEGEND_FONT);
        FontMetrics fm = g.getFontMetrics();
        int lineH = fm.getHeight() + 2;
        int y = plot.y + 4;
        if (p.note != null) {
            g.setFont(NOTE_FONT);
            g.setColor(new Color(90, 90, 90));
            FontMetrics nm = g.getFontMetrics();
            for (String line : wrap(nm, p.note, avail)) {
                g.drawString(fit(nm, line, avail), x, y + nm.getAscent());
                y += nm.getHeight();
            }
            y += 4;
            g.setFont(LEGEND_FONT);
        }
        List<SideEntry> anchored = new ArrayList<>();
        List<SideEntry> stacked = new ArrayList<>();
        for (SideEntry e : p.side) {
            (Double.isNaN(e.anchorY()) ? stacked : anchored).add(e);
        }
        // Group labels next to their rows, pushed apart where groups are too thin to hold them.
        if (!anchored.isEmpty()) {
            int n = p.raster.length;
            int[] base = new int[anchored.size()];
            for (int i = 0; i < base.length; i++) {
                base[i] = plot.y + plot.height - (int) Math.round((anchored.get(i).anchorY() + 0.5)
                        * plot.height / n) + fm.getAscent() / 2 - 1;
            }
            Integer[] order = new Integer[base.length];
            for (int i = 0; i < order.length; i++) {
                order[i] = i;
            }
            Arrays.sort(order, (i, j) -> Integer.compare(base[i], base[j]));
            int previous = Integer.MIN_VALUE;
            for (Integer i : order) {
                base[i] = Math.max(base[i], previous + lineH);
                previous = base[i];
            }
            int limit = plot.y + plot.height + fm.getAscent() / 2;
            for (int k = order.length - 1; k >= 0; k--) {
                int i = order[k];
                base[i] = Math.min(base[i], limit);
                limit = base[i] - lineH;
            }
            for (int i = 0; i < base.length; i++) {
                SideEntry e = anchored.get(i);
                g.setColor(e.colour());
                g.fillRect(x, base[i] - fm.getAscent() + 3, 12, 12);
                g.drawString(fit(fm, e.text(), avail - 18), x + 18, base[i]);
            }
        }
        int sample = 30;
        int maxEntries = Math.max(1, (plot.y + plot.height + 30 - y) / lineH);
        for (int i = 0; i < stacked.size(); i++) {
            if (i == maxEntries - 1 && stacked.size() > maxEntries) {
                g.setColor(Color.BLACK);
                g.drawString("+" + (stacked.size() - i) + " more", x, y + fm.getAscent());
                break;
            }
            SideEntry e = stacked.get(i);
            int yy = y + fm.getAscent() / 2 + fm.getDescent() / 2 + 2;
            g.setColor(e.colour());
            g.setStroke(e.stroke());
            g.drawLine(x, yy, x + sample, yy);
            g.setStroke(new BasicStroke(1f));
            g.setColor(Color.BLACK);
            g.drawString(fit(fm, e.text(), avail - sample - 8), x + sample + 8, y + fm.getAscent());
            y += lineH;
        }
    }

    // ------------------------------------------------------------------------------------------
    // Shared helpers
    // ------------------------------------------------------------------------------------------

    /** Name of the invisible series added by {@link #roundTicks}. */
    private static final String TICK_HELPER = "\u200b";

    /**
     * XChart 3.8 puts the ticks on data points when all x values are equally spaced (0, 13, 26, …
     * for 400 iterations); one invisible point off that grid brings back round tick values.
     */
    private static void roundTicks(XYChart chart, double x, double y) {
        XYSeries s = chart.addSeries(TICK_HELPER, new double[] {x}, new double[] {y});
        s.setXYSeriesRenderStyle(XYSeriesRenderStyle.Scatter);
        s.setMarker(SeriesMarkers.NONE);
        s.setShowInLegend(false);
    }

    /**
     * Tick label pattern for the range: enough decimals for ticks about a tenth of the span apart
     * (trailing zeros dropped), no thousands separators, scientific notation for extreme magnitudes.
     */
    static String decimalPattern(double lo, double hi) {
        double span = hi - lo;
        double magnitude = Math.max(Math.abs(lo), Math.abs(hi));
        if (!(span > 0) || !Double.isFinite(span)) {
            return magnitude != 0 && (magnitude >= 1e5 || magnitude < 1e-3) ? "0.0##E0" : "0.###";
        }
        if (magnitude >= 1e6 || span < 1e-4) {
            return "0.0##E0";
        }
        int decimals = (int) Math.max(0, Math.min(8, Math.ceil(-Math.log10(span / 10)) + 1));
        return decimals == 0 ? "0" : "0." + "#".repeat(decimals);
    }

    private static void styleAxes(XYStyler s) {
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotBackgroundColor(Color.WHITE);
        s.setChartFontColor(Color.BLACK);
        s.setPlotBorderVisible(true);
        s.setPlotBorderColor(FRAME);
        s.setPlotGridLinesVisible(true);
        s.setPlotGridLinesColor(GRID);
        s.setPlotGridLinesStroke(new BasicStroke(1f));
        s.setChartTitleFont(TITLE_FONT);
        s.setChartTitleBoxVisible(false);
        s.setChartTitlePadding(14);
        s.setAxisTitleFont(AXIS_TITLE_FONT);
        s.setAxisTitlePadding(10);
        s.setAxisTickLabelsFont(TICK_FONT);
        s.setAxisTickLabelsColor(Color.BLACK);
        s.setAxisTickMarksColor(FRAME);
        s.setAxisTickPadding(6);
        s.setAxisTickMarkLength(5);
        s.setPlotMargin(0);
        s.setChartPadding(18);
        s.setLegendFont(LEGEND_FONT);
        s.setLegendBorderColor(GRID);
        s.setLegendBackgroundColor(Color.WHITE);
        s.setLegendSeriesLineLength(36);
        s.setLegendPadding(18);
        s.setXAxisTickMarkSpacingHint(90);
        s.setSeriesColors(PALETTE);
        s.setMarkerSize(7);
        s.setToolTipsEnabled(false);
        s.setAntiAlias(true);
        s.setAnnotationTextFont(LEGEND_FONT);
        s.setAnnotationTextFontColor(FRAME);
    }

    private static void prepare(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    /** Centred bold title, shrunk (down to 14 pt) and then shortened until it fits the width. */
    private static void drawTitle(Graphics2D g, String title, int width, int baseline) {
        Font font = TITLE_FONT;
        FontMetrics fm = g.getFontMetrics(font);
        while (fm.stringWidth(title) > width - 40 && font.getSize() > 14) {
            font = font.deriveFont(font.getSize2D() - 1);
            fm = g.getFontMetrics(font);
        }
        String text = fit(fm, title, width - 40);
        g.setFont(font);
        g.setColor(Color.BLACK);
        g.drawString(text, (width - fm.stringWidth(text)) / 2, baseline);
    }

    private static void drawRotated(Graphics2D g, String text, Font font, int x, int yCentre) {
        AffineTransform saved = g.getTransform();
        g.setFont(font);
        g.setColor(Color.BLACK);
        int w = g.getFontMetrics().stringWidth(text);
        g.translate(x, yCentre + w / 2);
        g.rotate(-Math.PI / 2);
        g.drawString(text, 0, 0);
        g.setTransform(saved);
    }

    /** Greedy word wrap to maxWidth. */
    private static List<String> wrap(FontMetrics fm, String text, int maxWidth) {
        List<String> lines = new ArrayList<>();
        StringBuilder line = new StringBuilder();
        for (String word : text.split(" ")) {
            if (line.length() > 0 && fm.stringWidth(line + " " + word) > maxWidth) {
                lines.add(line.toString());
                line.setLength(0);
            }
            if (line.length() > 0) {
                line.append(' ');
            }
            line.append(word);
        }
        lines.add(line.toString());
        return lines;
    }

    /** The text, cut with an ellipsis if it is wider than maxWidth. */
    private static String fit(FontMetrics fm, String text, int maxWidth) {
        if (fm.stringWidth(text) <= maxWidth) {
            return text;
        }
        String ellipsis = "\u2026";
        int end = text.length();
        while (end > 0 && fm.stringWidth(text.substring(0, end) + ellipsis) > maxWidth) {
            end--;
        }
        return text.substring(0, end) + ellipsis;
    }

    /**
     * Writes the image as PNG through a temporary file in the same directory and an atomic rename,
     * so that readers see either the old file or the complete new one.
     */
    static void writePng(Path png, BufferedImage image) {
        Path target = png.toAbsolutePath();
        Path dir = target.getParent();
        if (target.getFileName() == null || dir == null) {
            throw new IllegalArgumentException("png must name a file, got " + png);
        }
        try {
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + target.getFileName() + ".", ".tmp");
            try {
                if (!ImageIO.write(image, "png", tmp.toFile())) {
                    throw new IOException("no PNG writer available");
                }
                Files.move(tmp, target, ATOMIC_MOVE, REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + png, e);
        }
    }
}
