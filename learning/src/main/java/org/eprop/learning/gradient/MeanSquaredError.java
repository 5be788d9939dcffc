package org.eprop.learning.gradient;

import org.eprop.learning.tensor.RealArray;

/**
 * Squared error of the readouts against target values: {@code l = 0.5 sum_k (y_k - y*_k)^2},
 * {@code dl/dy = y - y*}. With weight 1 on every step this is the Fig. S7 loss
 * {@code 0.5 sum (y - y*)^2}; with weight {@code 2/(T B)} it is the mean over steps of the
 * verification script (docs/model.md §5.1).
 */
public final class MeanSquaredError implements Loss {

    @Override
    public String id() {
        return "mse";
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
                for (int k = 0; k < nOut; k++) {
                    double err = y.get(row + k) - targets.value(t, b, k);
                    loss += 0.5 * w * err * err;
                    dy.set(row + k, w * err);
                }
            }
        }
        return loss;
    }
}
