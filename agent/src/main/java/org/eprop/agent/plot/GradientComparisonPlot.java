package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotSupport.AXIS_TITLE_FONT;
import static org.eprop.agent.plot.PlotSupport.FRAME;
import static org.eprop.agent.plot.PlotSupport.LEGEND_FONT;
import static org.eprop.agent.plot.PlotSupport.NAN_GREY;
import static org.eprop.agent.plot.PlotSupport.TICK_FONT;
import static org.eprop.agent.plot.PlotSupport.drawRotated;
import static org.eprop.agent.plot.PlotSupport.drawTitle;
import static org.eprop.agent.plot.PlotSupport.fit;
import static org.eprop.agent.plot.PlotSupport.prepare;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.Rectangle;
import java.awt.image.BufferedImage;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.eprop.learning.verify.Compare;

/**
 * Two gradients of the same weight matrix (say e-prop and BPTT) and their difference as heat maps,
 * so that a reader sees both where they disagree and by how much. The title carries
 * {@link Compare#maxRelativeDifference(double[], double[])}, the number the verification bounds
 * are checked against. Each map has its own colour bar, symmetric around zero, so that a
 * difference at rounding level is still visible as a pattern; large matrices are reduced by
 * keeping, per pixel, the entry of largest magnitude; NaN entries are grey.
 */
public final class GradientComparisonPlot {

    static {
        PlotSupport.headless();
    }

    /** Width of the figure, in pixels. */
    static final int WIDTH = 1380;

    private GradientComparisonPlot() {}

    /**
     * Writes the comparison as a PNG through a temporary file and an atomic rename.
     *
     * @param png   file to write; missing parent directories are created
     * @param title start of the figure title; the relative difference is appended
     * @param nameA name of the first gradient
     * @param a     first gradient [presynaptic i][postsynaptic j]
     * @param nameB name of the second (reference) gradient
     * @param b     second gradient, same shape
     * @throws IllegalArgumentException if a matrix is empty or ragged, or the shapes differ
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, String title, String nameA, double[][] a, String nameB, double[][] b) {
        Objects.requireNonNull(png, "png");
        PlotSupport.writePng(png, render(title, nameA, a, nameB, b).image());
    }

    /** The rendered figure and, for tests, the title drawn on it. */
    record Render(BufferedImage image, String title) {}

    static Render render(String title, String nameA, double[][] a, String nameB, double[][] b) {
        Objects.requireNonNull(title, "title");
        Objects.requireNonNull(nameA, "nameA");
        Objects.requireNonNull(nameB, "nameB");
        checkMatrix("a", a);
        checkMatrix("b", b);
        if (a.length != b.length || a[0].length != b[0].length) {
            throw new IllegalArgumentException("b is " + b.length + "x" + b[0].length
                    + " but a is " + a.length + "x" + a[0].length);
        }
        String fullTitle = title(title, Compare.maxRelativeDifference(flat(a), flat(b)), flat(b));
        return new Render(draw(fullTitle, nameA, a, nameB, b), fullTitle);
    }

    /**
     * The title with the measure. Where B is all zero, Compare returns the absolute difference
     * max|A−B| (so that exact zeros compare as equal and rounding noise stays small), and the
     * title says so rather than show a ratio that is not one.
     */
    static String title(String title, double difference, double[] reference) {
        boolean zero = true;
        for (double v : reference) {
            zero &= v == 0;
        }
        return title + (zero ? " \u2014 max|A\u2212B| = " + formatRatio(difference) + " (B is zero)"
                : " \u2014 max|A\u2212B| / max|B| = " + formatRatio(difference));
    }

    private static double[] flat(double[][] m) {
        int cols = m[0].length;
        double[] out = new double[m.length * cols];
        for (int i = 0; i < m.length; i++) {
            System.arraycopy(m[i], 0, out, i * cols, cols);
        }
        return out;
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

    private static BufferedImage draw(String title, String nameA, double[][] a, String nameB, double[][] b) {
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
        int plotW = (WIDTH - fixed) / 3;
        double aspect = Math.max(0.5, Math.min(1.0, rows / (double) cols));
        int plotH = (int) Math.round(plotW * aspect);
        int titleH = 60;
        int nameH = 34;
        int top = titleH + nameH;
        int height = top + plotH + tick.getHeight() + 10 + axis.getHeight() + 22;

        BufferedImage img = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        prepare(g);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        drawTitle(g, title, img.getWidth(), 40);

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
}
