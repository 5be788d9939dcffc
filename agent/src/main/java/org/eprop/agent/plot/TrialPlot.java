package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotSupport.FRAME;
import static org.eprop.agent.plot.PlotSupport.PALETTE;

import java.awt.Color;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.eprop.agent.plot.TimePanels.Panel;

/**
 * One trial drawn the way Fig. 3 of Bellec et al. 2020 does, panels sharing a time axis in ms:
 * input raster (coloured by group), LIF raster, ALIF raster, adaptive thresholds of up to ten ALIF
 * neurons, readout outputs (targets dashed). Panels without rows are left out; the shade windows
 * (cue, recall) are shaded in every panel. This is the figure that shows what the network does,
 * not just how well.
 */
public final class TrialPlot {

    static {
        PlotSupport.headless();
    }

    private TrialPlot() {}

    /**
     * Everything recorded in one trial that {@link TrialPlot} draws. Matrices are indexed
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
            PlotSupport.checkDt(dtMs);
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
            TimePanels.checkSteps("inputSpikes", inputSpikes, steps);
            TimePanels.checkSteps("lifSpikes", lifSpikes, steps);
            TimePanels.checkSteps("alifSpikes", alifSpikes, steps);
            TimePanels.checkSteps("alifThresholds", alifThresholds, steps);
            TimePanels.checkSteps("outputs", outputs, steps);

            TimePanels.checkGroups("inputGroupStarts", inputGroupStarts, "inputGroupNames", inputGroupNames,
                    "input channels", inputSpikes.length);
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
                TimePanels.checkSteps("targets", targets, steps);
            }
            TimePanels.checkWindows(shadeFromMs, shadeToMs);
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
    }

    /**
     * Writes the trial as a PNG through a temporary file and an atomic rename.
     *
     * @param png    file to write; missing parent directories are created
     * @param figure the recorded trial
     * @throws java.io.UncheckedIOException if the file cannot be written
     */
    public static void write(Path png, TrialFigure figure) {
        Objects.requireNonNull(png, "png");
        Objects.requireNonNull(figure, "figure");
        PlotSupport.writePng(png, render(figure).image());
    }

    static TimePanels.Render render(TrialFigure f) {
        double dt = f.dtMs();
        double tMax = f.steps() * dt;
        List<Panel> panels = new ArrayList<>();
        if (f.inputSpikes().length > 0) {
            panels.add(TimePanels.groupedRaster("input", "input channel", f.inputSpikes(), f.inputGroupStarts(),
                    f.inputGroupNames(), tMax));
        }
        if (f.lifSpikes().length > 0) {
            panels.add(TimePanels.groupedRaster("lif", "LIF neuron", f.lifSpikes(), new int[0], new String[0], tMax));
        }
        if (f.alifSpikes().length > 0) {
            panels.add(TimePanels.groupedRaster("alif", "ALIF neuron", f.alifSpikes(), new int[0], new String[0],
                    tMax));
        }
        if (f.alifThresholds().length > 0) {
            int n = Math.min(10, f.alifThresholds().length);
            double[][] rows = Arrays.copyOf(f.alifThresholds(), n);
            Color[] colours = new Color[n];
            for (int k = 0; k < n; k++) {
                colours[k] = PALETTE[k % PALETTE.length];
            }
            Panel p = TimePanels.linePanel("thresholds", "threshold A_j", dt, tMax, rows, colours, null, 150);
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
            Panel p = TimePanels.linePanel("outputs", "output y_k", dt, tMax, f.outputs(), colours, f.targets(), 170);
            for (int i = 0; i < k; i++) {
                TimePanels.legend(p, f.outputNames()[i], colours[i], false);
            }
            if (f.targets() != null) {
                TimePanels.legend(p, "target (dashed)", FRAME, true);
            }
            panels.add(p);
        }
        return TimePanels.stack(f.title(), panels, dt, tMax, f.shadeFromMs(), f.shadeToMs());
    }
}
