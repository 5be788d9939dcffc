package org.eprop.learning.verify;

import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.gradient.VoltageRegularizer;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * Exact gradients by forward-mode differentiation (real-time recurrent learning): for every weight,
 * the sensitivities dv/dW, db/dW, dz/dW of every neuron are carried forward through the full
 * network, recurrence and reset included, with the same pseudo-derivative as every other method.
 *
 * <p>An oracle, deliberately written apart from the rest: its own forward simulation over
 * {@code double[]}, dense sums, no ND4J, no shared workspace. Its cost is O(P T B n^2) for P
 * weights, so it is for small networks only. Double precision.
 *
 * <p>Boundaries, for the unroll and reset oracles: a reset of row b before step t zeroes the row's
 * state (v, b, refractory count, z(t-1), and the readout filter when asked) and with it every
 * sensitivity of that state; a detached step t keeps the forward values but zeroes every
 * sensitivity before it (the state at t-1 becomes a constant: truncated BPTT at t, readout filter
 * included).
 */
public final class Rtrl {

    /**
     * Gradients of E_task + E_reg (+ E_v) with respect to each weight array, in the network's layout;
     * {@code regLoss} is the rate regulariser's, {@code voltageLoss} the voltage regulariser's.
     */
    public record Result(double[] wIn, double[] wRec, double[] wOut, double[] bOut, double taskLoss, double regLoss,
            double voltageLoss) {
    }

    private Rtrl() {
    }

    /**
     * @param x inputs, time-major {@code [steps*batch x nIn]}
     */
    public static Result gradients(SpikingNetwork net, double[] x, int steps, int batch, Loss loss, Targets targets,
            RateRegularizer reg) {
        return gradients(net, x, steps, batch, loss, targets, reg, null, true, null);
    }

    /**
     * @param resets null, or {@code resets[t*batch+b]}: row b is zeroed before step t
     * @param resetReadout whether a reset zeroes the readout filter too
     * @param detach null, or {@code detach[t]}: the gradient is not propagated from step t into the past
     */
    public static Result gradients(SpikingNetwork net, double[] x, int steps, int batch, Loss loss, Targets targets,
            RateRegularizer reg, boolean[] resets, boolean resetReadout, boolean[] detach) {
        return gradients(net, x, steps, batch, loss, targets, reg, resets, resetReadout, detach,
                VoltageRegularizer.NONE);
    }

    /**
     * As above, with the voltage regulariser E_v added to the loss: its partials dE_v/dv and
     * dE_v/db of every step meet the forward sensitivities dv/dW and db/dW of the full network.
     */
    public static Result gradients(SpikingNetwork net, double[] x, int steps, int batch, Loss loss, Targets targets,
            RateRegularizer reg, boolean[] resets, boolean resetReadout, boolean[] detach,
            VoltageRegularizer voltage) {
        final int n = net.neurons();
        final int nIn = net.inputs();
        final int nOut = net.outputs();
        final double[] wIn = net.wIn().toDoubleArray();
        final double[] wRec = net.wRec().toDoubleArray();
        final double[] wOut = net.wOut().toDoubleArray();
        final double[] bOut = net.bOut().toDoubleArray();
        final double vTh = net.vTh();
        final double kappa = net.kappa();
        final double cOut = net.readoutFactor();
        final int nRef = net.refractorySteps();

        // Forward simulation, dense and direct.
        double[] psi = new double[steps * batch * n];
        double[] z = new double[steps * batch * n];
        double[] zbar = new double[steps * batch * n];
        double[] zbarSince = new double[steps * batch * n];
        double[] y = new double[steps * batch * nOut];
        double[] vAll = new double[steps * batch * n];
        double[] aAll = new double[steps * batch * n];
        for (int b = 0; b < batch; b++) {
            double[] v = new double[n];
            double[] a = new double[n];
            double[] zPrev = new double[n];
            double[] zbarNow = new double[n];
            double[] zbarSinceNow = new double[n];
            int[] countdown = new int[n];
            for (int t = 0; t < steps; t++) {
                int row = t * batch + b;
                boolean reset = resets != null && resets[row];
                if (reset) {
                    v = new double[n];
                    a = new double[n];
                    zPrev = new double[n];
                    countdown = new int[n];
                    if (resetReadout) {
                        zbarNow = new double[n];
                        zbarSinceNow = new double[n];
                    }
                }
                if (detach != null && detach[t]) {
                    zbarSinceNow = new double[n];
                }
                double[] zNow = new double[n];
                for (int j = 0; j < n; j++) {
                    double current = 0;
                    for (int i = 0; i < nIn; i++) {
                        current += x[row * nIn + i] * wIn[i * n + j];
                    }
                    for (int i = 0; i < n; i++) {
                        if (i != j) {
                            current += zPrev[i] * wRec[i * n + j];
                        }
                    }
                    a[j] = net.rho(j) * a[j] + zPrev[j];
                    v[j] = net.alpha(j) * v[j] + net.inputFactor(j) * current - vTh * zPrev[j];
                    double scaled = (v[j] - (vTh + net.beta(j) * a[j])) / vTh;
                    boolean blocked = countdown[j] > 0;
                    zNow[j] = !blocked && scaled > 0 ? 1 : 0;
                    psi[row * n + j] = blocked ? 0 : net.gamma() / vTh * Math.max(0, 1 - Math.abs(scaled));
                    countdown[j] = zNow[j] > 0 ? nRef - 1 : Math.max(0, countdown[j] - 1);
                    zbarNow[j] = kappa * zbarNow[j] + cOut * zNow[j];
                    zbarSinceNow[j] = kappa * zbarSinceNow[j] + cOut * zNow[j];
                    z[row * n + j] = zNow[j];
                    vAll[row * n + j] = v[j];
                    aAll[row * n + j] = a[j];
                    zbar[row * n + j] = zbarNow[j];
                    zbarSince[row * n + j] = zbarSinceNow[j];
                }
                for (int k = 0; k < nOut; k++) {
                    double s = bOut[k];
                    for (int j = 0; j < n; j++) {
                        s += zbarNow[j] * wOut[j * nOut + k];
                    }
                    y[row * nOut + k] = s;
                }
                zPrev = zNow;
            }
        }

        RealArray dyArr = Precision.FLOAT64.zeros(y.length);
        double taskLoss = loss.evaluate(Precision.FLOAT64.of(y), targets, dyArr);
        double[] dy = dyArr.toDoubleArray();
        double[] r = new double[n];
        double regLoss = reg.evaluate(Precision.FLOAT64.of(z), steps, batch, n, r);
        RealArray svArr = Precision.FLOAT64.zeros(steps * batch * n);
        RealArray sbArr = Precision.FLOAT64.zeros(steps * batch * n);
        double[] beta = new double[n];
        for (int j = 0; j < n; j++) {
            beta[j] = net.beta(j);
        }
        double voltageLoss = voltage.evaluate(Precision.FLOAT64.of(vAll), Precision.FLOAT64.of(aAll), steps * batch,
                batch, n, vTh, beta, svArr, sbArr);
        double[] sv = svArr.toDoubleArray();
        double[] sb = sbArr.toDoubleArray();

        double[] gIn = new double[nIn * n];
        double[] gRec = new double[n * n];
        for (int i = 0; i < nIn; i++) {
            for (int j = 0; j < n; j++) {
                gIn[i * n + j] = directional(net, x, z, psi, dy, r, sv, sb, steps, batch, true, i, j, wRec, wOut, resets,
                        resetReadout, detach);
            }
        }
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                gRec[i * n + j] = i == j ? 0
                        : directional(net, x, z, psi, dy, r, sv, sb, steps, batch, false, i, j, wRec, wOut, resets,
                                resetReadout, detach);
            }
        }
        double[] gOut = new double[n * nOut];
        double[] gBias = new double[nOut];
        for (int row = 0; row < steps * batch; row++) {
            for (int k = 0; k < nOut; k++) {
                for (int j = 0; j < n; j++) {
                    gOut[j * nOut + k] += zbarSince[row * n + j] * dy[row * nOut + k];
                }
                gBias[k] += net.readout().bias() ? dy[row * nOut + k] : 0;
            }
        }
        return new Result(gIn, gRec, gOut, gBias, taskLoss, regLoss, voltageLoss);
    }

    /** dE/dW for one weight W[i,j] (input weight when {@code input}, else recurrent). */
    private static double directional(SpikingNetwork net, double[] x, double[] z, double[] psi, double[] dy,
            double[] r, double[] sv, double[] sb, int steps, int batch, boolean input, int i, int j, double[] wRec, double[] wOut,
            boolean[] resets, boolean resetReadout, boolean[] detach) {
        int n = net.neurons();
        int nIn = net.inputs();
        int nOut = net.outputs();
        double total = 0;
        for (int b = 0; b < batch; b++) {
            double[] dv = new double[n];
            double[] da = new double[n];
            double[] dzPrev = new double[n];
            double[] dzbar = new double[n];
            for (int t = 0; t < steps; t++) {
                int row = t * batch + b;
                boolean reset = resets != null && resets[row];
                boolean detached = detach != null && detach[t];
                if (reset || detached) {
                    dv = new double[n];
                    da = new double[n];
                    dzPrev = new double[n];
                    if (detached || resetReadout) {
                        dzbar = new double[n];
                    }
                }
                double[] dz = new double[n];
                for (int m = 0; m < n; m++) {
                    double dCurrent = 0;
                    for (int q = 0; q < n; q++) {
                        if (q != m) {
                            dCurrent += dzPrev[q] * wRec[q * n + m];
                        }
                    }
                    if (m == j) {
                        dCurrent += input ? x[row * nIn + i] : (t > 0 && !reset ? z[(row - batch) * n + i] : 0);
                    }
                    da[m] = net.rho(m) * da[m] + dzPrev[m];
                    dv[m] = net.alpha(m) * dv[m] + net.inputFactor(m) * dCurrent - net.vTh() * dzPrev[m];
                    dz[m] = psi[row * n + m] * (dv[m] - net.beta(m) * da[m]);
                    dzbar[m] = net.kappa() * dzbar[m] + net.readoutFactor() * dz[m];
                    total += r[m] * dz[m] + sv[row * n + m] * dv[m] + sb[row * n + m] * da[m];
                }
                for (int k = 0; k < nOut; k++) {
                    double dyk = 0;
                    for (int m = 0; m < n; m++) {
                        dyk += dzbar[m] * wOut[m * nOut + k];
                    }
                    total += dy[row * nOut + k] * dyk;
                }
                dzPrev = dz;
            }
        }
        return total;
    }
}
