package org.eprop.agent.actorcritic;

import org.eprop.learning.network.Parameters;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The part of the policy and value heads that reads the front end's shortcut features (the pooled
 * spikes of the spiking CNN in the original Atari agent), filtered like the LSNN's readout: the heads
 * are one linear map of [LSNN spikes, features] followed by the leaky filter, so by linearity their
 * output is the LSNN readout's plus {@code fbar(t) W_feat}, with the features filtered the same way,
 * {@code fbar(t) = kappa fbar(t-1) + c f(t)}. Carrying {@code fbar} (not the filtered output) keeps
 * the gradient exact across unrolls: {@code dE/dW_feat = sum_t fbar(t)^T dE/dy(t)}.
 */
final class FeatureHead {
    static final String W_FEAT = "w_feat";
    private final int features;
    private final int outputs;
    private final int rows;
    private final double kappa;
    private final double c;
    private final RealArray w;
    private final double[] fbar;
    /** Workspaces reused every unroll: fbar saved around the bootstrap step, and G(t) of the backward scan. */
    private final double[] savedFbar;
    private final double[] g;
    private double[] recorded = new double[0];
    private int recordedSteps;

    FeatureHead(int features, int outputs, int rows, double kappa, double c, Precision precision, Rng rng) {
        this.features = features;
        this.outputs = outputs;
        this.rows = rows;
        this.kappa = kappa;
        this.c = c;
        this.w = precision.zeros(features * outputs);
        double std = 1.0 / Math.sqrt(Math.max(1, features));
        for (int i = 0; i < w.length(); i++) {
            w.set(i, rng.nextGaussian() * std);
        }
        this.fbar = new double[rows * features];
        this.savedFbar = new double[rows * features];
        this.g = new double[rows * outputs];
    }

    Parameters parameters() {
        return new Parameters().add(W_FEAT, w);
    }

    void beginUnroll(int networkSteps) {
        if (recorded.length < networkSteps * rows * features) {
            recorded = new double[networkSteps * rows * features];
        }
        recordedSteps = 0;
    }

    /**
     * Filters the features of {@code steps} network steps ({@code [steps][rows][features]}) and adds
     * the head output of the last step to {@code y} ({@code [rows][outputs]}); records fbar.
     */
    void advance(RealArray f, int steps, double[] y, boolean record) {
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < rows; b++) {
                int in = (s * rows + b) * features;
                int state = b * features;
                int out = record ? ((recordedSteps + s) * rows + b) * features : -1;
                for (int i = 0; i < features; i++) {
                    double v = kappa * fbar[state + i] + c * f.get(in + i);
                    fbar[state + i] = v;
                    if (record) {
                        recorded[out + i] = v;
                    }
                }
            }
        }
        if (record) {
            recordedSteps += steps;
        }
        for (int b = 0; b < rows; b++) {
            for (int k = 0; k < outputs; k++) {
                double sum = 0;
                for (int i = 0; i < features; i++) {
                    sum += fbar[b * features + i] * w.get(i * outputs + k);
                }
                y[b * outputs + k] += sum;
            }
        }
    }

    /** The bootstrap step's contribution, from a copy of the filter state that is thrown away. */
    void peek(RealArray f, int steps, double[] y) {
        System.arraycopy(fbar, 0, savedFbar, 0, fbar.length);
        advance(f, steps, y, false);
        System.arraycopy(savedFbar, 0, fbar, 0, fbar.length);
    }

    /**
     * Adds {@code dE/dW_feat} to {@code gradient} and writes {@code dE/df(t)} into {@code dFeatures},
     * given {@code dE/dy} at every recorded step ({@code [steps][rows][outputs]}); when
     * {@code errors} is not null, also the errors at the heads' outputs before the filter,
     * {@code c G(t)} with {@code G(t) = dE/dy(t) + kappa G(t+1)} (what feedback matrices carry).
     */
    void backward(RealArray dy, RealArray gradient, RealArray dFeatures, RealArray errors) {
        java.util.Arrays.fill(g, 0.0);
        for (int t = recordedSteps - 1; t >= 0; t--) {
            for (int b = 0; b < rows; b++) {
                int yRow = (t * rows + b) * outputs;
                int fRow = (t * rows + b) * features;
                for (int k = 0; k < outputs; k++) {
                    double d = dy.get(yRow + k);
                    g[b * outputs + k] = d + kappa * g[b * outputs + k];
                    if (errors != null) {
                        errors.set(yRow + k, c * g[b * outputs + k]);
                    }
                    if (d != 0) {
                        for (int i = 0; i < features; i++) {
                            gradient.add(i * outputs + k, recorded[fRow + i] * d);
                        }
                    }
                }
                if (dFeatures != null) {
                    for (int i = 0; i < features; i++) {
                        double sum = 0;
                        for (int k = 0; k < outputs; k++) {
                            sum += g[b * outputs + k] * w.get(i * outputs + k);
                        }
                        dFeatures.set(fRow + i, c * sum);
                    }
                }
            }
        }
    }

    double[] state() {
        return fbar.clone();
    }

    void restore(double[] saved) {
        System.arraycopy(saved, 0, fbar, 0, fbar.length);
    }
}
