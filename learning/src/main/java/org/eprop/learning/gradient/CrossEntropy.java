package org.eprop.learning.gradient;

import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.RealArray;

/**
 * Softmax cross-entropy of the readouts against a class label per step:
 * {@code l = -log softmax(y)[label]}, {@code dl/dy = softmax(y) - onehot(label)}.
 * Steps of weight 0 contribute nothing.
 */
public final class CrossEntropy implements Loss {

    @Override
    public String id() {
        return "cross-entropy";
    }

    /** Each row's term of the loss, summed in row order after the parallel loop; a workspace. */
    private double[] terms = new double[0];

    /**
     * The rows' terms and derivatives in parallel, cut by sequence (the weighted steps are often a
     * window at the end, e.g. the recall of the Fig. 3 task, where the exp and log calls are), then E
     * summed over the rows in their order, (t, b) ascending, as one loop would: the same bits (the
     * rows of weight 0, whose terms are 0, skipped). Steps outside the targets' weighted range
     * ({@link Targets#firstWeightedStep}) only get their dy zeroed. Not thread-safe: one evaluation
     * at a time.
     */
    @Override
    public double evaluate(RealArray y, Targets targets, RealArray dy) {
        final int steps = targets.steps();
        final int batch = targets.batch();
        final int nOut = targets.outputs();
        final int rows = steps * batch;
        if (terms.length < rows) {
            terms = new double[rows];
        }
        final double[] term = terms;
        // Steps outside the targets' weighted range get dy = 0 and no term; a term of weight 0 would
        // be 0 (the Fig. 3 loss weighs 150 of 2250 steps).
        final int first = targets.firstWeightedStep();
        final int end = targets.endWeightedStep();
        // exp and log per weighted row: about 100 operations a row when all are weighted. One slice
        // per thread, as the forward pass's loops, so that each sequence's outputs are read (and its
        // dy written) on the core that made them.
        BatchParallel.forEachThreadSlice(batch, (long) steps * nOut * 25, (from, to) -> {
            for (int t = 0; t < steps; t++) {
                if (t < first || t >= end) {
                    for (int i = (t * batch + from) * nOut; i < (t * batch + to) * nOut; i++) {
                        dy.set(i, 0.0);
                    }
                    continue;
                }
                for (int b = from; b < to; b++) {
                    int r = t * batch + b;
                    int row = r * nOut;
                    double w = targets.weight(t, b);
                    if (w == 0) {
                        term[r] = 0.0;
                        for (int k = 0; k < nOut; k++) {
                            dy.set(row + k, 0.0);
                        }
                        continue;
                    }
                    double logSum = logSumExp(y, row, nOut);
                    int label = targets.label(t, b);
                    term[r] = w * (logSum - y.get(row + label));
                    for (int k = 0; k < nOut; k++) {
                        double p = Math.exp(y.get(row + k) - logSum);
                        dy.set(row + k, w * (p - (k == label ? 1.0 : 0.0)));
                    }
                }
            }
        });
        // Zero terms are skipped (those of the steps outside the weighted range too): adding +-0
        // leaves a sum that starts at +0 as it is, so these are the bits of adding every term,
        // without a chain of dependent additions through the 144,000 rows of a Fig. 3 batch, most
        // of them unweighted (0.2 ms, serial).
        double loss = 0;
        for (int r = first * batch; r < end * batch; r++) {
            double v = term[r];
            if (v != 0.0) {
                loss += v;
            }
        }
        return loss;
    }

    /** {@code log sum_k exp(y[row + k])} over {@code n} outputs, the maximum subtracted first against overflow. */
    public static double logSumExp(org.eprop.learning.tensor.RealArray y, int row, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, y.get(row + k));
        }
        double sum = 0;
        for (int k = 0; k < n; k++) {
            sum += Math.exp(y.get(row + k) - max);
        }
        return max + Math.log(sum);
    }
}
