package org.eprop.supervised.timit;

import java.util.List;
import org.eprop.envs.supervised.SupervisedTask.Split;
import org.eprop.learning.optim.Adam;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The no-memory baseline: a per-frame softmax regression {@code p(k | x(t)) = softmax(W^T x(t) + b)}
 * on the same standardised features, trained by full-batch Adam on the mean cross-entropy over every
 * training frame. Whatever a recurrent network gains over it comes from context. The model of the
 * epoch with the lowest development frame error is scored on the test set.
 */
public final class SoftmaxBaseline {

    /** Frame errors (61 and 39 classes) on the development and test sets, at the best development epoch. */
    public record Result(int bestStep, double validation, double validation39, double test, double test39) {
    }

    private SoftmaxBaseline() {
    }

    /** Trains for {@code steps} full-batch Adam steps (learning rate {@code lr}), scoring every {@code every}. */
    public static Result train(TimitTask task, int steps, double lr, int every) {
        int nIn = task.inputs();
        int nOut = task.phones();
        RealArray.F64 w = (RealArray.F64) Precision.FLOAT64.zeros(nIn * nOut);
        RealArray.F64 b = (RealArray.F64) Precision.FLOAT64.zeros(nOut);
        RealArray.F64 gw = (RealArray.F64) Precision.FLOAT64.zeros(nIn * nOut);
        RealArray.F64 gb = (RealArray.F64) Precision.FLOAT64.zeros(nOut);
        double[] gwd = gw.data();
        double[] gbd = gb.data();
        double[] x = new double[nIn];
        Adam adam = new Adam(lr, 0.9, 0.999, 1e-8);
        List<Utterance> train = task.utterances(Split.TRAIN);
        long frames = 0;
        for (Utterance u : train) {
            frames += u.frames();
        }
        double[] logits = new double[nOut];
        Result best = null;
        for (int step = 1; step <= steps; step++) {
            gw.fill(0);
            gb.fill(0);
            for (Utterance u : train) {
                for (int t = 0; t < u.frames(); t++) {
                    probabilities(u, t, w, b, logits);
                    logits[u.label(t)] -= 1;
                    for (int i = 0; i < nIn; i++) {
                        x[i] = u.feature(t, i);
                    }
                    for (int k = 0; k < nOut; k++) {
                        double g = logits[k] / frames;
                        gbd[k] += g;
                        for (int i = 0; i < nIn; i++) {
                            gwd[i * nOut + k] += x[i] * g;
                        }
                    }
                }
            }
            adam.step(new RealArray[] {w, b}, new RealArray[] {gw, gb});
            if (step % every == 0 || step == steps) {
                double[] val = score(task, Split.VALIDATION, w, b);
                if (best == null || val[0] < best.validation()) {
                    double[] test = score(task, Split.TEST, w, b);
                    best = new Result(step, val[0], val[1], test[0], test[1]);
                }
            }
        }
        return best;
    }

    private static void probabilities(Utterance u, int t, RealArray.F64 w, RealArray.F64 b, double[] out) {
        int nOut = out.length;
        double[] wd = w.data();
        double[] bd = b.data();
        System.arraycopy(bd, 0, out, 0, nOut);
        for (int i = 0; i < u.inputs(); i++) {
            double xi = u.feature(t, i);
            for (int k = 0; k < nOut; k++) {
                out[k] += xi * wd[i * nOut + k];
            }
        }
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < nOut; k++) {
            max = Math.max(max, out[k]);
        }
        double sum = 0;
        for (int k = 0; k < nOut; k++) {
            out[k] = Math.exp(out[k] - max);
            sum += out[k];
        }
        for (int k = 0; k < nOut; k++) {
            out[k] /= sum;
        }
    }

    /** Frame error per utterance then the mean, over the task's classes and folded to 39. */
    static double[] score(TimitTask task, Split split, RealArray.F64 w, RealArray.F64 b) {
        int nOut = task.phones();
        int[] fold = nOut == 61 ? PhoneSet.foldIds() : null;
        double[] p = new double[nOut];
        double sum = 0;
        double sum39 = 0;
        List<Utterance> all = task.utterances(split);
        for (Utterance u : all) {
            int wrong = 0;
            int wrong39 = 0;
            for (int t = 0; t < u.frames(); t++) {
                probabilities(u, t, w, b, p);
                int best = 0;
                for (int k = 1; k < nOut; k++) {
                    if (p[k] > p[best]) {
                        best = k;
                    }
                }
                wrong += best == u.label(t) ? 0 : 1;
                wrong39 += fold == null ? (best == u.label(t) ? 0 : 1) : (fold[best] == fold[u.label(t)] ? 0 : 1);
            }
            sum += wrong / (double) u.frames();
            sum39 += wrong39 / (double) u.frames();
        }
        return new double[] {sum / all.size(), sum39 / all.size()};
    }
}
