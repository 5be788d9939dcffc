package org.eprop.envs.supervised;

import java.util.function.IntToDoubleFunction;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.tensor.RealArray;

/** The task metrics that evaluation and early stopping use. */
public final class TaskMetrics {
    private TaskMetrics() {
    }

    /** The task's metric of a batch (see {@link SupervisedTask.Metric}). */
    public static double error(SupervisedTask.Metric metric, RealArray y, Targets targets) {
        return switch (metric) {
            case TRIAL_ERROR -> classificationError(y, targets);
            case FRAME_ERROR -> frameError(y, targets);
            case NMSE -> normalisedMse(y, targets);
        };
    }

    /**
     * Frame error: for every sequence, the fraction of its weighted steps whose argmax readout is
     * not the step's label; then the mean over the sequences that have such steps. Each sequence
     * counts once however long it is, as the paper's TIMIT scripts average per utterance. Ties go
     * to the lowest class, as in {@link #classificationError}.
     */
    public static double frameError(RealArray y, Targets targets) {
        int steps = targets.steps();
        int batch = targets.batch();
        int nOut = targets.outputs();
        double sum = 0;
        int sequences = 0;
        for (int b = 0; b < batch; b++) {
            int frames = 0;
            int wrong = 0;
            for (int t = 0; t < steps; t++) {
                if (targets.weight(t, b) <= 0) {
                    continue;
                }
                int row = (t * batch + b) * nOut;
                int best = 0;
                for (int k = 1; k < nOut; k++) {
                    if (y.get(row + k) > y.get(row + best)) {
                        best = k;
                    }
                }
                wrong += best == targets.label(t, b) ? 0 : 1;
                frames++;
            }
            if (frames > 0) {
                sum += wrong / (double) frames;
                sequences++;
            }
        }
        return sequences == 0 ? Double.NaN : sum / sequences;
    }

    /**
     * Fraction of sequences whose decision is wrong. The decision is the argmax of the readouts
     * averaged over the steps that carry loss weight (Fig. 3: the recall window), compared with
     * the label of those steps.
     */
    public static double classificationError(RealArray y, Targets targets) {
        int steps = targets.steps();
        int batch = targets.batch();
        int nOut = targets.outputs();
        double[] mean = new double[nOut];
        int wrong = 0;
        int counted = 0;
        for (int b = 0; b < batch; b++) {
            java.util.Arrays.fill(mean, 0);
            int label = -1;
            for (int t = 0; t < steps; t++) {
                if (targets.weight(t, b) > 0) {
                    label = targets.label(t, b);
                    for (int k = 0; k < nOut; k++) {
                        mean[k] += y.get((t * batch + b) * nOut + k);
                    }
                }
            }
            if (label < 0) {
                continue;
            }
            int best = 0;
            for (int k = 1; k < nOut; k++) {
                if (mean[k] > mean[best]) {
                    best = k;
                }
            }
            wrong += best == label ? 0 : 1;
            counted++;
        }
        return counted == 0 ? Double.NaN : wrong / (double) counted;
    }

    /**
     * Normalised mean squared error: the weighted squared error over the weighted variance of the
     * target, {@code sum w (y - y*)^2 / sum w (y* - mean(y*))^2}. 0 is perfect, 1 is as good as
     * predicting the target's mean. See {@link #normalisedMse(double[], double[], double[], int)}
     * for the edge cases.
     */
    public static double normalisedMse(RealArray y, Targets targets) {
        int batch = targets.batch();
        int nOut = targets.outputs();
        return normalisedMse(targets.steps() * batch, nOut, y::get,
                i -> targets.value(i / nOut / batch, i / nOut % batch, i % nOut),
                r -> targets.weight(r / batch, r % batch));
    }

    /**
     * The normalised MSE of one output trace with every step counting the same, as a figure of a
     * single trial shows it.
     *
     * @param y      output y(t)
     * @param target target y*(t), same length
     */
    public static double normalisedMse(double[] y, double[] target) {
        double[] weight = new double[target.length];
        java.util.Arrays.fill(weight, 1);
        return normalisedMse(y, target, weight, 1);
    }

    /**
     * The normalised MSE of row-major arrays: row r (a step of a sequence) has weight
     * {@code weight[r]} and outputs {@code y[r * outputs + k]}, {@code target[r * outputs + k]}.
     * The mean of each output is taken over the weighted rows, and the errors and variances of all
     * outputs are summed before the ratio.
     *
     * <p>Edge cases, the same for every form of this metric:
     * <ul>
     *   <li>No row with weight (empty arrays, all weights 0): NaN, since nothing was measured.
     *   <li>A target without variance over the weighted rows: NaN, also for a perfect fit. The
     *       ratio is 0/0 or x/0 and no number would compare with other runs; a figure says why.
     *   <li>NaN or infinite values in a weighted row: NaN (or infinity), so that a diverged network
     *       is not hidden. Rows of weight 0 are left out entirely, so a target may be NaN there.
     *   <li>Lengths that do not match: {@link IllegalArgumentException}.
     * </ul>
     */
    public static double normalisedMse(double[] y, double[] target, double[] weight, int outputs) {
        if (outputs <= 0) {
            throw new IllegalArgumentException("outputs must be positive, got " + outputs);
        }
        if (target.length != weight.length * outputs) {
            throw new IllegalArgumentException("target has " + target.length + " values but "
                    + weight.length + " weights of " + outputs + " outputs need " + weight.length * outputs);
        }
        if (y.length != target.length) {
            throw new IllegalArgumentException("y has " + y.length + " values but target has " + target.length);
        }
        return normalisedMse(weight.length, outputs, i -> y[i], i -> target[i], r -> weight[r]);
    }

    /**
     * The one implementation. Sums run over rows in order, as the training metric always summed,
     * so that its values stay bit for bit what earlier runs logged; skipping rows of weight 0
     * changes no finite sum, because adding 0 * finite leaves a sum unchanged.
     */
    private static double normalisedMse(int rows, int nOut, IntToDoubleFunction y, IntToDoubleFunction target,
            IntToDoubleFunction weight) {
        double wSum = 0;
        double[] mean = new double[nOut];
        for (int r = 0; r < rows; r++) {
            double w = weight.applyAsDouble(r);
            if (w == 0) {
                continue;
            }
            wSum += w;
            for (int k = 0; k < nOut; k++) {
                mean[k] += w * target.applyAsDouble(r * nOut + k);
            }
        }
        if (wSum == 0) {
            return Double.NaN;
        }
        for (int k = 0; k < nOut; k++) {
            mean[k] /= wSum;
        }
        double err = 0;
        double var = 0;
        for (int r = 0; r < rows; r++) {
            double w = weight.applyAsDouble(r);
            if (w == 0) {
                continue;
            }
            for (int k = 0; k < nOut; k++) {
                double t = target.applyAsDouble(r * nOut + k);
                double d = y.applyAsDouble(r * nOut + k) - t;
                err += w * d * d;
                var += w * (t - mean[k]) * (t - mean[k]);
            }
        }
        return var == 0 ? Double.NaN : err / var;
    }
}
