package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotTestSupport.*;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.Rectangle;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.eprop.agent.plot.RasterPlot.Raster;
import org.eprop.agent.plot.TrialPlot.TrialFigure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stand-alone raster draws spikes where the trial figure would, and refuses bad shapes. */
class RasterPlotTest {

    @TempDir
    Path dir;

    @Test
    void spikesLandWhereTheyAreAndGroupsAreColoured() throws IOException {
        TrialFigure demo = demoTrial(2250, 40, 0, 0, false);
        double[][] in = demo.inputSpikes();
        for (double[] row : in) {
            Arrays.fill(row, 490, 511, 0);
            Arrays.fill(row, 990, 1011, 0);
        }
        in[15][500] = 1; // second group: red
        in[35][1000] = 1; // fourth group: orange
        Raster raster = new Raster("inputs", "input channel", 1.0, in, demo.inputGroupStarts(),
                demo.inputGroupNames(), demo.shadeFromMs(), demo.shadeToMs());

        TimePanels.Render r = RasterPlot.render(raster);
        assertEquals(List.of("raster"), List.copyOf(r.plots().keySet()));
        Rectangle plot = r.plots().get("raster");
        int[] red = reddestNear(r.image(), xOf(plot, 500, 2250), yOf(plot, 15, 40));
        assertTrue(red[0] > 150 && red[0] - red[1] > 80, "spike of group 2 drawn red");
        int[] orange = reddestNear(r.image(), xOf(plot, 1000, 2250), yOf(plot, 35, 40));
        assertTrue(orange[0] > 200 && orange[1] > 100 && orange[2] < 80, "spike of group 4 drawn orange");
        assertFalse(darkNear(r.image(), xOf(plot, 1000, 2250), yOf(plot, 5, 40)), "silent channel 5");

        // The same rows drawn as the input panel of a trial land on the same pixels.
        TimePanels.Render trial = TrialPlot.render(new TrialFigure("inputs", 1.0, in, demo.inputGroupStarts(),
                demo.inputGroupNames(), null, null, null, null, null, null, demo.shadeFromMs(), demo.shadeToMs()));
        assertEquals(trial.plots().get("input"), plot);

        Path png = dir.resolve("rasters/raster.png");
        RasterPlot.write(png, new Raster("no groups", "LIF neuron", 0.5, in));
        assertSize(read(png), 1300, 1300, 200, 600);
        assertInked(read(png), 0.02);
        assertOnly(png.getParent(), "raster.png");
    }

    @Test
    void refusesInconsistentShapes() {
        double[][] ok = new double[3][10];
        assertMessage("spikes[1]", () -> new Raster("t", "row", 1, new double[][] {new double[10], new double[9]}));
        assertMessage("no rows", () -> new Raster("t", "row", 1, new double[0][]));
        assertMessage("groupNames", () -> new Raster("t", "row", 1, ok, new int[] {0, 1}, new String[] {"a"},
                null, null));
        assertMessage("groupStarts[1]", () -> new Raster("t", "row", 1, ok, new int[] {0, 3},
                new String[] {"a", "b"}, null, null));
        assertMessage("shadeToMs", () -> new Raster("t", "row", 1, ok, null, null, new double[] {1}, null));
        assertMessage("dtMs", () -> new Raster("t", "row", Double.NaN, ok));
        assertOnly(dir);
    }
}
