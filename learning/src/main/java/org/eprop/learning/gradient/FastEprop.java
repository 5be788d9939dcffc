package org.eprop.learning.gradient;

import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * e-prop by backward scans (design/fast-eprop.md): the exact e-prop gradient of eq. (25) with
 * kappa-filtered traces, without per-synapse traces. The training default.
 *
 * <p>With the filtered learning signal {@code Lbar} (from {@link SequenceBackward}) and the
 * regulariser's signal {@code r} on the unfiltered trace, {@code S = Lbar + r}. Per neuron and
 * sequence, backwards in time:
 * <pre>
 *   g(t)    = rho g(t+1) + beta h(t+1)          the adaptation part of the trace, folded back
 *   h(t)    = psi(t) (S(t) - g(t))
 *   hbar(t) = h(t) + alpha hbar(t+1)            the membrane filter, folded back
 * </pre>
 * so that {@code dE/dW_ji = sum_t c_in hbar_j(t) pre_i(t)}: one matrix product per weight matrix.
 *
 * <h2>Boundaries</h2>
 * The scans are the adjoints of the eligibility recursion of paper eq. (25): {@code hbar(t)} is
 * dE/deps_v(t) and {@code -(rho g(t) + beta h(t))} is dE/deps_a(t) (the adaptation eligibility
 * eps_a(t) reaches e(t) with -beta psi(t) and eps_a(t+1) with rho - beta psi(t); eps_v(t) reaches
 * e(t) with psi(t), eps_a(t+1) with psi(t) and eps_v(t+1) with alpha). Hence:
 * <ul>
 *   <li>A reset of row b before step t+1 zeroes eps_v and eps_a there, so g, h and hbar restart
 *       from zero at t; a readout reset also cuts the learning-signal filter
 *       ({@link SequenceBackward}).</li>
 *   <li>A carried state enters through one boundary term, the adjoints at step 0 contracted with
 *       the carried traces (eps_v, eps_a, ebar and, for W_out, zbar); with a {@link NetworkState}
 *       the traces at the end are computed as products of per-step coefficients with the
 *       presynaptic activity. Equations in {@link EligibilityCarry}.</li>
 * </ul>
 * Because e-prop is causal, two unrolls with the state carried give the gradient of the one long
 * unroll, to rounding.
 */
public final class FastEprop implements GradientMethod {
    private final Precision precision;
    private final SequenceBackward ends;
    private double[] g = new double[0];
    private double[] hNext = new double[0];
    private double[] hbar = new double[0];
    private final EligibilityCarry carry;

    public FastEprop(Dense dense) {
        this.precision = dense.precision();
        this.ends = new SequenceBackward(dense);
        this.carry = new EligibilityCarry(dense);
    }

    private static double[] constants(int n, java.util.function.IntToDoubleFunction perNeuron) {
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = perNeuron.applyAsDouble(j);
        }
        return out;
    }

    @Override
    public String id() {
        return "eprop";
    }

    @Override
    public void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out,
            NetworkState state) {
        RealArray s = ends.readoutAndSignals(net, tr, in, feedback.matrix(net), out);
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int width = batch * n;
        if (g.length < width) {
            g = new double[width];
            hNext = new double[width];
            hbar = new double[width];
        }
        java.util.Arrays.fill(g, 0, width, 0.0);
        java.util.Arrays.fill(hNext, 0, width, 0.0);
        java.util.Arrays.fill(hbar, 0, width, 0.0);
        double[] r = in.regSignal();
        RealArray psi = tr.psi();
        double[] alpha = constants(n, net::alpha);
        double[] rho = constants(n, net::rho);
        double[] beta = constants(n, net::beta);
        double[] cIn = constants(n, net::inputFactor);
        boolean[] resets = tr.resets();
        BatchParallel.forEachSlice(batch, (long) steps * n, (from, to) -> {
            for (int t = steps - 1; t >= 0; t--) {
                int rowBase = t * width;
                for (int b = from; b < to; b++) {
                    if (resets != null && t + 1 < steps && resets[(t + 1) * batch + b]) {
                        java.util.Arrays.fill(g, b * n, (b + 1) * n, 0.0);
                        java.util.Arrays.fill(hNext, b * n, (b + 1) * n, 0.0);
                        java.util.Arrays.fill(hbar, b * n, (b + 1) * n, 0.0);
                    }
                    for (int j = 0; j < n; j++) {
                        int k = b * n + j;
                        int idx = rowBase + k;
                        double gk = precision.round(rho[j] * g[k] + beta[j] * hNext[k]);
                        double h = psi.get(idx) * (s.get(idx) + r[j] - gk);
                        double hb = precision.round(h + alpha[j] * hbar[k]);
                        g[k] = gk;
                        hNext[k] = h;
                        hbar[k] = hb;
                        s.set(idx, cIn[j] * hb);
                    }
                }
            }
        });
        ends.weightGradients(net, tr, s, out);
        if (tr.startsFromState()) {
            double[] lb0 = ends.readoutBoundary(net, tr, in, feedback.matrix(net), out);
            if (state != null && state.hasTraces()) {
                // After the scan g, hNext and hbar hold g(0), h(0) and hbar(0).
                double[] cv = new double[width];
                double[] ca = new double[width];
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < n; j++) {
                        int k = b * n + j;
                        cv[k] = alpha[j] * hbar[k];
                        ca[k] = -(rho[j] * g[k] + beta[j] * hNext[k]);
                    }
                }
                EligibilityCarry.addBoundary(net, state, cv, ca, lb0, out);
            }
        }
        if (state != null) {
            carry.advance(net, tr, state);
        }
    }
}
