package org.eprop.agent.eval;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.util.Arrays;
import java.util.Locale;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Space;

/**
 * Draws one video frame per agent step: on the left the screen the agent acted on (the raw RGB
 * game frame, or a vector observation drawn as an image), scaled by an exact integer factor so
 * that every screen pixel is a {@code scale x scale} block; on the right the spike raster of the
 * LSNN over the last {@code window} agent steps (newest at the right edge, one column per network
 * step, one row per neuron, white where it fired), bars of the action probabilities (the chosen
 * action green, the others grey, a white mark under the chosen one) and the value trace over the
 * same window. All of one frame belongs to the same agent step: the screen is the observation,
 * the spikes are those the network emitted while processing it, the bars and value what it read
 * out at the end.
 *
 * <p>The pixel geometry is public ({@link Layout}) so that tests and tools can find the screen and
 * the raster cells in a decoded video. Neurons beyond the raster's height in pixels are not shown.
 */
public final class GameplayRenderer {
    /** Agent steps shown in the raster and value trace by default. */
    public static final int DEFAULT_WINDOW = 24;
    private static final int MIN_HEIGHT = 210;
    private static final int MAX_SCREEN_WIDTH = 320;
    private static final int PANEL_WIDTH = 240;
    private static final int GAP = 8;
    private static final int LABEL = 13;
    private static final Color SPIKE = Color.WHITE;
    private static final Color TEXT = new Color(200, 200, 200);
    private static final Color CHOSEN = new Color(40, 200, 40);
    private static final Color OTHER = new Color(120, 120, 120);
    private static final Color VALUE = new Color(255, 190, 0);
    private static final Font FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 10);

    static {
        System.setProperty("java.awt.headless", "true");
    }

    /**
     * Where things are, in pixels of the video frame.
     *
     * @param width frame width (even)
     * @param height frame height (even)
     * @param scale the screen's integer magnification
     * @param screenWidth width of the screen region, {@code scale * screen width}; it starts at (0, 0)
     * @param screenHeight height of the screen region
     * @param rasterX left edge of raster column 0 (the oldest network step shown)
     * @param rasterY top edge of raster row 0 (neuron 0)
     * @param cellWidth pixels per network step
     * @param cellHeight pixels per neuron
     * @param rasterColumns network steps shown ({@code window * networkSteps}, or fewer if they do not fit)
     * @param rasterRows neurons shown
     */
    public record Layout(int width, int height, int scale, int screenWidth, int screenHeight, int rasterX,
            int rasterY, int cellWidth, int cellHeight, int rasterColumns, int rasterRows) {
    }

    private final int actions;
    private final int networkSteps;
    private final int window;
    private final Layout layout;
    private final int barsY;
    private final int barsHeight;
    private final int valueY;
    private final int valueHeight;
    private final boolean[][] history;
    private final double[] values;
    private int filled;
    private int valuesFilled;
    private double low;
    private double high;

    /**
     * @param screenHeight height of the screens to be drawn, in their own pixels
     * @param screenWidth their width
     * @param neurons neurons of the network (0: no raster)
     * @param networkSteps network steps per agent step
     * @param actions number of actions
     * @param window agent steps in the raster and the value trace
     */
    public GameplayRenderer(int screenHeight, int screenWidth, int neurons, int networkSteps, int actions,
            int window) {
        if (screenHeight < 1 || screenWidth < 1 || neurons < 0 || networkSteps < 1 || actions < 1 || window < 1) {
            throw new IllegalArgumentException("bad renderer sizes: screen " + screenHeight + "x" + screenWidth
                    + ", neurons " + neurons + ", network steps " + networkSteps + ", actions " + actions
                    + ", window " + window);
        }
        this.actions = actions;
        this.networkSteps = networkSteps;
        this.window = window;
        // magnified up to MIN_HEIGHT rows or MAX_SCREEN_WIDTH columns (a vector observation is one row)
        int scale = Math.max(1, Math.min(MIN_HEIGHT / screenHeight, MAX_SCREEN_WIDTH / screenWidth));
        int sw = screenWidth * scale;
        int sh = screenHeight * scale;
        int height = even(Math.max(sh, MIN_HEIGHT));
        int rasterX = sw + GAP;
        int width = even(rasterX + PANEL_WIDTH);
        int rasterY = LABEL;
        int rasterHeight = height / 2 - LABEL;
        int cellHeight = neurons == 0 ? 1 : Math.max(1, rasterHeight / neurons);
        int rows = Math.min(neurons, rasterHeight / cellHeight);
        int columnsWanted = window * networkSteps;
        int cellWidth = Math.max(1, PANEL_WIDTH / columnsWanted);
        int columns = Math.min(columnsWanted, PANEL_WIDTH / cellWidth);
        this.layout = new Layout(width, height, scale, sw, sh, rasterX, rasterY, cellWidth, cellHeight, columns, rows);
        int below = height - (rasterY + rasterHeight);
        this.barsY = rasterY + rasterHeight + LABEL + 2;
        this.barsHeight = below / 2 - LABEL - 6;
        this.valueY = barsY + barsHeight + 4 + LABEL;
        this.valueHeight = height - valueY - 4;
        this.history = new boolean[columns][neurons];
        this.values = new double[window];
        startEpisode();
    }

    public Layout layout() {
        return layout;
    }

    /** Clears the raster and the value trace, for a new episode. */
    public void startEpisode() {
        filled = 0;
        valuesFilled = 0;
        for (boolean[] column : history) {
            Arrays.fill(column, false);
        }
        low = Double.NaN;
        high = Double.NaN;
    }

    /**
     * The frame of one agent step.
     *
     * @param screen what the agent saw, RGB or gray, of the size given at construction
     * @param spikes {@code [networkSteps][neurons]} of this step (may be empty for no network)
     * @param probabilities the policy's action probabilities
     * @param chosen the action taken
     * @param value the value estimate (NaN: none)
     */
    public BufferedImage render(Frame screen, boolean[][] spikes, double[] probabilities, int chosen, double value) {
        int scale = layout.scale();
        if (screen.height() * scale != layout.screenHeight() || screen.width() * scale != layout.screenWidth()) {
            throw new IllegalArgumentException("screen is " + screen.height() + "x" + screen.width() + ", the video "
                    + "was laid out for " + layout.screenHeight() / scale + "x" + layout.screenWidth() / scale);
        }
        push(spikes);
        pushValue(value);
        BufferedImage img = new BufferedImage(layout.width(), layout.height(), BufferedImage.TYPE_INT_RGB);
        drawScreen(img, screen, scale);
        Graphics2D g = img.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setFont(FONT);
            drawRaster(g);
            drawBars(g, probabilities, chosen);
            drawValue(g, value);
        } finally {
            g.dispose();
        }
        return img;
    }

    /** An observation as a screen: a frame as it is, a vector observation as gray levels on its box's grid. */
    public static Frame screenOf(Object observation, Space<?> space) {
        if (observation instanceof Frame f) {
            return f;
        }
        if (observation instanceof float[] v && space instanceof Box box) {
            int[] shape = box.shape();
            int h = shape.length >= 2 ? shape[0] : 1;
            int w = v.length / h;
            float lo = box.low();
            float range = box.high() - box.low();
            boolean bounded = Float.isFinite(lo) && Float.isFinite(range) && range > 0;
            byte[] p = new byte[h * w];
            for (int i = 0; i < h * w; i++) {
                double u = bounded ? (v[i] - lo) / range : v[i];
                p[i] = (byte) Math.round(255 * Math.max(0, Math.min(1, u)));
            }
            return new Frame(h, w, 1, p);
        }
        throw new IllegalArgumentException("cannot draw an observation of " + space + " as a screen");
    }

    private void push(boolean[][] spikes) {
        int columns = history.length;
        for (int s = 0; s < networkSteps; s++) {
            // shift left by one column; the newest network step goes to the right edge
            boolean[] recycled = history[0];
            System.arraycopy(history, 1, history, 0, columns - 1);
            history[columns - 1] = recycled;
            Arrays.fill(recycled, false);
            if (s < spikes.length) {
                for (int j = 0; j < Math.min(recycled.length, spikes[s].length); j++) {
                    recycled[j] = spikes[s][j];
                }
            }
            filled = Math.min(columns, filled + 1);
        }
    }

    private void pushValue(double value) {
        System.arraycopy(values, 1, values, 0, window - 1);
        values[window - 1] = value;
        valuesFilled = Math.min(window, valuesFilled + 1);
        if (Double.isFinite(value)) {
            low = Double.isNaN(low) ? value : Math.min(low, value);
            high = Double.isNaN(high) ? value : Math.max(high, value);
        }
    }

    private static void drawScreen(BufferedImage img, Frame f, int scale) {
        int c = f.channels();
        for (int y = 0; y < f.height(); y++) {
            for (int x = 0; x < f.width(); x++) {
                int r = f.get(y, x, 0);
                int gr = c >= 3 ? f.get(y, x, 1) : r;
                int b = c >= 3 ? f.get(y, x, 2) : r;
                int rgb = (r << 16) | (gr << 8) | b;
                for (int dy = 0; dy < scale; dy++) {
                    for (int dx = 0; dx < scale; dx++) {
                        img.setRGB(x * scale + dx, y * scale + dy, rgb);
                    }
                }
            }
        }
    }

    private void drawRaster(Graphics2D g) {
        Layout l = layout;
        g.setColor(TEXT);
        g.drawString("LSNN spikes, last " + window + " steps", l.rasterX(), LABEL - 3);
        g.setColor(SPIKE);
        for (int col = 0; col < l.rasterColumns(); col++) {
            boolean[] z = history[col];
            for (int j = 0; j < l.rasterRows(); j++) {
                if (z[j]) {
                    g.fillRect(l.rasterX() + col * l.cellWidth(), l.rasterY() + j * l.cellHeight(), l.cellWidth(),
                            l.cellHeight());
                }
            }
        }
    }

    private void drawBars(Graphics2D g, double[] p, int chosen) {
        int x0 = layout.rasterX();
        g.setColor(TEXT);
        g.drawString(String.format(Locale.ROOT, "action probabilities, chosen %d", chosen), x0, barsY - 3);
        int slot = PANEL_WIDTH / actions;
        int barWidth = Math.max(1, Math.min(30, slot - 4));
        for (int k = 0; k < actions; k++) {
            double pk = k < p.length && Double.isFinite(p[k]) ? Math.max(0, Math.min(1, p[k])) : 0;
            int h = (int) Math.round(pk * (barsHeight - 4));
            int x = x0 + k * slot;
            g.setColor(k == chosen ? CHOSEN : OTHER);
            g.fillRect(x, barsY + barsHeight - 4 - h, barWidth, h);
            if (k == chosen) {
                g.setColor(Color.WHITE);
                g.fillRect(x, barsY + barsHeight - 2, barWidth, 2);
            }
        }
    }

    private void drawValue(Graphics2D g, double value) {
        int x0 = layout.rasterX();
        g.setColor(TEXT);
        g.drawString(Double.isFinite(value) ? String.format(Locale.ROOT, "value %.3f", value) : "value: none", x0,
                valueY - 3);
        if (Double.isNaN(low)) {
            return;
        }
        double span = high - low < 1e-9 ? 1 : high - low;
        double step = (double) PANEL_WIDTH / Math.max(1, window - 1);
        g.setColor(VALUE);
        g.setStroke(new BasicStroke(1.5f));
        int px = -1;
        int py = -1;
        for (int i = window - valuesFilled; i < window; i++) {
            if (!Double.isFinite(values[i])) {
                px = -1;
                continue;
            }
            int x = x0 + (int) Math.round(i * step);
            int y = valueY + (int) Math.round((high - values[i]) / span * (valueHeight - 1));
            if (px >= 0) {
                g.drawLine(px, py, x, y);
            }
            px = x;
            py = y;
        }
        if (px >= 0) {
            g.fillOval(px - 2, py - 2, 5, 5);
        }
    }

    private static int even(int v) {
        return v + (v & 1);
    }
}
