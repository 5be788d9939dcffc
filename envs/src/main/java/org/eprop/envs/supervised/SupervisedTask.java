package org.eprop.envs.supervised;

import java.util.List;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * A supervised task: sequences of inputs with targets, drawn in batches from a named
 * {@link Split}. A batch's sequences share one length, which may differ from batch to batch (at
 * most {@link #steps()}; shorter sequences are padded, with loss weight 0 on the padding).
 * Training draws whole batches with {@link #sampleBatch(Split, Rng, int, RealArray, Targets)};
 * {@link SupervisedEnv} presents the same trials step by step behind the
 * {@link org.eprop.envs.api.Env} interface.
 *
 * <p>A task that generates its trials (the cue tasks, pattern generation) draws fresh trials for
 * every split; the trainer keeps training and evaluation apart by their random streams. A task
 * over a fixed data set (speech corpora) serves each split from its own part of the data.
 */
public interface SupervisedTask {

    /** What the readouts are trained to do. */
    enum Kind {
        /** Class labels on chosen steps (cross-entropy). */
        CLASSIFICATION,
        /** Target values (squared error). */
        REGRESSION
    }

    /** How a batch is scored for evaluation and early stopping (see {@link TaskMetrics}). */
    enum Metric {
        /**
         * One decision per trial: the argmax of the readouts averaged over the steps that carry
         * loss weight, against the label of those steps; the error rate over trials (paper Fig. 3).
         */
        TRIAL_ERROR("error"),
        /**
         * One label per weighted step (a frame): the fraction of frames whose argmax is wrong, per
         * sequence, then the mean over sequences (the frame error of the paper's TIMIT scripts).
         */
        FRAME_ERROR("frame_error"),
        /** The weighted squared error over the weighted variance of the target (regression). */
        NMSE("nmse");

        private final String id;

        Metric(String id) {
            this.id = id;
        }

        /** The name in metrics files and summaries: {@code error}, {@code frame_error}, {@code nmse}. */
        public String id() {
            return id;
        }
    }

    /** The named parts of a data set. */
    enum Split {
        /** What the weights are trained on. */
        TRAIN,
        /** What model selection and early stopping look at (TIMIT's development set). */
        VALIDATION,
        /** What is reported (TIMIT's core test set). */
        TEST;

        /** The lower-case name: {@code train}, {@code validation}, {@code test}. */
        public String id() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    /** A named group of input channels, for plots. */
    record InputGroup(String name, int firstChannel) {
    }

    /** A time window in ms to highlight in plots (cues, recall). */
    record Window(double fromMs, double toMs) {
    }

    String id();

    /** Number of input channels. */
    int inputs();

    /** Number of readouts the task needs. */
    int outputs();

    /** The longest sequence in steps: the size that input buffers are allocated for. */
    int steps();

    /** Time step in ms. */
    double dtMs();

    Kind kind();

    /** The metric of evaluation: by default one decision per trial, or the normalised MSE for regression. */
    default Metric metric() {
        return kind() == Kind.CLASSIFICATION ? Metric.TRIAL_ERROR : Metric.NMSE;
    }

    /**
     * Draws a batch of sequences from {@code split}.
     *
     * @param x receives the inputs, time-major {@code [steps x batch x inputs]} for the returned
     *     number of steps (its length is at least {@link #steps()} {@code * batch * inputs})
     * @param targets receives labels or values and the per-step loss weights (resized here to the
     *     batch's steps)
     * @return the batch's length in steps, at most {@link #steps()}
     */
    int sampleBatch(Split split, Rng rng, int batch, RealArray x, Targets targets);

    /** Draws a training batch; for tasks whose batches all have {@link #steps()} steps. */
    default void sampleBatch(Rng rng, int batch, RealArray x, Targets targets) {
        sampleBatch(Split.TRAIN, rng, batch, x, targets);
    }

    /** Input groups for plots (empty: one group). */
    default List<InputGroup> inputGroups() {
        return List.of();
    }

    /** Names of the readouts (classes or target channels), for plots. */
    default List<String> outputNames() {
        List<String> names = new java.util.ArrayList<>();
        for (int k = 0; k < outputs(); k++) {
            names.add((kind() == Kind.CLASSIFICATION ? "class " : "output ") + k);
        }
        return names;
    }

    /** Windows to highlight in plots of a trial. */
    default List<Window> windows() {
        return List.of();
    }
}
