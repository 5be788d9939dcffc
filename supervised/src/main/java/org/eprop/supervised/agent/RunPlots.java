package org.eprop.supervised.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eprop.agent.RunContext;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.train.Learner;
import org.eprop.agent.plot.LearningCurvePlot;
import org.eprop.agent.plot.LearningCurvePlot.Series;
import org.eprop.agent.plot.TargetVsOutputPlot;
import org.eprop.agent.plot.TrialPlot;

/**
 * The plots of a supervised run: the learning curves, drawn from metrics.csv (so a resumed run's
 * curve is whole), and one fresh trial in the style of paper Fig. 3 (or target against output for
 * regression tasks). The trial is drawn from its own random stream and does not disturb training.
 */
final class RunPlots {
    private RunPlots() {
    }

    static void draw(RunContext ctx, SupervisedTask task, Learner learner, long iteration) throws IOException {
        Path plots = ctx.directory().plots();
        learningCurves(ctx.directory().metricsCsv(), plots, task, ctx.setup().name());
        trial(ctx, task, learner.network(), iteration, plots);
    }

    private static void learningCurves(Path csv, Path plots, SupervisedTask task, String name) throws IOException {
        List<String> lines = Files.exists(csv) ? Files.readAllLines(csv) : List.of();
        if (lines.size() < 2) {
            return;
        }
        List<String> header = List.of(lines.get(0).split(","));
        int rows = lines.size() - 1;
        double[][] cols = new double[header.size()][rows];
        for (int r = 0; r < rows; r++) {
            String[] cells = lines.get(r + 1).split(",", -1);
            for (int c = 0; c < header.size(); c++) {
                cols[c][r] = c < cells.length && !cells[c].isEmpty() ? parse(cells[c]) : Double.NaN;
            }
        }
        double[] it = cols[header.indexOf("iteration")];
        String metric = switch (task.metric()) {
            case TRIAL_ERROR -> "error rate";
            case FRAME_ERROR -> "frame error";
            case NMSE -> "normalised MSE";
        };
        List<Series> errors = new ArrayList<>();
        errors.add(new Series("training batch", it, cols[header.indexOf("train_error")]));
        errors.add(new Series("validation batch", it, cols[header.indexOf("validation_error")]));
        errors.add(new Series("test (mean of fresh batches)", it, cols[header.indexOf("test_error")]));
        LearningCurvePlot.write(plots.resolve("learning-curve.png"), name + ": " + task.id() + " " + metric,
                "iteration", metric, errors, task.kind() == SupervisedTask.Kind.REGRESSION);
        LearningCurvePlot.write(plots.resolve("loss.png"), name + ": loss", "iteration", "loss",
                List.of(new Series("task loss", it, cols[header.indexOf("loss")]),
                        new Series("rate regularisation", it, cols[header.indexOf("reg_loss")])), true);
    }

    private static double parse(String s) {
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static void trial(RunContext ctx, SupervisedTask task, SpikingNetwork net, long iteration, Path plots)
            throws IOException {
        int steps = task.steps();
        RealArray x = net.precision().zeros(steps * task.inputs());
        Targets targets = new Targets();
        steps = task.sampleBatch(SupervisedTask.Split.VALIDATION, new Rng(ctx.setup().seed() * 1_000_003L + iteration),
                1, x, targets);
        Trajectory tr = new ForwardPass(net.precision()).run(net, x, steps, 1, true);
        int nLif = net.layer().nLif();
        int nAlif = net.layer().nAlif();
        int nOut = net.outputs();
        double[][] input = rows(task.inputs(), steps, (i, t) -> x.get(t * task.inputs() + i));
        double[][] lif = rows(nLif, steps, (j, t) -> tr.spikes().get(t * net.neurons() + j));
        double[][] alif = rows(nAlif, steps, (j, t) -> tr.spikes().get(t * net.neurons() + nLif + j));
        int shown = Math.min(10, nAlif);
        double[][] thresholds = rows(shown, steps, (j, t) -> net.vTh()
                + net.beta(nLif + j) * tr.adaptation().get(t * net.neurons() + nLif + j));
        boolean classification = task.kind() == SupervisedTask.Kind.CLASSIFICATION;
        double[][] outputs = new double[nOut][steps];
        for (int t = 0; t < steps; t++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < nOut; k++) {
                max = Math.max(max, tr.outputs().get(t * nOut + k));
            }
            double sum = 0;
            for (int k = 0; k < nOut; k++) {
                double y = tr.outputs().get(t * nOut + k);
                outputs[k][t] = classification ? Math.exp(y - max) : y;
                sum += outputs[k][t];
            }
            if (classification) {
                for (int k = 0; k < nOut; k++) {
                    outputs[k][t] /= sum;
                }
            }
        }
        double[][] target = new double[nOut][steps];
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < nOut; k++) {
                target[k][t] = classification ? (targets.weight(t, 0) > 0 && targets.label(t, 0) == k ? 1 : Double.NaN)
                        : targets.value(t, 0, k);
            }
        }
        String[] names = new String[nOut];
        for (int k = 0; k < nOut; k++) {
            String name = task.outputNames().get(k);
            names[k] = classification ? "p(" + name + ")" : name;
        }
        List<SupervisedTask.InputGroup> groups = task.inputGroups();
        int[] starts = groups.stream().mapToInt(SupervisedTask.InputGroup::firstChannel).toArray();
        String[] groupNames = groups.stream().map(SupervisedTask.InputGroup::name).toArray(String[]::new);
        double[] from = task.windows().stream().mapToDouble(SupervisedTask.Window::fromMs).toArray();
        double[] to = task.windows().stream().mapToDouble(SupervisedTask.Window::toMs).toArray();
        TrialPlot.write(plots.resolve("trial.png"), new TrialPlot.TrialFigure(ctx.setup().name() + ": " + task.id()
                + ", one trial after iteration " + iteration, task.dtMs(), input, starts, groupNames, lif, alif,
                thresholds, outputs, names, target, from, to));
        if (!classification) {
            double[] y = new double[steps];
            for (int t = 0; t < steps; t++) {
                y[t] = tr.outputs().get(t * nOut);
            }
            TargetVsOutputPlot.write(plots.resolve("target-vs-output.png"), ctx.setup().name() + ": " + task.id()
                    + " after iteration " + iteration, task.dtMs(), target[0], y);
        }
    }

    private interface Cell {
        double at(int row, int t);
    }

    private static double[][] rows(int n, int steps, Cell cell) {
        double[][] m = new double[n][steps];
        for (int i = 0; i < n; i++) {
            for (int t = 0; t < steps; t++) {
                m[i][t] = cell.at(i, t);
            }
        }
        return m;
    }
}
