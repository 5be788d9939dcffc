package org.eprop.learning.bidir;

import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The gradients of a {@link BidirectionalNetwork} from {@code dE/dy} of its frame outputs, with
 * any {@link GradientMethod} for the halves (BPTT, e-prop by scans or traces, the cut reverse mode).
 *
 * <p>The frame readout is linear, so its adjoint is a backward scan per sequence,
 * {@code Gbar(f) = dE/dy(f) + kappa Gbar(f+1)} over the valid frames, and each half's per-step
 * readout output {@code W^T z(s)} receives
 * <pre>
 *   forward half:  dE/d(W^F^T z^F(s)) = Gbar(floor(s/R)) / R
 *   backward half: dE/d(W^B^T z^B(s)) = Gbar(L - 1 - floor(s/R)) / R        (s &lt; R L, else 0)
 * </pre>
 * With these as dE/dy of a half whose own readout has no memory ({@code Readout.passThrough}), a
 * gradient method computes {@code dE/dW^F = sum_s z^F(s) dE/dy^F(s)} (exact in every method), and
 * its learning signal {@code L_j(s) = sum_k B_jk dE/dy_k(s)} is the partial derivative through the
 * shared readout: each direction gets its learning signal from the shared readout, through W (BPTT,
 * symmetric e-prop) or its own feedback block B (random, adaptive). {@code dE/db = sum_f dE/dy(f)}.
 *
 * <p>The rate regulariser counts each half's valid steps only, and the halves' padding is masked
 * ({@link BidirectionalPass}), so every gradient is that of the loss over the valid frames.
 */
public final class BidirectionalBackward {
    private final BackwardInput forwardInput;
    private final BackwardInput backwardInput;
    private double[] gbar = new double[0];

    public BidirectionalBackward(Precision precision) {
        this.forwardInput = new BackwardInput(precision);
        this.backwardInput = new BackwardInput(precision);
    }

    /**
     * Computes the gradients of the last run of {@code pass}.
     *
     * @param dy dE/dy of the frame outputs, time-major {@code [frames x batch x nOut]}; values on
     *     padded frames are ignored
     * @param taskLoss the loss dy belongs to (reported)
     */
    public void compute(BidirectionalNetwork net, BidirectionalPass pass, RealArray dy, double taskLoss,
            RateRegularizer reg, GradientMethod forwardMethod, GradientMethod backwardMethod, Feedback forwardFeedback,
            Feedback backwardFeedback, BidirectionalGradients out) {
        int frames = pass.frames();
        int batch = pass.batch();
        int nOut = net.outputs();
        int r = net.repeat();
        double kappa = net.kappa();
        Precision precision = net.precision();
        int[] stepLengths = pass.stepLengths();
        if (gbar.length < frames * batch * nOut) {
            gbar = new double[frames * batch * nOut];
        }
        RealArray gBias = out.bias();
        gBias.fill(0);
        for (int b = 0; b < batch; b++) {
            int len = pass.length(b);
            for (int f = len - 1; f >= 0; f--) {
                for (int k = 0; k < nOut; k++) {
                    int idx = (f * batch + b) * nOut + k;
                    double next = f + 1 < len ? gbar[idx + batch * nOut] : 0.0;
                    gbar[idx] = precision.round(dy.get(idx) + kappa * next);
                    gBias.add(k, dy.get(idx));
                }
            }
        }
        forwardInput.evaluateExternal(pass.forwardTrajectory(), reg, stepLengths).setTaskLoss(taskLoss);
        backwardInput.evaluateExternal(pass.backwardTrajectory(), reg, stepLengths).setTaskLoss(0.0);
        RealArray dyF = forwardInput.dy();
        RealArray dyB = backwardInput.dy();
        double inv = 1.0 / r;
        for (int b = 0; b < batch; b++) {
            int len = pass.length(b);
            for (int f = 0; f < len; f++) {
                int fb = len - 1 - f;
                for (int q = 0; q < r; q++) {
                    int rowF = ((f * r + q) * batch + b) * nOut;
                    int rowB = ((fb * r + q) * batch + b) * nOut;
                    int src = (f * batch + b) * nOut;
                    for (int k = 0; k < nOut; k++) {
                        double g = precision.round(gbar[src + k] * inv);
                        dyF.set(rowF + k, g);
                        dyB.set(rowB + k, g);
                    }
                }
            }
        }
        forwardMethod.compute(net.forward(), pass.forwardTrajectory(), forwardInput, forwardFeedback, out.forward());
        backwardMethod.compute(net.backward(), pass.backwardTrajectory(), backwardInput, backwardFeedback,
                out.backward());
        out.taskLoss = taskLoss;
        out.regLoss = forwardInput.regLoss() + backwardInput.regLoss();
    }
}
