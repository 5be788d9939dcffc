package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotSupport.CHART_WIDTH;
import static org.eprop.agent.plot.PlotSupport.PALETTE;
import static org.eprop.agent.plot.PlotSupport.SOLID;
import static org.eprop.agent.plot.PlotSupport.TICK_HELPER;
import static org.eprop.agent.plot.PlotSupport.decimalPattern;
import static org.eprop.agent.plot.PlotSupport.roundTicks;
import static org.eprop.agent.plot.PlotSupport.styleAxes;

import java.awt.Color;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
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
 * How training progresses (loss, error rates) against iterations, or against any other abscissa
 * such as environment frames: the first figure one looks at to see whether a run learns.
 */
public final class LearningCurvePlot {

    static {
        PlotSupport.headless();
    }

    private LearningCurvePlot() {}

    /**
     * One named curve of a {@link LearningCurvePlot learning curve}. NaN values (an iteration where a
     * quantity was not measured) are skipped when drawing, so series sampled at different
     * iterations can share one x grid. The arrays are not copied.
     *
     * @param name legend entry
     * @param x    abscissae, e.g. iterations or frames
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
     * Writes the learning curves as a PNG through a temporary file and an atomic rename.
     *
     * @param png    file to write; missing parent directories are created
     * @param title  figure title
     * @param xLabel x axis title with unit, e.g. "iteration"
     * @param yLabel y axis title with unit
     * @param series curves; NaN values are skipped
     * @param logY   logarithmic y axis; non-positive values are then skipped too
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, String title, String xLabel, String yLabel, List<Series> series,
            boolean logY) {
        Objects.requireNonNull(png, "png");
        PlotSupport.writePng(png, BitmapEncoder.getBufferedImage(chart(title, xLabel, yLabel, series, logY)));
    }

    /**
     * Writes one curve with a shaded band around it (e.g. the mean over seeds and mean ± std, or
     * the min-max range), through a temporary file and an atomic rename. The band is drawn under
     * the curve, translucent, and the axes cover it.
     *
     * @param mean     the curve; its name is the legend entry
     * @param bandName legend entry of the band, e.g. "± 1 std over 3 runs"
     * @param lower    the band's lower edge at {@code mean.x()}
     * @param upper    the band's upper edge at {@code mean.x()}
     */
    public static void writeBand(Path png, String title, String xLabel, String yLabel, Series mean, String bandName,
            double[] lower, double[] upper) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(bandName, "bandName");
        int n = mean.x().length;
        if (lower.length != n || upper.length != n) {
            throw new IllegalArgumentException("the band has " + lower.length + " and " + upper.length
                    + " values for a curve of " + n);
        }
        // the edges go in as series first so that the axes and tick labels cover them, then give
        // way to the polygon between them
        String lo = "\u200c lower";
        String hi = "\u200c upper";
        XYChart chart = chart(title, xLabel, yLabel, List.of(mean, new Series(lo, mean.x(), lower),
                new Series(hi, mean.x(), upper)), false);
        chart.removeSeries(lo);
        chart.removeSeries(hi);
        double[] px = new double[2 * n];
        double[] py = new double[2 * n];
        int k = 0;
        for (int i = 0; i < n; i++) {
            if (Double.isFinite(upper[i]) && Double.isFinite(mean.x()[i])) {
                px[k] = mean.x()[i];
                py[k++] = upper[i];
            }
        }
        for (int i = n - 1; i >= 0; i--) {
            if (Double.isFinite(lower[i]) && Double.isFinite(mean.x()[i])) {
                px[k] = mean.x()[i];
                py[k++] = lower[i];
            }
        }
        if (k >= 3) {
            XYSeries band = chart.addSeries(bandName, Arrays.copyOf(px, k), Arrays.copyOf(py, k));
            band.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
            Color c = PALETTE[0];
            band.setFillColor(new Color(c.getRed(), c.getGreen(), c.getBlue(), 70));
            band.setLineColor(new Color(0, 0, 0, 0));
            band.setMarker(SeriesMarkers.NONE);
            // drawn in insertion order: put the curve (and the tick helper) back on top of the band
            var map = chart.getSeriesMap();
            for (String name : List.copyOf(map.keySet())) {
                if (!name.equals(bandName)) {
                    map.put(name, map.remove(name));
                }
            }
        }
        PlotSupport.writePng(png, BitmapEncoder.getBufferedImage(chart));
    }

    /**
     * The styled chart, kept separate from writing so that a figure of curves over several seeds
     * (a mean and a band) can add its series to the same axes and style.
     */
    static XYChart chart(String title, String xLabel, String yLabel, List<Series> series, boolean logY) {
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
        return chart;
    }
}
