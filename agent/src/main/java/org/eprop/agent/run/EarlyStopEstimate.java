package org.eprop.agent.run;

import java.util.OptionalLong;

/**
 * When will early stopping end the run? An estimate of the iteration at which the validation error
 * falls below the stopping threshold, for the progress line's ETA (a run that stops at iteration 400
 * of a 2,000 budget should not announce four times the time it will take).
 *
 * <p>The method: validation errors fall roughly exponentially while a network learns, so a straight
 * line is fitted by least squares to the logarithm of the last {@code window} validation errors
 * against their iterations, and the estimate is where that line crosses the logarithm of the
 * threshold. Each validation error is one noisy batch, hence a fit over many rather than the
 * last two: on the main job (Fig. 3 task, one batch of 64 every 10 iterations, stopping at
 * iteration 400) a window of 30 points estimated 257-650 from iteration 150 on, a window of 10
 * swung between 186 and 18,000. No estimate (empty) before three validation points, or while the fitted trend is not
 * falling: then the budget is the only honest end. An error already at or below the threshold
 * (the test batches decide, and may not agree yet) gives the next validation point.
 */
public final class EarlyStopEstimate {
    /** Errors are floored here before the logarithm: an error of exactly 0 still gives a finite fit. */
    private static final double FLOOR = 1e-6;

    private final double logThreshold;
    private final long[] iterations;
    private final double[] logErrors;
    private int count;
    private int next;
    private long spacing;

    /**
     * @param threshold the stopping threshold, in (0, 1]
     * @param window how many of the latest validation points the fit uses (at least 3)
     */
    public EarlyStopEstimate(double threshold, int window) {
        if (!(threshold > 0) || !Double.isFinite(threshold)) {
            throw new IllegalArgumentException("threshold must be positive and finite: " + threshold);
        }
        if (window < 3) {
            throw new IllegalArgumentException("window must be at least 3: " + window);
        }
        this.logThreshold = Math.log(threshold);
        this.iterations = new long[window];
        this.logErrors = new double[window];
    }

    /** Adds the validation error measured at {@code iteration} (NaN values are ignored). */
    public void add(long iteration, double validationError) {
        if (Double.isNaN(validationError)) {
            return;
        }
        if (count > 0) {
            long last = iterations[(next + iterations.length - 1) % iterations.length];
            spacing = Math.max(1, iteration - last);
        }
        iterations[next] = iteration;
        logErrors[next] = Math.log(Math.max(FLOOR, validationError));
        next = (next + 1) % iterations.length;
        count = Math.min(count + 1, iterations.length);
    }

    /** The estimated iteration at which the error crosses the threshold; empty when there is no estimate. */
    public OptionalLong iteration() {
        if (count < 3) {
            return OptionalLong.empty();
        }
        int newest = (next + iterations.length - 1) % iterations.length;
        if (logErrors[newest] <= logThreshold) {
            return OptionalLong.of(iterations[newest] + spacing);
        }
        // least squares of log error on iteration, centred for accuracy
        double meanX = 0;
        double meanY = 0;
        for (int i = 0; i < count; i++) {
            meanX += iterations[i];
            meanY += logErrors[i];
        }
        meanX /= count;
        meanY /= count;
        double sxx = 0;
        double sxy = 0;
        for (int i = 0; i < count; i++) {
            double dx = iterations[i] - meanX;
            sxx += dx * dx;
            sxy += dx * (logErrors[i] - meanY);
        }
        if (sxx <= 0 || sxy >= 0) {
            return OptionalLong.empty();
        }
        double slope = sxy / sxx;
        double crossing = meanX + (logThreshold - meanY) / slope;
        long last = iterations[newest];
        if (!Double.isFinite(crossing) || crossing > 1e15) {
            return OptionalLong.empty();
        }
        // not before the next validation point: the stop is only decided there
        return OptionalLong.of(Math.max(last + spacing, (long) Math.ceil(crossing)));
    }
}
