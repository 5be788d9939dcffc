package org.eprop.learning.gradient;

import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.Simd;

/**
 * e-prop by backward scans (docs/fast-eprop.md): the exact e-prop gradient of eq. (25) with
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
 * <h2>A loss on the state</h2>
 * A loss with direct partials {@code sV(t) = dE/dv(t)} and {@code sB(t) = dE/db(t)} (the
 * {@link VoltageRegularizer}) adds, in the cut graph, {@code sum_t sV(t) eps_v(t) + sB(t) eps_a(t)}
 * to the e-prop gradient ({@link OnlineEprop}). Its adjoints are the cut graph's
 * {@code gv(t) = psi dz(t) + alpha gv(t+1) + sV(t)}, {@code gb(t) = -beta psi dz(t) + rho gb(t+1)
 * + sB(t)} ({@link ReverseMode}); with {@code g(t) = -gb(t+1)}, {@code h(t) = psi(t) dz(t)} and
 * {@code hbar = gv} they become
 * <pre>
 *   g(t)    = rho g(t+1) + beta h(t+1) - sB(t+1)
 *   h(t)    = psi(t) (S(t) - g(t))
 *   hbar(t) = h(t) + sV(t) + alpha hbar(t+1)
 * </pre>
 * and the boundary coefficient on eps_a(0) below gains {@code + sB(0)}. Without such a loss the
 * loop is the one above, unchanged.
 *
 * <h2>Boundaries</h2>
 * The scans are the adjoints of the eligibility recursion of paper eq. (25) (eps_v, eps_a, e, ebar
 * as in {@link OnlineEprop}): eps_v(t) reaches e(t) with psi(t), eps_a(t+1) with psi(t) and
 * eps_v(t+1) with alpha; eps_a(t) reaches e(t) with -beta psi(t) and eps_a(t+1) with
 * rho - beta psi(t). So, for the gradient {@code G = sum_t S(t) e(t)} of one (b, j):
 * <pre>
 *   dG/deps_v(t) = hbar(t),     dG/deps_a(t) = -(rho g(t) + beta h(t)) [+ sB(t)] =: gb(t)
 * </pre>
 * <ul>
 *   <li>A reset of row b before step t+1 zeroes eps_v and eps_a there, so g, h and hbar restart
 *       from zero at t; a readout reset also cuts the learning-signal filter
 *       {@code Lbar(t) = c_out L(t) + kappa Lbar(t+1)} ({@link SequenceBackward}), else Lbar
 *       runs on across the reset as ebar does.</li>
 *   <li>A carried state (eps_v(-1), eps_a(0) already advanced, ebar(-1), zbar(-1); see
 *       {@link NetworkState}) enters through one boundary term per (b, j), the adjoints at step 0
 *       contracted with the carried traces:
 *       <pre>
 *   dE/dW_ij   += alpha hbar(0) eps_v,ij(-1) + gb(0) eps_a,ij(0) + Lb0 ebar_ij(-1)
 *   dE/dW_out  += zbar(-1) kappa F(0)^T,    Lb0_j = kappa sum_k B_jk F_k(0)
 *   F(t)        = dE/dy(t) + kappa F(t+1)                   the readout filter's adjoint
 *       </pre>
 *       The W_out term needs only zbar(-1), which the trajectory keeps, so it is applied whenever
 *       the run started from a state; the others need the traces of a {@link NetworkState}.</li>
 *   <li>The traces at the unroll's end are linear in the presynaptic activity with per-(b, j, t)
 *       coefficients, themselves backward scans of the same kind (for ebar: this scan with
 *       {@code S(t) = c_out kappa^(T-1-t)}), so they are computed as one product per batch row
 *       of the coefficients with the presynaptic activity, never as per-step traces.</li>
 * </ul>
 * Because e-prop is causal, two unrolls with the state carried give the gradient of the one long
 * unroll, to rounding ({@link org.eprop.learning.verify.UnrollCarry}). Full equations of the
 * carried-out traces in {@code EligibilityCarry}.
 */
public final class FastEprop implements GradientMethod {
    private final Precision precision;
    private final SequenceBackward ends;
    private double[] g = new double[0];
    private double[] hNext = new double[0];
    private double[] hbar = new double[0];
    /** Per-neuron constants and the boundary coefficients: workspaces, so a call allocates no arrays. */
    private double[] alpha = new double[0];
    private double[] rho = new double[0];
    private double[] beta = new double[0];
    private double[] cIn = new double[0];
    private double[] cv = new double[0];
    private double[] ca = new double[0];
    private final EligibilityCarry carry;
    /** float32's scan state and constants ({@link BackwardScan32}). */
    private float[] g32 = new float[0];
    private float[] hNext32 = new float[0];
    private float[] hbar32 = new float[0];
    private final BackwardScan32.Constants constants32 = new BackwardScan32.Constants();
    /** float32's weight gradients summed in the scan, and the scan's own signal rows then. */
    private final ScanGradients inScanGradients = new ScanGradients();
    private float[] rowSignals = new float[0];
    private boolean summedInScan;

    /** Whether the last gradient's input and recurrent parts were summed in the scan ({@link ScanGradients}). */
    boolean summedInScan() {
        return summedInScan;
    }

    public FastEprop(Dense dense) {
        this.precision = dense.precision();
        this.ends = new SequenceBackward(dense);
        this.carry = new EligibilityCarry(dense);
    }

    /** Sizes the per-neuron constants for {@code n} neurons and fills them from {@code net}. */
    private void constants(SpikingNetwork net, int n) {
        if (alpha.length != n) {
            alpha = new double[n];
            rho = new double[n];
            beta = new double[n];
            cIn = new double[n];
        }
        for (int j = 0; j < n; j++) {
            alpha[j] = net.alpha(j);
            rho[j] = net.rho(j);
            beta[j] = net.beta(j);
            cIn[j] = net.inputFactor(j);
        }
    }

    @Override
    public String id() {
        return "eprop";
    }

    @Override
    public void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out,
            NetworkState state) {
        compute(net, tr, in, feedback, out, state, false);
    }

    @Override
    public void computeTruncated(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback,
            Gradients out) {
        compute(net, tr, in, feedback, out, null, true);
    }

    private void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out,
            NetworkState state, boolean truncated) {
        // float32 without a carried state: the weight gradients may be summed inside the scan
        // (ScanGradients), the readout's with them.
        boolean inScan = precision == Precision.FLOAT32 && ends.eventDriven() && state == null
                && net.outputs() <= SequenceBackward.NARROW && inScanGradients.prepare(net, tr);
        summedInScan = inScan;
        RealArray s = precision == Precision.FLOAT32
                ? ends.readoutAndDeferredSignals(net, tr, in, feedback.matrix(net), out, !inScan)
                : ends.readoutAndSignals(net, tr, in, feedback.matrix(net), out);
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
        constants(net, n);
        final double[] alpha = this.alpha;
        final double[] rho = this.rho;
        final double[] beta = this.beta;
        final double[] cIn = this.cIn;
        boolean[] resets = tr.resets();
        RealArray sv = in.voltageSignal();
        RealArray sb = in.adaptationSignal();
        if (precision == Precision.FLOAT32) {
            if (inScan) {
                inScanGradients.errors(ends.filteredErrors());
            }
            scan32(net, tr, s, r, sv, sb, steps, batch, n, inScan);
            if (inScan) {
                inScanGradients.reduce(out);
                return;
            }
        } else {
        BatchParallel.forEachSlice(batch, (long) steps * n, (from, to) -> {
            for (int t = steps - 1; t >= 0; t--) {
                int rowBase = t * width;
                for (int b = from; b < to; b++) {
                    if (resets != null && t + 1 < steps && resets[(t + 1) * batch + b]) {
                        java.util.Arrays.fill(g, b * n, (b + 1) * n, 0.0);
                        java.util.Arrays.fill(hNext, b * n, (b + 1) * n, 0.0);
                        java.util.Arrays.fill(hbar, b * n, (b + 1) * n, 0.0);
                    }
                    if (sv == null) {
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
                        continue;
                    }
                    // With direct state signals: sB(t+1) leaves through g (none across a reset at
                    // t+1, where b(t+1) is a constant zero), sV(t) joins the membrane adjoint hbar.
                    boolean cutNext = t + 1 >= steps || (resets != null && resets[(t + 1) * batch + b]);
                    for (int j = 0; j < n; j++) {
                        int k = b * n + j;
                        int idx = rowBase + k;
                        double sbNext = cutNext ? 0.0 : sb.get(idx + width);
                        double gk = precision.round(rho[j] * g[k] + beta[j] * hNext[k] - sbNext);
                        double h = psi.get(idx) * (s.get(idx) + r[j] - gk);
                        double hb = precision.round(h + sv.get(idx) + alpha[j] * hbar[k]);
                        g[k] = gk;
                        hNext[k] = h;
                        hbar[k] = hb;
                        s.set(idx, cIn[j] * hb);
                    }
                }
            }
        });
        }
        ends.weightGradients(net, tr, s, out);
        if (tr.startsFromState() && !truncated) {
            double[] lb0 = ends.readoutBoundary(net, tr, in, feedback.matrix(net), out);
            if (state != null && state.hasTraces()) {
                // After the scan g, hNext and hbar hold g(0), h(0) and hbar(0).
                if (cv.length < width) {
                    cv = new double[width];
                    ca = new double[width];
                }
                double[] cv = this.cv;
                double[] ca = this.ca;
                for (int b = 0; b < batch; b++) {
                    for (int j = 0; j < n; j++) {
                        int k = b * n + j;
                        cv[k] = alpha[j] * hbar[k];
                        // gb(0) = dE/db(0), which the direct signal sB(0) reaches as well.
                        ca[k] = -(rho[j] * g[k] + beta[j] * hNext[k]) + (sb == null ? 0.0 : sb.get(k));
                    }
                }
                // the boundary term and the carried-out traces in one pass over the traces
                carry.advance(net, tr, state, cv, ca, lb0, out);
                return;
            }
        }
        if (state != null) {
            carry.advance(net, tr, state);
        }
    }

    /**
     * The scan in float32 ({@link BackwardScan32}): float state, float arithmetic, the vector loop
     * where available. Leaves g(0), h(0) and hbar(0) in the double workspaces for the boundary terms.
     */
    private void scan32(SpikingNetwork net, Trajectory tr, RealArray signal, double[] reg, RealArray sv, RealArray sb,
            int steps, int batch, int n, boolean inScan) {
        int width = batch * n;
        // Summing in the scan, the scan's own rows (state and signal) are padded to whole vectors, so
        // that the vector loop has no scalar remainder: the padding lanes have zero constants and are
        // never read back (ScanGradients reads n values of each row).
        final boolean padded = inScan && Simd.ENABLED && n >= Simd.MIN_LENGTH;
        final int stride = padded ? (n + BackwardScan32Vector.LANES - 1) / BackwardScan32Vector.LANES
                * BackwardScan32Vector.LANES : n;
        final int stateWidth = batch * stride;
        if (g32.length < stateWidth) {
            g32 = new float[stateWidth];
            hNext32 = new float[stateWidth];
            hbar32 = new float[stateWidth];
        }
        java.util.Arrays.fill(g32, 0, stateWidth, 0f);
        java.util.Arrays.fill(hNext32, 0, stateWidth, 0f);
        java.util.Arrays.fill(hbar32, 0, stateWidth, 0f);
        BackwardScan32.Constants c = constants32;
        c.size(stride);
        for (int j = 0; j < n; j++) {
            c.alpha[j] = (float) net.alpha(j);
            c.rho[j] = (float) net.rho(j);
            c.beta[j] = (float) net.beta(j);
            c.cIn[j] = (float) net.inputFactor(j);
            c.r[j] = (float) reg[j];
        }
        c.zeroFrom(n);
        final float[] g = g32;
        final float[] hNext = hNext32;
        final float[] hbar = hbar32;
        final float[] psi = ((RealArray.F32) tr.psi()).data();
        // Summing the gradients in the scan, each sequence's signal row is a workspace row of its own
        // (the learning signal, then c_in hbar), so the (time x batch) matrix is never touched.
        if (inScan && rowSignals.length < stateWidth) {
            rowSignals = new float[stateWidth];
        }
        final float[] s = inScan ? rowSignals : ((RealArray.F32) signal).data();
        final ScanGradients sums = inScan ? inScanGradients : null;
        final int group = inScan ? sums.group() : 1;
        final int groups = inScan ? sums.groups() : batch;
        final float[] v = sv == null ? null : ((RealArray.F32) sv).data();
        final float[] b = sb == null ? null : ((RealArray.F32) sb).data();
        final boolean[] resets = tr.resets();
        final SequenceBackward ends = this.ends;
        final boolean deferred = ends.signalsDeferred();
        final int nOut = net.outputs();
        final float[] errors = deferred ? ends.filteredErrors() : null;
        final float[] feedbackT = deferred ? ends.transposedFeedback() : null;
        // One slice of groups per thread, as the time loop slices the batch (a group across the time
        // loop's slice boundary goes to one of the two): each sequence's psi, spike lists and input
        // events are read on the core that wrote them, and the next forward pass writes its rows where
        // this scan left them. Taken dynamically, four slices per thread, some went to the other core
        // whenever one thread ran ahead: on the project's VM, in a harness alternating the two in
        // one process, a Fig. 3 iteration took 27.0 ms against 27.8 ms in its quiet minutes and 29.6
        // against 30.9 ms in its slow ones (scan 11.9 / 12.5 against 12.5 / 12.9 ms, and the next
        // time loop 11.8 / 12.8 against 12.0 / 13.3 ms).
        BatchParallel.forEachThreadSlice(groups, (long) group * steps * n, (fromGroup, toGroup) -> {
            final int from = fromGroup * group;
            final int to = Math.min(batch, toGroup * group);
            for (int t = steps - 1; t >= 0; t--) {
                int rowBase = t * width;
                for (int bb = from; bb < to; bb++) {
                    int row = rowBase + bb * n;
                    int state = bb * stride;
                    int sRow = sums != null ? state : row;
                    boolean resetNext = resets != null && t + 1 < steps && resets[(t + 1) * batch + bb];
                    if (resetNext) {
                        java.util.Arrays.fill(g, state, state + n, 0f);
                        java.util.Arrays.fill(hNext, state, state + n, 0f);
                        java.util.Arrays.fill(hbar, state, state + n, 0f);
                    }
                    // sB(t+1) leaves through g, except across a reset at t+1 or past the end
                    float[] sbNext = b == null || t + 1 >= steps || resetNext ? null : b;
                    if (padded && v == null && sbNext == null) {
                        BackwardScan32Vector.stepWithSignalPadded(c, stride, g, hNext, hbar, state, psi, row, s, sRow,
                                errors, (t * batch + bb) * nOut, feedbackT, nOut, n);
                    } else if (deferred && v == null && sbNext == null) {
                        // the learning signals made in the loop from the readout errors of this row
                        BackwardScan32.stepWithSignal(c, n, g, hNext, hbar, state, psi, row, s, sRow, errors,
                                (t * batch + bb) * nOut, feedbackT, nOut);
                    } else {
                        if (deferred) { // this row's learning signals, made in cache just before the scan reads them
                            ends.signalRow(t * batch + bb, n, nOut, s, sRow);
                        }
                        BackwardScan32.step(c, n, g, hNext, hbar, state, psi, row, s, sRow, v, sbNext, row + width);
                    }
                    if (sums != null) {
                        sums.add(t, bb, s, sRow);
                    }
                }
            }
        });
        if (tr.startsFromState()) {
            for (int k = 0; k < width; k++) {
                this.g[k] = g[k];
                this.hNext[k] = hNext[k];
                this.hbar[k] = hbar[k];
            }
        }
    }
}
