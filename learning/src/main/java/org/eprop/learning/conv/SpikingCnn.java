package org.eprop.learning.conv;

import java.util.Arrays;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The spiking convolutional front end of the Atari agent (paper Fig. 4 and 5; docs/model.md §3.3;
 * original code {@code Figure_4_and_5_ATARI/spiking_agent.py}, {@code SpikingCNN}).
 *
 * <p>Per agent step and batch row: the frame ({@code [h][w][c]}, values in [0, 1]) is convolved
 * once by conv1 into a real-valued current that is held for the {@code stepsPerAgentStep} network
 * steps of the agent step. Each network step then runs, in the original's order: the conv1 LIF
 * units, the average pooling of their spikes (shortcut 1), conv2 on those same-step spikes (event by
 * event), the conv2 LIF units, their pooling (shortcut 2). conv2's spikes are the LSNN's input.
 *
 * <p>Use: {@link #newUnroll} once per size; {@link #forward} per agent step (actors, without
 * recording) or per unroll (learner, recording), carrying a {@link SpikingCnnState}; then
 * {@link #gradients} with the heads' gradients. One forward or gradient pass at a time per instance
 * (the pass uses per-instance fields to avoid allocating in its loop); rows of the batch run in
 * parallel ({@link BatchParallel}), each row by the same code, so results do not depend on threads.
 */
public final class SpikingCnn {
    private final SpikingCnnConfig config;
    private final Precision precision;
    private final SpikingConvLayer conv1;
    private final SpikingConvLayer conv2;
    private final AvgPool pool1;
    private final AvgPool pool2;
    private final Parameters parameters;
    private final int in;
    private final int u1;
    private final int u2;
    private final int p1;
    private final int p2;
    private final int stepsPerAgentStep;
    private final double decay;
    private final double threshold;
    // The arguments of the running forward, read by the prebuilt slice (no capture per call).
    private RealArray pendingFrames;
    private SpikingCnnState pendingState;
    private CnnUnroll pendingUnroll;
    private final BatchParallel.Slice forwardSlice = this::forwardRows;

    public SpikingCnn(SpikingCnnConfig config, Precision precision) {
        this.config = config;
        this.precision = precision;
        this.conv1 = new SpikingConvLayer(config.conv1(), config.neuron(), precision);
        this.conv2 = new SpikingConvLayer(config.conv2(), config.neuron(), precision);
        this.pool1 = config.pool1();
        this.pool2 = config.pool2();
        this.parameters = new Parameters().addAll("conv1/", conv1.parameters()).addAll("conv2/", conv2.parameters());
        this.in = config.conv1().inputSize();
        this.u1 = config.conv1().outputSize();
        this.u2 = config.conv2().outputSize();
        this.p1 = pool1.outputSize();
        this.p2 = pool2.outputSize();
        this.stepsPerAgentStep = config.stepsPerAgentStep();
        this.decay = config.neuron().decay();
        this.threshold = config.neuron().threshold();
    }

    public SpikingCnnConfig config() {
        return config;
    }

    public Precision precision() {
        return precision;
    }

    public SpikingConvLayer conv1() {
        return conv1;
    }

    public SpikingConvLayer conv2() {
        return conv2;
    }

    public AvgPool pool1() {
        return pool1;
    }

    public AvgPool pool2() {
        return pool2;
    }

    /** {@code conv1/W}, {@code conv1/b}, {@code conv2/W}, {@code conv2/b}: the arrays themselves. */
    public Parameters parameters() {
        return parameters;
    }

    /** Sonnet's default conv initialisation for both layers ({@link SpikingConvLayer#initialise}). */
    public void initialise(Rng rng) {
        conv1.initialise(rng);
        conv2.initialise(rng);
    }

    /** A zero state for {@code batch} rows. */
    public SpikingCnnState zeroState(int batch) {
        return new SpikingCnnState(batch, in, u1, u2);
    }

    /** Output and work buffers for unrolls of {@code agentSteps} agent steps of {@code batch} rows. */
    public CnnUnroll newUnroll(int agentSteps, int batch, boolean record) {
        return new CnnUnroll(config, precision, agentSteps, batch, record);
    }

    /**
     * Runs {@code unroll.agentSteps()} agent steps from {@code state} (updated in place) on
     * {@code frames [agentSteps][B][h][w][c]}, writing the unroll's outputs (and recordings). A
     * recording unroll keeps a reference to {@code frames}: leave it unchanged until
     * {@link #gradients} has run. Allocates nothing apart from the thread pool's task objects.
     */
    public void forward(RealArray frames, SpikingCnnState state, CnnUnroll unroll) {
        if (frames.length() != unroll.agentSteps * unroll.batch * in) {
            throw new IllegalArgumentException("frames hold " + frames.length() + " values, expected "
                    + unroll.agentSteps + " x " + unroll.batch + " x " + in);
        }
        if (state.batch() != unroll.batch) {
            throw new IllegalArgumentException("state of " + state.batch() + " rows for an unroll of " + unroll.batch);
        }
        conv1.syncWeights();
        conv2.syncWeights();
        if (unroll.record) {
            unroll.frames = frames;
            System.arraycopy(state.trace0, 0, unroll.trace0Start, 0, unroll.trace0Start.length);
            System.arraycopy(state.trace1, 0, unroll.trace1Start, 0, unroll.trace1Start.length);
            System.arraycopy(state.traceBias, 0, unroll.traceBiasStart, 0, unroll.traceBiasStart.length);
        }
        pendingFrames = frames;
        pendingState = state;
        pendingUnroll = unroll;
        try {
            long work = (long) unroll.steps * (u1 * 8L + u2 * 8L) + (long) unroll.agentSteps * u1 * config.conv1()
                    .fanIn();
            BatchParallel.forEachSlice(unroll.batch, work, forwardSlice);
        } finally {
            pendingFrames = null;
            pendingState = null;
            pendingUnroll = null;
        }
    }

    private void forwardRows(int from, int to) {
        for (int b = from; b < to; b++) {
            for (int k = 0; k < pendingUnroll.agentSteps; k++) {
                agentStepRow(pendingFrames, pendingState, pendingUnroll, b, k);
            }
        }
    }

    private void agentStepRow(RealArray frames, SpikingCnnState st, CnnUnroll u, int b, int k) {
        final int batch = u.batch;
        final int inOff = b * in;
        final int o1 = b * u1;
        final int o2 = b * u2;
        final int f1 = b * p1;
        final int f2 = b * p2;
        final int frameOff = (k * batch + b) * in;
        for (int i = 0; i < in; i++) {
            u.frameRow[inOff + i] = frames.get(frameOff + i);
        }
        // conv1 once per agent step: the frame, hence the current, is the same at every sub-step.
        conv1.convolveDense(u.frameRow, inOff, u.current1, o1);
        for (int s = 0; s < stepsPerAgentStep; s++) {
            final int t = k * stepsPerAgentStep + s;
            final long row = (long) t * batch + b;
            filterInput(st.trace0, inOff, u.frameRow, inOff, in, decay, precision);
            st.traceBias[b] = precision.round(decay * st.traceBias[b] + 1.0);

            int n1 = conv1.step(st.v1, o1, u.current1, o1, u.active1, o1);
            if (u.record) {
                int r = (int) (row * u1);
                for (int j = 0; j < u1; j++) {
                    u.v1Record.set(r + j, st.v1[o1 + j]);
                }
            }
            pool1.forwardEvents(u.active1, o1, n1, u.poolRow1, f1);
            int r1 = (int) (row * p1);
            for (int f = 0; f < p1; f++) {
                u.pooled1.set(r1 + f, u.poolRow1[f1 + f]);
            }
            filterSpikes(st.trace1, o1, u1, u.active1, o1, n1, decay, precision);

            conv2.convolveEvents(u.active1, o1, n1, u.current2, o2);
            int n2 = conv2.step(st.v2, o2, u.current2, o2, u.active2, o2);
            int r2 = (int) (row * u2);
            if (u.record) {
                for (int j = 0; j < u2; j++) {
                    u.v2Record.set(r2 + j, st.v2[o2 + j]);
                }
            }
            for (int j = 0; j < u2; j++) {
                u.spikes2.set(r2 + j, 0.0);
            }
            for (int e = 0; e < n2; e++) {
                u.spikes2.set(r2 + u.active2[o2 + e], 1.0);
            }
            pool2.forwardEvents(u.active2, o2, n2, u.poolRow2, f2);
            int rp2 = (int) (row * p2);
            for (int f = 0; f < p2; f++) {
                u.pooled2.set(rp2 + f, u.poolRow2[f2 + f]);
            }
        }
    }

    /** Presynaptic trace of a real input: {@code xbar <- d xbar + x}. */
    static void filterInput(double[] trace, int off, double[] x, int xOff, int n, double d, Precision p) {
        for (int i = 0; i < n; i++) {
            trace[off + i] = p.round(d * trace[off + i] + x[xOff + i]);
        }
    }

    /** Presynaptic trace of spikes given by their sorted active indices: {@code xbar <- d xbar + z}. */
    static void filterSpikes(double[] trace, int off, int n, int[] active, int aOff, int count, double d,
            Precision p) {
        int a = 0;
        int next = count > 0 ? active[aOff] : -1;
        for (int j = 0; j < n; j++) {
            double z = 0.0;
            if (j == next) {
                z = 1.0;
                a++;
                next = a < count ? active[aOff + a] : -1;
            }
            trace[off + j] = p.round(d * trace[off + j] + z);
        }
    }

    /**
     * The CNN voltage regulariser of the original code ({@code voltage_reg_method 'avg_time'}), on
     * both layers of a recorded unroll:
     * {@code voltageCost * sum_units mean_b [(mean_t relu(v - v_th))^2 + (mean_t relu(-v - v_th))^2]}.
     */
    public double voltageRegularizer(CnnUnroll u) {
        requireRecording(u);
        double sum = 0;
        for (int layer = 0; layer < 2; layer++) {
            int units = layer == 0 ? u1 : u2;
            RealArray rec = layer == 0 ? u.v1Record : u.v2Record;
            double[] pos = new double[units];
            double[] neg = new double[units];
            for (int b = 0; b < u.batch; b++) {
                voltageMeans(rec, u, b, units, pos, neg);
                for (int j = 0; j < units; j++) {
                    sum += pos[j] * pos[j] + neg[j] * neg[j];
                }
            }
        }
        return config.voltageCost() * sum / u.batch;
    }

    /** {@code pos[j] = mean_t relu(v_j - v_th)}, {@code neg[j] = mean_t relu(-v_j - v_th)} for row b. */
    private void voltageMeans(RealArray rec, CnnUnroll u, int b, int units, double[] pos, double[] neg) {
        Arrays.fill(pos, 0.0);
        Arrays.fill(neg, 0.0);
        for (int t = 0; t < u.steps; t++) {
            int r = (int) (((long) t * u.batch + b) * units);
            for (int j = 0; j < units; j++) {
                double v = rec.get(r + j);
                pos[j] += Math.max(0.0, v - threshold);
                neg[j] += Math.max(0.0, -v - threshold);
            }
        }
        for (int j = 0; j < units; j++) {
            pos[j] /= u.steps;
            neg[j] /= u.steps;
        }
    }

    private static void requireRecording(CnnUnroll u) {
        if (!u.record || u.frames == null) {
            throw new IllegalStateException("gradients need a recording unroll that has run forward");
        }
    }

    /**
     * The gradients of the CNN parameters for a recorded unroll, as {@link #parameters()}' names in
     * the network's precision (see {@link CnnTraining} for what each mode differentiates and
     * {@link CnnSignals} for what it reads). {@code feedback} is read by {@code EPROP} only.
     */
    public Parameters gradients(CnnUnroll u, CnnTraining mode, CnnSignals signals, CnnFeedback feedback) {
        requireRecording(u);
        long rows = (long) u.steps * u.batch;
        if (mode == CnnTraining.REFERENCE || feedback.conv1Source() == CnnFeedback.Source.SHORTCUT) {
            checkLength(signals.pooledGradient1(), rows * p1, "pooledGradient1");
        }
        if (mode == CnnTraining.REFERENCE || feedback.conv2Source() == CnnFeedback.Source.SHORTCUT) {
            checkLength(signals.pooledGradient2(), rows * p2, "pooledGradient2");
        }
        if (mode == CnnTraining.EPROP && (feedback.conv1Source() == CnnFeedback.Source.RANDOM
                || feedback.conv2Source() == CnnFeedback.Source.RANDOM)) {
            checkLength(signals.outputErrors(), rows * feedback.outputs(), "outputErrors");
        }
        conv1.syncWeights();
        conv2.syncWeights();
        final int nw1 = conv1.geometry().weightCount();
        final int nb1 = conv1.geometry().outChannels();
        final int nw2 = conv2.geometry().weightCount();
        final int nb2 = conv2.geometry().outChannels();
        final int per = nw1 + nb1 + nw2 + nb2;
        final double[][] rowGrads = new double[u.batch][];
        long work = (long) u.steps * (u1 + u2) * 16L;
        BatchParallel.forEachSlice(u.batch, work, (from, to) -> {
            RowWork w = new RowWork();
            for (int b = from; b < to; b++) {
                double[] g = new double[per];
                rowGrads[b] = g;
                if (mode == CnnTraining.REFERENCE) {
                    referenceRow(u, b, signals, w, g, nw1, nw1 + nb1, nw1 + nb1 + nw2);
                } else {
                    epropRow(u, b, signals, feedback, w, g, nw1, nw1 + nb1, nw1 + nb1 + nw2);
                }
            }
        });
        double[] total = new double[per];
        for (double[] g : rowGrads) {
            for (int i = 0; i < per; i++) {
                total[i] += g[i];
            }
        }
        Parameters out = parameters.zerosLike(precision);
        store(out.get("conv1/W"), total, 0);
        store(out.get("conv1/b"), total, nw1);
        store(out.get("conv2/W"), total, nw1 + nb1);
        store(out.get("conv2/b"), total, nw1 + nb1 + nw2);
        return out;
    }

    private static void checkLength(RealArray a, long expected, String name) {
        if (a == null || a.length() != expected) {
            throw new IllegalArgumentException(name + " must hold " + expected + " values, got "
                    + (a == null ? "null" : a.length()));
        }
    }

    private static void store(RealArray dst, double[] src, int off) {
        for (int i = 0; i < dst.length(); i++) {
            dst.set(i, src[off + i]);
        }
    }

    /** Per-thread scratch of a gradient pass. */
    private final class RowWork {
        final double[] adj1 = new double[u1];
        final double[] adj2 = new double[u2];
        final double[] sum1 = new double[u1];
        final double[] sig1 = new double[u1];
        final double[] sig2 = new double[u2];
        final double[] pos1 = new double[u1];
        final double[] neg1 = new double[u1];
        final double[] pos2 = new double[u2];
        final double[] neg2 = new double[u2];
        final double[] frame = new double[in];
        final double[] tr0 = new double[in];
        final double[] tr1 = new double[u1];
        final double[] prow1 = new double[p1];
        final double[] prow2 = new double[p2];
        final int[] active1 = new int[u1];
        final double[] dW1b = new double[conv1.geometry().outChannels()];
        final double[] dW2 = new double[conv2.geometry().weightCount()];
        final double[] dB2 = new double[conv2.geometry().outChannels()];
        final double[] dW1w = new double[conv1.geometry().weightCount()];
    }

    /**
     * dE_reg/dv_j(t) of one row: {@code voltageCost * 2/(B T) * (pos_j 1[v - v_th > 0] - neg_j
     * 1[-v - v_th > 0])} with {@code pos, neg} the time means of the two relu terms.
     */
    private double directVoltageGradient(double v, double pos, double neg, double scale) {
        double g = 0;
        if (v - threshold > 0) {
            g += pos;
        }
        if (-v - threshold > 0) {
            g -= neg;
        }
        return scale * g;
    }

    private void loadFrame(CnnUnroll u, int k, int b, double[] dst) {
        int off = (k * u.batch + b) * in;
        for (int i = 0; i < in; i++) {
            dst[i] = u.frames.get(off + i);
        }
    }

    private int activeFromRecord(CnnUnroll u, long row, int[] active) {
        int r = (int) (row * u1);
        int n = 0;
        for (int j = 0; j < u1; j++) {
            if (u.v1Record.get(r + j) > threshold) {
                active[n++] = j;
            }
        }
        return n;
    }

    /** Pool backward of the shortcut gradient of {@code row} into {@code dst} (overwritten). */
    private static void shortcutSignal(RealArray pooledGradient, long row, AvgPool pool, double[] prow, double[] dst) {
        int n = pool.outputSize();
        int r = (int) (row * n);
        for (int f = 0; f < n; f++) {
            prow[f] = pooledGradient.get(r + f);
        }
        Arrays.fill(dst, 0.0);
        pool.backward(prow, 0, dst, 0);
    }

    private void referenceRow(CnnUnroll u, int b, CnnSignals sig, RowWork w, double[] g, int ob1, int ow2, int ob2) {
        final double taskScale = 1.0 / config.regFactor();
        final double regScale = 2.0 * config.voltageCost() / ((double) u.batch * u.steps);
        final ConvGeometry g1 = conv1.geometry();
        final ConvGeometry g2 = conv2.geometry();
        voltageMeans(u.v1Record, u, b, u1, w.pos1, w.neg1);
        voltageMeans(u.v2Record, u, b, u2, w.pos2, w.neg2);
        Arrays.fill(w.adj1, 0.0);
        Arrays.fill(w.adj2, 0.0);
        Arrays.fill(w.sum1, 0.0);
        Arrays.fill(w.dW1w, 0.0);
        Arrays.fill(w.dW1b, 0.0);
        Arrays.fill(w.dW2, 0.0);
        Arrays.fill(w.dB2, 0.0);
        // Reverse-time adjoint of each unit's voltage, a(t) = dE/dv(t):
        // a(t) = dE_reg/dv(t) + dE/dz(t) psi(v(t)) + a(t+1) (d - v_th psi(v(t))),
        // the last factor being dv(t+1)/dv(t) with the reset's pseudo-derivative kept.
        for (int t = u.steps - 1; t >= 0; t--) {
            long row = (long) t * u.batch + b;
            shortcutSignal(sig.pooledGradient1(), row, pool1, w.prow1, w.sig1);
            int r1 = (int) (row * u1);
            for (int j = 0; j < u1; j++) {
                double v = u.v1Record.get(r1 + j);
                double psi = config.neuron().pseudoDerivative(v);
                double a = w.adj1[j] * (decay - threshold * psi) + taskScale * w.sig1[j] * psi
                        + directVoltageGradient(v, w.pos1[j], w.neg1[j], regScale);
                w.adj1[j] = a;
                w.sum1[j] += a;
            }
            if (t % stepsPerAgentStep == 0) {
                // The conv1 current is the same over the agent step: one correlation with the frame.
                loadFrame(u, t / stepsPerAgentStep, b, w.frame);
                conv1.correlateDense(w.sum1, 0, w.frame, 0, 1.0, w.dW1w, w.dW1b);
                Arrays.fill(w.sum1, 0.0);
            }
            shortcutSignal(sig.pooledGradient2(), row, pool2, w.prow2, w.sig2);
            int r2 = (int) (row * u2);
            for (int j = 0; j < u2; j++) {
                double v = u.v2Record.get(r2 + j);
                double psi = config.neuron().pseudoDerivative(v);
                w.adj2[j] = w.adj2[j] * (decay - threshold * psi) + taskScale * w.sig2[j] * psi
                        + directVoltageGradient(v, w.pos2[j], w.neg2[j], regScale);
            }
            // conv2's input at step t: conv1's spikes of the same step (stop-gradient, not differentiated).
            int n1 = activeFromRecord(u, row, w.active1);
            conv2.correlateEvents(w.adj2, 0, w.active1, 0, n1, 1.0, w.dW2, w.dB2);
        }
        System.arraycopy(w.dW1w, 0, g, 0, g1.weightCount());
        System.arraycopy(w.dW1b, 0, g, ob1, g1.outChannels());
        System.arraycopy(w.dW2, 0, g, ow2, g2.weightCount());
        System.arraycopy(w.dB2, 0, g, ob2, g2.outChannels());
    }

    private void learningSignal(int layer, CnnSignals sig, CnnFeedback fb, long row, RowWork w, double[] dst) {
        if (fb.source(layer) == CnnFeedback.Source.SHORTCUT) {
            shortcutSignal(layer == 0 ? sig.pooledGradient1() : sig.pooledGradient2(), row, layer == 0 ? pool1 : pool2,
                    layer == 0 ? w.prow1 : w.prow2, dst);
            return;
        }
        double[] bm = fb.matrix(layer);
        int nOut = fb.outputs();
        int r = (int) (row * nOut);
        RealArray err = sig.outputErrors();
        for (int j = 0; j < dst.length; j++) {
            double s = 0;
            for (int k = 0; k < nOut; k++) {
                s += bm[j * nOut + k] * err.get(r + k);
            }
            dst[j] = s;
        }
    }

    private void epropRow(CnnUnroll u, int b, CnnSignals sig, CnnFeedback fb, RowWork w, double[] g, int ob1,
            int ow2, int ob2) {
        final double regScale = 2.0 * config.voltageCost() / ((double) u.batch * u.steps);
        final ConvGeometry g1 = conv1.geometry();
        final ConvGeometry g2 = conv2.geometry();
        voltageMeans(u.v1Record, u, b, u1, w.pos1, w.neg1);
        voltageMeans(u.v2Record, u, b, u2, w.pos2, w.neg2);
        Arrays.fill(w.dW1w, 0.0);
        Arrays.fill(w.dW1b, 0.0);
        Arrays.fill(w.dW2, 0.0);
        Arrays.fill(w.dB2, 0.0);
        System.arraycopy(u.trace0Start, b * in, w.tr0, 0, in);
        System.arraycopy(u.trace1Start, b * u1, w.tr1, 0, u1);
        double trBias = u.traceBiasStart[b];
        // e-prop for a feedforward LIF layer: dE/dW_ji = sum_t L_j(t) psi_j(t) xbar_i(t) (+ the
        // regulariser's dE/dv_j(t) xbar_i(t)), xbar(t) = d xbar(t-1) + x(t) being the eligibility
        // vector of v_j with the reset path cut; W is shared over positions, so the sum runs over them.
        for (int t = 0; t < u.steps; t++) {
            long row = (long) t * u.batch + b;
            if (t % stepsPerAgentStep == 0) {
                loadFrame(u, t / stepsPerAgentStep, b, w.frame);
            }
            filterInput(w.tr0, 0, w.frame, 0, in, decay, precision);
            trBias = precision.round(decay * trBias + 1.0);

            learningSignal(0, sig, fb, row, w, w.sig1);
            int r1 = (int) (row * u1);
            for (int j = 0; j < u1; j++) {
                double v = u.v1Record.get(r1 + j);
                w.sig1[j] = w.sig1[j] * config.neuron().pseudoDerivative(v)
                        + directVoltageGradient(v, w.pos1[j], w.neg1[j], regScale);
            }
            conv1.correlateDense(w.sig1, 0, w.tr0, 0, trBias, w.dW1w, w.dW1b);

            int n1 = activeFromRecord(u, row, w.active1);
            filterSpikes(w.tr1, 0, u1, w.active1, 0, n1, decay, precision);
            learningSignal(1, sig, fb, row, w, w.sig2);
            int r2 = (int) (row * u2);
            for (int j = 0; j < u2; j++) {
                double v = u.v2Record.get(r2 + j);
                w.sig2[j] = w.sig2[j] * config.neuron().pseudoDerivative(v)
                        + directVoltageGradient(v, w.pos2[j], w.neg2[j], regScale);
            }
            conv2.correlateDense(w.sig2, 0, w.tr1, 0, trBias, w.dW2, w.dB2);
        }
        System.arraycopy(w.dW1w, 0, g, 0, g1.weightCount());
        System.arraycopy(w.dW1b, 0, g, ob1, g1.outChannels());
        System.arraycopy(w.dW2, 0, g, ow2, g2.weightCount());
        System.arraycopy(w.dB2, 0, g, ob2, g2.outChannels());
    }
}
