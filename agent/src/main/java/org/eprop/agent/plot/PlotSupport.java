package org.eprop.agent.plot;

import static java.nio.file.StandardCopyOption.ATOMIC_MOVE;
import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleUnaryOperator;
import javax.imageio.ImageIO;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * What the figures share, so that they look like one family: fonts, colours, strokes, axis style,
 * tick formats, text fitting and the atomic PNG writer.
 */
final class PlotSupport {

    static {
        // Before any AWT class is touched: servers and CI have no display.
        System.setProperty("java.awt.headless", "true");
    }

    static final String FAMILY = Font.SANS_SERIF;
    static final Font TITLE_FONT = new Font(FAMILY, Font.BOLD, 22);
    static final Font AXIS_TITLE_FONT = new Font(FAMILY, Font.PLAIN, 18);
    static final Font TICK_FONT = new Font(FAMILY, Font.PLAIN, 15);
    static final Font LEGEND_FONT = new Font(FAMILY, Font.PLAIN, 16);
    static final Font NOTE_FONT = new Font(FAMILY, Font.ITALIC, 14);

    /** Matplotlib's tab10: distinguishable, and familiar to readers of scientific figures. */
    static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0xff7f0e),
        new Color(0x9467bd), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
        new Color(0xbcbd22), new Color(0x17becf)
    };
    static final Color GRID = new Color(226, 226, 226);
    static final Color FRAME = new Color(80, 80, 80);
    static final Color SHADE = new Color(226, 226, 226);
    static final Color CLEAR = new Color(255, 255, 255, 0);
    static final Color NAN_GREY = new Color(170, 170, 170);
    static final Color SPIKE = new Color(20, 20, 20);

    static final BasicStroke SOLID = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke THIN = new BasicStroke(1.5f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    static final BasicStroke DASHED = new BasicStroke(2.2f, BasicStroke.CAP_BUTT,
            BasicStroke.JOIN_ROUND, 10f, new float[] {9f, 6f}, 0f);

    /** Width of the single-chart figures (learning curve, target vs output), in pixels. */
    static final int CHART_WIDTH = 1200;

    private PlotSupport() {}

    /**
     * Does nothing but load this class, whose initialiser makes AWT headless; every figure class
     * calls it first, because a figure's own fields may touch AWT before any helper here is used.
     */
    static void headless() {}

    /** Refuses a time step that would put the time axis out of order. */
    static void checkDt(double dtMs) {
        if (!(dtMs > 0) || !Double.isFinite(dtMs)) {
            throw new IllegalArgumentException("dtMs must be positive and finite, got " + dtMs);
        }
    }

    /** The curve through the finite points, broken at NaN and infinite values. */
    static Path2D polyline(double[] x, double[] y, DoubleUnaryOperator screenX, DoubleUnaryOperator screenY) {
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
    static double[] paddedRange(double lo, double hi) {
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

    /** Name of the invisible series added by {@link #roundTicks}. */
    static final String TICK_HELPER = "\u200b";

    /**
     * XChart 3.8 puts the ticks on data points when all x values are equally spaced (0, 13, 26, …
     * for 400 iterations); one invisible point off that grid brings back round tick values.
     */
    static void roundTicks(XYChart chart, double x, double y) {
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

    static void styleAxes(XYStyler s) {
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

    static void prepare(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    }

    /** Centred bold title, shrunk (down to 14 pt) and then shortened until it fits the width. */
    static void drawTitle(Graphics2D g, String title, int width, int baseline) {
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

    static void drawRotated(Graphics2D g, String text, Font font, int x, int yCentre) {
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
    static List<String> wrap(FontMetrics fm, String text, int maxWidth) {
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
    static String fit(FontMetrics fm, String text, int maxWidth) {
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
