package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotSupport.CHART_WIDTH;
import static org.eprop.agent.plot.PlotSupport.DASHED;
import static org.eprop.agent.plot.PlotSupport.PALETTE;
import static org.eprop.agent.plot.PlotSupport.SOLID;
import static org.eprop.agent.plot.PlotSupport.decimalPattern;
import static org.eprop.agent.plot.PlotSupport.paddedRange;
import static org.eprop.agent.plot.PlotSupport.polyline;
import static org.eprop.agent.plot.PlotSupport.prepare;
import static org.eprop.agent.plot.PlotSupport.roundTicks;
import static org.eprop.agent.plot.PlotSupport.styleAxes;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.eprop.envs.supervised.TaskMetrics;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * A regression target and the network output over one trial, with the normalised mean squared
 * error in the title so that figures of different runs compare at a glance. The number is
 * {@link TaskMetrics#normalisedMse(double[], double[])}, the training metric with every step
 * weighted the same, so the title and the logs cannot disagree about what it means.
 */
public final class TargetVsOutputPlot {

    static {
        PlotSupport.headless();
    }

    private TargetVsOutputPlot() {}

    /**
     * Writes the figure as a PNG through a temporary file and an atomic rename.
     *
     * @param png    file to write; missing parent directories are created
     * @param title  start of the figure title; the normalised MSE is appended
     * @param dtMs   time step in ms
     * @param target target y*(t), drawn dashed
     * @param output network output y(t), same length
     * @throws IllegalArgumentException if the lengths differ, the target is empty or dtMs is not positive
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, String title, double dtMs, double[] target, double[] output) {
        Objects.requireNonNull(png, "png");
        PlotSupport.writePng(png, render(title, dtMs, target, output).image());
    }

    /** The rendered figure and, for tests, the title drawn on it. */
    record Render(BufferedImage image, String title) {}

    static Render render(String title, double dtMs, double[] target, double[] output) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(output, "output");
        if (target.length == 0) {
            throw new IllegalArgumentException("target is empty");
        }
        if (output.length != target.length) {
            throw new IllegalArgumentException("output has " + output.length
                    + " values but target has " + target.length);
        }
        PlotSupport.checkDt(dtMs);
        String fullTitle = title(title, TaskMetrics.normalisedMse(output, target), target);
        double[] time = new double[target.length];
        for (int t = 0; t < time.length; t++) {
            time[t] = t * dtMs;
        }
        XYChart chart = new XYChart(CHART_WIDTH, 560);
        chart.setTitle(fullTitle);
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
        return new Render(image, fullTitle);
    }

    /**
     * The title with the metric. A NaN from a constant target is explained, since it says nothing
     * about the fit; a NaN from the output (a diverged network) is left as it is.
     */
    static String title(String title, double nmse, double[] target) {
        String value = formatNmse(nmse);
        if (Double.isNaN(nmse) && isConstant(target)) {
            value += ", undefined for a constant target";
        }
        return title + " (normalised MSE " + value + ")";
    }

    private static boolean isConstant(double[] v) {
        for (double x : v) {
            if (x != v[0]) {
                return false;
            }
        }
        return true;
    }

    static String formatNmse(double v) {
        if (Double.isNaN(v)) {
            return "NaN";
        }
        if (Double.isInfinite(v)) {
            return "inf";
        }
        if (v == 0 || (v >= 0.01 && v < 1000)) {
            return String.format(Locale.ROOT, "%.3f", v);
        }
        return String.format(Locale.ROOT, "%.1e", v);
    }
}
