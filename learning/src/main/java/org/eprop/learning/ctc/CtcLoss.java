package org.eprop.learning.ctc;

import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.tensor.RealArray;

/**
 * Connectionist temporal classification (Graves et al. 2006), computed in log space:
 * {@code E = sum_b w_b (-log p(l_b | y_b))} with
 * {@code p(l | y) = sum_{pi : B(pi) = l} prod_t softmax(y(t))_{pi_t}}, where B merges repeats and
 * then removes blanks, and the sum runs over the valid frames of each sequence.
 *
 * <h2>Recursions</h2>
 * With the label sequence extended by blanks, {@code l' = (blank, l_1, blank, ..., l_U, blank)} of
 * length {@code S = 2U + 1}, and log-softmax outputs {@code lp(t, k)}:
 * <pre>
 *   a(0, 0) = lp(0, blank),  a(0, 1) = lp(0, l'_1)
 *   a(t, s) = lp(t, l'_s) + logsumexp(a(t-1, s), a(t-1, s-1), [a(t-1, s-2) if l'_s != blank and l'_s != l'_{s-2}])
 *   b(T-1, S-1) = lp(T-1, blank),  b(T-1, S-2) = lp(T-1, l'_{S-2})
 *   b(t, s) = lp(t, l'_s) + logsumexp(b(t+1, s), b(t+1, s+1), [b(t+1, s+2) under the same condition])
 *   log p = logsumexp(a(T-1, S-1), a(T-1, S-2))
 *   dE/dy(t, k) = w (softmax(y(t))_k - sum_{s : l'_s = k} exp(a(t, s) + b(t, s) - lp(t, k) - log p))
 * </pre>
 *
 * <h2>Targets</h2>
 * The class {@code blank} is one of the outputs (the TIMIT tasks put it last). For sequence b the
 * valid frames are those up to its last step of positive weight ({@link Targets#lengths}); its label
 * sequence is {@code label(0, b), label(1, b), ...} up to the first blank or the last valid frame, and
 * its weight {@code w_b} the weight of its first frame. A label sequence that no alignment of the
 * frames can produce (more frames needed than there are) is refused with the sequence named.
 *
 * <p>Workspaces grow to the largest sequence seen and are reused; not thread-safe.
 */
public final class CtcLoss implements Loss {
    private final int blank;
    private double[] alpha = new double[0];
    private double[] beta = new double[0];
    private double[] logSoftmax = new double[0];
    private int[] ext = new int[0];
    private int[] lengths = new int[0];

    public CtcLoss(int blank) {
        if (blank < 0) {
            throw new IllegalArgumentException("the blank class must be >= 0, got " + blank);
        }
        this.blank = blank;
    }

    public int blank() {
        return blank;
    }

    @Override
    public String id() {
        return "ctc";
    }

    @Override
    public double evaluate(RealArray y, Targets targets, RealArray dy) {
        int steps = targets.steps();
        int batch = targets.batch();
        int nOut = targets.outputs();
        if (blank >= nOut) {
            throw new IllegalArgumentException("blank class " + blank + " but only " + nOut + " outputs");
        }
        for (int i = 0; i < steps * batch * nOut; i++) {
            dy.set(i, 0.0);
        }
        if (lengths.length < batch) {
            lengths = new int[batch];
        }
        targets.lengths(lengths);
        double total = 0;
        for (int b = 0; b < batch; b++) {
            int len = lengths[b];
            if (len == 0) {
                continue;
            }
            int u = 0;
            while (u < len && targets.label(u, b) != blank) {
                u++;
            }
            total += sequence(y, targets, dy, b, len, u, batch, nOut);
        }
        return total;
    }

    private double sequence(RealArray y, Targets targets, RealArray dy, int b, int frames, int labels, int batch,
            int nOut) {
        int s = 2 * labels + 1;
        if (ext.length < s) {
            ext = new int[s];
        }
        int needed = labels;
        for (int i = 0; i < labels; i++) {
            ext[2 * i] = blank;
            ext[2 * i + 1] = targets.label(i, b);
            if (i > 0 && targets.label(i, b) == targets.label(i - 1, b)) {
                needed++; // a repeated label needs a blank between its two frames
            }
        }
        ext[s - 1] = blank;
        if (needed > frames) {
            throw new IllegalArgumentException("CTC: sequence " + b + " has " + labels + " labels that need at least "
                    + needed + " frames, but only " + frames + " frames");
        }
        if (alpha.length < frames * s) {
            alpha = new double[frames * s];
            beta = new double[frames * s];
        }
        if (logSoftmax.length < frames * nOut) {
            logSoftmax = new double[frames * nOut];
        }
        for (int t = 0; t < frames; t++) {
            logSoftmax(y, (t * batch + b) * nOut, nOut, logSoftmax, t * nOut);
        }
        double ninf = Double.NEGATIVE_INFINITY;
        for (int t = 0; t < frames; t++) {
            for (int i = 0; i < s; i++) {
                double a;
                if (t == 0) {
                    a = i <= 1 ? 0.0 : ninf;
                } else {
                    a = alpha[(t - 1) * s + i];
                    if (i >= 1) {
                        a = logAdd(a, alpha[(t - 1) * s + i - 1]);
                    }
                    if (i >= 2 && ext[i] != blank && ext[i] != ext[i - 2]) {
                        a = logAdd(a, alpha[(t - 1) * s + i - 2]);
                    }
                }
                alpha[t * s + i] = a == ninf ? ninf : a + logSoftmax[t * nOut + ext[i]];
            }
        }
        for (int t = frames - 1; t >= 0; t--) {
            for (int i = s - 1; i >= 0; i--) {
                double v;
                if (t == frames - 1) {
                    v = i >= s - 2 ? 0.0 : ninf;
                } else {
                    v = beta[(t + 1) * s + i];
                    if (i + 1 < s) {
                        v = logAdd(v, beta[(t + 1) * s + i + 1]);
                    }
                    if (i + 2 < s && ext[i] != blank && ext[i] != ext[i + 2]) {
                        v = logAdd(v, beta[(t + 1) * s + i + 2]);
                    }
                }
                beta[t * s + i] = v == ninf ? ninf : v + logSoftmax[t * nOut + ext[i]];
            }
        }
        double logP = alpha[(frames - 1) * s + s - 1];
        if (s >= 2) {
            logP = logAdd(logP, alpha[(frames - 1) * s + s - 2]);
        }
        double w = targets.weight(0, b);
        for (int t = 0; t < frames; t++) {
            int row = (t * batch + b) * nOut;
            for (int k = 0; k < nOut; k++) {
                dy.set(row + k, w * Math.exp(logSoftmax[t * nOut + k]));
            }
            for (int i = 0; i < s; i++) {
                double occ = alpha[t * s + i] + beta[t * s + i] - logSoftmax[t * nOut + ext[i]] - logP;
                if (occ != ninf) {
                    dy.add(row + ext[i], -w * Math.exp(occ));
                }
            }
        }
        return -w * logP;
    }

    /** log(e^a + e^b) without overflow; -inf is the log of 0. */
    /**
     * {@code out[at + k] = y[row + k] - log sum_j exp(y[row + j])} for the {@code n} outputs of one
     * frame, the maximum subtracted first so that large outputs do not overflow.
     */
    static void logSoftmax(RealArray y, int row, int n, double[] out, int at) {
        double lse = org.eprop.learning.gradient.CrossEntropy.logSumExp(y, row, n);
        for (int k = 0; k < n; k++) {
            out[at + k] = y.get(row + k) - lse;
        }
    }

    static double logAdd(double a, double b) {
        if (a == Double.NEGATIVE_INFINITY) {
            return b;
        }
        if (b == Double.NEGATIVE_INFINITY) {
            return a;
        }
        return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
    }
}
