package org.eprop.supervised.train;

import java.util.List;

/**
 * One row of the metrics table. Times are not in it: two runs of the same config and seed must
 * write identical tables. NaN marks a value not measured at this iteration (validation is every
 * {@code eval_every} iterations; the test error only when the early-stopping check or the end runs).
 *
 * @param iteration 1-based iteration number
 * @param loss task loss of the training batch
 * @param regLoss rate-regularisation loss of the training batch
 * @param trainError task metric on the training batch (error rate or normalised MSE)
 * @param validationError task metric on a fresh validation batch
 * @param testError mean task metric over {@code eval_batches} fresh batches
 * @param rateHz mean firing rate of the recurrent neurons on the training batch
 */
public record Metrics(long iteration, double loss, double regLoss, double trainError, double validationError,
        double testError, double rateHz) {

    /** Column names, as written to metrics.csv. */
    public static final List<String> COLUMNS = List.of("iteration", "loss", "reg_loss", "train_error",
            "validation_error", "test_error", "rate_hz");

    /** The values after the iteration, in {@link #COLUMNS} order. */
    public double[] values() {
        return new double[] {loss, regLoss, trainError, validationError, testError, rateHz};
    }
}
