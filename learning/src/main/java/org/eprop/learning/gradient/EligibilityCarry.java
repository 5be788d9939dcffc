package org.eprop.learning.gradient;

import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Dense.Block;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.Simd;

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
 * so all three are one product per batch row of the stacked coefficients with the presynaptic
 * activity [T x (nIn + n)] ({@link #advance}). Two structures keep that product small: the
 * coefficient of eps_v, {@code c_in alpha^(T-1-t)} cut at the row's resets, is the same for every
 * neuron with the same alpha up to the factor c_in, so it is one column per distinct alpha (one in
 * an LSNN whose neurons share tau_m) instead of n; and eps_a is kept for adaptive neurons only
 * (beta != 0): every use multiplies it by beta (the boundary's gb(0) and the carried ebar's
 * coefficient are -(rho g + beta h), with g = 0 when beta = 0), so for a LIF neuron it is left at
 * zero. The columns are [alpha groups | eps_a of the adaptive neurons | ebar], about 1 + nA + n
 * against 3n (561 against 1,200 for 240 LIF + 160 ALIF).
 *
 * <p>The boundary term reads the carried-in traces that the update then overwrites, so in float32
 * {@link #advance} adds it in the same pass ({@link #addBoundary} is the separate form, kept for
 * float64 and as the reference): each weight still receives its terms in row order.
 * Memory: the coefficients, O(B T n), and the traces themselves, O(B n (nIn + n)), independent of
 * the unroll length.
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
    /** The per-(b, j) state of the coefficient scans, and per (b, alpha group) the powers of alpha. */
    private double[] scanPi = new double[0];
    private double[] scanAbar = new double[0];
    private double[] scanG = new double[0];
    private double[] scanH = new double[0];
    private double[] scanHbar = new double[0];
    private double[] scanPow = new double[0];
    private Layout layout;

    EligibilityCarry(Dense dense) {
        this.dense = dense;
        this.precision = dense.precision();
    }

    /**
     * The columns of the coefficients (and rows of the product): {@code groups} alpha groups, then
     * eps_a of the adaptive neurons, then ebar of all neurons.
     */
    static final class Layout {
        final int n;
        /** Distinct alphas, in the order first met. */
        final double[] groupAlpha;
        /** Per neuron its alpha group. */
        final int[] groupOf;
        /** Per neuron its column among the eps_a columns, or -1 when it has no adaptation. */
        final int[] adaptiveColumn;
        final int adaptive;
        /** The adaptive neurons, ascending. */
        final int[] adaptiveList;
        final int wide;
        // per neuron: alpha, rho, beta, c_in
        final double[] alpha;
        final double[] rho;
        final double[] beta;
        final double[] cIn;

        Layout(SpikingNetwork net) {
            n = net.neurons();
            groupOf = new int[n];
            adaptiveColumn = new int[n];
            alpha = new double[n];
            rho = new double[n];
            beta = new double[n];
            cIn = new double[n];
            for (int j = 0; j < n; j++) {
                alpha[j] = net.alpha(j);
                rho[j] = net.rho(j);
                beta[j] = net.beta(j);
                cIn[j] = net.inputFactor(j);
            }
            double[] alphas = new double[n];
            int groups = 0;
            int a = 0;
            for (int j = 0; j < n; j++) {
                double alpha = net.alpha(j);
                int g = 0;
                while (g < groups && Double.doubleToRawLongBits(alphas[g]) != Double.doubleToRawLongBits(alpha)) {
                    g++;
                }
                if (g == groups) {
                    alphas[groups++] = alpha;
                }
                groupOf[j] = g;
                adaptiveColumn[j] = net.beta(j) != 0 ? a++ : -1;
            }
            groupAlpha = java.util.Arrays.copyOf(alphas, groups);
            adaptive = a;
            adaptiveList = new int[a];
            for (int j = 0; j < n; j++) {
                if (adaptiveColumn[j] >= 0) {
                    adaptiveList[adaptiveColumn[j]] = j;
                }
            }
            wide = groups + adaptive + n;
        }

        int groups() {
            return groupAlpha.length;
        }

        private static boolean same(double a, double b) {
            return Double.doubleToRawLongBits(a) == Double.doubleToRawLongBits(b);
        }

        /** Column of neuron j's eps_a, or -1. */
        int eaColumn(int j) {
            int c = adaptiveColumn[j];
            return c < 0 ? -1 : groupAlpha.length + c;
        }

        int ebColumn(int j) {
            return groupAlpha.length + adaptive + j;
        }

        boolean matches(SpikingNetwork net) {
            if (net.neurons() != n) {
                return false;
            }
            for (int j = 0; j < n; j++) {
                if (!same(net.alpha(j), alpha[j]) || !same(net.rho(j), rho[j]) || !same(net.beta(j), beta[j])
                        || !same(net.inputFactor(j), cIn[j])) {
                    return false;
                }
            }
            return true;
        }
    }

    private Layout layout(SpikingNetwork net) {
        if (layout == null || !layout.matches(net)) {
            layout = new Layout(net);
        }
        return layout;
    }

    /**
     * Adds the boundary term with the carried-in traces of {@code state}; the coefficients are per
     * (b, j), {@code [batch x n]}: {@code cv} on EV, {@code ca} on EA, {@code cb} on EB. The EA
     * term of a neuron without adaptation is left out (its EA is zero, see the class comment).
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

    /** Neurons per block of {@link #addBoundary} and of the fused update. */
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
                        double term = net.beta(j) != 0
                                ? cv[k] * ev.get(s) + ca[k] * ea.get(s) + cb[k] * eb.get(s)
                                : cv[k] * ev.get(s) + cb[k] * eb.get(s);
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
        advance(net, tr, state, null, null, null, null);
    }

    /**
     * {@link #addBoundary} with {@code cv, ca, cb} into {@code out} (when {@code cv} is given; the
     * traces must then be carried in), then {@link #advance(SpikingNetwork, Trajectory, NetworkState)}:
     * in float32 both in one pass over the traces.
     */
    void advance(SpikingNetwork net, Trajectory tr, NetworkState state, double[] cv, double[] ca, double[] cb,
            Gradients out) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nIn = net.inputs();
        int pre = nIn + n;
        boolean carried = tr.startsFromState() && state.hasTraces();
        if (cv != null && !carried) {
            throw new IllegalStateException("a boundary term needs the traces carried in");
        }
        state.ensureTraces();
        Layout lay = layout(net);
        int wide = lay.wide;
        coefficients = grow(coefficients, batch * steps * wide);
        presynaptic = grow(presynaptic, batch * steps * pre);
        product = grow(product, wide * pre);
        // Per-(b, j) coefficients on the carried-in traces: [EV, EA, EB] for each of [eps_v, eps_a, ebar].
        if (onEv.length < batch * n * 3) {
            onEv = new double[batch * n * 3];
            onEa = new double[batch * n * 3];
            onEb = new double[batch * n];
            scanPi = new double[batch * n];
            scanAbar = new double[batch * n];
            scanG = new double[batch * n];
            scanH = new double[batch * n];
            scanHbar = new double[batch * n];
        }
        if (scanPow.length < batch * lay.groups()) {
            scanPow = new double[batch * lay.groups()];
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
        boolean vector = vectorUpdate && ev instanceof RealArray.F32 && product instanceof RealArray.F32
                && (out == null || out.wIn() instanceof RealArray.F32);
        if (!vector && cv != null) {
            addBoundary(net, state, cv, ca, cb, out);
        }
        for (int b = 0; b < batch; b++) {
            dense.gemm(new Block(coefficients, b * steps, steps, wide), true, new Block(presynaptic, b * steps, steps, pre),
                    false, new Block(product, 0, wide, pre));
            if (vector) {
                // The row's neurons on both cores, on the float arrays directly: the same values
                // (each element by the scalar loop's operations), in a fraction of the time this
                // memory-bound loop over B x n x (nIn + n) traces takes on one core.
                pendingB = b;
                pendingBatch = batch;
                pendingN = n;
                pendingNIn = nIn;
                pendingCarried = carried;
                pendingState = state;
                pendingCv = cv;
                pendingCa = ca;
                pendingCb = cb;
                pendingOut = out;
                try {
                    carryLoop.run(n, (long) pre * 3);
                } finally {
                    pendingState = null;
                    pendingCv = null;
                    pendingCa = null;
                    pendingCb = null;
                    pendingOut = null;
                }
                continue;
            }
            plainUpdate(net, state, lay, b, carried);
        }
    }

    /** The trace update of row {@code b} through {@link RealArray}'s accessors (float64, and the reference). */
    private void plainUpdate(SpikingNetwork net, NetworkState state, Layout lay, int b, boolean carried) {
        int n = net.neurons();
        int nIn = net.inputs();
        int pre = nIn + n;
        RealArray ev = state.epsV();
        RealArray ea = state.epsA();
        RealArray eb = state.eBar();
        for (int j = 0; j < n; j++) {
            int k = (b * n + j) * 3;
            int base = (b * n + j) * pre;
            double cIn = lay.cIn[j];
            int pv = lay.groupOf[j] * pre;
            int ac = lay.eaColumn(j);
            int pa = ac * pre;
            int pb = lay.ebColumn(j) * pre;
            for (int p = 0; p < pre; p++) {
                int s = base + p;
                if (!carried) {
                    // from zero traces: the product rows alone (as the vector update's fresh case)
                    ev.set(s, p == nIn + j ? 0.0 : cIn * product.get(pv + p));
                    if (ac >= 0) {
                        ea.set(s, p == nIn + j ? 0.0 : product.get(pa + p));
                    }
                    eb.set(s, p == nIn + j ? 0.0 : product.get(pb + p));
                    continue;
                }
                if (p == nIn + j) {
                    ev.set(s, 0.0);
                    if (ac >= 0) {
                        ea.set(s, 0.0);
                    }
                    eb.set(s, 0.0);
                    continue;
                }
                double oldV = ev.get(s);
                double oldB = eb.get(s);
                ev.set(s, cIn * product.get(pv + p) + onEv[k] * oldV);
                if (ac >= 0) {
                    double oldA = ea.get(s);
                    ea.set(s, product.get(pa + p) + onEv[k + 1] * oldV + onEa[k + 1] * oldA);
                    eb.set(s, product.get(pb + p) + onEv[k + 2] * oldV + onEa[k + 2] * oldA + onEb[b * n + j] * oldB);
                } else {
                    eb.set(s, product.get(pb + p) + onEv[k + 2] * oldV + onEb[b * n + j] * oldB);
                }
            }
        }
    }

    /** Whether the parallel float32 update may run (a test sets it false to compare with the plain loop). */
    static boolean vectorUpdate = true;
    /**
     * The fewest traces ({@code batch x n x (nIn + n)}) for which the update takes the vector
     * kernels ({@link EligibilityCarryVector}): until the JIT has compiled them the vector API
     * allocates for every operation, and an update of this size is long enough to have them
     * compiled within its first call (the Atari agent's: 35 million traces); smaller ones keep the
     * scalar loop, whose cost there is small anyway. A test lowers it.
     */
    static long vectorMinTraces = 1L << 22;
    // The arguments of the running vector update, read by the prebuilt loop (no capture per row).
    private int pendingB;
    private int pendingBatch;
    private int pendingN;
    private int pendingNIn;
    private boolean pendingCarried;
    private NetworkState pendingState;
    private double[] pendingCv;
    private double[] pendingCa;
    private double[] pendingCb;
    private Gradients pendingOut;
    private final BatchParallel.Loop carryLoop = new BatchParallel.Loop(this::carryRows);
    /** Per worker, the boundary terms of a block of neurons, {@code [BOUNDARY_BLOCK][pre]}. */
    private static final ThreadLocal<double[][]> TERMS = ThreadLocal.withInitial(() -> new double[1][0]);

    /** The vector update of neurons {@code [from, to)} of row {@link #pendingB} (see {@link #advance}). */
    private void carryRows(int from, int to) {
        final int n = pendingN;
        final int nIn = pendingNIn;
        final int pre = nIn + n;
        final int b = pendingB;
        final boolean carried = pendingCarried;
        final Layout lay = layout;
        final float[] ev = ((RealArray.F32) pendingState.epsV()).data();
        final float[] ea = ((RealArray.F32) pendingState.epsA()).data();
        final float[] eb = ((RealArray.F32) pendingState.eBar()).data();
        final float[] prod = ((RealArray.F32) product).data();
        final double[] cv = pendingCv;
        final double[] ca = pendingCa;
        final double[] cb = pendingCb;
        // Carried traces: the boundary terms of a block of neurons are formed as the traces are
        // read (kept only when there is a boundary), then added to the weights a block-row at a time.
        double[] terms = null;
        if (carried) {
            double[][] holder = TERMS.get();
            if (holder[0].length < BOUNDARY_BLOCK * pre) {
                holder[0] = new double[BOUNDARY_BLOCK * pre];
            }
            terms = holder[0];
        }
        final boolean simd = Simd.ENABLED && pre >= Simd.MIN_LENGTH && (long) pendingBatch * n * pre >= vectorMinTraces;
        for (int j0 = from; j0 < to; j0 += BOUNDARY_BLOCK) {
            final int j1 = Math.min(to, j0 + BOUNDARY_BLOCK);
            for (int j = j0; j < j1; j++) {
                final int k = (b * n + j) * 3;
                final int base = (b * n + j) * pre;
                final int self = nIn + j;
                final int pv = lay.groupOf[j] * pre;
                final int ac = lay.eaColumn(j);
                final int pb = lay.ebColumn(j) * pre;
                final double cIn = lay.cIn[j];
                final int tOff = (j - j0) * pre;
                final int kb = b * n + j;
                final double tv = cv == null ? 0 : cv[kb];
                final double ta = cv == null ? 0 : ca[kb];
                final double tb = cv == null ? 0 : cb[kb];
                if (!carried) {
                    freshTraces(ev, ea, eb, base, prod, pv, ac < 0 ? -1 : ac * pre, pb, pre, cIn);
                } else if (ac >= 0) {
                    if (simd) {
                        EligibilityCarryVector.carryAdaptive(ev, ea, eb, base, prod, pv, ac * pre, pb, pre, cIn,
                                onEv[k], onEv[k + 1], onEa[k + 1], onEv[k + 2], onEa[k + 2], onEb[kb], terms, tOff,
                                tv, ta, tb);
                    } else {
                        carryAdaptive(ev, ea, eb, base, prod, pv, ac * pre, pb, 0, pre, cIn, onEv[k], onEv[k + 1],
                                onEa[k + 1], onEv[k + 2], onEa[k + 2], onEb[kb], terms, tOff, tv, ta, tb);
                    }
                } else if (simd) {
                    EligibilityCarryVector.carryPlain(ev, eb, base, prod, pv, pb, pre, cIn, onEv[k], onEv[k + 2],
                            onEb[kb], terms, tOff, tv, tb);
                } else {
                    carryPlain(ev, eb, base, prod, pv, pb, 0, pre, cIn, onEv[k], onEv[k + 2], onEb[kb], terms, tOff,
                            tv, tb);
                }
                ev[base + self] = 0.0f;
                if (ac >= 0) {
                    ea[base + self] = 0.0f;
                }
                eb[base + self] = 0.0f;
            }
            if (cv != null) {
                scatterTerms(terms, j0, j1, n, nIn, ((RealArray.F32) pendingOut.wIn()).data(),
                        ((RealArray.F32) pendingOut.wRec()).data());
            }
        }
    }

    /** The new traces of one (row, neuron) from zero traces: the product rows alone. */
    private static void freshTraces(float[] ev, float[] ea, float[] eb, int base, float[] product, int pv, int pa,
            int pb, int pre, double cIn) {
        for (int p = 0; p < pre; p++) {
            ev[base + p] = (float) (cIn * product[pv + p]);
        }
        if (pa >= 0) {
            System.arraycopy(product, pa, ea, base, pre);
        }
        System.arraycopy(product, pb, eb, base, pre);
    }

    /**
     * The traces' update at an unroll's end for one (row, adaptive neuron) and the sources
     * {@code [from, to)} on the float32 arrays themselves (the plain loop's operations, without a
     * virtual call per access; the vector kernels' remainder too), the boundary
     * term of the traces carried in ({@code cv oldV + ca oldA + cb oldB}) into {@code terms}:
     * <pre>
     *   ev = c_in pv + cvv oldV,   ea = (pa + cav oldV) + caa oldA,   eb = ((pb + cbv oldV) + cba oldA) + cbb oldB
     * </pre>
     * each in double from the widened floats and stored as float. The self entry is written too
     * (the caller zeroes it).
     */
    static void carryAdaptive(float[] ev, float[] ea, float[] eb, int base, float[] product, int pv, int pa,
            int pb, int from, int to, double cIn, double cvv, double cav, double caa, double cbv, double cba,
            double cbb, double[] terms, int tOff, double cv, double ca, double cb) {
        for (int p = from; p < to; p++) {
            final int s = base + p;
            final double oldV = ev[s];
            final double oldA = ea[s];
            final double oldB = eb[s];
            terms[tOff + p] = cv * oldV + ca * oldA + cb * oldB;
            ev[s] = (float) (cIn * product[pv + p] + cvv * oldV);
            ea[s] = (float) (product[pa + p] + cav * oldV + caa * oldA);
            eb[s] = (float) (product[pb + p] + cbv * oldV + cba * oldA + cbb * oldB);
        }
    }

    /** {@link #carryAdaptive} for a neuron without adaptation: no eps_a. */
    static void carryPlain(float[] ev, float[] eb, int base, float[] product, int pv, int pb, int from, int to,
            double cIn, double cvv, double cbv, double cbb, double[] terms, int tOff, double cv, double cb) {
        for (int p = from; p < to; p++) {
            final int s = base + p;
            final double oldV = ev[s];
            final double oldB = eb[s];
            terms[tOff + p] = cv * oldV + cb * oldB;
            ev[s] = (float) (cIn * product[pv + p] + cvv * oldV);
            eb[s] = (float) (product[pb + p] + cbv * oldV + cbb * oldB);
        }
    }

    /**
     * Adds the boundary terms of neurons {@code [j0, j1)} (rows of {@code terms}) to the weight
     * gradients {@code [source][neuron]}, a block-row at a time, the self-connection left out.
     */
    private static void scatterTerms(double[] terms, int j0, int j1, int n, int nIn, float[] wIn, float[] wRec) {
        final int pre = nIn + n;
        final int width = j1 - j0;
        for (int p = 0; p < nIn; p++) {
            final int row = p * n + j0;
            for (int jj = 0; jj < width; jj++) {
                wIn[row + jj] = (float) (wIn[row + jj] + terms[jj * pre + p]);
            }
        }
        for (int p = nIn; p < pre; p++) {
            final int row = (p - nIn) * n + j0;
            for (int jj = 0; jj < width; jj++) {
                if (p == nIn + j0 + jj) {
                    continue;
                }
                wRec[row + jj] = (float) (wRec[row + jj] + terms[jj * pre + p]);
            }
        }
    }

    // The arguments of the running coefficient loop (no capture per call).
    private SpikingNetwork pNet;
    private Trajectory pTr;
    private final BatchParallel.Loop coefficientLoop = new BatchParallel.Loop(this::coefficientRows);

    /**
     * The coefficients and presynaptic rows of {@link #advance} for batch rows {@code [from, to)}:
     * per row the scans run backwards in time over all neurons at once (the recorded psi rows are
     * read contiguously), each neuron's values by the same operations as one neuron at a time.
     */
    private void coefficientRows(int from, int to) {
        final SpikingNetwork net = pNet;
        final Trajectory tr = pTr;
        final Layout lay = layout;
        final int steps = tr.steps();
        final int batch = tr.batch();
        final int n = net.neurons();
        final int nIn = net.inputs();
        final int pre = nIn + n;
        final int wide = lay.wide;
        final int groups = lay.groups();
        final int eb0 = lay.ebColumn(0);
        final double kappa = net.kappa();
        final double cOut = net.readoutFactor();
        final RealArray psi = tr.psi();
        final RealArray coefficients = this.coefficients;
        final double[] kPow = this.kPow;
        final double[] pi = scanPi;
        final double[] abar = scanAbar;
        final double[] gK = scanG;
        final double[] hK = scanH;
        final double[] hbarK = scanHbar;
        final double[] aPow = scanPow;
        final double[] al = lay.alpha;
        final double[] rh = lay.rho;
        final double[] be = lay.beta;
        final double[] ci = lay.cIn;
        final int[] adaptiveList = lay.adaptiveList;
        final float[] psiF = psi instanceof RealArray.F32 f ? f.data() : null;
        final float[] coefF = coefficients instanceof RealArray.F32 f ? f.data() : null;
        for (int b = from; b < to; b++) {
            // kappa^(T-1-t) up to the last readout reset; shared by the row's neurons.
            double kp = 1.0;
            for (int t = steps - 1; t >= 0; t--) {
                kPow[b * steps + t] = kp;
                kp = t > 0 && tr.readoutReset(t, b) ? 0.0 : precision.round(kappa * kp);
            }
            final int o = b * n;
            java.util.Arrays.fill(pi, o, o + n, 1.0);
            java.util.Arrays.fill(abar, o, o + n, 0.0);
            java.util.Arrays.fill(gK, o, o + n, 0.0);
            java.util.Arrays.fill(hK, o, o + n, 0.0);
            java.util.Arrays.fill(hbarK, o, o + n, 0.0);
        }
        // Time outermost, the slice's rows inside: the recorded psi of a step is [batch][n], so the
        // slice's rows are one contiguous run of it (a row at a time jumps batch x n values per step).
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = from; b < to; b++) {
                final int o = b * n;
                final boolean cut = t + 1 < steps && tr.neuronReset(t + 1, b);
                final int row = (b * steps + t) * wide;
                final int psiRow = (t * batch + b) * n;
                if (t == steps - 1) {
                    java.util.Arrays.fill(aPow, b * groups, (b + 1) * groups, 1.0);
                } else if (cut) {
                    java.util.Arrays.fill(aPow, b * groups, (b + 1) * groups, 0.0);
                    java.util.Arrays.fill(pi, o, o + n, 0.0);
                    java.util.Arrays.fill(abar, o, o + n, 0.0);
                    java.util.Arrays.fill(gK, o, o + n, 0.0);
                    java.util.Arrays.fill(hK, o, o + n, 0.0);
                    java.util.Arrays.fill(hbarK, o, o + n, 0.0);
                } else {
                    for (int g = 0; g < groups; g++) {
                        aPow[b * groups + g] = precision.round(lay.groupAlpha[g] * aPow[b * groups + g]);
                    }
                    final int next = psiRow + batch * n;
                    for (int a = 0; a < adaptiveList.length; a++) {
                        final int j = adaptiveList[a];
                        final double pn = psiF != null ? psiF[next + j] : psi.get(next + j);
                        pi[o + j] = precision.round(pi[o + j] * (rh[j] - be[j] * pn));
                    }
                }
                for (int g = 0; g < groups; g++) {
                    coefficients.set(row + g, aPow[b * groups + g]);
                }
                for (int a = 0; a < adaptiveList.length; a++) {
                    final int j = adaptiveList[a];
                    final double p = psiF != null ? psiF[psiRow + j] : psi.get(psiRow + j);
                    final double ab = precision.round(p * pi[o + j] + al[j] * abar[o + j]);
                    abar[o + j] = ab;
                    if (coefF != null) {
                        coefF[row + groups + a] = (float) (ci[j] * ab);
                    } else {
                        coefficients.set(row + groups + a, ci[j] * ab);
                    }
                }
                final double kt = cOut * kPow[b * steps + t];
                if (psiF != null && coefF != null && precision == Precision.FLOAT32) {
                    // float32: the same operations on the arrays themselves (the rounding inlined)
                    ebarScan32(psiF, psiRow, rh, be, al, ci, gK, hK, hbarK, o, n, kt, coefF, row + eb0);
                } else {
                    for (int j = 0; j < n; j++) {
                        final double p = psi.get(psiRow + j);
                        final double g = precision.round(rh[j] * gK[o + j] + be[j] * hK[o + j]);
                        gK[o + j] = g;
                        final double h = p * (kt - g);
                        hK[o + j] = h;
                        final double hb = precision.round(h + al[j] * hbarK[o + j]);
                        hbarK[o + j] = hb;
                        coefficients.set(row + eb0 + j, ci[j] * hb);
                    }
                }
            }
        }
        for (int b = from; b < to; b++) {
            final int o = b * n;
            for (int j = 0; j < n; j++) {
                final int k = (o + j) * 3;
                final double alpha = al[j];
                final double rho = rh[j];
                final double beta = be[j];
                final double psi0 = psi.get(o + j);
                onEv[k] = alpha * aPow[b * groups + lay.groupOf[j]];
                onEv[k + 1] = alpha * abar[o + j];
                onEv[k + 2] = alpha * hbarK[o + j];
                onEa[k] = 0;
                onEa[k + 1] = pi[o + j] * (rho - beta * psi0);
                onEa[k + 2] = -(rho * gK[o + j] + beta * hK[o + j]);
                onEb[o + j] = kappa * kPow[b * steps];
            }
        }
        RealArray x = tr.input();
        RealArray z = tr.spikes();
        RealArray z0 = tr.initialSpikes();
        if (x instanceof RealArray.F32 xf && z instanceof RealArray.F32 zf && presynaptic instanceof RealArray.F32 pf
                && (z0 == null || z0 instanceof RealArray.F32)) {
            final float[] xd = xf.data();
            final float[] zd = zf.data();
            final float[] z0d = z0 == null ? null : ((RealArray.F32) z0).data();
            final float[] pd = pf.data();
            for (int b = from; b < to; b++) {
                for (int t = 0; t < steps; t++) {
                    final int row = (b * steps + t) * pre;
                    System.arraycopy(xd, (t * batch + b) * nIn, pd, row, nIn);
                    if (tr.neuronReset(t, b) || (t == 0 && z0d == null)) {
                        java.util.Arrays.fill(pd, row + nIn, row + pre, 0.0f);
                    } else if (t > 0) {
                        System.arraycopy(zd, ((t - 1) * batch + b) * n, pd, row + nIn, n);
                    } else {
                        System.arraycopy(z0d, b * n, pd, row + nIn, n);
                    }
                }
            }
            return;
        }
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

    /** One step of the ebar coefficients' scan over a row's neurons in float32 (see {@link #coefficientRows}). */
    private static void ebarScan32(float[] psi, int psiRow, double[] rho, double[] beta, double[] alpha, double[] cIn,
            double[] gK, double[] hK, double[] hbarK, int o, int n, double kt, float[] coef, int cOff) {
        for (int j = 0; j < n; j++) {
            final double p = psi[psiRow + j];
            final double g = round32(rho[j] * gK[o + j] + beta[j] * hK[o + j]);
            gK[o + j] = g;
            final double h = p * (kt - g);
            hK[o + j] = h;
            final double hb = round32(h + alpha[j] * hbarK[o + j]);
            hbarK[o + j] = hb;
            coef[cOff + j] = (float) (cIn[j] * hb);
        }
    }

    /** {@link Precision#round} for float32 (the same operations). */
    private static double round32(double value) {
        int bits = Float.floatToRawIntBits((float) value);
        int mask = ((bits & 0x7f800000) + 0x7fffffff) >> 31;
        return Float.intBitsToFloat(bits & mask);
    }

    private RealArray grow(RealArray a, int length) {
        return a != null && a.length() >= length ? a : precision.zeros(length);
    }
}
