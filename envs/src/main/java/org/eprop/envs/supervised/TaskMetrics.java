package org.eprop.envs.supervised;

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
     * predicting the target's mean.
     */
    public static double normalisedMse(RealArray y, Targets targets) {
        int steps = targets.steps();
        int batch = targets.batch();
        int nOut = targets.outputs();
        double wSum = 0;
        double[] mean = new double[nOut];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                double w = targets.weight(t, b);
                wSum += w;
                for (int k = 0; k < nOut; k++) {
                    mean[k] += w * targets.value(t, b, k);
                }
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
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                double w = targets.weight(t, b);
                for (int k = 0; k < nOut; k++) {
                    double target = targets.value(t, b, k);
                    double d = y.get((t * batch + b) * nOut + k) - target;
                    err += w * d * d;
                    var += w * (target - mean[k]) * (target - mean[k]);
                }
            }
        }
        return var == 0 ? Double.NaN : err / var;
    }
}
