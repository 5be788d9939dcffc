package org.eprop.supervised.train;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.envs.supervised.TaskMetrics;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.train.Learner;

/**
 * Trains a spiking network on a {@link SupervisedTask}, reading top to bottom like the
 * reference's training script: draw a batch, take a learning step, every {@code eval_every}
 * iterations validate on a fresh batch, and stop early once the validation error is below the
 * threshold and the mean over {@code eval_batches} fresh batches confirms it.
 *
 * <p>Training batches and evaluation batches come from two separate random streams, so evaluating
 * more or less often does not change what the network is trained on. The trainer's whole state
 * ({@link #state()}) is what a checkpoint needs to continue the run exactly.
 */
public final class SupervisedTrainer {

    /** Receives the progress of a run. */
    public interface Listener {
        /** After every iteration; {@code trajectory} is the training batch's forward pass. */
        void iteration(Metrics metrics, Trajectory trajectory, RealArray x, Targets targets);

        /** When the state after {@code iteration} should be checkpointed. */
        void checkpoint(long iteration);

        /** Polled after every iteration: true ends the run there, after a checkpoint. */
        default boolean stopRequested() {
            return false;
        }
    }

    /**
     * How a run ended.
     *
     * @param interrupted whether it ended on {@link Listener#stopRequested()} before its budget
     */
    public record Summary(long iterations, boolean stoppedEarly, double testError, String metricName,
            boolean interrupted) {
    }

    private final SupervisedTask task;
    private final Learner learner;
    private final TrainingSettings settings;
    private final ForwardPass evaluator;
    private final Rng trainData;
    private final Rng evalData;
    private final RealArray x;
    private final RealArray evalX;
    private final Targets targets = new Targets();
    private final Targets evalTargets = new Targets();
    private long iteration;
    private boolean stopped;
    private double lastTestError = Double.NaN;

    /**
     * @param evaluator a forward pass for evaluation batches (its own workspace, so the training
     *     trajectory stays intact for listeners)
     */
    public SupervisedTrainer(SupervisedTask task, Learner learner, ForwardPass evaluator, TrainingSettings settings,
            long seed) {
        this.task = task;
        this.learner = learner;
        this.settings = settings;
        this.evaluator = evaluator;
        Rng root = new Rng(seed);
        this.trainData = root.split(101);
        this.evalData = root.split(202);
        int size = task.steps() * settings.batch() * task.inputs();
        this.x = learner.network().precision().zeros(size);
        this.evalX = learner.network().precision().zeros(size);
    }

    /** The metric's name: "error" (one decision per trial), "frame_error" or "nmse" (regression). */
    public String metricName() {
        return task.metric().id();
    }

    public long iteration() {
        return iteration;
    }

    public boolean stoppedEarly() {
        return stopped;
    }

    /** Runs until the budget is spent or early stopping triggers. */
    public Summary run(Listener listener) {
        int batch = settings.batch();
        while (iteration < settings.maxIterations() && !stopped) {
            iteration++;
            int steps = task.sampleBatch(SupervisedTask.Split.TRAIN, trainData, batch, x, targets);
            Learner.Step step = learner.step(x, steps, batch, targets);
            double trainError = TaskMetrics.error(task.metric(), step.trajectory().outputs(), targets);
            double rateHz = step.trajectory().spikeTotal() / ((double) steps * batch
                    * learner.network().neurons()) * 1000.0 / task.dtMs();

            double validation = Double.NaN;
            double test = Double.NaN;
            if (iteration % settings.evalEvery() == 0) {
                validation = evaluate(SupervisedTask.Split.VALIDATION, 1);
                if (validation < settings.stopBelow()) {
                    test = evaluate(SupervisedTask.Split.TEST, settings.evalBatches());
                    lastTestError = test;
                    stopped = test < settings.stopBelow();
                }
            }
            boolean last = stopped || iteration == settings.maxIterations();
            if (last && Double.isNaN(test)) {
                test = evaluate(SupervisedTask.Split.TEST, settings.evalBatches());
                lastTestError = test;
            }
            listener.iteration(new Metrics(iteration, step.taskLoss(), step.regLoss(), trainError, validation, test,
                    rateHz), step.trajectory(), x, targets);
            boolean interrupt = !last && listener.stopRequested();
            if (last || interrupt || iteration % settings.checkpointEvery() == 0) {
                listener.checkpoint(iteration);
            }
            if (interrupt) {
                return new Summary(iteration, false, lastTestError, metricName(), true);
            }
        }
        return new Summary(iteration, stopped, lastTestError, metricName(), false);
    }

    /**
     * Mean task metric over {@code batches} batches of {@code split} from the evaluation stream
     * (validation and test draw from one stream, in the order they are asked for, so that a
     * generated task's evaluation batches never repeat).
     */
    public double evaluate(SupervisedTask.Split split, int batches) {
        double sum = 0;
        for (int i = 0; i < batches; i++) {
            int steps = task.sampleBatch(split, evalData, settings.batch(), evalX, evalTargets);
            Trajectory tr = evaluator.run(learner.network(), evalX, steps, settings.batch(), false);
            sum += TaskMetrics.error(task.metric(), tr.outputs(), evalTargets);
        }
        return sum / batches;
    }

    /** Counters and random streams; with the network and optimiser state this resumes a run exactly. */
    public Map<String, long[]> state() {
        Map<String, long[]> s = new LinkedHashMap<>();
        s.put("trainer.counters", new long[] {iteration, stopped ? 1 : 0, Double.doubleToRawLongBits(lastTestError)});
        s.put("trainer.rng.train", trainData.state());
        s.put("trainer.rng.eval", evalData.state());
        return s;
    }

    /** Restores what {@link #state()} returned. */
    public void restore(Map<String, long[]> s) {
        long[] c = s.get("trainer.counters");
        iteration = c[0];
        stopped = c[1] != 0;
        lastTestError = Double.longBitsToDouble(c[2]);
        trainData.restore(s.get("trainer.rng.train"));
        evalData.restore(s.get("trainer.rng.eval"));
    }
}
