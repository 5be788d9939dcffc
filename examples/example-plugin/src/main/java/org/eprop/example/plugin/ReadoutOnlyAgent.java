package org.eprop.example.plugin;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eprop.agent.Agent;
import org.eprop.agent.RunContext;
import org.eprop.agent.RunSetup;
import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.run.CheckpointStore;
import org.eprop.agent.run.MetricsLog;
import org.eprop.agent.run.ProgressBar;
import org.eprop.agent.spec.TrainingSpec;
import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.TaskSpec;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.envs.supervised.TaskMetrics;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.optim.Optimizer;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;
import org.eprop.supervised.agent.Networks;

/**
 * An agent of the plugin's own: it trains only the readout of a spiking network whose input and
 * recurrent weights stay as drawn, a liquid-state machine (Maass, Natschlaeger and Markram 2002)
 * built from the run's {@code network} section. It is the baseline that tells how much of a
 * task's score comes from learning the recurrent network at all: compare its test error with the
 * supervised agent's on the same config.
 *
 * <p>The readout gradient needs no learning rule: {@code dE/dW_out = sum_t zbar(t) dE/dy(t)}, with
 * {@code zbar} the spikes filtered as the readout filters them. The optimiser is the run's
 * ({@code learning.optimizer}); {@code learning.rule} is not used. A run resumes exactly from its
 * last checkpoint (readout, optimiser state, random streams, counters).
 */
public final class ReadoutOnlyAgent implements Agent<ReadoutOnlyAgent.Params> {
    public static final String ID = "example/readout-only";
    static final List<String> COLUMNS = List.of("iteration", "loss", "train_error", "validation_error",
            "test_error", "rate_hz");

    /**
     * @param l2 weight decay on the readout, {@code l2/2 |W_out|^2} added to the loss (ridge
     *     regression's penalty, the usual regulariser of a reservoir's readout)
     */
    public record Params(Double l2) implements Validated {
        @Override
        public void validate(Checks c) {
            c.nonNegative("l2", l2);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "example plugin: trains only the readout of a frozen random spiking network (liquid-state machine)";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Params defaultParams() {
        return new Params(0.0);
    }

    @Override
    public boolean accepts(EnvSpec<?> env) {
        return env instanceof TaskSpec<?>;
    }

    @Override
    public void check(RunSetup setup, Params params, Checks checks) {
        SupervisedTask task = setup.env().task();
        checks.check(Math.abs(setup.network().dt() - task.dtMs()) <= 1e-12, "network.dt", setup.network().dt(),
                task.dtMs() + " (the environment " + task.id() + " steps at " + task.dtMs() + " ms)");
    }

    @Override
    public int run(RunContext ctx, Params params) throws IOException {
        RunSetup setup = ctx.setup();
        SupervisedTask task = setup.env().task();
        TrainingSpec training = setup.training();
        int batch = training.batch();
        Rng root = new Rng(setup.seed());
        SpikingNetwork net = Networks.network(setup.network(), task, root.split(1));
        boolean bias = net.readout().bias();
        RealArray[] trained = bias ? new RealArray[] {net.wOut(), net.bOut()} : new RealArray[] {net.wOut()};
        RealArray gOut = net.precision().zeros(net.wOut().length());
        RealArray gBias = net.precision().zeros(net.bOut().length());
        RealArray[] grads = bias ? new RealArray[] {gOut, gBias} : new RealArray[] {gOut};
        Optimizer optimizer = setup.learning().optimizer().create();
        Rng trainData = root.split(101);
        Rng evalData = root.split(202);
        ForwardPass forward = new ForwardPass(net.precision());
        BackwardInput backward = new BackwardInput(net.precision());
        var loss = Networks.loss(task);
        RealArray x = net.precision().zeros(task.steps() * batch * task.inputs());
        Targets targets = new Targets();
        CheckpointStore store = new CheckpointStore(ctx.directory().checkpoints(), 2);

        long iteration = 0;
        MetricsLog metrics;
        if (ctx.resume()) {
            Optional<CheckpointStore.Loaded> latest = store.latest();
            if (latest.isPresent()) {
                Checkpoint c = latest.get().checkpoint();
                copy(c.doubles("net.w_out"), net.wOut());
                copy(c.doubles("net.b_out"), net.bOut());
                Map<String, double[]> state = new LinkedHashMap<>();
                c.names().stream().filter(n -> n.startsWith("optimizer.")).forEach(n -> state.put(
                        n.substring("optimizer.".length()), c.doubles(n)));
                optimizer.restore(state, trained);
                trainData.restore(c.longs("rng.train"));
                evalData.restore(c.longs("rng.eval"));
                iteration = latest.get().iteration();
            }
            metrics = MetricsLog.resume(ctx.directory().metricsCsv(), ctx.directory().metricsJsonl(), COLUMNS,
                    iteration);
        } else {
            metrics = MetricsLog.create(ctx.directory().metricsCsv(), ctx.directory().metricsJsonl(), COLUMNS);
        }

        ProgressBar progress = new ProgressBar(System.err, "readout", iteration, training.maxIterations(),
                ProgressBar.isInteractive(), System::nanoTime);
        double test = Double.NaN;
        try (metrics) {
            while (iteration < training.maxIterations()) {
                iteration++;
                int steps = task.sampleBatch(SupervisedTask.Split.TRAIN, trainData, batch, x, targets);
                Trajectory tr = forward.run(net, x, steps, batch, false);
                backward.evaluate(tr, loss, targets, RateRegularizer.NONE);
                readoutGradient(net, tr, backward.dy(), params.l2(), gOut, gBias);
                double trainError = TaskMetrics.error(task.metric(), tr.outputs(), targets);
                double rateHz = tr.spikes().sum() / ((double) steps * batch * net.neurons()) * 1000.0 / task.dtMs();
                optimizer.step(trained, grads);
                double validation = iteration % training.evalEvery() == 0
                        ? evaluate(task, net, forward, SupervisedTask.Split.VALIDATION, evalData, batch, 1)
                        : Double.NaN;
                boolean last = iteration == training.maxIterations();
                if (last) {
                    test = evaluate(task, net, forward, SupervisedTask.Split.TEST, evalData, batch,
                            training.evalBatches());
                }
                metrics.append(iteration, backward.taskLoss(), trainError, validation, last ? test : Double.NaN,
                        rateHz);
                progress.update(iteration, String.format(Locale.ROOT, "loss %.4f %s %.3f", backward.taskLoss(),
                        task.metric().id(), trainError));
                if (last || iteration % training.checkpointEvery() == 0) {
                    metrics.sync();
                    Checkpoint.Builder b = Checkpoint.builder().put("net.w_out", net.wOut().toDoubleArray())
                            .put("net.b_out", net.bOut().toDoubleArray())
                            .put("rng.train", trainData.state()).put("rng.eval", evalData.state());
                    optimizer.state().forEach((k, v) -> b.put("optimizer." + k, v));
                    store.save(iteration, b.build());
                }
            }
        }
        String line = String.format(Locale.ROOT, "%s, readout only: %d iterations, test %s %.4f", task.id(), iteration,
                task.metric().id(), test);
        progress.finish(line);
        ctx.out().println(line);
        return 0;
    }

    /**
     * {@code dE/dW_out[j,k] = sum_{t,b} zbar_j(t,b) dy_k(t,b) + l2 W_out[j,k]} and the bias gradient
     * {@code sum dy_k}; zbar follows the readout's filter {@code zbar = kappa zbar + c z}.
     */
    static void readoutGradient(SpikingNetwork net, Trajectory tr, RealArray dy, double l2, RealArray gOut,
            RealArray gBias) {
        int n = net.neurons();
        int nOut = net.outputs();
        int batch = tr.batch();
        double[] zbar = new double[batch * n];
        double[] g = new double[n * nOut];
        double[] gb = new double[nOut];
        for (int t = 0; t < tr.steps(); t++) {
            for (int b = 0; b < batch; b++) {
                int row = t * batch + b;
                for (int j = 0; j < n; j++) {
                    double z = net.kappa() * zbar[b * n + j] + net.readoutFactor() * tr.spikes().get(row * n + j);
                    zbar[b * n + j] = z;
                    if (z != 0) {
                        for (int k = 0; k < nOut; k++) {
                            g[j * nOut + k] += z * dy.get(row * nOut + k);
                        }
                    }
                }
                for (int k = 0; k < nOut; k++) {
                    gb[k] += dy.get(row * nOut + k);
                }
            }
        }
        for (int i = 0; i < g.length; i++) {
            gOut.set(i, g[i] + l2 * net.wOut().get(i));
        }
        for (int k = 0; k < nOut; k++) {
            gBias.set(k, gb[k]);
        }
    }

    private static double evaluate(SupervisedTask task, SpikingNetwork net, ForwardPass forward,
            SupervisedTask.Split split, Rng rng, int batch, int batches) {
        RealArray x = net.precision().zeros(task.steps() * batch * task.inputs());
        Targets targets = new Targets();
        double sum = 0;
        for (int i = 0; i < batches; i++) {
            int steps = task.sampleBatch(split, rng, batch, x, targets);
            sum += TaskMetrics.error(task.metric(), forward.run(net, x, steps, batch, false).outputs(), targets);
        }
        return sum / batches;
    }

    private static void copy(double[] from, RealArray to) {
        if (from.length != to.length()) {
            throw new IllegalArgumentException("checkpoint readout has " + from.length + " values, the network "
                    + to.length() + ": was it written with another network size?");
        }
        for (int i = 0; i < from.length; i++) {
            to.set(i, from[i]);
        }
    }
}
