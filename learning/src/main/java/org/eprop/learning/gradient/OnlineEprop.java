package org.eprop.learning.gradient;

import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * e-prop with explicit eligibility traces carried forward in time, paper eq. (25) as in the
 * reference's hard-coded implementation (docs/model.md §2.2-2.3). For every sequence b, post-synaptic neuron j
 * and pre-synaptic source i (inputs, then recurrent neurons):
 * <pre>
 *   eps_v(t) = alpha eps_v(t-1) + c_in pre_i(t)           pre = x_i(t), or z_i(t-1) for recurrent synapses
 *   eps_a(t) = (rho - beta psi(t-1)) eps_a(t-1) + psi(t-1) eps_v(t-1)
 *   e(t)     = psi(t) (eps_v(t) - beta eps_a(t))
 *   ebar(t)  = kappa ebar(t-1) + c_out e(t)               the readout's filter
 *   dE/dW_ji += L_j(t) ebar(t) + r_j e(t),   L_j(t) = sum_k B_jk dE/dy_k(t)
 *            [+ sV_j(t) eps_v(t) + sB_j(t) eps_a(t)]
 * </pre>
 * The bracket is a loss on the hidden state itself (the {@link VoltageRegularizer}, partials
 * {@code sV = dE/dv}, {@code sB = dE/db} from {@link BackwardInput}): eps_v and eps_a are the
 * sensitivities dv/dW and db/dW in the graph with the recurrent and reset paths cut, so this is
 * what the reference's stop-gradient autodiff gives for such a term.
 * Everything at step t uses only quantities of steps t and t-1: this is the online form, the one
 * an agent that never sees the end of its sequence needs, and the oracle the faster forms are
 * tested against. It costs O(batch x n x (nIn + n)) work and memory per step.
 *
 * <p>Across boundaries the traces simply carry on: with a {@link NetworkState} the run starts from
 * its eps_v, eps_a (stored advanced to the next step, so the first step needs no psi(-1)), ebar
 * and zbar, and leaves those of its last step there. A reset of row b before step t zeroes the
 * row's eps_v, eps_a and z(t-1) (its neurons restart from zero, so nothing before t reaches them),
 * and ebar and zbar too when the readout filter is reset with the neurons.
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
    public void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out,
            NetworkState state) {
        accumulateTraces(net, tr, in, feedback.matrix(net), null, out, state);
        readoutGradients(net, tr, in, out, true);
        out.setLosses(in.taskLoss(), in.regLoss());
    }

    /** The traces start from zero and zbar, as the readout's derivative, from zero too. */
    @Override
    public void computeTruncated(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback,
            Gradients out) {
        accumulateTraces(net, tr, in, feedback.matrix(net), null, out, null);
        readoutGradients(net, tr, in, out, false);
        out.setLosses(in.taskLoss(), in.regLoss());
    }

    /**
     * The right-hand side of paper eq. (1): {@code sum_t dEdz_j(t) e_ji(t)} with the unfiltered
     * traces and a given per-step spike derivative (time-major {@code [steps*batch x n]}), e.g.
     * the total derivative from full BPTT. Writes the input and recurrent gradients only.
     */
    public void factorisedGradient(SpikingNetwork net, Trajectory tr, RealArray spikeDerivative, Gradients out) {
        accumulateTraces(net, tr, null, null, spikeDerivative, out, null);
    }

    private void accumulateTraces(SpikingNetwork net, Trajectory tr, BackwardInput in, RealArray feedback,
            RealArray spikeDerivative, Gradients out, NetworkState state) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nIn = net.inputs();
        int nOut = net.outputs();
        int pre = nIn + n;
        double[] epsV = new double[batch * n * pre];
        double[] epsA = new double[batch * n * pre];
        double[] eBar = new double[batch * n * pre];
        // eps_a of step 0 when carried (already advanced); zero for a fresh start, as the update gives.
        double[] epsAFirst = null;
        if (state != null && state.hasTraces() && tr.startsFromState()) {
            for (int s = 0; s < epsV.length; s++) {
                epsV[s] = state.epsV().get(s);
                eBar[s] = state.eBar().get(s);
            }
            epsAFirst = state.epsA().toDoubleArray();
        }
        RealArray z0 = tr.initialSpikes();
        double[] grad = new double[pre * n];
        double[] signal = new double[n];
        double kappa = net.kappa();
        double cOut = net.readoutFactor();
        RealArray x = tr.input();
        RealArray z = tr.spikes();
        RealArray psi = tr.psi();
        RealArray sv = in == null ? null : in.voltageSignal();
        RealArray sb = in == null ? null : in.adaptationSignal();
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
                boolean reset = t > 0 && tr.neuronReset(t, b);
                if (reset) {
                    java.util.Arrays.fill(epsV, b * n * pre, (b + 1) * n * pre, 0.0);
                    java.util.Arrays.fill(epsA, b * n * pre, (b + 1) * n * pre, 0.0);
                    if (tr.readoutReset(t, b)) {
                        java.util.Arrays.fill(eBar, b * n * pre, (b + 1) * n * pre, 0.0);
                    }
                }
                for (int j = 0; j < n; j++) {
                    double psiNow = psi.get(row * n + j);
                    double psiPrev = t > 0 && !reset ? psi.get((row - batch) * n + j) : 0.0;
                    double alpha = net.alpha(j);
                    double rho = net.rho(j);
                    double beta = net.beta(j);
                    double cIn = net.inputFactor(j);
                    double learning = signal[j];
                    double unfiltered = in != null ? in.regSignal()[j] : spikeDerivative.get(row * n + j);
                    double svNow = sv == null ? 0.0 : sv.get(row * n + j);
                    double sbNow = sv == null ? 0.0 : sb.get(row * n + j);
                    int base = (b * n + j) * pre;
                    for (int p = 0; p < pre; p++) {
                        if (p == nIn + j) {
                            continue; // no self-connection, so no trace
                        }
                        double presyn = p < nIn ? x.get(row * nIn + p)
                                : reset ? 0.0
                                : t > 0 ? z.get((row - batch) * n + (p - nIn))
                                : z0 != null ? z0.get(b * n + (p - nIn)) : 0.0;
                        int s = base + p;
                        double ea = t == 0 && epsAFirst != null ? epsAFirst[s]
                                : precision.round((rho - beta * psiPrev) * epsA[s] + psiPrev * epsV[s]);
                        double ev = precision.round(alpha * epsV[s] + cIn * presyn);
                        double e = precision.round(psiNow * (ev - beta * ea));
                        double eb = precision.round(kappa * eBar[s] + cOut * e);
                        epsA[s] = ea;
                        epsV[s] = ev;
                        eBar[s] = eb;
                        grad[p * n + j] += learning * eb + unfiltered * e;
                        if (sv != null) {
                            // A loss on the state: its partials meet dv/dW = eps_v and db/dW = eps_a.
                            grad[p * n + j] += svNow * ev + sbNow * ea;
                        }
                    }
                }
            }
        }
        if (state != null) {
            carryOut(net, tr, epsV, epsA, eBar, state);
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

    /** The traces of the last step into {@code state}, eps_a advanced by one step (see {@link NetworkState}). */
    private void carryOut(SpikingNetwork net, Trajectory tr, double[] epsV, double[] epsA, double[] eBar,
            NetworkState state) {
        int batch = tr.batch();
        int n = net.neurons();
        int pre = net.inputs() + n;
        int last = tr.steps() - 1;
        state.ensureTraces();
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                double psiLast = tr.psi().get((last * batch + b) * n + j);
                double rho = net.rho(j);
                double beta = net.beta(j);
                for (int p = 0; p < pre; p++) {
                    int s = (b * n + j) * pre + p;
                    state.epsV().set(s, epsV[s]);
                    state.eBar().set(s, eBar[s]);
                    // eps_a is kept for adaptive neurons only (every use multiplies it by beta; see
                    // NetworkState#epsA), as the backward forms carry it
                    state.epsA().set(s, beta == 0 ? 0.0
                            : precision.round((rho - beta * psiLast) * epsA[s] + psiLast * epsV[s]));
                }
            }
        }
    }

    /**
     * dE/dW_out = sum_t zbar(t) dy(t)^T with zbar filtered forward, as the readout does, from the
     * carried zbar(-1) when {@code carriedFilter}, else from zero (the filter's carried value a
     * constant: its part of y does not depend on W_out).
     */
    private void readoutGradients(SpikingNetwork net, Trajectory tr, BackwardInput in, Gradients out,
            boolean carriedFilter) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nOut = net.outputs();
        double[] zbar = new double[batch * n];
        if (tr.startsFromState() && carriedFilter) {
            zbar = tr.initialFilteredSpikes().toDoubleArray();
        }
        double[] gOut = new double[n * nOut];
        double[] gBias = new double[nOut];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = t * batch + b;
                if (tr.readoutReset(t, b)) {
                    java.util.Arrays.fill(zbar, b * n, (b + 1) * n, 0.0);
                }
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
