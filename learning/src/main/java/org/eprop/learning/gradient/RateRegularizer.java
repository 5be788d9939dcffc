package org.eprop.learning.gradient;

import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.RealArray;

/**
 * Firing-rate regularisation, the "simple" form of the reference (docs/model.md §2.8):
 * {@code E_reg = c sum_j (f_j - f0)^2} with {@code f_j} the mean of {@code z_j} over the batch and
 * all steps, and {@code f0} the target rate in spikes per step (10 Hz at dt = 1 ms is 0.01).
 *
 * <p>Its derivative {@code dE_reg/dz_j(t,b) = 2 c (f_j - f0) / (T B)} is the same at every step;
 * all gradient methods add it to the learning signal that multiplies the <em>unfiltered</em>
 * eligibility trace, as the reference does.
 */
public record RateRegularizer(double strength, double targetRate) {

    /** No regularisation. */
    public static final RateRegularizer NONE = new RateRegularizer(0.0, 0.0);

    public RateRegularizer {
        if (!(strength >= 0) || Double.isInfinite(strength)) {
            throw new IllegalArgumentException("rate regularisation strength must be >= 0, got " + strength);
        }
        if (!(targetRate >= 0 && targetRate <= 1)) {
            throw new IllegalArgumentException("target rate is in spikes per step and must lie in [0, 1], got "
                    + targetRate);
        }
    }

    /**
     * Computes {@code E_reg} and writes {@code dE_reg/dz_j} (one value per neuron, the same for every
     * (t, b)) into {@code signal}.
     */
    public double evaluate(RealArray spikes, int steps, int batch, int n, double[] signal) {
        if (strength == 0) {
            java.util.Arrays.fill(signal, 0, n, 0.0);
            return 0.0;
        }
        java.util.Arrays.fill(signal, 0, n, 0.0);
        int rows = steps * batch;
        if (spikes instanceof RealArray.F32 f) {
            countSpikes(f.data(), rows, n, signal);
        } else {
            for (int r = 0; r < rows; r++) {
                int base = r * n;
                for (int j = 0; j < n; j++) {
                    signal[j] += spikes.get(base + j);
                }
            }
        }
        return fromCounts(signal, rows, n);
    }

    /**
     * {@link #evaluate(RealArray, int, int, int, double[])} on a forward pass's spikes, counted from
     * the spike lists that the float32 time-step loop made ({@link Trajectory#countSpikes}), else
     * from the spike matrix; the counts, and so the results, are the same either way.
     */
    public double evaluate(Trajectory tr, double[] signal) {
        int n = tr.neurons();
        if (strength == 0) { // without asking for the spikes, which float32 writes out only on request
            java.util.Arrays.fill(signal, 0, n, 0.0);
            return 0.0;
        }
        if (!tr.countSpikes(signal)) {
            return evaluate(tr.spikes(), tr.steps(), tr.batch(), n, signal);
        }
        return fromCounts(signal, tr.steps() * tr.batch(), n);
    }

    /**
     * {@link #evaluate(RealArray, int, int, int, int[], double[])} on a forward pass's spikes, counted
     * from the float32 lists ({@link Trajectory#countSpikes(int[], double[])}), else from the spike
     * matrix; the counts are whole numbers, so the results are the same either way.
     */
    public double evaluate(Trajectory tr, int[] lengths, double[] signal) {
        int n = tr.neurons();
        if (lengths.length != tr.batch()) {
            throw new IllegalArgumentException(lengths.length + " lengths for a batch of " + tr.batch());
        }
        long valid = validSteps(lengths, tr.steps());
        if (strength == 0 || valid == 0) { // nothing to regularise, without asking for the spikes
            java.util.Arrays.fill(signal, 0, n, 0.0);
            return 0.0;
        }
        if (!tr.countSpikes(lengths, signal)) {
            return evaluate(tr.spikes(), tr.steps(), tr.batch(), n, lengths, signal);
        }
        return fromCounts(signal, valid, n);
    }

    /** The valid steps of a padded batch, {@code sum_b lengths[b]}, each length checked against [0, steps]. */
    private static long validSteps(int[] lengths, int steps) {
        long valid = 0;
        for (int b = 0; b < lengths.length; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new IllegalArgumentException("length " + lengths[b] + " of row " + b + " outside [0, " + steps + "]");
            }
            valid += lengths[b];
        }
        return valid;
    }

    /** The loss from the spike counts in {@code signal} over {@code rows} steps, the counts replaced by the derivative. */
    private double fromCounts(double[] signal, long rows, int n) {
        double e = 0;
        for (int j = 0; j < n; j++) {
            double diff = signal[j] / rows - targetRate;
            e += strength * diff * diff;
            signal[j] = 2 * strength * diff / rows;
        }
        return e;
    }

    /**
     * The regulariser over a padded batch: row b is a sequence of {@code lengths[b]} steps followed by
     * padding, which is no part of the model. The rates count the valid steps only,
     * {@code f_j = sum_b sum_{t < len_b} z_j(t,b) / N} with {@code N = sum_b len_b}, and the
     * derivative {@code 2 c (f_j - f0) / N} applies to valid steps only: the caller must keep it
     * away from the padding, e.g. with {@link org.eprop.learning.network.Trajectory#maskPadding}.
     * With every length equal to {@code steps} this is {@link #evaluate(RealArray, int, int, int, double[])}.
     */
    public double evaluate(RealArray spikes, int steps, int batch, int n, int[] lengths, double[] signal) {
        if (lengths.length != batch) {
            throw new IllegalArgumentException(lengths.length + " lengths for a batch of " + batch);
        }
        java.util.Arrays.fill(signal, 0, n, 0.0);
        if (strength == 0) {
            return 0.0;
        }
        long valid = validSteps(lengths, steps);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                int base = (t * batch + b) * n;
                for (int j = 0; j < n; j++) {
                    signal[j] += spikes.get(base + j);
                }
            }
        }
        if (valid == 0) {
            return 0.0; // nothing to regularise: no rate was observed
        }
        return fromCounts(signal, valid, n);
    }

    /** Rows of float counts summed at most this many at a time: integers stay exact in float up to 2^24. */
    private static final int COUNT_BLOCK = 1 << 23;

    /**
     * Adds each neuron's spike count over the rows to {@code counts}. Spikes are 0 or 1, so the
     * counts are whole numbers, exact in float up to 2^24 and in double: the sums come out as the
     * row-by-row double sums would, in whatever order, while the rows are added as float vectors.
     */
    private static void countSpikes(float[] z, int rows, int n, double[] counts) {
        float[] acc = new float[n]; // once per evaluation, not per row
        for (int r0 = 0; r0 < rows; r0 += COUNT_BLOCK) {
            java.util.Arrays.fill(acc, 0f);
            int r1 = Math.min(rows, r0 + COUNT_BLOCK);
            for (int r = r0; r < r1; r++) {
                org.eprop.learning.tensor.RowKernels.add(acc, 0, z, r * n, n);
            }
            for (int j = 0; j < n; j++) {
                counts[j] += acc[j];
            }
        }
    }
}
