package org.eprop.learning.conv;

import org.eprop.learning.tensor.Simd;
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
 * <p>Use: {@link #newUnroll} once per size, carrying a {@link SpikingCnnState}; then either
 * {@link #forwardStep} once per agent step while acting, into a recording unroll of the learner's
 * length (the actors' forward is then the learner's recording: one pass, no second forward), or
 * {@link #forward} over a whole unroll; then {@link #gradients} with the heads' gradients. One forward
 * or gradient pass at a time per instance (the pass uses per-instance work buffers, made on first use,
 * so that its loops allocate nothing); rows of the batch run in parallel ({@link BatchParallel}), each
 * row by the same code and the per-row gradients summed in row order, so results do not depend on
 * threads.
 *
 * <p><b>Cost.</b> conv1 runs as one product of the frame's receptive-field matrix with the kernel per
 * agent step and row ({@link SpikingConvLayer#convolvePatches}); conv2 reads conv1's spikes as bytes of
 * 8 channels through a table of summed kernel rows ({@link SpikingConvLayer#convolveBits}). The
 * gradients run backwards in time for both modes: the reference mode's adjoints and e-prop's
 * reverse-filtered learning signals are summed over each agent step before the one conv1
 * correlation with the frame, and conv2's correlation with conv1's spikes reads the same bytes
 * ({@link SpikingConvLayer#accumulateBits}). The forward records those bytes,
 * so the gradients need not rebuild them. With {@code jdk.incubator.vector} resolved
 * ({@link org.eprop.learning.tensor.Simd}) the per-step kernels of a float32 CNN run 8 doubles per
 * operation ({@link VectorKernels}), giving the scalar kernels' results bit for bit.
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
    private final int c1;
    private final int c2;
    private final int stepsPerAgentStep;
    private final double decay;
    private final double threshold;
    private final double psiScale;
    /** Whether the forward keeps the state's presynaptic traces ({@link #keepTraces}). */
    private boolean traces = true;
    /** Whether the forward's sub-steps take the spike-row kernels ({@link #spikeRowSteps}). */
    private final boolean spikeRows;
    // The arguments of the running forward, read by the prebuilt slice (no capture per call).
    private RealArray pendingFrames;
    private SpikingCnnState pendingState;
    private CnnUnroll pendingUnroll;
    private int pendingStep;
    private final BatchParallel.Loop forwardLoop = new BatchParallel.Loop(this::forwardRows);
    /** Work buffers by the first row of the slice that uses them (one slice per thread). */
    private RowWork[] work = new RowWork[0];
    /** Per-row gradients of the last pass, summed in row order. */
    private double[][] rowGrads = new double[0][];
    /** Their sum, and the gradients handed out: reused by every call of {@link #gradients}. */
    private double[] total = new double[0];
    private Parameters gradientsOut;

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
        this.c1 = config.conv1().outChannels();
        this.c2 = config.conv2().outChannels();
        this.stepsPerAgentStep = config.stepsPerAgentStep();
        this.decay = config.neuron().decay();
        this.threshold = config.neuron().threshold();
        this.psiScale = config.neuron().dampening() / threshold;
        // the spike-row kernels: float32 (the precision they round to), 8 channels per vector
        this.spikeRows = Simd.ENABLED && precision == Precision.FLOAT32 && c1 % 8 == 0 && c2 % 8 == 0
                && u1 % 8 == 0 && u2 % 8 == 0;
    }

    /**
     * Whether the forward keeps the presynaptic traces of the state (the filtered frame, conv1
     * spikes and bias input): only the e-prop training of the CNN reads them ({@link CnnTraining#EPROP},
     * its eligibility vectors); the reference mode's gradient and inference do not, and need not pay
     * for them (about as many updates per step as the units themselves). Off, the traces stay as they
     * are, zero from a fresh state. On by default.
     */
    public SpikingCnn keepTraces(boolean keep) {
        this.traces = keep;
        return this;
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

    /** Output buffers (and recordings) for unrolls of {@code agentSteps} agent steps of {@code batch} rows. */
    public CnnUnroll newUnroll(int agentSteps, int batch, boolean record) {
        return new CnnUnroll(config, precision, agentSteps, batch, record);
    }

    /**
     * Runs {@code unroll.agentSteps()} agent steps from {@code state} (updated in place) on
     * {@code frames [agentSteps][B][h][w][c]}, writing the unroll's outputs (and recordings). A
     * recording unroll keeps a reference to {@code frames}: leave it unchanged until
     * {@link #gradients} has run. Allocates nothing apart from the thread pool's task objects (and
     * the work buffers on the first call).
     */
    public void forward(RealArray frames, SpikingCnnState state, CnnUnroll unroll) {
        if (frames.length() != unroll.agentSteps * unroll.batch * in) {
            throw new IllegalArgumentException("frames hold " + frames.length() + " values, expected "
                    + unroll.agentSteps + " x " + unroll.batch + " x " + in);
        }
        checkState(state, unroll);
        if (unroll.record) {
            unroll.frames = frames;
            recordTraceStarts(state, unroll);
        }
        run(frames, state, unroll, -1, unroll.agentSteps);
        unroll.filled = unroll.agentSteps;
    }

    /**
     * Runs agent step {@code agentStep} of {@code unroll} from {@code state} (updated in place) on
     * {@code frame [B][h][w][c]}: the actors' per-step forward. Its outputs are network steps
     * {@code unroll.firstStep(agentStep) ..} of the unroll's arrays. Agent steps run in order from 0
     * (0 restarts the unroll). On a recording unroll the frame is copied into the unroll and the
     * voltages recorded, so that once its last agent step has run, {@link #gradients} can use it
     * directly: acting records for the learner, and no second forward is needed. Restarting at agent
     * step 0 overwrites the recording, so a learner that runs while the actors go on acting takes
     * two recording unrolls and alternates them. Allocates nothing after the first call.
     */
    public void forwardStep(RealArray frame, SpikingCnnState state, CnnUnroll unroll, int agentStep) {
        if (frame.length() != unroll.batch * in) {
            throw new IllegalArgumentException("frame holds " + frame.length() + " values, expected " + unroll.batch
                    + " x " + in);
        }
        if (agentStep < 0 || agentStep >= unroll.agentSteps) {
            throw new IndexOutOfBoundsException("agent step " + agentStep + " of " + unroll.agentSteps);
        }
        if (agentStep != 0 && agentStep != unroll.filled) {
            throw new IllegalStateException("agent steps run in order: expected " + unroll.filled + " (or 0), got "
                    + agentStep);
        }
        checkState(state, unroll);
        if (unroll.record) {
            if (unroll.ownFrames == null) {
                unroll.ownFrames = precision.zeros(unroll.agentSteps * unroll.batch * in);
            }
            unroll.frames = unroll.ownFrames;
            if (agentStep == 0) {
                recordTraceStarts(state, unroll);
            }
        }
        unroll.filled = agentStep;
        run(frame, state, unroll, agentStep, 1);
        unroll.filled = agentStep + 1;
    }

    private static void checkState(SpikingCnnState state, CnnUnroll unroll) {
        if (state.batch() != unroll.batch) {
            throw new IllegalArgumentException("state of " + state.batch() + " rows for an unroll of " + unroll.batch);
        }
    }

    /** What a recording keeps from the start of the unroll: the traces carried in; the regulariser sums restart. */
    private static void recordTraceStarts(SpikingCnnState state, CnnUnroll unroll) {
        System.arraycopy(state.trace0, 0, unroll.trace0Start, 0, unroll.trace0Start.length);
        System.arraycopy(state.trace1, 0, unroll.trace1Start, 0, unroll.trace1Start.length);
        System.arraycopy(state.traceBias, 0, unroll.traceBiasStart, 0, unroll.traceBiasStart.length);
        Arrays.fill(unroll.pos1Sum, 0.0);
        Arrays.fill(unroll.neg1Sum, 0.0);
        Arrays.fill(unroll.pos2Sum, 0.0);
        Arrays.fill(unroll.neg2Sum, 0.0);
    }

    /** Adds one step's relu terms of a row's voltages to the regulariser sums (time order, as the means need). */
    private void addVoltageTerms(double[] v, int vOff, int n, double[] pos, double[] neg, int off) {
        final double th = threshold;
        for (int j = 0; j < n; j++) {
            double x = v[vOff + j];
            pos[off + j] += Math.max(0.0, x - th);
            neg[off + j] += Math.max(0.0, -x - th);
        }
    }

    private void run(RealArray frames, SpikingCnnState state, CnnUnroll unroll, int step, int agentSteps) {
        conv2.syncWeightsIfChanged();
        ensureWork(unroll.batch);
        pendingFrames = frames;
        pendingState = state;
        pendingUnroll = unroll;
        pendingStep = step;
        try {
            long work = (long) agentSteps * stepsPerAgentStep * (u1 * 8L + u2 * 8L) + (long) agentSteps * u1
                    * config.conv1().fanIn();
            forwardLoop.run(unroll.batch, work);
        } finally {
            pendingFrames = null;
            pendingState = null;
            pendingUnroll = null;
        }
    }

    private void ensureWork(int batch) {
        if (work.length < batch) {
            work = java.util.Arrays.copyOf(work, batch);
        }
    }

    private RowWork work(int from) {
        RowWork w = work[from];
        if (w == null) {
            w = new RowWork();
            work[from] = w;
        }
        return w;
    }

    private void forwardRows(int from, int to) {
        RowWork w = work(from);
        CnnUnroll u = pendingUnroll;
        for (int b = from; b < to; b++) {
            if (pendingStep >= 0) {
                agentStepRow(pendingFrames, b * in, pendingState, u, b, pendingStep, w);
            } else {
                for (int k = 0; k < u.agentSteps; k++) {
                    agentStepRow(pendingFrames, (k * u.batch + b) * in, pendingState, u, b, k, w);
                }
            }
        }
    }

    private void agentStepRow(RealArray frames, int frameOff, SpikingCnnState st, CnnUnroll u, int b, int k,
            RowWork w) {
        final int batch = u.batch;
        final int inOff = b * in;
        final int o1 = b * u1;
        final int o2 = b * u2;
        Rows.load(frames, frameOff, w.frame, 0, in);
        if (u.record && u.frames == u.ownFrames) {
            Rows.store(w.frame, 0, u.ownFrames, (k * batch + b) * in, in);
        }
        // conv1 once per agent step: the frame, hence the current, is the same at every sub-step.
        conv1.patches(w.frame, 0, w.patches);
        conv1.convolvePatches(w.patches, w.planar1, w.current1, 0);
        // The input and bias traces see the same input at every sub-step and nothing reads them
        // within the agent step: all its sub-steps are filtered in one pass, each value by the same
        // sequence of rounded updates as one step at a time.
        if (traces) {
            filterHeld(st.trace0, inOff, w.frame, 0, in, stepsPerAgentStep, decay, precision);
            for (int s = 0; s < stepsPerAgentStep; s++) {
                st.traceBias[b] = precision.round(decay * st.traceBias[b] + 1.0);
            }
        }
        // The vector kernels' fused unit step (the same bits as the step, the recording's store and
        // the regulariser sums one after the other): float32 only, the precision they round to.
        final boolean fused = Simd.ENABLED && precision == Precision.FLOAT32;
        if (spikeRows) {
            spikeRowSteps(st, u, b, k, w);
            return;
        }
        for (int s = 0; s < stepsPerAgentStep; s++) {
            final int t = k * stepsPerAgentStep + s;
            final int row = t * batch + b;

            final int n1;
            if (fused) {
                n1 = VectorKernels.stepFloat32(st.v1, o1, w.current1, 0, u1, decay, threshold, w.active1, 0,
                        u.record ? ((RealArray.F32) u.v1Record).data() : null, row * u1, u.pos1Sum, u.neg1Sum, o1);
            } else {
                n1 = conv1.step(st.v1, o1, w.current1, 0, w.active1, 0);
                if (u.record) {
                    Rows.store(st.v1, o1, u.v1Record, row * u1, u1);
                    addVoltageTerms(st.v1, o1, u1, u.pos1Sum, u.neg1Sum, o1);
                }
            }
            pool1.forwardEvents(w.active1, 0, n1, w.poolRow1, 0);
            Rows.store(w.poolRow1, 0, u.pooled1, row * p1, p1);
            // The spike trace from a dense 0/1 row: no unpredictable branch per unit.
            Arrays.fill(w.z1, 0.0);
            for (int e = 0; e < n1; e++) {
                w.z1[w.active1[e]] = 1.0;
            }
            if (traces) {
                filterInput(st.trace1, o1, w.z1, 0, u1, decay, precision);
            }

            // A recording packs the bits straight into its record, which the gradients read again.
            final byte[] bits = u.record ? u.bits1Record : w.bits1;
            final int bitsOff = u.record ? row * u.bitRow : 0;
            conv2.spikeBits(w.active1, 0, n1, bits, bitsOff);
            conv2.convolveBits(bits, bitsOff, w.current2, 0);
            final int r2 = row * u2;
            final int n2;
            if (fused) {
                n2 = VectorKernels.stepFloat32(st.v2, o2, w.current2, 0, u2, decay, threshold, w.active2, 0,
                        u.record ? ((RealArray.F32) u.v2Record).data() : null, r2, u.pos2Sum, u.neg2Sum, o2);
            } else {
                n2 = conv2.step(st.v2, o2, w.current2, 0, w.active2, 0);
                if (u.record) {
                    Rows.store(st.v2, o2, u.v2Record, r2, u2);
                    addVoltageTerms(st.v2, o2, u2, u.pos2Sum, u.neg2Sum, o2);
                }
            }
            Rows.fill(u.spikes2, r2, u2, 0.0);
            for (int e = 0; e < n2; e++) {
                u.spikes2.set(r2 + w.active2[e], 1.0);
            }
            pool2.forwardEvents(w.active2, 0, n2, w.poolRow2, 0);
            Rows.store(w.poolRow2, 0, u.pooled2, row * p2, p2);
        }
    }

    /**
     * The sub-steps of {@link #agentStepRow} with the float32 vector kernels that give the spikes as
     * rows ({@link VectorKernels#stepSpikesConv1}, {@link VectorKernels#stepSpikesConv2}): a dense 0/1
     * row per layer, conv2's input bytes and the LSNN's input row written directly, the pooling from
     * the dense rows. The same values as the list-based steps (tested by {@code ConvKernelsTest} and
     * {@code VectorKernelsTest}). A forward that does not record writes the voltages and regulariser
     * terms into work space.
     */
    private void spikeRowSteps(SpikingCnnState st, CnnUnroll u, int b, int k, RowWork w) {
        final int batch = u.batch;
        final int o1 = b * u1;
        final int o2 = b * u2;
        final float[] spikes2 = ((RealArray.F32) u.spikes2).data();
        final float[] rec1 = u.record ? ((RealArray.F32) u.v1Record).data() : w.scratchRecord1;
        final float[] rec2 = u.record ? ((RealArray.F32) u.v2Record).data() : w.scratchRecord2;
        final double[] pos1 = u.record ? u.pos1Sum : w.scratchPos1;
        final double[] neg1 = u.record ? u.neg1Sum : w.scratchNeg1;
        final double[] pos2 = u.record ? u.pos2Sum : w.scratchPos2;
        final double[] neg2 = u.record ? u.neg2Sum : w.scratchNeg2;
        final int p1Off = u.record ? o1 : 0;
        final int p2Off = u.record ? o2 : 0;
        for (int s = 0; s < stepsPerAgentStep; s++) {
            final int t = k * stepsPerAgentStep + s;
            final int row = t * batch + b;
            final byte[] bits = u.record ? u.bits1Record : w.bits1;
            final int bitsOff = u.record ? row * u.bitRow : 0;
            VectorKernels.stepSpikesConv1(st.v1, o1, w.current1, 0, u1, decay, threshold, w.z1, bits, bitsOff, rec1,
                    u.record ? row * u1 : 0, pos1, neg1, p1Off);
            pool1.forward(w.z1, 0, w.poolRow1, 0);
            Rows.store(w.poolRow1, 0, u.pooled1, row * p1, p1);
            if (traces) {
                filterInput(st.trace1, o1, w.z1, 0, u1, decay, precision);
            }
            conv2.convolveBits(bits, bitsOff, w.current2, 0);
            final int r2 = row * u2;
            VectorKernels.stepSpikesConv2(st.v2, o2, w.current2, 0, u2, decay, threshold, w.z2, spikes2, r2, rec2,
                    u.record ? r2 : 0, pos2, neg2, p2Off);
            pool2.forward(w.z2, 0, w.poolRow2, 0);
            Rows.store(w.poolRow2, 0, u.pooled2, row * p2, p2);
        }
    }

    /** Presynaptic trace of an input row (the frame, or conv1's 0/1 spikes): {@code xbar <- d xbar + x}. */
    static void filterInput(double[] trace, int off, double[] x, int xOff, int n, double d, Precision p) {
        filterHeld(trace, off, x, xOff, n, 1, d, p);
    }

    /**
     * {@code steps} updates {@code xbar <- d xbar + x} with the same input, each rounded to the
     * precision: one pass over the row per update (independent elements, so the passes pipeline;
     * a per-element loop over the updates would serialise on the rounding's latency).
     */
    static void filterHeld(double[] trace, int off, double[] x, int xOff, int n, int steps, double d, Precision p) {
        if (Simd.ENABLED && p == Precision.FLOAT32) {
            VectorKernels.filterHeldFloat32(trace, off, x, xOff, n, steps, d);
            return;
        }
        filterHeldScalar(trace, off, x, xOff, n, steps, d, p);
    }

    /** {@link #filterHeld} without the vector kernels (the reference the vector kernel is tested against). */
    static void filterHeldScalar(double[] trace, int off, double[] x, int xOff, int n, int steps, double d,
            Precision p) {
        for (int s = 0; s < steps; s++) {
            if (p == Precision.FLOAT32) {
                for (int i = 0; i < n; i++) {
                    trace[off + i] = Rows.round32(d * trace[off + i] + x[xOff + i]);
                }
            } else {
                for (int i = 0; i < n; i++) {
                    trace[off + i] = d * trace[off + i] + x[xOff + i];
                }
            }
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
            double[] pos = new double[units];
            double[] neg = new double[units];
            for (int b = 0; b < u.batch; b++) {
                voltageMeans(u, layer, b, pos, neg);
                for (int j = 0; j < units; j++) {
                    sum += pos[j] * pos[j] + neg[j] * neg[j];
                }
            }
        }
        return config.voltageCost() * sum / u.batch;
    }

    /**
     * {@code pos[j] = mean_t relu(v_j - v_th)}, {@code neg[j] = mean_t relu(-v_j - v_th)} for row b of
     * a layer, from the sums the recording forward accumulated.
     */
    private void voltageMeans(CnnUnroll u, int layer, int b, double[] pos, double[] neg) {
        int units = layer == 0 ? u1 : u2;
        double[] ps = layer == 0 ? u.pos1Sum : u.pos2Sum;
        double[] ns = layer == 0 ? u.neg1Sum : u.neg2Sum;
        for (int j = 0; j < units; j++) {
            pos[j] = ps[b * units + j] / u.steps;
            neg[j] = ns[b * units + j] / u.steps;
        }
    }

    private static void requireRecording(CnnUnroll u) {
        if (!u.record || u.frames == null || u.filled != u.agentSteps) {
            throw new IllegalStateException("gradients need a recording unroll whose agent steps have all run forward");
        }
    }

    /**
     * The gradients of the CNN parameters for a recorded unroll, as {@link #parameters()}' names in
     * the network's precision (see {@link CnnTraining} for what each mode differentiates and
     * {@link CnnSignals} for what it reads). {@code feedback} is read by {@code EPROP} only. The
     * returned arrays are this CNN's workspace, overwritten by the next call.
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
        final int nw1 = conv1.geometry().weightCount();
        final int nw2 = conv2.geometry().weightCount();
        final int per = nw1 + c1 + nw2 + c2;
        ensureWork(u.batch);
        if (rowGrads.length < u.batch) {
            rowGrads = new double[u.batch][per];
        }
        final int nOut = mode == CnnTraining.EPROP ? feedback.outputs() : 0;
        long work = (long) u.steps * (u1 + u2) * 16L;
        BatchParallel.forEachSlice(u.batch, work, (from, to) -> {
            RowWork w = work(from);
            w.outputs(nOut);
            for (int b = from; b < to; b++) {
                double[] g = rowGrads[b];
                if (mode == CnnTraining.REFERENCE) {
                    referenceRow(u, b, signals, w);
                } else {
                    epropRow(u, b, signals, feedback, w);
                }
                System.arraycopy(w.dW1, 0, g, 0, nw1);
                System.arraycopy(w.dB1, 0, g, nw1, c1);
                System.arraycopy(w.dW2, 0, g, nw1 + c1, nw2);
                System.arraycopy(w.dB2, 0, g, nw1 + c1 + nw2, c2);
            }
        });
        if (total.length != per) {
            total = new double[per];
            gradientsOut = parameters.zerosLike(precision);
        }
        double[] total = this.total;
        java.util.Arrays.fill(total, 0.0);
        for (int b = 0; b < u.batch; b++) {
            double[] g = rowGrads[b];
            for (int i = 0; i < per; i++) {
                total[i] += g[i];
            }
        }
        Parameters out = gradientsOut;
        store(out.get("conv1/W"), total, 0);
        store(out.get("conv1/b"), total, nw1);
        store(out.get("conv2/W"), total, nw1 + c1);
        store(out.get("conv2/b"), total, nw1 + c1 + nw2);
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

    /** The work buffers of one slice of rows (one thread), for the forward and the gradients. */
    private final class RowWork {
        // forward
        final double[] frame = new double[in];
        final double[][] patches = conv1.newPatches();
        final double[][] planar1 = conv1.newPlanar();
        final double[] current1 = new double[u1];
        final double[] current2 = new double[u2];
        final int[] active1 = new int[u1];
        final double[] z1 = new double[u1];
        final int[] active2 = new int[u2];
        final double[] z2 = new double[u2];
        final byte[] bits1 = new byte[conv2.bitRowSize()];
        // where a forward without a recording puts what the spike-row kernels always write
        final float[] scratchRecord1 = spikeRows ? new float[u1] : null;
        final float[] scratchRecord2 = spikeRows ? new float[u2] : null;
        final double[] scratchPos1 = spikeRows ? new double[u1] : null;
        final double[] scratchNeg1 = spikeRows ? new double[u1] : null;
        final double[] scratchPos2 = spikeRows ? new double[u2] : null;
        final double[] scratchNeg2 = spikeRows ? new double[u2] : null;
        final double[] poolRow1 = new double[p1];
        final double[] poolRow2 = new double[p2];
        // gradients
        final double[] v1 = new double[u1];
        final double[] v2 = new double[u2];
        final double[] adj1 = new double[u1];
        final double[] adj2 = new double[u2];
        final double[] sum1 = new double[u1];
        final double[] sig1 = new double[u1];
        final double[] sig2 = new double[u2];
        final double[] pos1 = new double[u1];
        final double[] neg1 = new double[u1];
        final double[] pos2 = new double[u2];
        final double[] neg2 = new double[u2];
        final double[][] patches2 = conv2.newPatches();
        final double[][] planar2 = conv2.newPlanar();
        final double[] dW1 = new double[conv1.geometry().weightCount()];
        final double[] dB1 = new double[c1];
        final double[] dW2 = new double[conv2.geometry().weightCount()];
        final double[] dB2 = new double[c2];
        double[] err = new double[0];

        void outputs(int n) {
            if (err.length != n) {
                err = new double[n];
            }
        }

        void clearGradients() {
            Arrays.fill(dW1, 0.0);
            Arrays.fill(dB1, 0.0);
            Arrays.fill(dW2, 0.0);
            Arrays.fill(dB2, 0.0);
        }
    }

    /**
     * dE_reg/dv_j(t) of one row: {@code voltageCost * 2/(B T) * (pos_j 1[v - v_th > 0] - neg_j
     * 1[-v - v_th > 0])} with {@code pos, neg} the time means of the two relu terms.
     */
    private double directVoltageGradient(double v, double pos, double neg, double scale) {
        // Branch-free (spikes make v > v_th unpredictable): H(x) = 1 exactly when x > 0, from the
        // sign bit of -x; pos * H - neg * H' is the sum of the taken terms, bit for bit.
        double g = pos * above(v - threshold) - neg * above(-v - threshold);
        return scale * g;
    }

    /** 1.0 if {@code x > 0}, else 0.0 (x not NaN): the sign bit of {@code -x}. */
    private static double above(double x) {
        return Double.doubleToRawLongBits(-x) >>> 63;
    }

    /** {@code psi(v)} of {@link ScnnNeuron#pseudoDerivative} (the same operations), with its constant factor hoisted. */
    private double psi(double v) {
        return psiScale * Math.max(0.0, 1.0 - Math.abs((v - threshold) / threshold));
    }


    /** {@code dB[co] += scale * sum_p g[p*channels + co]}, over positions in order. */
    private static void biasSum(double[] g, int units, int channels, double scale, double[] dB) {
        for (int o = 0; o < units; o += channels) {
            for (int co = 0; co < channels; co++) {
                dB[co] += scale * g[o + co];
            }
        }
    }

    /**
     * conv1's weight and bias gradient of one agent step: {@code sum1} (a row's conv1 signal summed
     * over the agent step's network steps, over which the frame is constant) correlated once with
     * the frame; {@code sum1} is cleared.
     */
    private void conv1AgentStep(CnnUnroll u, int k, int b, RowWork w) {
        Rows.load(u.frames, (k * u.batch + b) * in, w.frame, 0, in);
        conv1.patches(w.frame, 0, w.patches);
        if (Simd.ENABLED && (c1 == 8 || c1 == 16)) {
            VectorKernels.correlatePatches(w.patches, w.sum1, c1, w.dW1);
        } else {
            conv1.toPlanar(w.sum1, 0, 1.0, w.planar1);
            conv1.correlatePatches(w.patches, w.planar1, w.dW1);
        }
        biasSum(w.sum1, u1, c1, 1.0, w.dB1);
        Arrays.fill(w.sum1, 0.0);
    }

    /** Pool backward of the shortcut gradient of {@code row} into {@code dst} (overwritten). */
    private static void shortcutSignal(RealArray pooledGradient, int row, AvgPool pool, double[] prow, double[] dst) {
        int n = pool.outputSize();
        Rows.load(pooledGradient, row * n, prow, 0, n);
        pool.backwardOverwrite(prow, 0, dst, 0);
    }

    private void referenceRow(CnnUnroll u, int b, CnnSignals sig, RowWork w) {
        final double taskScale = 1.0 / config.regFactor();
        final double regScale = 2.0 * config.voltageCost() / ((double) u.batch * u.steps);
        final double th = threshold;
        voltageMeans(u, 0, b, w.pos1, w.neg1);
        voltageMeans(u, 1, b, w.pos2, w.neg2);
        Arrays.fill(w.adj1, 0.0);
        Arrays.fill(w.adj2, 0.0);
        Arrays.fill(w.sum1, 0.0);
        w.clearGradients();
        // Reverse-time adjoint of each unit's voltage, a(t) = dE/dv(t):
        // a(t) = dE_reg/dv(t) + dE/dz(t) psi(v(t)) + a(t+1) (d - v_th psi(v(t))),
        // the last factor being dv(t+1)/dv(t) with the reset's pseudo-derivative kept.
        for (int t = u.steps - 1; t >= 0; t--) {
            int row = t * u.batch + b;
            shortcutSignal(sig.pooledGradient1(), row, pool1, w.poolRow1, w.sig1);
            Rows.load(u.v1Record, row * u1, w.v1, 0, u1);
            adjointStep(w.v1, w.adj1, w.sig1, w.pos1, w.neg1, w.sum1, u1, decay, th, psiScale, taskScale, regScale);
            if (t % stepsPerAgentStep == 0) {
                conv1AgentStep(u, t / stepsPerAgentStep, b, w);
            }
            shortcutSignal(sig.pooledGradient2(), row, pool2, w.poolRow2, w.sig2);
            Rows.load(u.v2Record, row * u2, w.v2, 0, u2);
            adjointStep(w.v2, w.adj2, w.sig2, w.pos2, w.neg2, null, u2, decay, th, psiScale, taskScale, regScale);
            // conv2's input at step t: conv1's spikes of the same step (stop-gradient, not differentiated).
            conv2.accumulateBits(u.bits1Record, row * u.bitRow, w.adj2, 0, w.dW2);
            biasSum(w.adj2, u2, c2, 1.0, w.dB2);
        }
    }

    /**
     * One reverse-time step of a layer's voltage adjoints in the reference mode (row of {@code n}
     * units): {@code a(t) = dE_reg/dv(t) + dE/dz(t) psi(v(t)) + a(t+1) (d - v_th psi(v(t)))}, the
     * last factor being dv(t+1)/dv(t) with the reset's pseudo-derivative kept; {@code sig} is the
     * layer's {@code dE/dz} before the task scale; {@code sum += a} when {@code sum} is given.
     */
    static void adjointStep(double[] v, double[] adj, double[] sig, double[] pos, double[] neg, double[] sum, int n,
            double decay, double th, double psiScale, double taskScale, double regScale) {
        if (Simd.ENABLED) {
            VectorKernels.adjointStep(v, adj, sig, pos, neg, sum, n, decay, th, psiScale, taskScale, regScale);
        } else {
            adjointStepScalar(v, adj, sig, pos, neg, sum, n, decay, th, psiScale, taskScale, regScale);
        }
    }

    /** {@link #adjointStep} without the vector kernels (the reference the vector kernel is tested against). */
    static void adjointStepScalar(double[] v, double[] adj, double[] sig, double[] pos, double[] neg, double[] sum,
            int n, double decay, double th, double psiScale, double taskScale, double regScale) {
        for (int j = 0; j < n; j++) {
            double x = v[j];
            double psi = psiScale * Math.max(0.0, 1.0 - Math.abs((x - th) / th));
            // Branch-free (spikes make v > v_th unpredictable): see directVoltageGradient.
            double direct = regScale * (pos[j] * above(x - th) - neg[j] * above(-x - th));
            double a = adj[j] * (decay - th * psi) + taskScale * sig[j] * psi + direct;
            adj[j] = a;
            if (sum != null) {
                sum[j] += a;
            }
        }
    }

    private void learningSignal(int layer, CnnSignals sig, CnnFeedback fb, int row, RowWork w, double[] dst) {
        if (fb.source(layer) == CnnFeedback.Source.SHORTCUT) {
            shortcutSignal(layer == 0 ? sig.pooledGradient1() : sig.pooledGradient2(), row, layer == 0 ? pool1 : pool2,
                    layer == 0 ? w.poolRow1 : w.poolRow2, dst);
            return;
        }
        double[] bm = fb.matrix(layer);
        int nOut = fb.outputs();
        double[] err = w.err;
        Rows.load(sig.outputErrors(), row * nOut, err, 0, nOut);
        for (int j = 0; j < dst.length; j++) {
            double s = 0;
            int o = j * nOut;
            for (int k = 0; k < nOut; k++) {
                s += bm[o + k] * err[k];
            }
            dst[j] = s;
        }
    }

    /**
     * e-prop for a feedforward LIF layer: {@code dE/dW_ji = sum_t g_j(t) xbar_i(t)} with
     * {@code g_j(t) = L_j(t) psi_j(t)} (plus the regulariser's {@code dE/dv_j(t)}) and
     * {@code xbar(t) = d xbar(t-1) + x(t)} the eligibility vector of {@code v_j} with the reset path
     * cut; W is shared over positions, so the sum runs over them. The trace is linear in the inputs,
     * so the same sum is {@code sum_t e_j(t) x_i(t) + d e_j(0) xbar_i(-1)} with the reverse-filtered
     * signal {@code e(t) = g(t) + d e(t+1)}: run backwards, conv1 correlates with each frame once
     * per agent step and conv2 with conv1's (sparse, binary) spikes rather than with their dense
     * trace; {@code xbar(-1)}, the traces carried in from the previous unroll, enter once.
     */
    private void epropRow(CnnUnroll u, int b, CnnSignals sig, CnnFeedback fb, RowWork w) {
        final double regScale = 2.0 * config.voltageCost() / ((double) u.batch * u.steps);
        final double d = decay;
        final double[] e1 = w.adj1;
        final double[] e2 = w.adj2;
        voltageMeans(u, 0, b, w.pos1, w.neg1);
        voltageMeans(u, 1, b, w.pos2, w.neg2);
        Arrays.fill(e1, 0.0);
        Arrays.fill(e2, 0.0);
        Arrays.fill(w.sum1, 0.0);
        w.clearGradients();
        for (int t = u.steps - 1; t >= 0; t--) {
            int row = t * u.batch + b;
            learningSignal(0, sig, fb, row, w, w.sig1);
            Rows.load(u.v1Record, row * u1, w.v1, 0, u1);
            for (int j = 0; j < u1; j++) {
                double v = w.v1[j];
                double g = w.sig1[j] * psi(v) + directVoltageGradient(v, w.pos1[j], w.neg1[j], regScale);
                double e = g + d * e1[j];
                e1[j] = e;
                w.sum1[j] += e;
            }
            if (t % stepsPerAgentStep == 0) {
                conv1AgentStep(u, t / stepsPerAgentStep, b, w);
            }
            learningSignal(1, sig, fb, row, w, w.sig2);
            Rows.load(u.v2Record, row * u2, w.v2, 0, u2);
            for (int j = 0; j < u2; j++) {
                double v = w.v2[j];
                double g = w.sig2[j] * psi(v) + directVoltageGradient(v, w.pos2[j], w.neg2[j], regScale);
                e2[j] = g + d * e2[j];
            }
            conv2.accumulateBits(u.bits1Record, row * u.bitRow, e2, 0, w.dW2);
            biasSum(e2, u2, c2, 1.0, w.dB2);
        }
        // The traces carried in: d e(0) against xbar(-1), through the receptive-field products (the
        // bias input is the carried bias trace).
        double trBias = u.traceBiasStart[b];
        System.arraycopy(u.trace0Start, b * in, w.frame, 0, in);
        conv1.patches(w.frame, 0, w.patches);
        conv1.toPlanar(e1, 0, d, w.planar1);
        conv1.correlatePatches(w.patches, w.planar1, w.dW1);
        biasSum(e1, u1, c1, d * trBias, w.dB1);
        conv2.patches(u.trace1Start, b * u1, w.patches2);
        conv2.toPlanar(e2, 0, d, w.planar2);
        conv2.correlatePatches(w.patches2, w.planar2, w.dW2);
        biasSum(e2, u2, c2, d * trBias, w.dB2);
    }
}
