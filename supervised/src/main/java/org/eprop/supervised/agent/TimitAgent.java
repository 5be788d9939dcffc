package org.eprop.supervised.agent;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eprop.agent.Agent;
import org.eprop.agent.RunContext;
import org.eprop.agent.RunSetup;
import org.eprop.agent.run.AtomicFiles;
import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.run.MetricsLog;
import org.eprop.agent.run.ProgressBar;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.TaskSpec;
import org.eprop.supervised.timit.TimitPlots;
import org.eprop.supervised.timit.TimitTask;
import org.eprop.supervised.timit.TimitTraining;

/**
 * Trains the bidirectional LSNN of the paper's TIMIT experiments (Fig. 2) on {@code timit/framewise}
 * or {@code timit/ctc}, epoch by epoch as the original (docs/timit.md): a random permutation of the
 * training utterances cut into batches, the development and test sets scored after every epoch, the
 * test figure taken at the best development figure. The run directory gets {@code metrics.csv} (one
 * row per epoch), {@code iterations.csv} (one row per iteration), checkpoints after every epoch and
 * on a stop request (a resumed run continues inside the epoch it stopped in), the pictures of
 * {@link TimitPlots}, and {@code summary.json}.
 *
 * <p>From the run config it takes {@code network} (neurons and their constants; {@code dt} must be
 * 1 ms: each 10 ms frame is simulated for {@code steps_per_frame} steps), {@code learning} (rule,
 * feedback, Adam's learning rate and epsilon, rate regularisation) and {@code training.batch}; the
 * rest is {@code agent.params}. {@code network.readout} and {@code training}'s other keys are not
 * used: the frame readout is set by {@code readout_tau_frames}, and evaluation is per epoch.
 */
public final class TimitAgent implements Agent<TimitAgent.Params> {
    public static final String ID = "timit";

    /** Columns of {@code metrics.csv}, one row per epoch. */
    public static final List<String> EPOCH_COLUMNS = List.of("iteration", "epoch", "train_loss", "reg_loss", "rate_hz",
            "validation_frame_error", "validation_frame_error39", "validation_per", "validation_loss",
            "test_frame_error", "test_frame_error39", "test_per", "test_loss", "seconds");
    /** Columns of {@code iterations.csv}. */
    public static final List<String> ITERATION_COLUMNS = List.of("iteration", "loss", "reg_loss", "rate_hz");

    /**
     * {@code agent.params}.
     *
     * @param stepsPerFrame network steps of 1 ms per 10 ms frame (the original: 5)
     * @param readoutTauFrames the frame readout's time constant in frames: kappa = e^(-1/tau) (3)
     * @param warmup iterations of the learning-rate ramp from 0 (the original: 100, its first epoch)
     * @param l2 the L2 coefficient on all weights (1e-5)
     * @param epochs epochs of training (80)
     * @param beamWidth the CTC decoder's beam (100; 1 is greedy best path)
     * @param keepCheckpoints how many of the latest checkpoints are kept
     */
    public record Params(Integer stepsPerFrame, Double readoutTauFrames, Integer warmup, Double l2, Integer epochs,
            Integer beamWidth, Integer keepCheckpoints) implements Validated {
        @Override
        public void validate(Checks c) {
            c.atLeast("steps_per_frame", stepsPerFrame, 1);
            c.positive("readout_tau_frames", readoutTauFrames);
            c.atLeast("warmup", warmup, 0);
            c.nonNegative("l2", l2);
            c.atLeast("epochs", epochs, 1);
            c.atLeast("beam_width", beamWidth, 1);
            c.atLeast("keep_checkpoints", keepCheckpoints, 1);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "trains the bidirectional LSNN on TIMIT (frame-wise or CTC) epoch by epoch, as the paper's Fig. 2";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Params defaultParams() {
        return new Params(5, 3.0, 100, 1e-5, 80, 100, 3);
    }

    @Override
    public boolean accepts(EnvSpec<?> env) {
        return env instanceof TaskSpec<?> && env.id().startsWith(TimitTask.PREFIX);
    }

    @Override
    public boolean isDefaultFor(EnvSpec<?> env) {
        return accepts(env);
    }

    @Override
    public void check(RunSetup setup, Params params, Checks checks) {
        NetworkSpec n = setup.network();
        checks.check(Math.abs(n.dt() - 1.0) <= 1e-12, "network.dt", n.dt(),
                "1.0 (the TIMIT network steps at 1 ms, agent.params.steps_per_frame steps per 10 ms frame)");
        checks.check(setup.learning().optimizer().id().equals("adam"), "learning.optimizer.id",
                setup.learning().optimizer().id(), "adam (the TIMIT scripts' optimiser)");
        int train = ((TimitTask) setup.env().task()).utterances(org.eprop.envs.supervised.SupervisedTask.Split.TRAIN)
                .size();
        checks.check(setup.training().batch() <= train, "training.batch", setup.training().batch(),
                "at most " + train + " (the training split's utterances)");
    }

    /** The training settings of a run config. */
    public static TimitTraining.Settings settings(RunSetup setup, Params p) {
        NetworkSpec n = setup.network();
        LearningSpec l = setup.learning();
        return new TimitTraining.Settings(n.lif(), n.alif(), n.tauM(), n.tauA(), n.vTh(), n.beta(), n.refractory(),
                n.gamma(), p.stepsPerFrame(), Math.exp(-1.0 / p.readoutTauFrames()), setup.rule().id(), l.feedback(),
                l.adaptiveDecay(), l.optimizer().learningRate(), l.optimizer().epsilon(), p.warmup(), p.l2(),
                l.rateRegularization().strength(), l.rateRegularization().targetHz(), setup.training().batch(),
                p.epochs(), n.precision(), setup.seed());
    }

    @Override
    public int run(RunContext ctx, Params params) throws IOException {
        RunSetup setup = ctx.setup();
        TimitTask task = (TimitTask) setup.env().task();
        var dir = ctx.directory();
        TimitTraining.Settings s = settings(setup, params);
        TimitTraining training = new TimitTraining(task, s, params.beamWidth());
        java.nio.file.Path itCsv = dir.path().resolve("iterations.csv");
        java.nio.file.Path itJsonl = dir.path().resolve("iterations.jsonl");
        int perEpoch = task.utterances(org.eprop.envs.supervised.SupervisedTask.Split.TRAIN).size() / s.batch();
        TimitTraining.Result result;
        ProgressBar progress;
        try (TrainingRecord record = TrainingRecord.open(ctx, params.keepCheckpoints(), c -> restore(training, c),
                () -> " (epoch " + training.epoch() + ")", List.of(
                new TrainingRecord.Log(dir.metricsCsv(), dir.metricsJsonl(), EPOCH_COLUMNS),
                new TrainingRecord.Log(itCsv, itJsonl, ITERATION_COLUMNS)))) {
            MetricsLog epochs = record.log(0);
            MetricsLog iterations = record.log(1);
            progress = TrainingRecord.progress(training.iteration(), (long) perEpoch * s.epochs());
            result = training.run(new TimitTraining.Listener() {
                @Override
                public void iteration(long iteration, double loss, double reg, double rate) {
                    TrainingRecord.append(iterations, iteration, loss, reg, rate);
                    progress.update(iteration, String.format(Locale.ROOT, "loss %.4f  %.1f Hz", loss, rate));
                }

                @Override
                public void epoch(TimitTraining.Epoch e) {
                    TimitTraining.Scores v = e.validation();
                    TimitTraining.Scores t = e.test();
                    TrainingRecord.append(epochs, e.iteration(), e.epoch(), e.trainLoss(), e.regLoss(), e.rateHz(),
                            v.frameError(), v.frameError39(), v.phoneErrorRate(), v.loss(), t.frameError(),
                            t.frameError39(), t.phoneErrorRate(), t.loss(), e.seconds());
                    ctx.out().println(TimitTraining.describe(e));
                }

                @Override
                public void checkpoint(long iteration) {
                    record.checkpoint(iteration, () -> {
                        Checkpoint.Builder b = Checkpoint.builder();
                        training.state().forEach(b::put);
                        return b.build();
                    });
                }

                @Override
                public boolean stopRequested() {
                    return ctx.stop().requested();
                }
            });
        }
        if (result.interrupted()) {
            return TrainingRecord.stopped(ctx, progress, training.iteration());
        }
        progress.finish(null);
        try {
            TimitPlots.draw(dir.plots(), task, training);
        } catch (IOException | RuntimeException e) {
            ctx.out().println("warning: the TIMIT pictures failed: " + e.getMessage());
        }
        TimitTraining.Scores v = result.validation();
        TimitTraining.Scores t = result.test();
        String json = String.format(Locale.ROOT, "{\"epochs\": %d, \"best_epoch\": %d, \"iterations\": %d, "
                + "\"validation_frame_error\": %s, \"validation_frame_error39\": %s, \"validation_per\": %s, "
                + "\"test_frame_error\": %s, \"test_frame_error39\": %s, \"test_per\": %s, \"seconds\": %.3f}%n",
                result.epochs(), result.bestEpoch(), training.iteration(), num(v.frameError()), num(v.frameError39()),
                num(v.phoneErrorRate()), num(t.frameError()), num(t.frameError39()), num(t.phoneErrorRate()),
                result.seconds());
        AtomicFiles.writeString(dir.path().resolve("summary.json"), json);
        ctx.out().println(String.format(Locale.ROOT, "%s: %d epochs, best development epoch %d; test at it: %s, %.0f s",
                task.id(), result.epochs(), result.bestEpoch(), task.mode() == TimitTask.Mode.CTC
                        ? String.format(Locale.ROOT, "PER %.4f", t.phoneErrorRate())
                        : String.format(Locale.ROOT, "frame error %.4f (39 classes: %.4f)", t.frameError(),
                                t.frameError39()), result.seconds()));
        return 0;
    }

    private static void restore(TimitTraining training, Checkpoint c) {
        Map<String, double[]> state = new LinkedHashMap<>();
        for (String name : c.names()) {
            state.put(name, c.doubles(name));
        }
        training.restore(state);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "null" : Double.toString(v);
    }
}
