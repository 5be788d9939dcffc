package org.eprop.learning.gradient;

import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Dense.Block;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * Eligibility traces across an unroll boundary without per-step traces, for the methods that run
 * backwards over the unroll ({@link FastEprop}, {@link ReverseMode} on the cut graph).
 *
 * <p>Notation of paper eq. (25) for row b, neuron j, source p (pre = x_p(t), or z_p(t-1)), with the
 * state's conventions ({@link NetworkState}): EV = eps_v(-1), EA = eps_a(0) (advanced),
 * EB = ebar(-1) carried in; psi = pseudo-derivative, alpha, rho, beta, kappa, c_in, c_out as in
 * {@link org.eprop.learning.neuron.NeuronLayer} and {@link org.eprop.learning.neuron.Readout}.
 *
 * <h2>In: the boundary term</h2>
 * Any gradient of the form {@code sum_t S(t) e(t)} is linear in the traces, so with the adjoints
 * of the backward scan at step 0, {@code dG/deps_v(0) = hbar(0)} and
 * {@code dG/deps_a(0) = -(rho g(0) + beta h(0)) = gb(0)} (see {@link FastEprop}), and the
 * learning signal {@code Lb0} that meets ebar(-1) through the readout filter
 * ({@link SequenceBackward#readoutBoundary}):
 * <pre>
 *   dE/dW_pj += sum_b  alpha hbar_bj(0) EV_bjp + gb_bj(0) EA_bjp + Lb0_bj EB_bjp
 * </pre>
 * ({@link #addBoundary}, one contraction per (b, j); the in-unroll part stays the scans and one
 * product per weight matrix).
 *
 * <h2>Out: the traces at the end of the unroll</h2>
 * The traces after the last step T-1 are linear in the presynaptic activity with per-(b, j, t)
 * coefficients, themselves backward scans (cut where a neuron reset zeroed the row):
 * <pre>
 *   eps_v(T-1) = sum_t c_in alpha^(T-1-t) pre(t)                       + alpha^T EV
 *   eps_a(T)   = sum_t c_in abar(t) pre(t)                             + alpha abar(0) EV + Pi(-1) EA
 *       Pi(T-1) = 1,  Pi(t) = Pi(t+1) (rho - beta psi(t+1)),  abar(t) = psi(t) Pi(t) + alpha abar(t+1)
 *   ebar(T-1)  = sum_t c_in hbarK(t) pre(t)                            + alpha hbarK(0) EV + gbK(0) EA
 *                                                                      + kappa K0 EB
 *       the scan of FastEprop with S(t) = K(t) = c_out kappa^(T-1-t) (cut at readout resets), K0 = K(0)/c_out
 * </pre>
 * so all three are one product per batch row of the stacked coefficients [T x 3n] with the
 * presynaptic activity [T x (nIn + n)] ({@link #advance}). Memory: the coefficients, O(B T n), and
 * the traces themselves, O(B n (nIn + n)), independent of the unroll length.
 */
final class EligibilityCarry {
    private final Precision precision;
    private final Dense dense;
    private RealArray coefficients;
    private RealArray presynaptic;
    private RealArray product;
    /** Workspaces of {@link #advance}: coefficients on the carried-in traces, and powers of kappa. */
    private double[] onEv = new double[0];
    private double[] onEa = new double[0];
    private double[] onEb = new double[0];
    private double[] kPow = new double[0];

    EligibilityCarry(Dense dense) {
        this.dense = dense;
        this.precision = dense.precision();
    }

    /**
     * Adds the boundary term with the carried-in traces of {@code state}; the coefficients are per
     * (b, j), {@code [batch x n]}: {@code cv} on EV, {@code ca} on EA, {@code cb} on EB.
     */
    static void addBoundary(SpikingNetwork net, NetworkState state, double[] cv, double[] ca, double[] cb,
            Gradients out) {
        int batch = state.batch();
        int n = net.neurons();
        int pre = net.inputs() + n;
        // Each weight's terms are added in row order (b outermost) as one (b, j) contraction at a
        // time would add them; the neurons run in blocks whose sources go in order, so the
        // weights [source][neuron] are written a block-row at a time instead of a whole column
        // per (b, j) (one cache line per term), and disjoint blocks of neurons on both cores.
        BatchParallel.forEachSlice((n + BOUNDARY_BLOCK - 1) / BOUNDARY_BLOCK, (long) batch * pre * BOUNDARY_BLOCK,
                (from, to) -> addBoundary(net, state, cv, ca, cb, out, from * BOUNDARY_BLOCK,
                        Math.min(n, to * BOUNDARY_BLOCK)));
    }

    /** Neurons per block of {@link #addBoundary}. */
    private static final int BOUNDARY_BLOCK = 8;

    /** {@link #addBoundary} for neurons {@code [jFrom, jTo)}. */
    private static void addBoundary(SpikingNetwork net, NetworkState state, double[] cv, double[] ca, double[] cb,
            Gradients out, int jFrom, int jTo) {
        int batch = state.batch();
        int n = net.neurons();
        int nIn = net.inputs();
        int pre = nIn + n;
        RealArray ev = state.epsV();
        RealArray ea = state.epsA();
        RealArray eb = state.eBar();
        RealArray wIn = out.wIn();
        RealArray wRec = out.wRec();
        for (int b = 0; b < batch; b++) {
            for (int j0 = jFrom; j0 < jTo; j0 += BOUNDARY_BLOCK) {
                int j1 = Math.min(jTo, j0 + BOUNDARY_BLOCK);
                for (int p = 0; p < pre; p++) {
                    for (int j = j0; j < j1; j++) {
                        if (p == nIn + j) {
                            continue;
                        }
                        int k = b * n + j;
                        int s = k * pre + p;
                        double term = cv[k] * ev.get(s) + ca[k] * ea.get(s) + cb[k] * eb.get(s);
                        if (p < nIn) {
                            wIn.add(p * n + j, term);
                        } else {
                            wRec.add((p - nIn) * n + j, term);
                        }
                    }
                }
            }
        }
    }

    /**
     * Overwrites the traces of {@code state} (those at the start of the unroll when {@code tr}
     * started from a state, else taken as zero) with those at its end.
     */
    void advance(SpikingNetwork net, Trajectory tr, NetworkState state) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nIn = net.inputs();
        int pre = nIn + n;
        boolean carried = tr.startsFromState() && state.hasTraces();
        state.ensureTraces();
        int wide = 3 * n;
        coefficients = grow(coefficients, batch * steps * wide);
        presynaptic = grow(presynaptic, batch * steps * pre);
        product = grow(product, wide * pre);
        // Per-(b, j) coefficients on the carried-in traces: [EV, EA, EB] for each of [eps_v, eps_a, ebar].
        if (onEv.length < batch * n * 3) {
            onEv = new double[batch * n * 3];
            onEa = new double[batch * n * 3];
            onEb = new double[batch * n];
        }
        if (kPow.length < batch * steps) {
            kPow = new double[batch * steps]; // a row's powers at b * steps: rows run in parallel
        }
        // Rows are independent: both loops run on both cores, each row by the same code.
        pNet = net;
        pTr = tr;
        try {
            coefficientLoop.run(batch, (long) steps * n * 12);
        } finally {
            pNet = null;
            pTr = null;
        }
        RealArray ev = state.epsV();
        RealArray ea = state.epsA();
        RealArray eb = state.eBar();
        boolean vector = vectorUpdate && ev instanceof RealArray.F32 && product instanceof RealArray.F32;
        for (int b = 0; b < batch; b++) {
            dense.gemm(new Block(coefficients, b * steps, steps, wide), true, new Block(presynaptic, b * steps, steps, pre),
                    false, new Block(product, 0, wide, pre));
            if (vector) {
                // The row's neurons on both cores, on the float arrays directly: the same values
                // (each element by the scalar loop's operations), in a fraction of the time this
                // memory-bound loop over B x n x (nIn + n) traces takes on one core.
                pendingB = b;
                pendingN = n;
                pendingNIn = nIn;
                pendingCarried = carried;
                pendingState = state;
                try {
                    carryLoop.run(n, (long) pre * 3);
                } finally {
                    pendingState = null;
                }
                continue;
            }
            for (int j = 0; j < n; j++) {
                int k = (b * n + j) * 3;
                int base = (b * n + j) * pre;
                for (int p = 0; p < pre; p++) {
                    int s = base + p;
                    if (p == nIn + j) {
                        ev.set(s, 0.0);
                        ea.set(s, 0.0);
                        eb.set(s, 0.0);
                        continue;
                    }
                    double oldV = carried ? ev.get(s) : 0.0;
                    double oldA = carried ? ea.get(s) : 0.0;
                    double oldB = carried ? eb.get(s) : 0.0;
                    ev.set(s, product.get(j * pre + p) + onEv[k] * oldV);
                    ea.set(s, product.get((n + j) * pre + p) + onEv[k + 1] * oldV + onEa[k + 1] * oldA);
                    eb.set(s, product.get((2 * n + j) * pre + p) + onEv[k + 2] * oldV + onEa[k + 2] * oldA
                            + onEb[b * n + j] * oldB);
                }
            }
        }
    }

    /** Whether the parallel float32 update may run (a test sets it false to compare with the plain loop). */
    static boolean vectorUpdate = true;
    // The arguments of the running vector update, read by the prebuilt loop (no capture per row).
    private int pendingB;
    private int pendingN;
    private int pendingNIn;
    private boolean pendingCarried;
    private NetworkState pendingState;
    private final BatchParallel.Loop carryLoop = new BatchParallel.Loop(this::carryRows);

    /** The vector update of neurons {@code [from, to)} of row {@link #pendingB} (see {@link #advance}). */
    private void carryRows(int from, int to) {
        final int n = pendingN;
        final int nIn = pendingNIn;
        final int pre = nIn + n;
        final int b = pendingB;
        final float[] ev = ((RealArray.F32) pendingState.epsV()).data();
        final float[] ea = ((RealArray.F32) pendingState.epsA()).data();
        final float[] eb = ((RealArray.F32) pendingState.eBar()).data();
        final float[] prod = ((RealArray.F32) product).data();
        for (int j = from; j < to; j++) {
            final int k = (b * n + j) * 3;
            final int base = (b * n + j) * pre;
            final int self = nIn + j;
            final double cvv = onEv[k];
            final double cav = onEv[k + 1];
            final double caa = onEa[k + 1];
            final double cbv = onEv[k + 2];
            final double cba = onEa[k + 2];
            final double cbb = onEb[b * n + j];
            final int pv = j * pre;
            final int pa = (n + j) * pre;
            final int pb = (2 * n + j) * pre;
            carryTraces(ev, ea, eb, base, prod, pv, pa, pb, 0, self, pendingCarried, cvv, cav, caa, cbv, cba,
                    cbb);
            ev[base + self] = 0.0f;
            ea[base + self] = 0.0f;
            eb[base + self] = 0.0f;
            carryTraces(ev, ea, eb, base, prod, pv, pa, pb, self + 1, pre, pendingCarried, cvv, cav, caa, cbv,
                    cba, cbb);
        }
    }

    // The arguments of the running coefficient loop (no capture per call).
    private SpikingNetwork pNet;
    private Trajectory pTr;
    private final BatchParallel.Loop coefficientLoop = new BatchParallel.Loop(this::coefficientRows);

    /** The coefficients and presynaptic rows of {@link #advance} for batch rows {@code [from, to)}. */
    private void coefficientRows(int from, int to) {
        final SpikingNetwork net = pNet;
        final Trajectory tr = pTr;
        final int steps = tr.steps();
        final int batch = tr.batch();
        final int n = net.neurons();
        final int nIn = net.inputs();
        final int pre = nIn + n;
        final int wide = 3 * n;
        final double kappa = net.kappa();
        final double cOut = net.readoutFactor();
        final RealArray psi = tr.psi();
        final RealArray coefficients = this.coefficients;
        final RealArray presynaptic = this.presynaptic;
        final double[] onEv = this.onEv;
        final double[] onEa = this.onEa;
        final double[] onEb = this.onEb;
        final double[] kPow = this.kPow;
        for (int b = from; b < to; b++) {
            // kappa^(T-1-t) up to the last readout reset; shared by the row's neurons.
            double kp = 1.0;
            for (int t = steps - 1; t >= 0; t--) {
                kPow[b * steps + t] = kp;
                kp = t > 0 && tr.readoutReset(t, b) ? 0.0 : precision.round(kappa * kp);
            }
            for (int j = 0; j < n; j++) {
                double alpha = net.alpha(j);
                double rho = net.rho(j);
                double beta = net.beta(j);
                double cIn = net.inputFactor(j);
                double aPow = 0;
                double pi = 1;
                double abar = 0;
                double gK = 0;
                double hK = 0;
                double hbarK = 0;
                for (int t = steps - 1; t >= 0; t--) {
                    boolean cut = t + 1 < steps && tr.neuronReset(t + 1, b);
                    double p = psi.get((t * batch + b) * n + j);
                    if (t == steps - 1) {
                        aPow = 1;
                    } else if (cut) {
                        aPow = 0;
                        pi = 0;
                        abar = 0;
                        gK = 0;
                        hK = 0;
                        hbarK = 0;
                    } else {
                        aPow = precision.round(alpha * aPow);
                        pi = precision.round(pi * (rho - beta * psi.get(((t + 1) * batch + b) * n + j)));
                    }
                    abar = precision.round(p * pi + alpha * abar);
                    gK = precision.round(rho * gK + beta * hK);
                    hK = p * (cOut * kPow[b * steps + t] - gK);
                    hbarK = precision.round(hK + alpha * hbarK);
                    int row = (b * steps + t) * wide;
                    coefficients.set(row + j, cIn * aPow);
                    coefficients.set(row + n + j, cIn * abar);
                    coefficients.set(row + 2 * n + j, cIn * hbarK);
                }
                int k = (b * n + j) * 3;
                double psi0 = psi.get(b * n + j);
                onEv[k] = alpha * aPow;
                onEv[k + 1] = alpha * abar;
                onEv[k + 2] = alpha * hbarK;
                onEa[k] = 0;
                onEa[k + 1] = pi * (rho - beta * psi0);
                onEa[k + 2] = -(rho * gK + beta * hK);
                onEb[b * n + j] = kappa * kPow[0];
            }
        }
        RealArray x = tr.input();
        RealArray z = tr.spikes();
        RealArray z0 = tr.initialSpikes();
        for (int b = from; b < to; b++) {
            for (int t = 0; t < steps; t++) {
                int row = (b * steps + t) * pre;
                boolean reset = tr.neuronReset(t, b);
                for (int p = 0; p < nIn; p++) {
                    presynaptic.set(row + p, x.get((t * batch + b) * nIn + p));
                }
                for (int i = 0; i < n; i++) {
                    double zPrev = reset ? 0.0
                            : t > 0 ? z.get(((t - 1) * batch + b) * n + i) : z0 == null ? 0.0 : z0.get(b * n + i);
                    presynaptic.set(row + nIn + i, zPrev);
                }
            }
        }
    }

    /**
     * The traces' update at an unroll's end for one (row, neuron) and the sources {@code [from, to)}
     * on the float32 arrays themselves (the scalar loop's operations, without a virtual call per
     * access): with
     * {@code old*} the traces there before (zero when not {@code carried}),
     * <pre>
     *   ev = pv + cvv oldV,   ea = (pa + cav oldV) + caa oldA,   eb = ((pb + cbv oldV) + cba oldA) + cbb oldB
     * </pre>
     * each in double from the widened floats and stored as float, as the scalar loop does.
     */
    private static void carryTraces(float[] ev, float[] ea, float[] eb, int base, float[] product, int pv, int pa,
            int pb, int from, int to, boolean carried, double cvv, double cav, double caa, double cbv, double cba,
            double cbb) {
        int p = from;
        for (; p < to; p++) {
            final int s = base + p;
            final double oldV = carried ? ev[s] : 0.0;
            final double oldA = carried ? ea[s] : 0.0;
            final double oldB = carried ? eb[s] : 0.0;
            ev[s] = (float) (product[pv + p] + cvv * oldV);
            ea[s] = (float) (product[pa + p] + cav * oldV + caa * oldA);
            eb[s] = (float) (product[pb + p] + cbv * oldV + cba * oldA + cbb * oldB);
        }
    }

    private RealArray grow(RealArray a, int length) {
        return a != null && a.length() >= length ? a : precision.zeros(length);
    }
}
