package org.eprop.agent.plot;

import static org.eprop.agent.plot.PlotTestSupport.*;

import java.nio.file.Path;
import java.util.List;
import org.eprop.agent.plot.LearningCurvePlot.Series;
import org.eprop.agent.plot.TrialPlot.TrialFigure;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Every figure with demo data, for looking at:
 * {@code mvn ... -Dtest=PlotPreviewsTest -Dplots.preview.dir=/tmp/plots-preview}.
 */
class PlotPreviewsTest {

    @Test
    @EnabledIfSystemProperty(named = "plots.preview.dir", matches = ".+")
    void writePreviews() {
        Path out = Path.of(System.getProperty("plots.preview.dir"));
        LearningCurvePlot.write(out.resolve("learning_curve.png"), "Evidence accumulation: training",
                "iteration", "loss / error rate", demoCurves(), false);
        LearningCurvePlot.write(out.resolve("learning_curve_log.png"), "Evidence accumulation: training (log)",
                "iteration", "loss / error rate", demoCurves(), true);
        TrialPlot.write(out.resolve("trial.png"), demoTrial(2250, 40, 50, 50, true));
        TrialPlot.write(out.resolve("trial_100.png"), demoTrial(2250, 40, 100, 100, false));
        TrialFigure tiny = demoTrial(300, 3, 1, 2, true);
        TrialPlot.write(out.resolve("trial_tiny.png"), new TrialFigure("A tiny network: 3 inputs, 1 LIF, 2 ALIF",
                1.0, tiny.inputSpikes(), new int[] {0, 2}, new String[] {"stimulus", "a very long group name that does not fit"},
                tiny.lifSpikes(), tiny.alifSpikes(), tiny.alifThresholds(), tiny.outputs(), tiny.outputNames(),
                tiny.targets(), new double[] {50}, new double[] {120}));
        double[][] tv = demoRegression(1000);
        TargetVsOutputPlot.write(out.resolve("target_vs_output.png"), "Pattern generation, iteration 500", 1.0,
                tv[0], tv[1]);
        LearningCurvePlot.write(out.resolve("learning_curve_empty.png"), "Before the first evaluation",
                "iteration", "error rate", List.of(new Series("error", new double[] {0}, new double[] {Double.NaN})), false);
        double[][] many = new double[20][300];
        String[] manyNames = new String[20];
        for (int k = 0; k < 20; k++) {
            manyNames[k] = "class " + k;
            for (int t = 0; t < 300; t++) {
                many[k][t] = Math.sin(0.02 * t + k);
            }
        }
        TrialPlot.write(out.resolve("trial_many_outputs.png"), new TrialFigure("20 outputs, dt = 0.5 ms", 0.5,
                null, null, null, null, null, null, many, manyNames, null, new double[] {20}, new double[] {40}));
        double[][][] sq = demoGradients(40, 40, 1e-7);
        GradientComparisonPlot.write(out.resolve("gradients_40x40.png"), "W_rec gradient", "e-prop", sq[0],
                "BPTT", sq[1]);
        double[][][] row = demoGradients(1, 100, 0.05);
        GradientComparisonPlot.write(out.resolve("gradients_1x100.png"), "W_out gradient", "e-prop", row[0],
                "BPTT", row[1]);
        TrialFigure demo = demoTrial(2250, 40, 100, 100, false);
        RasterPlot.write(out.resolve("raster.png"), new RasterPlot.Raster("Input channels on their own",
                "input channel", 1.0, demo.inputSpikes(), demo.inputGroupStarts(), demo.inputGroupNames(),
                demo.shadeFromMs(), demo.shadeToMs()));
        double[][][] big = demoGradients(400, 400, 1e-16);
        GradientComparisonPlot.write(out.resolve("gradients_400x400.png"), "W_rec gradient, float64",
                "FastEprop", big[0], "OnlineEprop", big[1]);
    }
}
