package org.eprop.agent.plot;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;

/**
 * A spike raster on its own: one row per neuron or channel, time in ms, rows optionally coloured
 * and labelled by group, windows shaded. It is drawn by the same code as the raster panels of the
 * {@link TrialPlot trial figure}, so the two look alike, for agents whose trials are not the
 * paper's (a stretch of an Atari episode, say).
 */
public final class RasterPlot {

    static {
        PlotSupport.headless();
    }

    private RasterPlot() {}

    /**
     * What a raster figure shows. Optional arrays may be {@code null}. The arrays are not copied.
     *
     * @param title       figure title
     * @param rowLabel    y axis title, e.g. "LIF neuron"
     * @param dtMs        time step in ms; step t is drawn at t·dtMs
     * @param spikes      spikes [row][t], 0 or 1; at least one row and one step
     * @param groupStarts first row of each group (ascending), may be empty
     * @param groupNames  one name per group
     * @param shadeFromMs starts of time windows to shade
     * @param shadeToMs   ends of those windows, same length as {@code shadeFromMs}
     */
    public record Raster(String title, String rowLabel, double dtMs, double[][] spikes, int[] groupStarts,
            String[] groupNames, double[] shadeFromMs, double[] shadeToMs) {

        /** Checks shapes up front, so that a bad recording fails here and not as a garbled figure. */
        public Raster {
            Objects.requireNonNull(title, "title");
            Objects.requireNonNull(rowLabel, "rowLabel");
            Objects.requireNonNull(spikes, "spikes");
            PlotSupport.checkDt(dtMs);
            groupStarts = groupStarts == null ? new int[0] : groupStarts;
            groupNames = groupNames == null ? new String[0] : groupNames;
            shadeFromMs = shadeFromMs == null ? new double[0] : shadeFromMs;
            shadeToMs = shadeToMs == null ? new double[0] : shadeToMs;
            if (spikes.length == 0 || spikes[0] == null || spikes[0].length == 0) {
                throw new IllegalArgumentException("Raster '" + title + "' has no rows or no time steps");
            }
            TimePanels.checkSteps("spikes", spikes, spikes[0].length);
            TimePanels.checkGroups("groupStarts", groupStarts, "groupNames", groupNames, "rows", spikes.length);
            TimePanels.checkWindows(shadeFromMs, shadeToMs);
        }

        /** A raster without groups or shaded windows. */
        public Raster(String title, String rowLabel, double dtMs, double[][] spikes) {
            this(title, rowLabel, dtMs, spikes, null, null, null, null);
        }
    }

    /**
     * Writes the raster as a PNG through a temporary file and an atomic rename.
     *
     * @param png    file to write; missing parent directories are created
     * @param raster what to draw
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, Raster raster) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(raster, "raster");
        PlotSupport.writePng(png, render(raster).image());
    }

    static TimePanels.Render render(Raster r) {
        double tMax = r.spikes()[0].length * r.dtMs();
        TimePanels.Panel panel = TimePanels.groupedRaster("raster", r.rowLabel(), r.spikes(), r.groupStarts(),
                r.groupNames(), tMax);
        return TimePanels.stack(r.title(), List.of(panel), r.dtMs(), tMax, r.shadeFromMs(), r.shadeToMs());
    }
}
