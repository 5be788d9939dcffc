package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.RealArray;

/**
 * The membrane-potential regulariser of the reference's Atari LSNN (Bellec et al. 2020, Figs. 4-5;
 * {@code IGITUGraz/eligibility_propagation}, {@code Figure_4_and_5_ATARI/spiking_agent.py}, flag
 * {@code voltage_cost_rnn}, default 1e-4): it keeps the membrane potentials within the adaptive
 * threshold on both sides,
 * <pre>
 *   E_v  = c sum_{t,j} (1/B) sum_b [ relu(v_j(t) - A_j(t))^2 + relu(-v_j(t) - A_j(t))^2 ]
 *   A_j(t) = v_th + beta_j b_j(t)                     the adaptive threshold (docs/model.md §1.2)
 * </pre>
 * summed over the steps of the unroll and averaged over its B rows. It acts on the hidden state, not
 * on the spikes, so its derivatives are direct signals on v and b of every (t, b, j):
 * <pre>
 *   dE_v/dv_j(t) = (2c/B) [ relu(v - A) - relu(-v - A) ]
 *   dE_v/db_j(t) = -(2c/B) beta_j [ relu(v - A) + relu(-v - A) ]
 * </pre>
 * (relu' taken as 0 at 0). How each gradient method takes them is in {@link BackwardInput}.
 * Because E_v is a sum over steps, the term decomposes across unrolls: the unrolls of a carried
 * state add up to the long run.
 */
public record VoltageRegularizer(double strength) {

    /** No regularisation. */
    public static final VoltageRegularizer NONE = new VoltageRegularizer(0.0);

    /** The reference Atari agent's {@code voltage_cost_rnn}. */
    public static final double ATARI_STRENGTH = 1e-4;

    public VoltageRegularizer {
        if (!(strength >= 0) || Double.isInfinite(strength)) {
            throw new IllegalArgumentException("voltage regularisation strength must be >= 0, got " + strength);
        }
    }

    /**
     * Evaluates E_v on a trajectory recorded with its state ({@link Trajectory#recordsState()}) and
     * writes dE_v/dv and dE_v/db, time-major {@code [steps*batch x n]}, into the two arrays (which
     * may be longer).
     *
     * @return E_v
     */
    public double evaluate(Trajectory tr, SpikingNetwork net, RealArray dEdv, RealArray dEdb) {
        if (!tr.recordsState()) {
            throw new IllegalArgumentException("the voltage regulariser needs v and b of every step: run the forward"
                    + " pass with recordState = true");
        }
        double[] beta = new double[net.neurons()];
        for (int j = 0; j < beta.length; j++) {
            beta[j] = net.beta(j);
        }
        return evaluate(tr.voltage(), tr.adaptation(), tr.steps() * tr.batch(), tr.batch(), net.neurons(), net.vTh(),
                beta, dEdv, dEdb);
    }

    /**
     * The same on plain arrays: {@code rows} rows of {@code n} neurons, of which {@code batch} per
     * step (the mean over the batch divides by it).
     */
    public double evaluate(RealArray v, RealArray b, int rows, int batch, int n, double vTh, double[] beta,
            RealArray dEdv, RealArray dEdb) {
        double scale = strength / batch;
        double loss = 0;
        for (int r = 0; r < rows; r++) {
            int base = r * n;
            for (int j = 0; j < n; j++) {
                double vj = v.get(base + j);
                double threshold = vTh + beta[j] * b.get(base + j);
                double above = Math.max(0.0, vj - threshold);
                double below = Math.max(0.0, -vj - threshold);
                loss += scale * (above * above + below * below);
                dEdv.set(base + j, 2 * scale * (above - below));
                dEdb.set(base + j, -2 * scale * beta[j] * (above + below));
            }
        }
        return loss;
    }
}
