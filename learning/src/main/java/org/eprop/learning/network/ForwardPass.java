package org.eprop.learning.network;

import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Dense.Block;
import org.eprop.learning.tensor.EventProduct;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.RowKernels;

/**
 * Simulates a {@link SpikingNetwork} over a batch of input sequences (equations in
 * {@link org.eprop.learning.neuron.NeuronLayer}).
 *
 * <p>The work is split by what is fast where. The input projection of the whole sequence,
 * {@code X (c_in W_in)}, is a single dense product ({@link Dense}, ND4J) where the input is dense
 * or the precision float64; sparse float32 inputs (Poisson spikes) are listed once and each row's
 * current summed from the W_in rows of its active inputs inside the time-step loop. The loop itself
 * is plain Java over primitive arrays and allocates nothing: the recurrent input
 * {@code z(t-1) W_rec} is summed from the rows of the neurons that spiked (at ~10 Hz, about one row
 * per batch element and step instead of a dense product), the readout's drive from the same spikes,
 * and the neuron update is one fused loop. In float32 each step's spikes are kept as lists
 * ({@link Trajectory#spikeLists()}), which the gradients read instead of the spike matrix; the
 * matrix is written from them only when asked for ({@link Trajectory#spikes()}).
 *
 * <p>An agent that acts between steps records its unroll chunk by chunk instead
 * ({@link #begin}, {@link Unroll}); the finished trajectory is the one {@code run} would give.
 *
 * <p>Workspaces grow to the largest batch seen and are reused; the returned {@link Trajectory} is
 * overwritten by the next run. Not thread-safe.
 */
public final class ForwardPass {
    private final Precision precision;
    private final Dense dense;
    private final Trajectory trajectory = new Trajectory();

    private RealArray current;
    private RealArray readoutDrive;
    private double[] readoutSum = new double[0];
    private RealArray wInEff;
    private RealArray wRecEff;
    /**
     * {@code wInEff} and {@code W_out} in the product engine, loaded once per run or unroll: the
     * weights do not change inside one, and an unroll's per-step products would otherwise copy the
     * whole input matrix (2313 x 400 at the Atari sizes) in every agent step.
     */
    private final Dense.Resident wInMatrix;
    private final Dense.Resident wOutMatrix;
    private final ChunkSlice chunk = new ChunkSlice();
    private final BatchParallel.Loop chunkLoop = new BatchParallel.Loop(chunk);
    private double[] v = new double[0];
    private double[] b = new double[0];
    private boolean[] spiked = new boolean[0];
    private int[] refractory = new int[0];
    private int[] spikeIndex = new int[0];
    private int[] spikeCount = new int[0];
    /** Ints per sequence in the trajectory's spike lists: the steps the workspaces are sized for, times n. */
    private int listRegion;
    private double[] filtered = new double[0];
    /** float32's neuron state (see {@link NeuronStep32}); the double arrays above serve float64. */
    private float[] v32 = new float[0];
    private float[] b32 = new float[0];
    private float[] zPrev32 = new float[0];
    private float[] ref32 = new float[0];
    private final NeuronStep32.Constants constants32 = new NeuronStep32.Constants();
    /** float32's currents of one step, a row per sequence, where the input is event-driven. */
    private float[] currentRows = new float[0];
    /** float32's spikes per neuron so far, in the neuron workspaces' rows. */
    private int[] neuronCounts32 = new int[0];
    /** The time loop's thread slices: slice q is sequences {@code [sliceStart[q], sliceStart[q + 1])}. */
    private int[] sliceStart = new int[0];
    private int sliceCount;
    /** Rows of the neuron workspaces between two thread slices' rows ({@link #layOutSlices}). */
    private int sliceGapRows;
    /**
     * Over several thread slices, each slice's rows of the per-row values of a step, apart from the
     * other slices' ({@link #layOutSlices}): the list starts and counts, the readout drive (nOut per
     * row), and psi's last {@link #PSI_TAIL} values of each step.
     */
    private int[] sliceListStarts = new int[0];
    private int[] sliceListCounts = new int[0];
    private float[] sliceDrive = new float[0];
    private float[] psiTails = new float[0];
    /** The steps that the slices' own rows hold. */
    private int sliceSteps;
    /** Rows (of ints, at least a cache line) before and between the slices' own rows. */
    private static final int ROW_GAP = 16;
    /** Values of psi at the end of each slice's step kept apart: a cache line's worth. */
    private static final int PSI_TAIL = 16;
    /**
     * While a float32 loop runs with event-driven input currents: the listed inputs, whose row 0 is
     * the trajectory's row {@code eventInputFirstRow}; else null (the currents are in {@code current}).
     */
    private EventProduct eventInput;
    private int eventInputFirstRow;
    /** The listing of an unroll chunk's inputs (the trajectory's serves a whole run). */
    private final EventProduct chunkEvents = new EventProduct();
    /** Bumped by every run and begin: an {@link Unroll} works only while it is the latest. */
    private int generation;
    private RealArray unrollInput;
    private boolean[] unrollResets = new boolean[0];
    private boolean[] finishedResets = new boolean[0];

    public ForwardPass(Precision precision) {
        this(new Dense(precision));
    }

    public ForwardPass(Dense dense) {
        this.precision = dense.precision();
        this.dense = dense;
        trajectory.inputMatrix = dense.resident();
        trajectory.spikeMatrix = dense.resident();
        this.wInMatrix = dense.resident();
        this.wOutMatrix = dense.resident();
    }

    /** The dense-product engine, shared with the backward passes of the same thread. */
    public Dense dense() {
        return dense;
    }

    /**
     * Runs the network from a zero state, without resets.
     *
     * @param net the network (same precision as this pass)
     * @param x inputs, time-major {@code [steps*batch x nIn]}; a buffer sized for longer sequences
     *     is read from its start, so batches of varying length can share one buffer
     * @param steps number of time steps T
     * @param batch number of sequences B
     * @param recordState whether to keep v and b of every step (for plots and tests)
     */
    public Trajectory run(SpikingNetwork net, RealArray x, int steps, int batch, boolean recordState) {
        return run(net, x, steps, batch, recordState, null, null, NetworkState.Scope.ALL);
    }

    /**
     * Runs the network from a carried state, with per-row resets inside the run.
     *
     * <p>{@code state} (may be null: a zero state, nothing handed back) is read as the state before
     * step 0 and overwritten with the state after the last step: neurons, readout filter f and the
     * filtered spikes zbar; its eligibility traces are left to the gradient method, except that a
     * reset at step 0 zeroes them too. {@code resets} (may be null) is time-major,
     * {@code resets[t*batch+b]}: the state of row b is zeroed before step t, so the row restarts
     * exactly as a fresh run would; {@code scope} says whether the readout filter is zeroed with the
     * neurons ({@link NetworkState.Scope#ALL}) or carries on ({@link NetworkState.Scope#NEURONS}).
     */
    public Trajectory run(SpikingNetwork net, RealArray x, int steps, int batch, boolean recordState,
            NetworkState state, boolean[] resets, NetworkState.Scope scope) {
        validate(net, batch, state, scope);
        if (resets != null && resets.length != steps * batch) {
            throw new IllegalArgumentException(resets.length + " reset flags, expected steps*batch = " + steps * batch);
        }
        generation++;
        int nIn = net.inputs();
        int n = net.neurons();
        int nOut = net.outputs();
        if ((long) steps * batch * nIn > x.length()) {
            throw new IllegalArgumentException("input has " + x.length() + " values, expected at least steps*batch*nIn = "
                    + steps + "*" + batch + "*" + nIn + " (a longer buffer is read from its start)");
        }
        ensureCapacity(steps, batch, n, nIn, nOut, recordState);
        Trajectory tr = trajectory;
        tr.steps = steps;
        tr.batch = batch;
        tr.nIn = nIn;
        tr.n = n;
        tr.nOut = nOut;
        tr.input = x;
        tr.recordsState = recordState;
        tr.resets = resets;
        tr.resetScope = scope;
        tr.fromState = state != null;
        tr.invalidate();
        tr.spikeRowsWritten = 0;
        startFrom(state, batch, n, resets, scope);

        scaleWeights(net, batch);
        int rows = steps * batch;
        inputCurrent(tr.inputEvents, x, 0, rows, nIn, n, true);
        BatchParallel.forEachThreadSlice(batch, (long) steps * n,
                (from, to) -> simulate(net, 0, steps, batch, from, to, recordState, true, state, resets));
        eventInput = null;
        if (precision == Precision.FLOAT32) {
            publishNeuronCounts(n);
        }
        tr.spikeListsMade = precision == Precision.FLOAT32;
        if (precision != Precision.FLOAT32) { // float32's loop computes it as it goes
            tr.spikeRowsWritten = rows;
            readoutDrive(net, 0, rows);
        }
        filterReadout(net, 0, steps, batch, true, state, resets, scope);
        return tr;
    }

    /**
     * Starts a run that is fed chunk by chunk ({@link Unroll#advance}) and gives, when asked
     * ({@link Unroll#finish}), the {@link Trajectory} of every step so far: the same trajectory, bit
     * for bit, that {@link #run(SpikingNetwork, RealArray, int, int, boolean, NetworkState, boolean[],
     * NetworkState.Scope) run} gives for the concatenated inputs and resets from the same state.
     *
     * <p>This is the actor side of the reference's Atari agent (Bellec et al. 2020, Figs. 4-5;
     * {@code IGITUGraz/eligibility_propagation}, {@code Figure_4_and_5_ATARI}): every agent step
     * runs the network a few steps on the current observation, reads the outputs of the last one and
     * acts, and the input of the next agent step depends on that action. The weights do not change
     * inside an unroll, so the learner can take the recorded forward pass as it is; the reference
     * re-simulates the unroll in its learner instead.
     *
     * <p>Why the chunks give the numbers of one run: the neuron loop and the readout filter are
     * recursions that are simply continued, and the input projection {@code X (c_in W_in)} and the
     * readout drive {@code Z W_out} are done per chunk; a row of a product is a dot product of that
     * row only. Bit identity therefore holds where both take the event-driven input sum (a row's own
     * inputs in ascending order; chosen per chunk and per run by the inputs' density, so uniformly
     * sparse inputs take it in both) or wherever the BLAS sums a row in the same order whatever the
     * number of rows: {@code UnrollTest} shows it for small networks in both precisions and at
     * the reference Atari sizes (2313 inputs, 400 neurons, 32 rows, chunks of 5 steps) in float64.
     * In float32 at those sizes the CPU BLAS uses another kernel for a 160-row chunk than for the
     * whole unroll, so the input current may differ in its last bits (max |dv|/(1+|v|) 3.6e-7
     * observed, bounded by 1e-5 in the test) and a spike may eventually flip. The learner is not
     * affected: the finished trajectory is the pass the actors ran and acted on, and the gradient
     * methods differentiate exactly that pass.
     *
     * <p>The weights are read at {@code begin} (c_in is folded into them) and must not change until
     * the unroll is finished. The trajectory's arrays are this pass's workspaces: a later
     * {@code run} or {@code begin} on this pass ends the unroll (its handle then refuses to go on).
     *
     * @param batch rows B
     * @param capacitySteps the most steps the unroll may reach; workspaces are sized for it here, so
     *     that advancing allocates nothing per step
     * @param state null (a zero start, nothing handed back), or the state before the first step; it
     *     holds the state after the last advanced step after every {@link Unroll#advance}. Resets at
     *     step 0 are applied to it (traces included) by the first advance, as {@code run} does.
     * @param resetScope what a reset zeroes
     * @param recordState whether to keep v and b of every step (needed by a
     *     voltage regulariser)
     */
    public Unroll begin(SpikingNetwork net, int batch, int capacitySteps, NetworkState state,
            NetworkState.Scope resetScope, boolean recordState) {
        validate(net, batch, state, resetScope);
        if (batch <= 0 || capacitySteps <= 0) {
            throw new IllegalArgumentException("an unroll needs batch > 0 and capacitySteps > 0, got " + batch + " and "
                    + capacitySteps);
        }
        generation++;
        int n = net.neurons();
        int nIn = net.inputs();
        ensureCapacity(capacitySteps, batch, n, nIn, net.outputs(), recordState);
        unrollInput = grow(unrollInput, Math.max(1, capacitySteps * batch * nIn));
        if (unrollResets.length < capacitySteps * batch) {
            unrollResets = new boolean[capacitySteps * batch];
        }
        scaleWeights(net, batch);
        trajectory.invalidate();
        trajectory.n = n; // the row width of the spike rows that the chunks write (filterSpikes)
        trajectory.spikeRowsWritten = 0;
        return new Unroll(net, batch, capacitySteps, state, resetScope, recordState, generation);
    }

    /**
     * An unroll in progress, from {@link #begin}. Not thread-safe; valid until the next
     * {@code run} or {@code begin} of its forward pass.
     */
    public final class Unroll {
        private final SpikingNetwork net;
        private final int batch;
        private final int capacity;
        private final NetworkState state;
        private final NetworkState.Scope scope;
        private final boolean recordState;
        private final int owner;
        private int steps;
        private boolean anyReset;

        private Unroll(SpikingNetwork net, int batch, int capacity, NetworkState state, NetworkState.Scope scope,
                boolean recordState, int owner) {
            this.net = net;
            this.batch = batch;
            this.capacity = capacity;
            this.state = state;
            this.scope = scope;
            this.recordState = recordState;
            this.owner = owner;
        }

        /**
         * Appends {@code chunkSteps} steps.
         *
         * @param xChunk inputs of these steps, time-major {@code [chunkSteps*batch x nIn]} (a longer
         *     buffer is read from its start); copied, so the caller may reuse it
         * @param chunkSteps number of steps, at least 1
         * @param resetsChunk null (no resets), or {@code resetsChunk[s*batch+b]}: row b is zeroed
         *     before the chunk's step s, as {@code resets} of {@code run} (scope of {@link #begin})
         * @return this
         * @throws IllegalStateException if the unroll would pass its capacity, or the pass has run
         *     or begun something else since
         */
        public Unroll advance(RealArray xChunk, int chunkSteps, boolean[] resetsChunk) {
            checkOwner();
            int nIn = net.inputs();
            int n = net.neurons();
            int nOut = net.outputs();
            if (chunkSteps <= 0) {
                throw new IllegalArgumentException("a chunk needs at least one step, got " + chunkSteps);
            }
            if (steps + chunkSteps > capacity) {
                throw new IllegalStateException("the unroll would reach " + (steps + chunkSteps)
                        + " steps, its capacity is " + capacity);
            }
            if ((long) chunkSteps * batch * nIn > xChunk.length() || xChunk.precision() != precision) {
                throw new IllegalArgumentException("chunk input has " + xChunk.length() + " " + xChunk.precision()
                        + " values, expected at least chunkSteps*batch*nIn = " + chunkSteps + "*" + batch + "*" + nIn
                        + " in " + precision);
            }
            if (resetsChunk != null && resetsChunk.length != chunkSteps * batch) {
                throw new IllegalArgumentException(resetsChunk.length + " reset flags, expected chunkSteps*batch = "
                        + chunkSteps * batch);
            }
            final int t0 = steps;
            final int t1 = steps + chunkSteps;
            final int firstRow = t0 * batch;
            final int rows = chunkSteps * batch;
            RealArray.copy(xChunk, 0, unrollInput, firstRow * nIn, rows * nIn);
            if (resetsChunk != null) {
                System.arraycopy(resetsChunk, 0, unrollResets, firstRow, rows);
                for (int i = 0; i < rows && !anyReset; i++) {
                    anyReset = resetsChunk[i];
                }
            } else {
                java.util.Arrays.fill(unrollResets, firstRow, firstRow + rows, false);
            }
            // Null while no reset has been seen, as run is given null: the loops then skip the checks.
            final boolean[] resets = anyReset ? unrollResets : null;
            final boolean start = t0 == 0;
            if (start) {
                startFrom(state, batch, n, resets, scope);
            }
            trajectory.invalidate();
            inputCurrent(chunkEvents, unrollInput, firstRow, rows, nIn, n, false);
            chunk.set(net, t0, t1, batch, recordState, start, state, resets);
            chunkLoop.runThreadSlices(batch, (long) chunkSteps * n);
            chunk.clear();
            eventInput = null;
            if (precision != Precision.FLOAT32) {
                trajectory.spikeRowsWritten = firstRow + rows;
                readoutDrive(net, firstRow, rows);
            }
            filterReadout(net, t0, t1, batch, start, state, resets, scope);
            steps = t1;
            return this;
        }

        /** Steps advanced so far. */
        public int steps() {
            return steps;
        }

        public int batch() {
            return batch;
        }

        /** The output y_k of row b at the last advanced step (the policy's logits, say). */
        public double output(int b, int k) {
            checkOwner();
            if (steps == 0) {
                throw new IllegalStateException("no step has been advanced yet");
            }
            return trajectory.outputs.get(((steps - 1) * batch + b) * net.outputs() + k);
        }

        /**
         * The outputs y of every step so far, time-major {@code [steps()*batch x nOut]} (the array is
         * longer: a workspace sized for the capacity). Live: the next advance appends to it.
         */
        public RealArray outputs() {
            checkOwner();
            return trajectory.outputs;
        }

        /**
         * The trajectory of every step so far, from the state at {@link ForwardPass#begin}, for the
         * gradient methods; they take it exactly as the trajectory of one {@code run}. The inputs and
         * spikes are copied into the product engine if a gradient product asks (once per call, not per
         * step). The unroll may be advanced further afterwards; the trajectory then describes the
         * steps up to this call until finish is called again.
         */
        public Trajectory finish() {
            checkOwner();
            if (steps == 0) {
                throw new IllegalStateException("no step has been advanced yet");
            }
            Trajectory tr = trajectory;
            int rows = steps * batch;
            tr.steps = steps;
            tr.batch = batch;
            tr.nIn = net.inputs();
            tr.n = net.neurons();
            tr.nOut = net.outputs();
            tr.input = unrollInput;
            tr.recordsState = recordState;
            if (anyReset) {
                // exactly rows flags, as a run is given; the array is kept for the next finish
                if (finishedResets.length != rows) {
                    finishedResets = new boolean[rows];
                }
                System.arraycopy(unrollResets, 0, finishedResets, 0, rows);
                tr.resets = finishedResets;
            } else {
                tr.resets = null;
            }
            tr.resetScope = scope;
            tr.fromState = state != null;
            // The products' copies of the inputs and spikes are made when a product asks for them.
            tr.invalidate();
            tr.spikeListsMade = precision == Precision.FLOAT32;
            if (tr.spikeListsMade) { // the counts so far, read only from a finished trajectory
                publishNeuronCounts(tr.n);
            }
            return tr;
        }

        private void checkOwner() {
            if (owner != generation) {
                throw new IllegalStateException("the forward pass has run or begun another unroll since this one began");
            }
        }
    }

    /**
     * The neuron loop of one chunk of an unroll, as a reusable slice body: its arguments are set
     * before each chunk, so that advancing allocates no capturing lambda (nor, through
     * {@link BatchParallel.Loop}, any task).
     */
    private final class ChunkSlice implements BatchParallel.Slice {
        private SpikingNetwork net;
        private int t0;
        private int t1;
        private int batch;
        private boolean recordState;
        private boolean start;
        private NetworkState carried;
        private boolean[] resets;

        void set(SpikingNetwork net, int t0, int t1, int batch, boolean recordState, boolean start,
                NetworkState carried, boolean[] resets) {
            this.net = net;
            this.t0 = t0;
            this.t1 = t1;
            this.batch = batch;
            this.recordState = recordState;
            this.start = start;
            this.carried = carried;
            this.resets = resets;
        }

        /** Drops the references, so that a finished chunk keeps nothing alive. */
        void clear() {
            set(null, 0, 0, 0, false, false, null, null);
        }

        @Override
        public void run(int from, int to) {
            simulate(net, t0, t1, batch, from, to, recordState, start, carried, resets);
        }
    }

    private void validate(SpikingNetwork net, int batch, NetworkState state, NetworkState.Scope scope) {
        if (state != null && (state.batch() != batch || state.neurons() != net.neurons()
                || state.inputs() != net.inputs() || state.outputs() != net.outputs()
                || state.precision() != precision)) {
            throw new IllegalArgumentException("state is " + state.batch() + " rows x " + state.neurons()
                    + " neurons (" + state.precision() + "), the run " + batch + " x " + net.neurons() + " ("
                    + precision + ")");
        }
        if (scope == null) {
            throw new IllegalArgumentException("the reset scope must be given");
        }
        if (net.precision() != precision) {
            throw new IllegalArgumentException("network is " + net.precision() + ", forward pass is " + precision);
        }
    }

    /**
     * Applies the resets of step 0 to the carried state (its traces included, for the gradient
     * method) and keeps z(-1) and zbar(-1) in the trajectory: the boundary terms need them after
     * the state has moved on.
     */
    private void startFrom(NetworkState state, int batch, int n, boolean[] resets, NetworkState.Scope scope) {
        if (state == null) {
            return;
        }
        Trajectory tr = trajectory;
        for (int bb = 0; bb < batch; bb++) {
            if (resets != null && resets[bb]) {
                state.reset(bb, scope);
            }
        }
        tr.initialSpikes = grow(tr.initialSpikes, batch * n);
        tr.initialFilteredSpikes = grow(tr.initialFilteredSpikes, batch * n);
        for (int i = 0; i < batch * n; i++) {
            tr.initialSpikes.set(i, state.spikes().get(i));
            tr.initialFilteredSpikes.set(i, state.filteredSpikes().get(i));
        }
    }

    /**
     * The readout's drive {@code z(t) W_out} of rows {@code [firstRow, firstRow + rows)}, summed over
     * the neurons that spiked, in ascending order: spikes are 0 or 1 and sparse, so this is cheaper
     * than a dense product, and its result does not depend on how many rows are computed at once
     * (a BLAS may sum a one-row product in another order than a many-row one), which keeps an
     * unroll fed in chunks bit-identical to one run on every machine. (float64; float32's time loop
     * computes the same sums from its spike lists as it goes.)
     */
    private void readoutDrive(SpikingNetwork net, int firstRow, int rows) {
        int n = net.neurons();
        int nOut = net.outputs();
        RealArray z = trajectory.spikes;
        RealArray w = net.wOut();
        double[] sum = readoutSum.length < nOut ? (readoutSum = new double[nOut]) : readoutSum;
        for (int r = firstRow; r < firstRow + rows; r++) {
            java.util.Arrays.fill(sum, 0, nOut, 0.0);
            int base = r * n;
            for (int j = 0; j < n; j++) {
                double zj = z.get(base + j);
                if (zj != 0.0) {
                    for (int k = 0; k < nOut; k++) {
                        sum[k] += zj * w.get(j * nOut + k);
                    }
                }
            }
            for (int k = 0; k < nOut; k++) {
                readoutDrive.set(r * nOut + k, sum[k]);
            }
        }
    }

    /**
     * c_in is folded into the weights once per run rather than once per synapse event; the input
     * and readout weights are then loaded into the product engine for the run or unroll.
     */
    private void scaleWeights(SpikingNetwork net, int batch) {
        int n = net.neurons();
        RealArray wIn = net.wIn();
        for (int i = 0; i < net.inputs(); i++) {
            for (int j = 0; j < n; j++) {
                wInEff.set(i * n + j, net.inputFactor[j] * wIn.get(i * n + j));
            }
        }
        RealArray wRec = net.wRec();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                wRecEff.set(i * n + j, i == j ? 0.0 : net.inputFactor[j] * wRec.get(i * n + j));
            }
        }
        if (net.inputs() > 0) {
            wInMatrix.load(Block.of(wInEff, net.inputs(), n));
        }
        wOutMatrix.load(Block.of(net.wOut(), n, net.outputs()));
        if (precision == Precision.FLOAT32) {
            constants32.from(net, batch + sliceGapRows * (sliceCount + 1));
        }
    }

    /**
     * The input current {@code X (c_in W_in)} of rows {@code [firstRow, firstRow + rows)}: where the
     * inputs are spikes or otherwise sparse (float32, at most {@link EventProduct#maxDensity} of
     * them nonzero), the time-step loop sums each row from the W_in rows of its nonzero inputs,
     * listed here once ({@code events}, which the weight gradient reuses); otherwise one dense
     * product. The event-driven sum runs over a row's inputs in ascending order whatever the rows
     * around it, so a chunk of an unroll gets the run's currents bit for bit where both take it.
     */
    private void inputCurrent(EventProduct events, RealArray x, int firstRow, int rows, int nIn, int n,
            boolean wholeRun) {
        eventInput = null;
        if (nIn == 0) {
            for (int i = firstRow * n; i < (firstRow + rows) * n; i++) {
                current.set(i, 0.0);
            }
        } else if (precision == Precision.FLOAT32 && events.list(x, firstRow, rows, nIn, n)) {
            eventInput = events;
            eventInputFirstRow = firstRow;
        } else if (wholeRun) { // the trajectory's copy of the input, which the gradient may use again
            dense.gemm(trajectory.inputMatrix().all(), false, wInMatrix.all(), false, new Block(current, 0, rows, n));
        } else {
            dense.multiplyRows(x, firstRow, rows, wInMatrix, current);
        }
    }

    /**
     * The time loop over steps {@code [t0, t1)} for sequences {@code [from, to)} of the batch. With
     * {@code start} the neuron workspaces are set to the carried state (or zero) first; without it
     * they continue from where the previous chunk of an {@link Unroll} left them. The carried state
     * receives the state after step t1-1.
     */
    private void simulate(SpikingNetwork net, int t0, int t1, int batch, int from, int to, boolean recordState,
            boolean start, NetworkState carried, boolean[] resets) {
        if (precision == Precision.FLOAT32) {
            simulate32(net, t0, t1, batch, from, to, recordState, start, carried, resets);
            return;
        }
        final int n = net.neurons();
        final double[] alpha = net.alpha;
        final double[] rho = net.rho;
        final double[] beta = net.beta;
        final double vTh = net.vTh;
        final double inverseVTh = 1.0 / vTh;
        final double psiScale = net.gamma / vTh;
        final int nRef = net.refractorySteps;
        final Precision p = precision;
        final RealArray cur = current;
        final RealArray wRecEff = this.wRecEff;
        final RealArray z = trajectory.spikes;
        final RealArray psi = trajectory.psi;
        final RealArray vRec = trajectory.voltage;
        final RealArray bRec = trajectory.adaptation;
        final double[] v = this.v;
        final double[] b = this.b;
        final int[] ref = refractory;
        final boolean[] spiked = this.spiked;
        final int[] spikeIdx = spikeIndex;
        final int[] spikeCnt = spikeCount;
        if (start) {
            java.util.Arrays.fill(v, from * n, to * n, 0.0);
            java.util.Arrays.fill(b, from * n, to * n, 0.0);
            java.util.Arrays.fill(ref, from * n, to * n, 0);
            java.util.Arrays.fill(spiked, from * n, to * n, false);
            java.util.Arrays.fill(spikeCnt, from, to, 0);
            if (carried != null) {
                load(carried, n, from, to);
            }
        }

        for (int t = t0; t < t1; t++) {
            for (int bb = from; bb < to; bb++) {
                final int row = (t * batch + bb) * n;
                final int state = bb * n;
                if (resets != null && resets[t * batch + bb]) {
                    // A fresh start of this row: what the fills above do for a run without state.
                    java.util.Arrays.fill(v, state, state + n, 0.0);
                    java.util.Arrays.fill(b, state, state + n, 0.0);
                    java.util.Arrays.fill(ref, state, state + n, 0);
                    java.util.Arrays.fill(spiked, state, state + n, false);
                    spikeCnt[bb] = 0;
                }
                // Recurrent input: sum the rows of W_rec of the neurons that spiked at t-1.
                final int count = spikeCnt[bb];
                for (int s = 0; s < count; s++) {
                    final int w = spikeIdx[state + s] * n;
                    for (int j = 0; j < n; j++) {
                        cur.add(row + j, wRecEff.get(w + j));
                    }
                }
                int newCount = 0;
                for (int j = 0; j < n; j++) {
                    final int k = state + j;
                    final double zPrev = spiked[k] ? 1.0 : 0.0;
                    final double bNow = p.round(rho[j] * b[k] + zPrev);
                    final double vNow = p.round(alpha[j] * v[k] + cur.get(row + j) - vTh * zPrev);
                    b[k] = bNow;
                    v[k] = vNow;
                    final double scaled = (vNow - vTh - beta[j] * bNow) * inverseVTh;
                    final boolean refractoryNow = ref[k] > 0;
                    final boolean spike = !refractoryNow && scaled > 0;
                    spiked[k] = spike;
                    z.set(row + j, spike ? 1.0 : 0.0);
                    psi.set(row + j, refractoryNow ? 0.0 : psiScale * Math.max(0.0, 1.0 - Math.abs(scaled)));
                    final int r = ref[k] + (spike ? nRef : 0) - 1;
                    ref[k] = r < 0 ? 0 : Math.min(r, nRef);
                    if (spike) {
                        spikeIdx[state + newCount++] = j;
                    }
                    if (recordState) {
                        vRec.set(row + j, vNow);
                        bRec.set(row + j, bNow);
                    }
                }
                spikeCnt[bb] = newCount;
            }
        }
        if (carried != null) {
            store(carried, n, from, to);
        }
    }

    /**
     * {@link #simulate} in float32: float arithmetic on float arrays ({@link NeuronStep32}), the
     * recurrent input summed from the rows of the neurons that spiked at the step before.
     *
     * <p>The neuron workspaces, which every step reads and writes whole, hold the rows of each
     * thread slice of the batch a gap apart ({@link #layOutSlices}), so that no cache line of them is
     * written by two threads: a line shared by two threads moves between their cores at every write,
     * 90-130 ns on the project's VM and 400-450 ns in the minutes when its two virtual CPUs sat far
     * apart (a ping-pong of one line between them). The trajectory's rows of a step, (time x batch),
     * have the last sequence of one slice beside the first of the next, and the last of the batch
     * beside the first of the next step: over several slices the values of a row (list starts and
     * counts, readout drive) are kept in rows of each slice's own and psi's last {@link #PSI_TAIL}
     * values of each step of a slice in its own place, and copied into the trajectory after the
     * slice's steps, so that each line of the trajectory is written by one thread while they run
     * (Fig. 3 forward pass on two threads, alternating with the code before in one process: 16.6 ms
     * against 17.2 ms in the VM's quiet minutes, 18.4 ms against 20.9 ms in its slow ones).
     */
    private void simulate32(SpikingNetwork net, int t0, int t1, int batch, int from, int to, boolean recordState,
            boolean start, NetworkState carried, boolean[] resets) {
        for (int q = 0; q < sliceCount; q++) {
            int lo = sliceStart[q];
            int hi = sliceStart[q + 1];
            if (lo >= to || hi <= from) {
                continue;
            }
            if (lo < from || hi > to) {
                throw new IllegalStateException("the time loop runs whole thread slices: [" + from + ", " + to
                        + ") cuts slice [" + lo + ", " + hi + ")");
            }
            simulateSlice32(net, t0, t1, batch, q, lo, hi, recordState, start, carried, resets);
        }
    }

    /** {@link #simulate32} for thread slice q, sequences {@code [lo, hi)}. */
    private void simulateSlice32(SpikingNetwork net, int t0, int t1, int batch, int q, int lo, int hi,
            boolean recordState, boolean start, NetworkState carried, boolean[] resets) {
        final int n = net.neurons();
        final int nOut = net.outputs();
        final float[] wOut = ((RealArray.F32) net.wOut()).data();
        final NeuronStep32.Constants c = constants32;
        final float[] wRec = ((RealArray.F32) wRecEff).data();
        final float[] wIn = ((RealArray.F32) wInEff).data();
        final float[] psi = ((RealArray.F32) trajectory.psi).data();
        final float[] vRec = recordState ? ((RealArray.F32) trajectory.voltage).data() : null;
        final float[] bRec = recordState ? ((RealArray.F32) trajectory.adaptation).data() : null;
        final float[] v = v32;
        final float[] b = b32;
        final float[] zPrev = zPrev32;
        final float[] ref = ref32;
        final int[] lists = trajectory.spikeLists;
        final int region = listRegion;
        // The per-row values of each step (list starts and counts, readout drive): in the trajectory's
        // rows on one thread; over several thread slices in rows of the slice's own, copied into the
        // trajectory after its steps (layOutSlices). Row (t, bb) is then at t rowStride + bb + rowShift.
        final boolean apart = sliceCount > 1;
        final int rowStride = apart ? hi - lo : batch;
        final int rowShift = apart ? sliceRowBase(q) - lo : 0;
        final int[] starts = apart ? sliceListStarts : trajectory.spikeListStarts;
        final int[] counts = apart ? sliceListCounts : trajectory.spikeCounts;
        final float[] drive = apart ? sliceDrive : ((RealArray.F32) readoutDrive).data();
        final int[] perNeuron = neuronCounts32;
        // Row bb of the neuron workspaces starts at bb n + pad: the slice's rows lie q gaps on.
        final int pad = slicePad(q, n);
        final EventProduct events = eventInput;
        final int[] eventStart = events == null ? null : events.rowStarts();
        final int[] eventColumn = events == null ? null : events.columns();
        final float[] eventValue = events == null ? null : events.values32();
        final int eventShift = eventInputFirstRow;
        // With event-driven inputs a step's currents are summed into a workspace row per sequence,
        // used at once: the (time x batch) matrix of currents is then never written out.
        final boolean rowCurrents = events != null;
        final float[] cur = rowCurrents ? currentRows : ((RealArray.F32) current).data();
        final int k0 = lo * n + pad;
        final int k1 = hi * n + pad;
        // Over several slices each step's last PSI_TAIL values of psi (the slice's last row's last
        // neurons) go to a row of the slice's own and are copied in after its steps, so that the line
        // of psi where the next slice's row begins is written by that slice alone (not with the
        // state's recording, which writes at psi's places).
        final boolean tail = apart && vRec == null && k1 - k0 >= 2 * PSI_TAIL;
        final int tailBase = tail ? slicePsiTailBase(q) : 0;
        if (start) {
            java.util.Arrays.fill(v, k0, k1, 0f);
            java.util.Arrays.fill(b, k0, k1, 0f);
            java.util.Arrays.fill(zPrev, k0, k1, 0f);
            java.util.Arrays.fill(ref, k0, k1, 0f);
            java.util.Arrays.fill(spikeCount, lo, hi, 0);
            java.util.Arrays.fill(perNeuron, k0, k1, 0);
            if (carried != null) {
                load32(carried, n, lo, hi, pad);
            }
        }
        for (int t = t0; t < t1; t++) {
            final int first = t * batch; // the trajectory's row of (t, 0)
            // The currents of every row of the slice: input (from its events, or the product's), then
            // the recurrent input, the W_rec rows of the neurons that spiked at t-1 in ascending order.
            // The row of the step before is read whatever the step: at step 0 (where it does not exist)
            // the row itself stands in, unused. Read only past step 0, the JIT checked its index for
            // the whole loop before entering it, the check failed at every run's step 0, and the
            // method was compiled anew, 40-116 ms of compilation each time, a dozen times in the
            // first 40 iterations of the Fig. 3 bench, the thread running slower code meanwhile.
            final int beforeStride = t == 0 ? 0 : rowStride;
            for (int bb = lo; bb < hi; bb++) {
                final int r = first + bb;
                final int p = t * rowStride + bb + rowShift; // its row of starts and counts
                final int state = bb * n + pad;
                final int row = rowCurrents ? state : r * n; // where this row's currents are summed
                final boolean reset = resets != null && resets[r];
                if (reset) {
                    java.util.Arrays.fill(v, state, state + n, 0f);
                    java.util.Arrays.fill(b, state, state + n, 0f);
                    java.util.Arrays.fill(zPrev, state, state + n, 0f);
                    java.util.Arrays.fill(ref, state, state + n, 0f);
                }
                final int e0 = events == null ? 0 : eventStart[r - eventShift];
                final int e1 = events == null ? 0 : eventStart[r - eventShift + 1];
                final int before = p - beforeStride;
                final int beforeStart = starts[before];
                final int beforeCount = counts[before];
                final int[] spikesBefore;
                final int s0;
                final int s1;
                if (reset) { // the inputs only
                    spikesBefore = null;
                    s0 = 0;
                    s1 = 0;
                } else if (t == 0) { // the carried state's spikes
                    spikesBefore = spikeIndex;
                    s0 = bb * n;
                    s1 = s0 + spikeCount[bb];
                } else {
                    spikesBefore = lists;
                    s0 = beforeStart;
                    s1 = s0 + beforeCount;
                }
                // This step's list follows the step before's in the sequence's region.
                starts[p] = t == 0 ? bb * region : beforeStart + beforeCount;
                if (events != null || s1 > s0) {
                    RowKernels.gatherRows(cur, row, events != null, wIn, eventColumn, eventValue, e0, e1, wRec,
                            spikesBefore, s0, s1, n);
                }
            }
            // The neurons of all the slice's rows in one loop, which lists the step's spikes as it goes.
            // The spike matrix is not written (z null): the lists hold the spikes, and the matrix is made
            // from them when someone asks (Trajectory#spikes). At the Fig. 3 sizes it is 58 MB per run,
            // as much as psi, and the loop is bound by what it writes to memory, which the workers share.
            final int p0 = t * rowStride + lo + rowShift;
            java.util.Arrays.fill(counts, p0, p0 + hi - lo, 0);
            final int shift = first * n - pad; // the trajectory's element of workspace element k
            final int curShift = rowCurrents ? 0 : shift;
            final int listShift = (p0 - lo) * n - pad; // element k's in the rows of starts and counts
            if (tail) {
                NeuronStep32.advance(c, n, k0, k1 - PSI_TAIL, v, b, zPrev, ref, cur, curShift, shift, null, psi, null,
                        null, lists, listShift, starts, counts);
                NeuronStep32.advance(c, n, k1 - PSI_TAIL, k1, v, b, zPrev, ref, cur, curShift,
                        tailBase + (t - t0) * PSI_TAIL - (k1 - PSI_TAIL), null, psiTails, null, null, lists, listShift,
                        starts, counts);
            } else {
                NeuronStep32.advance(c, n, k0, k1, v, b, zPrev, ref, cur, curShift, shift, null, psi, vRec, bRec, lists,
                        listShift, starts, counts);
            }
            // The readout's drive z(t) W_out from the same lists: readoutDrive's sums, in its order
            // (each output's over the spikes in ascending order, in double); and each neuron's count.
            for (int bb = lo; bb < hi; bb++) {
                final int p = p0 + bb - lo;
                final int s0 = starts[p];
                final int s1 = s0 + counts[p];
                if (nOut == 2) {
                    // Two readouts (the cue tasks): both sums in one pass over the spikes. The loop over
                    // the outputs around the spikes' loop had a JIT check that failed at some rows, and
                    // the method was compiled anew each time (four times in the Fig. 3 bench's first 40
                    // iterations on one thread).
                    double sum0 = 0.0;
                    double sum1 = 0.0;
                    for (int s = s0; s < s1; s++) {
                        final int o = 2 * lists[s];
                        sum0 += wOut[o];
                        sum1 += wOut[o + 1];
                    }
                    drive[2 * p] = (float) sum0;
                    drive[2 * p + 1] = (float) sum1;
                } else {
                    for (int k = 0; k < nOut; k++) {
                        double sum = 0.0;
                        for (int s = s0; s < s1; s++) {
                            sum += wOut[lists[s] * nOut + k];
                        }
                        drive[p * nOut + k] = (float) sum;
                    }
                }
                final int state = bb * n + pad;
                for (int s = s0; s < s1; s++) {
                    perNeuron[state + lists[s]]++;
                }
            }
        }
        if (apart) { // the slice's rows of these steps into the trajectory's
            final float[] driveRows = ((RealArray.F32) readoutDrive).data();
            final int rows = hi - lo;
            for (int t = t0; t < t1; t++) {
                final int p = t * rowStride + lo + rowShift;
                final int r = t * batch + lo;
                System.arraycopy(starts, p, trajectory.spikeListStarts, r, rows);
                System.arraycopy(counts, p, trajectory.spikeCounts, r, rows);
                System.arraycopy(drive, p * nOut, driveRows, r * nOut, rows * nOut);
                if (tail) {
                    System.arraycopy(psiTails, tailBase + (t - t0) * PSI_TAIL, psi, (r + rows) * n - PSI_TAIL, PSI_TAIL);
                }
            }
        }
        if (carried != null) {
            store32(carried, n, lo, hi, pad);
        }
    }

    /**
     * The spikes per neuron so far ({@link Trajectory#countSpikes}), from the neuron workspaces' rows:
     * after a run, and when an unroll is finished (not after every chunk).
     */
    private void publishNeuronCounts(int n) {
        for (int q = 0; q < sliceCount; q++) {
            int lo = sliceStart[q];
            System.arraycopy(neuronCounts32, lo * n + slicePad(q, n), trajectory.neuronSpikes, lo * n,
                    (sliceStart[q + 1] - lo) * n);
        }
    }

    /** Where thread slice q's rows begin in the neuron workspaces (row bb at {@code bb n + slicePad}). */
    private int slicePad(int q, int n) {
        return sliceGapRows * (q + 1) * n;
    }

    /** Thread slice q's first row in {@link #sliceListStarts}: its step t, sequence bb at {@code t (hi - lo) + bb - lo} on. */
    private int sliceRowBase(int q) {
        return ROW_GAP * (q + 1) + sliceSteps * sliceStart[q];
    }

    /** Where thread slice q's psi tails begin in {@link #psiTails}, {@link #PSI_TAIL} per step of a call. */
    private int slicePsiTailBase(int q) {
        return PSI_TAIL * (q + 1) + q * sliceSteps * PSI_TAIL;
    }

    /**
     * The time loop's thread slices of a batch ({@link BatchParallel#threadSlices}) and the layout of
     * its workspaces. The neuron workspaces hold the rows of slice q from row
     * {@code sliceStart[q] + (q + 1) sliceGapRows}: two slices' rows are at least 256 values apart (a
     * cache line, and 16 of the vector loop's words, {@code NeuronStep32.Constants#words}), and as
     * far from the arrays' ends, beside which the heap puts other arrays that the other slices write
     * (the next workspace's first rows). The rows of a sequence stay where they are from one chunk of
     * an unroll to the next, whichever thread runs them. Over several slices, each slice's per-row
     * values of all steps ({@link #sliceRowBase}) and psi tails ({@link #slicePsiTailBase}) lie a
     * cache line from the other slices'.
     */
    private void layOutSlices(int steps, int batch, int n, int nOut) {
        int count = BatchParallel.threadSlices(batch);
        if (sliceStart.length != count + 1) {
            sliceStart = new int[count + 1];
        }
        for (int q = 0; q <= count; q++) {
            sliceStart[q] = BatchParallel.threadSliceStart(batch, q);
        }
        sliceCount = count;
        sliceGapRows = (256 + n - 1) / n;
        sliceSteps = steps;
        if (count > 1) {
            int rows = ROW_GAP * (count + 1) + steps * batch;
            if (sliceListStarts.length < rows) {
                sliceListStarts = new int[rows];
                sliceListCounts = new int[rows];
            }
            if (sliceDrive.length < rows * nOut) {
                sliceDrive = new float[rows * nOut];
            }
            if (psiTails.length < PSI_TAIL * (count + 1) + count * steps * PSI_TAIL) {
                psiTails = new float[PSI_TAIL * (count + 1) + count * steps * PSI_TAIL];
            }
        }
        int stateRows = batch + sliceGapRows * (count + 1);
        if (v32.length < stateRows * n) {
            v32 = new float[stateRows * n];
            b32 = new float[stateRows * n];
            zPrev32 = new float[stateRows * n];
            ref32 = new float[stateRows * n];
            currentRows = new float[stateRows * n];
            neuronCounts32 = new int[stateRows * n];
        }
    }

    /** {@link #load} for float32's state arrays, slice rows {@code [from, to)} at workspace offset pad. */
    private void load32(NetworkState s, int n, int from, int to, int pad) {
        for (int bb = from; bb < to; bb++) {
            int count = 0;
            for (int j = 0; j < n; j++) {
                int k = bb * n + j;
                v32[k + pad] = (float) s.voltage().get(k);
                b32[k + pad] = (float) s.adaptation().get(k);
                ref32[k + pad] = s.refractory()[k];
                boolean spiked = s.spikes().get(k) != 0.0;
                zPrev32[k + pad] = spiked ? 1f : 0f;
                if (spiked) {
                    spikeIndex[bb * n + count++] = j;
                }
            }
            spikeCount[bb] = count;
        }
    }

    /** {@link #store} for float32's state arrays. */
    private void store32(NetworkState s, int n, int from, int to, int pad) {
        for (int k = from * n; k < to * n; k++) {
            s.voltage().set(k, v32[k + pad]);
            s.adaptation().set(k, b32[k + pad]);
            s.refractory()[k] = (int) ref32[k + pad];
            s.spikes().set(k, zPrev32[k + pad]);
        }
    }

    /** The carried state of rows [from, to) into the workspaces, spike list in ascending order as the loop keeps it. */
    private void load(NetworkState s, int n, int from, int to) {
        for (int bb = from; bb < to; bb++) {
            int count = 0;
            for (int j = 0; j < n; j++) {
                int k = bb * n + j;
                v[k] = s.voltage().get(k);
                b[k] = s.adaptation().get(k);
                refractory[k] = s.refractory()[k];
                spiked[k] = s.spikes().get(k) != 0.0;
                if (spiked[k]) {
                    spikeIndex[bb * n + count++] = j;
                }
            }
            spikeCount[bb] = count;
        }
    }

    private void store(NetworkState s, int n, int from, int to) {
        for (int k = from * n; k < to * n; k++) {
            s.voltage().set(k, v[k]);
            s.adaptation().set(k, b[k]);
            s.refractory()[k] = refractory[k];
            s.spikes().set(k, spiked[k] ? 1.0 : 0.0);
        }
    }

    /**
     * The readout filter over steps {@code [t0, t1)}; with {@code start} it begins from the carried
     * state's f (or zero), else from where the previous chunk left it.
     */
    private void filterReadout(SpikingNetwork net, int t0, int t1, int batch, boolean start, NetworkState state,
            boolean[] resets, NetworkState.Scope scope) {
        final int nOut = net.outputs();
        final double[] f = filtered;
        if (start) {
            java.util.Arrays.fill(f, 0, batch * nOut, 0.0);
            if (state != null) {
                for (int s = 0; s < batch * nOut; s++) {
                    f[s] = state.readout().get(s);
                }
            }
        }
        final boolean readoutResets = resets != null && scope == NetworkState.Scope.ALL;
        // Each sequence's filter is its own recursion: a whole run's are run over the workers (the
        // same operations per sequence, so the same bits), one slice per thread as the time loop
        // before, so that each sequence's drive is read on the core that wrote it; an unroll's chunk
        // of a few steps is filtered on the calling thread, with no task (nor lambda) per agent step.
        // Over the workers each slice carries its filter values in a row of its own,
        // BatchParallel.SLICE_GAP values away from the others': in the shared array two slices'
        // values share a cache line, which each worker's next step would take back from the other.
        if (start && t1 - t0 > 1 && state == null) {
            if (filterSlices.length < batch * (nOut + BatchParallel.SLICE_GAP)) {
                filterSlices = new double[batch * (nOut + BatchParallel.SLICE_GAP)];
            }
            BatchParallel.forEachThreadSlice(batch, (long) (t1 - t0) * nOut * 4,
                    (from, to) -> filterRows(net, t0, t1, batch, from, to, readoutResets ? resets : null, filterSlices,
                            BatchParallel.SLICE_GAP * from));
        } else {
            filterRows(net, t0, t1, batch, 0, batch, readoutResets ? resets : null, f, 0);
        }
        if (state != null) {
            for (int s = 0; s < batch * nOut; s++) {
                state.readout().set(s, f[s]);
            }
            filterSpikes(net, t0, t1, batch, state, readoutResets ? resets : null);
        }
    }

    private double[] filterSlices = new double[0];

    /**
     * The readout filter of sequences [from, to) over steps [t0, t1), from the filter values in
     * {@code filtered} and back into them, carried meanwhile in {@code f} (which may be
     * {@code filtered}) at {@code bb * nOut + k + gap}.
     */
    private void filterRows(SpikingNetwork net, int t0, int t1, int batch, int from, int to, boolean[] readoutResets,
            double[] f, int gap) {
        final int nOut = net.outputs();
        final double kappa = net.kappa;
        final double c = net.readoutFactor;
        final RealArray u = readoutDrive;
        final RealArray y = trajectory.outputs;
        final RealArray bias = net.bOut();
        if (f != filtered) {
            System.arraycopy(filtered, from * nOut, f, from * nOut + gap, (to - from) * nOut);
        }
        // float32: the same operations on the arrays themselves (a loop-invariant branch)
        final float[] ud = u instanceof RealArray.F32 a ? a.data() : null;
        final float[] yd = y instanceof RealArray.F32 a ? a.data() : null;
        final float[] bd = bias instanceof RealArray.F32 a ? a.data() : null;
        final boolean f32 = ud != null && yd != null && bd != null;
        for (int t = t0; t < t1; t++) {
            for (int bb = from; bb < to; bb++) {
                if (readoutResets != null && readoutResets[t * batch + bb]) {
                    java.util.Arrays.fill(f, bb * nOut + gap, (bb + 1) * nOut + gap, 0.0);
                }
                for (int k = 0; k < nOut; k++) {
                    int s = bb * nOut + k + gap;
                    int idx = (t * batch + bb) * nOut + k;
                    if (f32) {
                        f[s] = Precision.FLOAT32.round(kappa * f[s] + c * ud[idx]);
                        yd[idx] = (float) (f[s] + bd[k]);
                    } else {
                        f[s] = precision.round(kappa * f[s] + c * u.get(idx));
                        y.set(idx, f[s] + bias.get(k));
                    }
                }
            }
        }
        if (f != filtered) {
            System.arraycopy(f, from * nOut + gap, filtered, from * nOut, (to - from) * nOut);
        }
    }

    /** Advances the state's zbar over steps [t0, t1); only a carried state needs it. */
    private void filterSpikes(SpikingNetwork net, int t0, int t1, int batch, NetworkState state,
            boolean[] readoutResets) {
        trajectory.writeSpikeRows(t1 * batch); // float32: the rows of these steps from the lists
        final int n = net.neurons();
        final double kappa = net.kappa();
        final double c = net.readoutFactor();
        final RealArray zbar = state.filteredSpikes();
        final RealArray z = trajectory.spikes;
        for (int t = t0; t < t1; t++) {
            for (int bb = 0; bb < batch; bb++) {
                boolean reset = readoutResets != null && readoutResets[t * batch + bb];
                for (int j = 0; j < n; j++) {
                    int k = bb * n + j;
                    double previous = reset ? 0.0 : zbar.get(k);
                    zbar.set(k, precision.round(kappa * previous + c * z.get((t * batch + bb) * n + j)));
                }
            }
        }
    }

    private void ensureCapacity(int steps, int batch, int n, int nIn, int nOut, boolean recordState) {
        int rows = steps * batch;
        Trajectory tr = trajectory;
        current = grow(current, rows * n);
        tr.spikes = grow(tr.spikes, rows * n);
        // each sequence's spike lists, one after the other in time (Trajectory), and room for the
        // vector loop's listing to store 8 ints from a full region's end (NeuronStep32Vector)
        listRegion = steps * n + 8;
        if (precision == Precision.FLOAT32 && (tr.spikeLists.length < batch * listRegion
                || tr.spikeCounts.length < rows)) {
            tr.spikeLists = new int[Math.max(tr.spikeLists.length, batch * listRegion)];
            tr.spikeCounts = new int[Math.max(tr.spikeCounts.length, rows)];
            tr.spikeListStarts = new int[tr.spikeCounts.length];
        }
        if (precision == Precision.FLOAT32 && tr.neuronSpikes.length < batch * n) {
            tr.neuronSpikes = new int[batch * n];
        }
        // float32's psi has a vector's slack past its last row: a padded row of the backward scan
        // reads up to 15 values past a row's end.
        tr.psi = grow(tr.psi, precision == Precision.FLOAT32 ? rows * n + 16 : rows * n);
        tr.outputs = grow(tr.outputs, rows * nOut);
        readoutDrive = grow(readoutDrive, rows * nOut);
        if (recordState) {
            tr.voltage = grow(tr.voltage, rows * n);
            tr.adaptation = grow(tr.adaptation, rows * n);
        }
        if (wInEff == null || wInEff.length() != nIn * n) {
            wInEff = precision.zeros(nIn * n);
        }
        if (wRecEff == null || wRecEff.length() != n * n) {
            wRecEff = precision.zeros(n * n);
        }
        if (precision == Precision.FLOAT32) {
            layOutSlices(steps, batch, n, nOut);
        }
        if (spikeIndex.length < batch * n) {
            spikeIndex = new int[batch * n];
            if (precision != Precision.FLOAT32) {
                v = new double[batch * n];
                b = new double[batch * n];
                spiked = new boolean[batch * n];
                refractory = new int[batch * n];
            }
        }
        if (spikeCount.length < batch) {
            spikeCount = new int[batch];
        }
        if (filtered.length < batch * nOut) {
            filtered = new double[batch * nOut];
        }
    }

    private RealArray grow(RealArray a, int length) {
        return a != null && a.length() >= length ? a : precision.zeros(length);
    }
}
