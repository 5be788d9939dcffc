package org.eprop.supervised.agent;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eprop.agent.Agent;
import org.eprop.agent.RunContext;
import org.eprop.agent.RunSetup;
import org.eprop.agent.spec.MemoryBudget;
import org.eprop.agent.spec.TrainingSpec;
import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.TaskSpec;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.train.Learner;
import org.eprop.learning.train.LearnerState;
import org.eprop.agent.run.AtomicFiles;
import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.run.MetricsLog;
import org.eprop.agent.run.EarlyStopEstimate;
import org.eprop.agent.run.ProgressBar;
import org.eprop.supervised.train.Metrics;
import org.eprop.supervised.train.SupervisedTrainer;
import org.eprop.supervised.train.TrainingSettings;

/**
 * Trains a network on a supervised environment and keeps the run directory up to date: one
 * metrics row per iteration, checkpoints, plots, a progress bar, and a summary at the end. A
 * resumed run restores the latest checkpoint and drops the metrics rows written after it, so the
 * table continues without a gap or a duplicate.
 */
public final class SupervisedAgent implements Agent<SupervisedAgent.Params> {
    public static final String ID = "supervised";

    /**
     * The supervised agent's own parameters ({@code agent.params}); the network, learning rule and
     * training loop are the run config's {@code network}, {@code learning} and {@code training}.
     *
     * @param keepCheckpoints how many of the latest checkpoints the run directory keeps (older
     *     ones are deleted; more than one survives a checkpoint corrupted by a crash)
     */
    public record Params(Integer keepCheckpoints) implements Validated {
        @Override
        public void validate(Checks c) {
            c.atLeast("keep_checkpoints", keepCheckpoints, 1);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "trains the network on a supervised environment (e-prop or BPTT), with early stopping";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Params defaultParams() {
        return new Params(3);
    }

    @Override
    public boolean accepts(EnvSpec<?> env) {
        return env instanceof TaskSpec<?>;
    }

    @Override
    public boolean isDefaultFor(EnvSpec<?> env) {
        // TIMIT's utterances go to the bidirectional network of the timit agent
        return accepts(env) && !env.id().startsWith(org.eprop.supervised.timit.TimitTask.PREFIX);
    }

    @Override
    public void check(RunSetup setup, Params params, Checks checks) {
        SupervisedTask task = setup.env().task();
        double dt = setup.network().dt();
        checks.check(Math.abs(dt - task.dtMs()) <= 1e-12, "network.dt", dt,
                task.dtMs() + " (the environment " + task.id() + " steps at " + task.dtMs() + " ms)");
        checkMemory(setup, task, checks);
    }

    /** Refuses, before any run directory exists, a network or batch that cannot fit in this JVM. */
    static void checkMemory(RunSetup setup, SupervisedTask task, Checks checks) {
        long n = (long) setup.network().lif() + setup.network().alif();
        long batch = setup.training().batch();
        // eprop-online keeps eligibility traces per sequence and synapse (eps_v, eps_a, ebar, in double)
        long traced = setup.rule().id().equals("eprop-online") ? batch : 0;
        long bytes = MemoryBudget.bytes(setup.network().precision(), task.inputs(), n, task.outputs(), task.steps(),
                batch, traced, 3);
        long weightsOnly = MemoryBudget.bytes(setup.network().precision(), task.inputs(), n, task.outputs(), 0, 0, 0, 0);
        boolean network = weightsOnly > MemoryBudget.available() / 2;
        MemoryBudget.check(checks, network ? "network.lif" : "training.batch",
                network ? setup.network().lif() : batch, bytes, String.format(java.util.Locale.ROOT,
                        "%,d neurons and %d inputs, batches of %,d sequences of %,d steps (%s)", n, task.inputs(),
                        batch, task.steps(), setup.rule().id()), network ? "network.lif / network.alif"
                        : "training.batch (or network.lif / network.alif)");
    }

    @Override
    public int run(RunContext ctx, Params params) throws IOException {
        RunSetup setup = ctx.setup();
        SupervisedTask task = setup.env().task();
        var dir = ctx.directory();
        Rng root = new Rng(setup.seed());
        ForwardPass forward = new ForwardPass(setup.network().precision());
        Learner learner = Networks.learner(setup, task, forward, root.split(7));
        TrainingSpec t = setup.training();
        TrainingSettings settings = new TrainingSettings(t.batch(), t.maxIterations(), t.evalEvery(),
                t.earlyStopping() ? t.stopBelow() : Double.NaN, t.evalBatches(), t.checkpointEvery(), t.plotEvery());
        SupervisedTrainer trainer = new SupervisedTrainer(task, learner, new ForwardPass(forward.dense()), settings,
                root.split(8).nextLong());
        String metric = trainer.metricName();
        ProgressBar progress;
        long started;
        SupervisedTrainer.Summary summary;
        try (TrainingRecord record = TrainingRecord.open(ctx, params.keepCheckpoints(),
                c -> restore(c, learner, trainer), () -> "",
                List.of(new TrainingRecord.Log(dir.metricsCsv(), dir.metricsJsonl(), Metrics.COLUMNS)))) {
            MetricsLog metrics = record.log(0);
            progress = TrainingRecord.progress(trainer.iteration(), settings.maxIterations());
            // the ETA counts to the expected early stop, where the run has one (stop_below)
            EarlyStopEstimate earlyStop = Double.isFinite(settings.stopBelow())
                    ? new EarlyStopEstimate(settings.stopBelow(), 30) : null;
            if (earlyStop != null && trainer.iteration() > 0) {
                seed(earlyStop, dir.metricsCsv()); // a resumed run's estimate goes on from its kept rows
            }
            started = System.nanoTime();
            summary = trainer.run(new SupervisedTrainer.Listener() {
                @Override
                public void iteration(Metrics m, Trajectory tr, RealArray x, Targets targets) {
                    TrainingRecord.append(metrics, m.iteration(), m.values());
                    if (earlyStop != null && !Double.isNaN(m.validationError())) {
                        earlyStop.add(m.iteration(), m.validationError());
                        progress.expectedEnd(earlyStop.iteration());
                    }
                    progress.update(m.iteration(), String.format(Locale.ROOT, "loss %.4f %s %.3f%s  %.1f Hz", m.loss(),
                            metric, m.trainError(), Double.isNaN(m.validationError()) ? ""
                                    : String.format(Locale.ROOT, " val %.3f", m.validationError()), m.rateHz()));
                    if (m.iteration() % settings.plotEvery() == 0) {
                        plot(ctx, learner, m.iteration());
                    }
                }

                @Override
                public void checkpoint(long iteration) {
                    record.checkpoint(iteration, () -> snapshot(learner, trainer));
                }

                @Override
                public boolean stopRequested() {
                    return ctx.stop().requested();
                }
            });
        }
        if (summary.interrupted()) {
            return TrainingRecord.stopped(ctx, progress, summary.iterations());
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        plot(ctx, learner, summary.iterations());
        String line = String.format(Locale.ROOT, "%s: %d iterations%s, test %s %.4f (mean over %d fresh batches of %d), "
                + "%.1f s", task.id(), summary.iterations(), summary.stoppedEarly() ? " (stopped early)" : "",
                metric, summary.testError(), settings.evalBatches(), settings.batch(), seconds);
        progress.finish(null);
        writeSummary(dir.path().resolve("summary.json"), summary, seconds);
        ctx.out().println(line);
        return 0;
    }

    /** Feeds the validation errors of a resumed run's {@code metrics.csv} (already cut to its checkpoint). */
    private static void seed(EarlyStopEstimate estimate, Path csv) throws IOException {
        List<String> rows = Files.readAllLines(csv);
        int column = rows.isEmpty() ? -1 : List.of(rows.get(0).split(",")).indexOf("validation_error");
        for (int i = 1; column >= 0 && i < rows.size(); i++) {
            String[] c = rows.get(i).split(",");
            if (c.length > column && !c[column].isEmpty()) {
                estimate.add(Long.parseLong(c[0]), Double.parseDouble(c[column]));
            }
        }
    }

    private static Checkpoint snapshot(Learner learner, SupervisedTrainer trainer) {
        Checkpoint.Builder b = Checkpoint.builder();
        LearnerState.save(learner).forEach(b::put);
        trainer.state().forEach(b::put);
        return b.build();
    }

    private static void restore(Checkpoint c, Learner learner, SupervisedTrainer trainer) {
        Map<String, double[]> doubles = new LinkedHashMap<>();
        Map<String, long[]> longs = new LinkedHashMap<>();
        for (String name : c.names()) {
            if (name.startsWith("trainer.")) {
                longs.put(name, c.longs(name));
            } else {
                doubles.put(name, c.doubles(name));
            }
        }
        LearnerState.restore(learner, doubles);
        trainer.restore(longs);
    }

    private static void writeSummary(Path file, SupervisedTrainer.Summary s, double seconds) throws IOException {
        String json = String.format(Locale.ROOT, "{\"iterations\": %d, \"stopped_early\": %s, \"test_%s\": %s, "
                + "\"seconds\": %.3f}%n", s.iterations(), s.stoppedEarly(), s.metricName(),
                Double.isNaN(s.testError()) ? "null" : Double.toString(s.testError()), seconds);
        AtomicFiles.writeString(file, json);
    }

    private static void plot(RunContext ctx, Learner learner, long iteration) {
        try {
            RunPlots.draw(ctx, ctx.setup().env().task(), learner, iteration);
        } catch (IOException | RuntimeException e) {
            ctx.out().println("warning: plotting failed at iteration " + iteration + ": " + e.getMessage());
        }
    }

}
