package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotSupport.AXIS_TITLE_FONT;
import static org.eprop.agent.plot.PlotSupport.CLEAR;
import static org.eprop.agent.plot.PlotSupport.DASHED;
import static org.eprop.agent.plot.PlotSupport.LEGEND_FONT;
import static org.eprop.agent.plot.PlotSupport.NOTE_FONT;
import static org.eprop.agent.plot.PlotSupport.PALETTE;
import static org.eprop.agent.plot.PlotSupport.SHADE;
import static org.eprop.agent.plot.PlotSupport.SOLID;
import static org.eprop.agent.plot.PlotSupport.SPIKE;
import static org.eprop.agent.plot.PlotSupport.THIN;
import static org.eprop.agent.plot.PlotSupport.TICK_HELPER;
import static org.eprop.agent.plot.PlotSupport.decimalPattern;
import static org.eprop.agent.plot.PlotSupport.drawTitle;
import static org.eprop.agent.plot.PlotSupport.fit;
import static org.eprop.agent.plot.PlotSupport.paddedRange;
import static org.eprop.agent.plot.PlotSupport.polyline;
import static org.eprop.agent.plot.PlotSupport.prepare;
import static org.eprop.agent.plot.PlotSupport.roundTicks;
import static org.eprop.agent.plot.PlotSupport.styleAxes;
import static org.eprop.agent.plot.PlotSupport.wrap;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.RenderingHints;
import java.awt.Stroke;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Panels stacked on one time axis in ms, each an XChart for axes and lines with spikes, targets
 * and labels painted over it: the machinery of the {@link TrialPlot trial figure}, shared with
 * the {@link RasterPlot stand-alone raster} so that a raster looks the same wherever it is drawn.
 */
final class TimePanels {

    /** Width of a figure of stacked panels, in pixels. */
    static final int WIDTH = 1300;
    /** Right-hand column that holds group labels and legends. */
    static final int SIDE_WIDTH = 200;

    private TimePanels() {}

    /** The rendered figure and, for tests, each panel's plot area in image coordinates. */
    record Render(BufferedImage image, Map<String, Rectangle> plots) {}

    /** One stacked panel: an XChart for axes and lines, plus what is painted over it. */
    static final class Panel {
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
    record SideEntry(String text, Color colour, Stroke stroke, double anchorY) {}

    /**
     * A spike raster, rows coloured by group and labelled beside the panel, with a thin line
     * between groups; without groups every row is black.
     */
    static Panel groupedRaster(String key, String yTitle, double[][] spikes, int[] groupStarts, String[] groupNames,
            double tMax) {
        Color[] colours = new Color[spikes.length];
        Arrays.fill(colours, SPIKE);
        Panel p = rasterPanel(key, yTitle, spikes, colours, tMax);
        for (int gi = 0; gi < groupStarts.length; gi++) {
            int end = gi + 1 < groupStarts.length ? groupStarts[gi + 1] : spikes.length;
            Color c = PALETTE[gi % PALETTE.length];
            Arrays.fill(colours, groupStarts[gi], end, c);
            p.side.add(new SideEntry(groupNames[gi], c, null, (groupStarts[gi] + end - 1) / 2.0));
        }
        p.separators = groupStarts;
        return p;
    }

    /** A legend entry beside a line panel. */
    static void legend(Panel p, String text, Color colour, boolean dashed) {
        p.side.add(new SideEntry(text, colour, dashed ? DASHED : SOLID, Double.NaN));
    }

    /**
     * Stacks the panels under a title, the bottom one with the time axis, and shades the windows
     * in every panel.
     */
    static Render stack(String title, List<Panel> panels, double dt, double tMax, double[] shadeFromMs,
            double[] shadeToMs) {
        int chartWidth = WIDTH - SIDE_WIDTH;
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
        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        prepare(g);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        drawTitle(g, title, WIDTH, 38);

        Map<String, Rectangle> plots = new LinkedHashMap<>();
        int y = titleH;
        for (Panel p : panels) {
            Rectangle plot = new Rectangle(p.offset + p.plot.x, y + p.plot.y, p.plot.width, p.plot.height);
            plots.put(p.key, plot);
            shade(g, plot, shadeFromMs, shadeToMs, tMax);
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
        return new Render(img, plots);
    }

    /** Matrices share the figure's time steps, so a bad recording fails early and by name. */
    static void checkSteps(String name, double[][] m, int steps) {
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

    /** Groups of raster rows: one name each, starts ascending and within the rows. */
    static void checkGroups(String startsName, int[] starts, String namesName, String[] names, String rowsName,
            int rows) {
        if (names.length != starts.length) {
            throw new IllegalArgumentException(namesName + " has " + names.length
                    + " entries but " + startsName + " has " + starts.length);
        }
        for (int g = 0; g < starts.length; g++) {
            int start = starts[g];
            if (start < 0 || start >= rows || (g > 0 && start <= starts[g - 1])) {
                throw new IllegalArgumentException(startsName + "[" + g + "] = " + start
                        + " must be ascending and within the " + rows + " " + rowsName);
            }
            Objects.requireNonNull(names[g], namesName + "[" + g + "]");
        }
    }

    /** Shaded windows: as many ends as starts. */
    static void checkWindows(double[] shadeFromMs, double[] shadeToMs) {
        if (shadeFromMs.length != shadeToMs.length) {
            throw new IllegalArgumentException("shadeToMs has " + shadeToMs.length
                    + " entries but shadeFromMs has " + shadeFromMs.length);
        }
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

    static Panel rasterPanel(String key, String yTitle, double[][] spikes, Color[] colours, double tMax) {
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

    static Panel linePanel(String key, String yTitle, double dt, double tMax, double[][] rows,
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

    private static void shade(Graphics2D g, Rectangle plot, double[] shadeFromMs, double[] shadeToMs, double tMax) {
        g.setColor(SHADE);
        for (int w = 0; w < shadeFromMs.length; w++) {
            double from = Math.max(0, Math.min(shadeFromMs[w], shadeToMs[w]));
            double to = Math.min(tMax, Math.max(shadeFromMs[w], shadeToMs[w]));
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
        int avail = WIDTH - x - 10;
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
}
