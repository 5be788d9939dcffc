package org.eprop.learning.gradient;

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

    @Override
    public double evaluate(RealArray y, Targets targets, RealArray dy) {
        int steps = targets.steps();
        int batch = targets.batch();
        int nOut = targets.outputs();
        double loss = 0;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = (t * batch + b) * nOut;
                double w = targets.weight(t, b);
                if (w == 0) {
                    for (int k = 0; k < nOut; k++) {
                        dy.set(row + k, 0.0);
                    }
                    continue;
                }
                double logSum = logSumExp(y, row, nOut);
                int label = targets.label(t, b);
                loss += w * (logSum - y.get(row + label));
                for (int k = 0; k < nOut; k++) {
                    double p = Math.exp(y.get(row + k) - logSum);
                    dy.set(row + k, w * (p - (k == label ? 1.0 : 0.0)));
                }
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
