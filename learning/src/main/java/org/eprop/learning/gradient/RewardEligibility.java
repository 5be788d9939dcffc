package org.eprop.learning.gradient;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * Reward-based e-prop in the paper's online form (Bellec et al. 2020, Methods, "Reward-based
 * e-prop"; docs/model.md §3.7): the gradient estimate of every step is the TD error times a
 * <em>reward eligibility</em>, the eligibility trace multiplied by the learning signal and filtered
 * a second time with the discount. Per batch row b (each row is its own agent), synapse j &lt;- i:
 * <pre>
 *   eps_v(t) = alpha eps_v(t-1) + c_in pre_i(t)                  (network steps t, as OnlineEprop)
 *   eps_a(t) = (rho - beta psi(t-1)) eps_a(t-1) + psi(t-1) eps_v(t-1)
 *   e(t)     = psi(t) (eps_v(t) - beta eps_a(t)),   ebar(t) = kappa ebar(t-1) + c_out e(t)
 *   at the read step t_u of agent step u, with the learning vector l(u) (one entry per readout):
 *   L_j(u)   = sum_k B_jk l_k(u)
 *   R_ji(u)  = d(u) R_ji(u-1) + L_j(u) ebar_ji(t_u)              reward eligibility, d = gamma (1 - done)
 *   G_ji(u)  = delta(u-1) R_ji(u-1) + sum_{t in u} [ I_j(t) ebar_ji(t) + r_j e_ji(t) + sV_j eps_v + sB_j eps_a ]
 * </pre>
 * where {@code delta(u-1)} is the TD error of the previous agent step (it needs the value read at
 * step u), and the bracket holds what acts at once, without discounting: a loss on the outputs of
 * this step (its dE/dy through the same feedback, {@code I = B dE/dy}: the entropy bonus), the rate
 * regulariser's {@code r} on the unfiltered trace and the voltage regulariser's state signals. The
 * readout weights and bias have the same form with {@code zbar_j} (the filtered spikes) and 1 in
 * place of {@code L_j ebar_ji}, and no feedback. G summed over the rows is written to the
 * gradient; nothing depends on the length of an unroll, so memory stays at a few arrays of
 * rows x neurons x sources whatever the horizon.
 *
 * <p>Why this is the actor-critic's gradient: with the learning vector
 * {@code l = (pi - onehot(a), -c_V)} the advantage actor-critic's {@code sum_u A(u) g(u)}, where
 * {@code A(u) = G(u) - V(u)} is the n-step advantage of an unroll, equals
 * {@code sum_u delta(u) F_gamma(g)(u)}: the advantage is the discounted sum of the TD errors that
 * follow, {@code A(u) = sum_{u' >= u} gamma^(u'-u) delta(u')}, truncated where the unroll or the
 * episode ends. Weights that change every step make it an approximation, as in TD learning.
 *
 * <p>Rows are reset as {@link Trajectory#neuronReset} and {@link Trajectory#readoutReset} say:
 * eps_v, eps_a and psi(t-1) with the neurons, ebar with the readout filter. R is reset by the
 * caller's {@code d = 0}. Not thread-safe; allocation-free after construction.
 */
public final class RewardEligibility {
    private final Precision precision;
    private final int batch;
    private final int nIn;
    private final int n;
    private final int nOut;
    private final int pre;
    private final double[] epsV;
    private final double[] epsA;
    private final double[] eBar;
    private final double[] psiLast;
    private final double[] reward;
    private final double[] rewardOut;
    private final double[] rewardBias;
    private final double[] zbar;
    private final double[] grad;
    private final double[] gradOut;
    private final double[] gradBias;
    private final double[] presyn;
    private final double[] rowGrad;
    private final double[] rowGradOut;
    private final double[] rowGradBias;

    public RewardEligibility(SpikingNetwork net, int batch) {
        this.precision = net.precision();
        this.batch = batch;
        this.nIn = net.inputs();
        this.n = net.neurons();
        this.nOut = net.outputs();
        this.pre = nIn + n;
        long size = (long) batch * n * pre;
        if (size > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("reward eligibility for " + batch + " rows x " + n + " neurons x " + pre
                    + " sources does not fit one array; use fewer environments or neurons");
        }
        this.epsV = new double[(int) size];
        this.epsA = new double[(int) size];
        this.eBar = new double[(int) size];
        this.reward = new double[(int) size];
        this.psiLast = new double[batch * n];
        this.rewardOut = new double[batch * n * nOut];
        this.rewardBias = new double[batch * nOut];
        this.zbar = new double[batch * n];
        this.grad = new double[pre * n];
        this.gradOut = new double[n * nOut];
        this.gradBias = new double[nOut];
        this.presyn = new double[batch * pre];
        this.rowGrad = new double[(int) size];
        this.rowGradOut = new double[batch * n * nOut];
        this.rowGradBias = new double[batch * nOut];
    }

    /**
     * One agent step: the network steps of {@code tr} (run from the state the previous call left),
     * the learning vectors at its last step, and the previous step's TD errors.
     *
     * @param tr the forward pass of this agent step, from the carried network state
     * @param feedback B, {@code [n x nOut]} as W_out
     * @param learning l(u) per row at the last step of {@code tr}, {@code [batch x nOut]}
     * @param now the losses that act at once (dE/dy at every step, the regularisers), or null
     * @param delta delta(u-1) per row (0 where there is none: the first step, a masked row)
     * @param decay d(u) per row: gamma, or 0 where an episode began (R restarts)
     * @param out receives G(u) summed over the rows
     */
    public void step(SpikingNetwork net, Trajectory tr, RealArray feedback, double[] learning, BackwardInput now,
            double[] delta, double[] decay, Gradients out) {
        if (tr.batch() != batch || tr.neurons() != n || tr.inputs() != nIn || tr.readouts() != nOut) {
            throw new IllegalArgumentException("trajectory is " + tr.batch() + " x " + tr.neurons() + " neurons, "
                    + "the reward eligibility " + batch + " x " + n);
        }
        if (!tr.startsFromState()) {
            throw new IllegalArgumentException("the online rule needs the trajectory of a carried state");
        }
        final int steps = tr.steps();
        // Rows are independent agents: each is computed whole by one worker into its own gradient
        // buffer, and the buffers are summed in row order, so the result does not depend on the
        // number of threads.
        BatchParallel.forEachSlice(batch, (long) steps * n * pre, (from, to) -> {
            for (int b = from; b < to; b++) {
                row(net, tr, b, steps, feedback, learning, now, delta[b], decay[b]);
            }
        });
        Arrays.fill(grad, 0.0);
        Arrays.fill(gradOut, 0.0);
        Arrays.fill(gradBias, 0.0);
        for (int b = 0; b < batch; b++) {
            int base = b * n * pre;
            for (int i = 0; i < n * pre; i++) {
                grad[i] += rowGrad[base + i];
            }
            for (int i = 0; i < n * nOut; i++) {
                gradOut[i] += rowGradOut[b * n * nOut + i];
            }
            for (int k = 0; k < nOut; k++) {
                gradBias[k] += rowGradBias[b * nOut + k];
            }
        }
        for (int p = 0; p < pre; p++) {
            for (int j = 0; j < n; j++) {
                if (p < nIn) {
                    out.wIn().set(p * n + j, grad[j * pre + p]);
                } else {
                    out.wRec().set((p - nIn) * n + j, grad[j * pre + p]);
                }
            }
        }
        for (int i = 0; i < gradOut.length; i++) {
            out.wOut().set(i, gradOut[i]);
        }
        for (int k = 0; k < nOut; k++) {
            out.bOut().set(k, net.readout().bias() ? gradBias[k] : 0.0);
        }
    }

    /** Row b through every network step of the agent step, into the row's gradient buffers. */
    private void row(SpikingNetwork net, Trajectory tr, int b, int steps, RealArray feedback, double[] learning,
            BackwardInput now, double dl, double dc) {
        int last = steps - 1;
        double kappa = net.kappa();
        double cOut = net.readoutFactor();
        RealArray x = tr.input();
        RealArray z = tr.spikes();
        RealArray psi = tr.psi();
        RealArray z0 = tr.initialSpikes();
        RealArray dy = now == null ? null : now.dy();
        double[] rate = now == null ? null : now.regSignal();
        RealArray sv = now == null ? null : now.voltageSignal();
        RealArray sb = now == null ? null : now.adaptationSignal();
        RealArray zbar0 = tr.initialFilteredSpikes();
        int width = n * pre;
        int nb = b * n;
        Arrays.fill(rowGrad, b * width, (b + 1) * width, 0.0);
        Arrays.fill(rowGradOut, nb * nOut, (nb + n) * nOut, 0.0);
        Arrays.fill(rowGradBias, b * nOut, (b + 1) * nOut, 0.0);
        for (int j = 0; j < n; j++) {
            zbar[nb + j] = zbar0.get(nb + j);
        }
        for (int t = 0; t < steps; t++) {
            int row = t * batch + b;
            boolean reset = tr.neuronReset(t, b);
            if (reset) {
                Arrays.fill(epsV, b * width, (b + 1) * width, 0.0);
                Arrays.fill(epsA, b * width, (b + 1) * width, 0.0);
                Arrays.fill(psiLast, nb, nb + n, 0.0);
            }
            if (tr.readoutReset(t, b)) {
                Arrays.fill(eBar, b * width, (b + 1) * width, 0.0);
                Arrays.fill(zbar, nb, nb + n, 0.0);
            }
            boolean read = t == last;
            // The presynaptic values of this step, once per row rather than once per synapse.
            int pb = b * pre;
            for (int p = 0; p < nIn; p++) {
                presyn[pb + p] = x.get(row * nIn + p);
            }
            for (int i = 0; i < n; i++) {
                presyn[pb + nIn + i] = reset ? 0.0 : t > 0 ? z.get((row - batch) * n + i) : z0.get(nb + i);
            }
            for (int j = 0; j < n; j++) {
                double filtered = 0;
                double learn = 0;
                for (int k = 0; k < nOut; k++) {
                    double bjk = feedback.get(j * nOut + k);
                    if (dy != null) {
                        filtered += bjk * dy.get(row * nOut + k);
                    }
                    if (read) {
                        learn += bjk * learning[b * nOut + k];
                    }
                }
                double psiNow = psi.get(row * n + j);
                double psiPrev = psiLast[nb + j];
                double alpha = net.alpha(j);
                double beta = net.beta(j);
                double cIn = net.inputFactor(j);
                double unfiltered = rate == null ? 0.0 : rate[j];
                double svNow = sv == null ? 0.0 : sv.get(row * n + j);
                double sbNow = sv == null ? 0.0 : sb.get(row * n + j);
                double decayA = net.rho(j) - beta * psiPrev;
                int base = (nb + j) * pre;
                int self = nIn + j;
                for (int p = 0; p < pre; p++) {
                    if (p == self) {
                        continue; // no self-connection, so no trace
                    }
                    int s = base + p;
                    double ea = precision.round(decayA * epsA[s] + psiPrev * epsV[s]);
                    double ev = precision.round(alpha * epsV[s] + cIn * presyn[pb + p]);
                    double e = precision.round(psiNow * (ev - beta * ea));
                    double eb = precision.round(kappa * eBar[s] + cOut * e);
                    epsA[s] = ea;
                    epsV[s] = ev;
                    eBar[s] = eb;
                    double g = filtered * eb + unfiltered * e + svNow * ev + sbNow * ea;
                    if (read) {
                        g += dl * reward[s];
                        reward[s] = precision.round(dc * reward[s] + learn * eb);
                    }
                    rowGrad[s] += g;
                }
                psiLast[nb + j] = psiNow;
            }
            readout(b, row, z, dy, read, learning, dl, dc, kappa, cOut);
        }
    }

    /** The readout's weights and bias: zbar in place of ebar, no feedback. */
    private void readout(int b, int row, RealArray z, RealArray dy, boolean read, double[] learning, double dl,
            double dc, double kappa, double cOut) {
        for (int j = 0; j < n; j++) {
            int k = b * n + j;
            double zb = precision.round(kappa * zbar[k] + cOut * z.get(row * n + j));
            zbar[k] = zb;
            for (int o = 0; o < nOut; o++) {
                double g = dy == null ? 0.0 : zb * dy.get(row * nOut + o);
                if (read) {
                    int s = k * nOut + o;
                    g += dl * rewardOut[s];
                    rewardOut[s] = precision.round(dc * rewardOut[s] + zb * learning[b * nOut + o]);
                }
                rowGradOut[k * nOut + o] += g;
            }
        }
        for (int o = 0; o < nOut; o++) {
            double g = dy == null ? 0.0 : dy.get(row * nOut + o);
            if (read) {
                int s = b * nOut + o;
                g += dl * rewardBias[s];
                rewardBias[s] = precision.round(dc * rewardBias[s] + learning[b * nOut + o]);
            }
            rowGradBias[b * nOut + o] += g;
        }
    }

    /** The traces and reward eligibilities by name, for checkpoints. */
    public Map<String, double[]> save() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("eps_v", epsV.clone());
        s.put("eps_a", epsA.clone());
        s.put("ebar", eBar.clone());
        s.put("psi", psiLast.clone());
        s.put("reward", reward.clone());
        s.put("reward_out", rewardOut.clone());
        s.put("reward_bias", rewardBias.clone());
        return s;
    }

    /** Restores what {@link #save()} wrote. */
    public void restore(Map<String, double[]> s) {
        copy(s, "eps_v", epsV);
        copy(s, "eps_a", epsA);
        copy(s, "ebar", eBar);
        copy(s, "psi", psiLast);
        copy(s, "reward", reward);
        copy(s, "reward_out", rewardOut);
        copy(s, "reward_bias", rewardBias);
    }

    private static void copy(Map<String, double[]> s, String name, double[] into) {
        double[] v = s.get(name);
        if (v == null || v.length != into.length) {
            throw new IllegalArgumentException("reward eligibility '" + name + "' has "
                    + (v == null ? "no values" : v.length + " values") + ", expected " + into.length
                    + ": was it saved with another network size or number of environments?");
        }
        System.arraycopy(v, 0, into, 0, into.length);
    }
}
