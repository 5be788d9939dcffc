package org.eprop.learning.gradient;

import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.RowKernels;

/**
 * Reverse-mode differentiation through the unrolled network: the adjoint pass backwards in time.
 *
 * <ul>
 *   <li>{@link Graph#FULL}: full BPTT, the true gradient (feedback is W_out whatever is asked).</li>
 *   <li>{@link Graph#EPROP_CUT}: the same graph with the recurrent and reset paths of z(t-1) cut
 *       (stop-gradient) and the readout's backward matrix replaced by the feedback B: "autodiff
 *       e-prop" of the reference (docs/model.md §2.5). The adaptation path z(t-1) -> b(t) is kept.</li>
 * </ul>
 *
 * Adjoints per neuron, with {@code dz_emit(t)} the derivative through the emitted spike
 * (readout, regulariser and, in the full graph, recurrence and reset):
 * <pre>
 *   dz_emit(t)  = Lbar(t) + r + [FULL: sum_k c_in,k W_rec[j,k] gv_k(t+1) - v_th gv_j(t+1)]
 *   dz(t)       = dz_emit(t) + gb(t+1)                        (+ own adaptation path)
 *   gv(t)       = psi(t) dz(t) + alpha gv(t+1) [+ sV(t)]     (dE/dv)
 *   gb(t)       = -beta psi(t) dz(t) + rho gb(t+1) [+ sB(t)] (dE/db)
 * </pre>
 * where {@code sV = dE/dv(t)} and {@code sB = dE/db(t)} are the direct partials of a loss on the
 * state, e.g. the {@link VoltageRegularizer} ({@link BackwardInput#voltageSignal()}); absent, they
 * are left out of the sums altogether.
 * and {@code dE/dW_ji = sum_t c_in gv_j(t) pre_i(t)}. {@code dz_emit} of the full graph is the total
 * derivative dE/dz of paper eq. (1); it can be kept with {@link #keepTotalSpikeDerivative}.
 *
 * <h2>Boundaries</h2>
 * A reset of row b before step t+1 makes the row's state there a constant zero: the adjoints
 * gv(t+1) and gb(t+1) no longer reach step t (nor, in the full graph, through z(t) into the
 * recurrence and the reset), and a readout reset also cuts the readout filter's adjoint.
 * <ul>
 *   <li>{@link Graph#EPROP_CUT}: on the cut graph the forward sensitivities of v and b to W_ji are
 *       exactly the eligibility vectors eps_v and eps_a (the stop-gradient construction of the
 *       authors' code, IGITUGraz/eligibility_propagation), so a carried state
 *       enters through the adjoints at step 0: {@code alpha gv(0) eps_v(-1) + gb(0) eps_a(0)},
 *       plus the readout's {@code Lb0 ebar(-1)} and {@code zbar(-1)} terms; the traces at the
 *       end are those of {@link EligibilityCarry}. Two unrolls with the state carried give the
 *       gradient of the one long unroll.</li>
 *   <li>{@link Graph#FULL}: the true sensitivities across a boundary would cost O(n^2) per
 *       synapse, so across unrolls this is truncated BPTT: the carried state (neurons and readout
 *       filter) is a constant, as in the reference's Atari BPTT baseline, and nothing flows into
 *       the previous unroll. Its oracle is the long run with the backward pass cut at the
 *       boundary ({@link org.eprop.learning.verify.Rtrl} with a detach step). A reset inside the
 *       run is part of the differentiated graph: with the readout filter kept, the readout's
 *       adjoint still flows back across it.</li>
 * </ul>
 */
public final class ReverseMode implements GradientMethod {

    /** Which graph is differentiated. */
    public enum Graph { FULL, EPROP_CUT }

    private final Graph graph;
    private final Precision precision;
    private final SequenceBackward ends;
    private double[] gv = new double[0];
    private double[] gvNext = new double[0];
    private double[] gb = new double[0];
    private double[] gvFirst = new double[0];
    private RealArray spikeDerivative;
    private boolean keepSpikeDerivative;
    private final EligibilityCarry carry;

    public ReverseMode(Dense dense, Graph graph) {
        this.graph = graph;
        this.precision = dense.precision();
        this.ends = new SequenceBackward(dense);
        this.carry = new EligibilityCarry(dense);
    }

    /** Full BPTT. */
    public static ReverseMode bptt(Dense dense) {
        return new ReverseMode(dense, Graph.FULL);
    }

    /** Autodiff e-prop (recurrent and reset paths cut). */
    public static ReverseMode cutPath(Dense dense) {
        return new ReverseMode(dense, Graph.EPROP_CUT);
    }

    /** The full graph's recurrent weights by presynaptic neuron, c_in folded in (a workspace). */
    private double[] recurrentT = new double[0];
    /** float32's scan: state, constants, and the recurrent weights in rows padded to whole vectors. */
    private float[] next32 = new float[0];
    private float[] now32 = new float[0];
    private float[] gb32 = new float[0];
    private float[] recurrent32 = new float[0];
    private float[] recurrentSums32 = new float[0];
    private float[] alpha32 = new float[0];
    private float[] rho32 = new float[0];
    private float[] minusBeta32 = new float[0];
    private float[] cIn32 = new float[0];
    private float[] r32 = new float[0];

    /**
     * The adjoint scan in float32 arithmetic ({@link ReverseScan32}); leaves gv(0) and gb(0) in the
     * double workspaces for the boundary terms, as the double loop does.
     */
    private void scan32(SpikingNetwork net, Trajectory tr, RealArray signal, double[] reg, int steps, int batch, int n,
            boolean full) {
        final int width = batch * n;
        final int stride = (n + ReverseScan32.LANES - 1) / ReverseScan32.LANES * ReverseScan32.LANES;
        if (next32.length < width) {
            next32 = new float[width];
            now32 = new float[width];
            gb32 = new float[width];
            recurrentSums32 = new float[batch * stride];
        }
        if (alpha32.length != n) {
            alpha32 = new float[n];
            rho32 = new float[n];
            minusBeta32 = new float[n];
            cIn32 = new float[n];
            r32 = new float[n];
        }
        for (int j = 0; j < n; j++) {
            alpha32[j] = (float) net.alpha(j);
            rho32[j] = (float) net.rho(j);
            minusBeta32[j] = (float) -net.beta(j);
            cIn32[j] = (float) net.inputFactor(j);
            r32[j] = (float) reg[j];
        }
        if (full) {
            if (recurrent32.length != n * stride) {
                recurrent32 = new float[n * stride];
            }
            for (int m = 0; m < n; m++) {
                for (int j = 0; j < stride; j++) {
                    recurrent32[m * stride + j] = (float) (j < n ? recurrentT[m * n + j] : 0.0);
                }
            }
        }
        java.util.Arrays.fill(next32, 0, width, 0f);
        java.util.Arrays.fill(gb32, 0, width, 0f);
        final float vTh = (float) net.vTh();
        final float[] psi = ((RealArray.F32) tr.psi()).data();
        final float[] s = ((RealArray.F32) signal).data();
        final float[] dzOut = keepSpikeDerivative ? ((RealArray.F32) spikeDerivative).data() : null;
        final boolean[] resets = tr.resets();
        final float[] w = recurrent32;
        final float[] rec = recurrentSums32;
        final float[] gbState = gb32;
        BatchParallel.forEachSlice(batch, (long) steps * n * (full ? n : 1), (from, to) -> {
            float[] next = next32;
            float[] now = now32;
            for (int t = steps - 1; t >= 0; t--) {
                for (int b = from; b < to; b++) {
                    if (resets != null && t + 1 < steps && resets[(t + 1) * batch + b]) {
                        java.util.Arrays.fill(next, b * n, (b + 1) * n, 0f);
                        java.util.Arrays.fill(gbState, b * n, (b + 1) * n, 0f);
                    }
                }
                if (full) { // the slice's recurrent sums of this step, into its rows of rec
                    ReverseScan32.recurrent(w, n, stride, next, from, to, rec);
                }
                for (int b = from; b < to; b++) {
                    int row = t * width + b * n;
                    ReverseScan32.step(alpha32, rho32, minusBeta32, cIn32, r32, vTh, n, next, now, gbState, b * n, psi,
                            s, row, full ? rec : null, b * stride, dzOut);
                }
                float[] swap = next;
                next = now;
                now = swap;
            }
            for (int k = from * n; k < to * n; k++) {
                gvFirst[k] = next[k];
                gb[k] = gbState[k];
            }
        });
    }

    @Override
    public String id() {
        return graph == Graph.FULL ? "bptt" : "eprop-autodiff";
    }

    /** Keeps {@code dz_emit} of every (t, b, j), see {@link #totalSpikeDerivative()}. */
    public ReverseMode keepTotalSpikeDerivative(boolean keep) {
        this.keepSpikeDerivative = keep;
        return this;
    }

    /**
     * dE/dz_j(t) through the emitted spike, time-major {@code [steps*batch x n]}, of the last
     * {@link #compute} (with {@link #keepTotalSpikeDerivative}); for the full graph this is the
     * total derivative that paper eq. (1) multiplies with the eligibility traces.
     */
    public RealArray totalSpikeDerivative() {
        return spikeDerivative;
    }

    @Override
    public void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out,
            NetworkState carried) {
        compute(net, tr, in, feedback, out, carried, false);
    }

    /** On the cut graph, the e-prop gradient with the carried state a constant; full BPTT is this always. */
    @Override
    public void computeTruncated(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback,
            Gradients out) {
        compute(net, tr, in, feedback, out, null, true);
    }

    private void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out,
            NetworkState carried, boolean truncated) {
        RealArray backward = graph == Graph.FULL ? net.wOut() : feedback.matrix(net);
        RealArray lbar = ends.readoutAndSignals(net, tr, in, backward, out);
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int width = batch * n;
        if (gv.length < width) {
            gv = new double[width];
            gvNext = new double[width];
            gb = new double[width];
            gvFirst = new double[width];
        }
        java.util.Arrays.fill(gvNext, 0, width, 0.0);
        java.util.Arrays.fill(gb, 0, width, 0.0);
        if (keepSpikeDerivative && (spikeDerivative == null || spikeDerivative.length() < steps * width)) {
            spikeDerivative = precision.zeros(steps * width);
        }
        boolean full = graph == Graph.FULL;
        RealArray wRec = net.wRec();
        if (full) {
            // c_in(m) W_rec[j, m] by presynaptic m, zero on the diagonal: the recurrent term below is
            // then summed as rows, m ascending as before, a whole row of j at a time
            if (recurrentT.length < n * n) {
                recurrentT = new double[n * n];
            }
            for (int m = 0; m < n; m++) {
                for (int j = 0; j < n; j++) {
                    recurrentT[m * n + j] = m == j ? 0.0 : net.inputFactor(m) * wRec.get(j * n + m);
                }
            }
        }
        final double[] wT = recurrentT;
        double vTh = net.vTh();
        double[] r = in.regSignal();
        RealArray psi = tr.psi();
        boolean[] resets = tr.resets();
        RealArray sv = in.voltageSignal();
        RealArray sb = in.adaptationSignal();
        if (precision == Precision.FLOAT32 && sv == null) {
            scan32(net, tr, lbar, r, steps, batch, n, full);
        } else {
        // gv(t+1) and gv(t) live in two buffers whose roles swap every step; each slice swaps its
        // own view of them, so the slices never share a step.
        BatchParallel.forEachSlice(batch, (long) steps * n * (full ? n : 1), (from, to) -> {
            double[] next = gvNext;
            double[] now = gv;
            double[] recurrentSum = full ? new double[n] : null; // per slice, not per step
            for (int t = steps - 1; t >= 0; t--) {
                for (int b = from; b < to; b++) {
                    int state = b * n;
                    if (resets != null && t + 1 < steps && resets[(t + 1) * batch + b]) {
                        java.util.Arrays.fill(next, state, state + n, 0.0);
                        java.util.Arrays.fill(gb, state, state + n, 0.0);
                    }
                    if (full) {
                        // sum_m c_in(m) W_rec[j, m] gv_m(t+1), m ascending for every j. A zero gv_m
                        // adds a zero term, which leaves the (never negative-zero) sum as it is.
                        java.util.Arrays.fill(recurrentSum, 0.0);
                        for (int m = 0; m < n; m++) {
                            double g = next[state + m];
                            if (g != 0.0) {
                                RowKernels.addScaled(recurrentSum, g, wT, m * n, n);
                            }
                        }
                    }
                    for (int j = 0; j < n; j++) {
                        int k = state + j;
                        int idx = t * width + k;
                        double dzEmit = lbar.get(idx) + r[j];
                        if (full) {
                            dzEmit += recurrentSum[j] - vTh * next[k];
                        }
                        dzEmit = precision.round(dzEmit);
                        double dz = dzEmit + gb[k];
                        double p = psi.get(idx);
                        if (sv == null) {
                            now[k] = precision.round(p * dz + net.alpha(j) * next[k]);
                            gb[k] = precision.round(-net.beta(j) * p * dz + net.rho(j) * gb[k]);
                        } else {
                            // A loss on the state itself (VoltageRegularizer) adds its partials.
                            now[k] = precision.round(p * dz + net.alpha(j) * next[k] + sv.get(idx));
                            gb[k] = precision.round(-net.beta(j) * p * dz + net.rho(j) * gb[k] + sb.get(idx));
                        }
                        if (keepSpikeDerivative) {
                            spikeDerivative.set(idx, dzEmit);
                        }
                    }
                    for (int j = 0; j < n; j++) {
                        lbar.set(t * width + state + j, net.inputFactor(j) * now[state + j]);
                    }
                }
                double[] swap = next;
                next = now;
                now = swap;
            }
            System.arraycopy(next, from * n, gvFirst, from * n, (to - from) * n);
        });
        }
        ends.weightGradients(net, tr, lbar, out);
        if (full || truncated) {
            return;
        }
        if (tr.startsFromState()) {
            double[] lb0 = ends.readoutBoundary(net, tr, in, backward, out);
            if (carried != null && carried.hasTraces()) {
                double[] cv = new double[width];
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < n; j++) {
                        cv[b * n + j] = net.alpha(j) * gvFirst[b * n + j];
                    }
                }
                // the boundary term and the carried-out traces in one pass over the traces
                carry.advance(net, tr, carried, cv, java.util.Arrays.copyOf(gb, width), lb0, out);
                return;
            }
        }
        if (carried != null) {
            carry.advance(net, tr, carried);
        }
    }
}
