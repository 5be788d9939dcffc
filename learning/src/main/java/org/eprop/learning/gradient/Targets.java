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
    /** Indices of labels and weights that may be nonzero: [rowsSetFrom, rowsSetTo); empty when equal. */
    private int rowsSetFrom;
    private int rowsSetTo;
    /** Indices of values that may be nonzero: [valuesSetFrom, valuesSetTo). */
    private int valuesSetFrom;
    private int valuesSetTo;
    /** Steps that may carry weight: [firstWeighted, endWeighted). */
    private int firstWeighted;
    private int endWeighted;

    /** Sets the shape and clears labels, values and weights to 0. */
    public Targets resize(int steps, int batch, int nOut) {
        int rows = steps * batch;
        if (labels.length < rows) {
            labels = new int[rows];
            weights = new double[rows];
            rowsSetTo = rowsSetFrom;
        }
        if (values.length < rows * nOut) {
            values = new double[rows * nOut];
            valuesSetTo = valuesSetFrom;
        }
        if (rowsSetTo > rowsSetFrom) {
            Arrays.fill(labels, rowsSetFrom, rowsSetTo, 0);
            Arrays.fill(weights, rowsSetFrom, rowsSetTo, 0.0);
        }
        if (valuesSetTo > valuesSetFrom) {
            Arrays.fill(values, valuesSetFrom, valuesSetTo, 0.0);
        }
        this.steps = steps;
        this.batch = batch;
        this.nOut = nOut;
        rowsSetFrom = rowsSetTo = 0;
        valuesSetFrom = valuesSetTo = 0;
        firstWeighted = endWeighted = 0;
        return this;
    }

    /** Index i of labels and weights (row (t, b)) is about to be set. */
    private void rowSet(int i) {
        if (rowsSetTo == rowsSetFrom) {
            rowsSetFrom = i;
            rowsSetTo = i + 1;
        } else {
            rowsSetFrom = Math.min(rowsSetFrom, i);
            rowsSetTo = Math.max(rowsSetTo, i + 1);
        }
    }

    /**
     * The first step that may carry weight: every step t outside [{@code firstWeightedStep()},
     * {@link #endWeightedStep()}) has weight 0 for every sequence (the range is empty when no
     * weight is set).
     */
    public int firstWeightedStep() {
        return firstWeighted;
    }

    /** One past the last step that may carry weight, see {@link #firstWeightedStep}. */
    public int endWeightedStep() {
        return endWeighted;
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
        rowSet(t * batch + b);
        labels[t * batch + b] = label;
    }

    public double weight(int t, int b) {
        return weights[t * batch + b];
    }

    public void setWeight(int t, int b, double weight) {
        rowSet(t * batch + b);
        weights[t * batch + b] = weight;
        if (weight != 0) {
            if (endWeighted == firstWeighted) {
                firstWeighted = t;
                endWeighted = t + 1;
            } else {
                firstWeighted = Math.min(firstWeighted, t);
                endWeighted = Math.max(endWeighted, t + 1);
            }
        }
    }

    public double value(int t, int b, int k) {
        return values[(t * batch + b) * nOut + k];
    }

    public void setValue(int t, int b, int k, double value) {
        int i = (t * batch + b) * nOut + k;
        if (valuesSetTo == valuesSetFrom) {
            valuesSetFrom = i;
            valuesSetTo = i + 1;
        } else {
            valuesSetFrom = Math.min(valuesSetFrom, i);
            valuesSetTo = Math.max(valuesSetTo, i + 1);
        }
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
            rowSet(0);
            rowSet(steps * batch - 1);
        }
        if (weight != 0) {
            firstWeighted = 0;
            endWeighted = steps;
        } else {
            firstWeighted = endWeighted = 0;
        }
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
