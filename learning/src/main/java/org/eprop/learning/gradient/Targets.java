package org.eprop.learning.gradient;

import java.util.Arrays;

/**
 * The targets of one batch of sequences, time-major like a {@link org.eprop.learning.network.Trajectory}:
 * a class label and a weight per (t, b), and target values per (t, b, k) for regression.
 *
 * <p>The weight says how much step (t, b) counts in the loss; 0 leaves it out. Averaging
 * conventions are weights: the Fig. 3 loss, a mean over the batch and the last 150 steps, puts
 * {@code 1/(B*150)} on those steps and 0 elsewhere. A reusable container: {@link #resize} keeps
 * its arrays when they are big enough, and clears only what was set since the last clear (the
 * Fig. 3 targets are 4 MB, of which the labels and weights of the last 150 steps are set).
 *
 * <p>It keeps the range of steps that may carry weight ({@link #firstWeightedStep},
 * {@link #endWeightedStep}): a loss can leave the steps outside it, whose weights are all 0.
 */
public final class Targets {
    private int steps;
    private int batch;
    private int nOut;
    private int[] labels = new int[0];
    private double[] values = new double[0];
    private double[] weights = new double[0];
    /** Indices of labels and weights that may be nonzero. */
    private final Span rowsSet = new Span();
    /** Indices of values that may be nonzero. */
    private final Span valuesSet = new Span();
    /** Steps that may carry weight. */
    private final Span weighted = new Span();

    /** A half-open range of indices [from, to), empty when from == to, grown to take in indices. */
    private static final class Span {
        int from;
        int to;

        void include(int i) {
            if (to == from) {
                from = i;
                to = i + 1;
            } else {
                from = Math.min(from, i);
                to = Math.max(to, i + 1);
            }
        }

        void set(int from, int to) {
            this.from = from;
            this.to = to;
        }
    }

    /** Sets the shape and clears labels, values and weights to 0. */
    public Targets resize(int steps, int batch, int nOut) {
        int rows = steps * batch;
        if (labels.length < rows) {
            labels = new int[rows];
            weights = new double[rows];
            rowsSet.set(0, 0);
        }
        if (values.length < rows * nOut) {
            values = new double[rows * nOut];
            valuesSet.set(0, 0);
        }
        Arrays.fill(labels, rowsSet.from, rowsSet.to, 0);
        Arrays.fill(weights, rowsSet.from, rowsSet.to, 0.0);
        Arrays.fill(values, valuesSet.from, valuesSet.to, 0.0);
        this.steps = steps;
        this.batch = batch;
        this.nOut = nOut;
        rowsSet.set(0, 0);
        valuesSet.set(0, 0);
        weighted.set(0, 0);
        return this;
    }

    /**
     * The first step that may carry weight: every step t outside [{@code firstWeightedStep()},
     * {@link #endWeightedStep()}) has weight 0 for every sequence (the range is empty when no
     * weight is set).
     */
    public int firstWeightedStep() {
        return weighted.from;
    }

    /** One past the last step that may carry weight, see {@link #firstWeightedStep}. */
    public int endWeightedStep() {
        return weighted.to;
    }

    public int steps() {
        return steps;
    }

    public int batch() {
        return batch;
    }

    public int outputs() {
        return nOut;
    }

    public int label(int t, int b) {
        return labels[t * batch + b];
    }

    public void setLabel(int t, int b, int label) {
        if (label < 0 || label >= nOut) {
            throw new IllegalArgumentException("label " + label + " outside [0, " + nOut + ")");
        }
        rowsSet.include(t * batch + b);
        labels[t * batch + b] = label;
    }

    public double weight(int t, int b) {
        return weights[t * batch + b];
    }

    public void setWeight(int t, int b, double weight) {
        rowsSet.include(t * batch + b);
        weights[t * batch + b] = weight;
        if (weight != 0) {
            weighted.include(t);
        }
    }

    public double value(int t, int b, int k) {
        return values[(t * batch + b) * nOut + k];
    }

    public void setValue(int t, int b, int k, double value) {
        int i = (t * batch + b) * nOut + k;
        valuesSet.include(i);
        values[i] = value;
    }

    /**
     * The length of every sequence of a padded batch, read off the weights: one past its last step
     * of positive weight (0 for a sequence without one). Tasks that pad put weight on every valid
     * step, so this is the mask of the batch.
     *
     * @param out receives the lengths (at least {@link #batch()} long)
     */
    public int[] lengths(int[] out) {
        for (int b = 0; b < batch; b++) {
            int len = 0;
            for (int t = steps - 1; t >= 0; t--) {
                if (weights[t * batch + b] > 0) {
                    len = t + 1;
                    break;
                }
            }
            out[b] = len;
        }
        return out;
    }

    /** Sets the same weight on every step of every sequence. */
    public Targets weightAll(double weight) {
        Arrays.fill(weights, 0, steps * batch, weight);
        if (steps * batch > 0) {
            rowsSet.include(0);
            rowsSet.include(steps * batch - 1);
        }
        weighted.set(0, weight != 0 ? steps : 0);
        return this;
    }

    /**
     * Labels each sequence b with {@code labels[b]} on its last {@code window} steps, weighted
     * {@code 1/(batch*window)} so that the loss is the mean over those steps (the Fig. 3 loss).
     */
    public Targets classifyFinalSteps(int[] labelPerSequence, int window) {
        if (window <= 0 || window > steps) {
            throw new IllegalArgumentException("window must be in [1, " + steps + "], got " + window);
        }
        double w = 1.0 / ((double) batch * window);
        for (int t = steps - window; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                setLabel(t, b, labelPerSequence[b]);
                setWeight(t, b, w);
            }
        }
        return this;
    }
}
