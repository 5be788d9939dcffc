package org.eprop.envs.supervised;

import java.util.List;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * A supervised task: trials of input sequences with targets. Training draws whole batches with
 * {@link #sampleBatch}; {@link SupervisedEnv} presents the same trials step by step behind the
 * {@link org.eprop.envs.api.Env} interface.
 */
public interface SupervisedTask {

    /** What the readouts are trained to do. */
    enum Kind {
        /** Class labels on chosen steps; the metric is the error rate of the decision. */
        CLASSIFICATION,
        /** Target values; the metric is the normalised mean squared error. */
        REGRESSION
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

    /** Trial length in steps. */
    int steps();

    /** Time step in ms. */
    double dtMs();

    Kind kind();

    /**
     * Draws a batch of trials.
     *
     * @param x receives the inputs, time-major {@code [steps x batch x inputs]}
     * @param targets receives labels or values and the per-step loss weights (resized here)
     */
    void sampleBatch(Rng rng, int batch, RealArray x, Targets targets);

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
