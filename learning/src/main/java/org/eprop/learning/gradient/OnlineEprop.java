package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * e-prop with explicit eligibility traces carried forward in time, paper eq. (25) as in the
 * reference's hard-coded implementation (§2.2-2.3). For every sequence b, post-synaptic neuron j
 * and pre-synaptic source i (inputs, then recurrent neurons):
 * <pre>
 *   eps_v(t) = alpha eps_v(t-1) + c_in pre_i(t)           pre = x_i(t), or z_i(t-1) for recurrent synapses
 *   eps_a(t) = (rho - beta psi(t-1)) eps_a(t-1) + psi(t-1) eps_v(t-1)
 *   e(t)     = psi(t) (eps_v(t) - beta eps_a(t))
 *   ebar(t)  = kappa ebar(t-1) + c_out e(t)               the readout's filter
 *   dE/dW_ji += L_j(t) ebar(t) + r_j e(t),   L_j(t) = sum_k B_jk dE/dy_k(t)
 * </pre>
 * Everything at step t uses only quantities of steps t and t-1: this is the online form, the one
 * an agent that never sees the end of its sequence needs, and the oracle the faster forms are
 * tested against. It costs O(batch x n x (nIn + n)) work and memory per step.
 */
public final class OnlineEprop implements GradientMethod {
    private final Precision precision;

    public OnlineEprop(Precision precision) {
        this.precision = precision;
    }

    @Override
    public String id() {
        return "eprop-online";
    }

    @Override
    public void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out) {
        accumulateTraces(net, tr, in, feedback.matrix(net), null, out);
        readoutGradients(net, tr, in, out);
        out.setLosses(in.taskLoss(), in.regLoss());
    }

    /**
     * The right-hand side of paper eq. (1): {@code sum_t dEdz_j(t) e_ji(t)} with the unfiltered
     * traces and a given per-step spike derivative (time-major {@code [steps*batch x n]}), e.g.
     * the total derivative from full BPTT. Writes the input and recurrent gradients only.
     */
    public void factorisedGradient(SpikingNetwork net, Trajectory tr, RealArray spikeDerivative, Gradients out) {
        accumulateTraces(net, tr, null, null, spikeDerivative, out);
    }

    private void accumulateTraces(SpikingNetwork net, Trajectory tr, BackwardInput in, RealArray feedback,
            RealArray spikeDerivative, Gradients out) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nIn = net.inputs();
        int nOut = net.outputs();
        int pre = nIn + n;
        double[] epsV = new double[batch * n * pre];
        double[] epsA = new double[batch * n * pre];
        double[] eBar = new double[batch * n * pre];
        double[] grad = new double[pre * n];
        double[] signal = new double[n];
        double kappa = net.kappa();
        double cOut = net.readoutFactor();
        RealArray x = tr.input();
        RealArray z = tr.spikes();
        RealArray psi = tr.psi();
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = t * batch + b;
                for (int j = 0; j < n; j++) {
                    signal[j] = 0;
                    if (in != null) {
                        for (int k = 0; k < nOut; k++) {
                            signal[j] += feedback.get(j * nOut + k) * in.dy().get(row * nOut + k);
                        }
                    }
                }
                for (int j = 0; j < n; j++) {
                    double psiNow = psi.get(row * n + j);
                    double psiPrev = t > 0 ? psi.get((row - batch) * n + j) : 0.0;
                    double alpha = net.alpha(j);
                    double rho = net.rho(j);
                    double beta = net.beta(j);
                    double cIn = net.inputFactor(j);
                    double learning = signal[j];
                    double unfiltered = in != null ? in.regSignal()[j] : spikeDerivative.get(row * n + j);
                    int base = (b * n + j) * pre;
                    for (int p = 0; p < pre; p++) {
                        if (p == nIn + j) {
                            continue; // no self-connection, so no trace
                        }
                        double presyn = p < nIn ? x.get(row * nIn + p)
                                : t > 0 ? z.get((row - batch) * n + (p - nIn)) : 0.0;
                        int s = base + p;
                        double ea = precision.round((rho - beta * psiPrev) * epsA[s] + psiPrev * epsV[s]);
                        double ev = precision.round(alpha * epsV[s] + cIn * presyn);
                        double e = precision.round(psiNow * (ev - beta * ea));
                        double eb = precision.round(kappa * eBar[s] + cOut * e);
                        epsA[s] = ea;
                        epsV[s] = ev;
                        eBar[s] = eb;
                        grad[p * n + j] += learning * eb + unfiltered * e;
                    }
                }
            }
        }
        for (int p = 0; p < pre; p++) {
            for (int j = 0; j < n; j++) {
                if (p < nIn) {
                    out.wIn().set(p * n + j, grad[p * n + j]);
                } else {
                    out.wRec().set((p - nIn) * n + j, grad[p * n + j]);
                }
            }
        }
    }

    /** dE/dW_out = sum_t zbar(t) dy(t)^T with zbar filtered forward, as the readout does. */
    private void readoutGradients(SpikingNetwork net, Trajectory tr, BackwardInput in, Gradients out) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nOut = net.outputs();
        double[] zbar = new double[batch * n];
        double[] gOut = new double[n * nOut];
        double[] gBias = new double[nOut];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = t * batch + b;
                for (int j = 0; j < n; j++) {
                    int k = b * n + j;
                    zbar[k] = precision.round(net.kappa() * zbar[k] + net.readoutFactor() * tr.spikes().get(row * n + j));
                    for (int o = 0; o < nOut; o++) {
                        gOut[j * nOut + o] += zbar[k] * in.dy().get(row * nOut + o);
                    }
                }
                for (int o = 0; o < nOut; o++) {
                    gBias[o] += in.dy().get(row * nOut + o);
                }
            }
        }
        for (int i = 0; i < gOut.length; i++) {
            out.wOut().set(i, gOut[i]);
        }
        for (int o = 0; o < nOut; o++) {
            out.bOut().set(o, net.readout().bias() ? gBias[o] : 0.0);
        }
    }
}
