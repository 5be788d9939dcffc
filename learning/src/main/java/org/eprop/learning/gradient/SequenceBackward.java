package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Dense.Block;
import org.eprop.learning.tensor.EventProduct;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.RowKernels;

/**
 * The dense ends of a backward pass over whole sequences, shared by {@link FastEprop} and
 * {@link ReverseMode}: from dE/dy to the readout gradients and the projected learning signals,
 * and from the per-neuron membrane adjoints to the input and recurrent weight gradients. Each is
 * one ND4J product over the stacked (time x batch) rows.
 */
final class SequenceBackward {
    private final Precision precision;
    private final Dense dense;
    private RealArray filteredDy;
    private RealArray signal;
    private final Dense.Resident adjointMatrix;
    /** Workspaces of {@link #readoutBoundary}; the returned array is the second, valid until the next call. */
    private double[] boundaryFilter = new double[0];
    private double[] boundarySignal = new double[0];

    /**
     * Whether the weight gradients may take the event-driven form ({@link EventProduct}): in float32,
     * the training precision; float64, the verification precision, keeps the BLAS products, so that
     * its results stay those of the dense definition. {@code -Deprop.events=never} turns it off,
     * {@code always} lets float64 use it too.
     */
    private final boolean eventDriven;

    SequenceBackward(Dense dense) {
        this.dense = dense;
        String mode = System.getProperty("eprop.events", "auto");
        this.eventDriven = switch (mode) {
            case "never" -> false;
            case "always" -> true;
            case "auto" -> dense.precision() == Precision.FLOAT32;
            default -> throw new IllegalArgumentException("-Deprop.events=" + mode + ": expected auto, never or always");
        };
        this.adjointMatrix = dense.resident();
        this.precision = dense.precision();
    }

    /**
     * Readout gradients and learning signals, within the run (a readout reset at step t cuts the
     * filter between t-1 and t). Because the readout filter is linear, the filter is
     * moved from the spikes onto the errors: {@code Gbar(t) = c dy(t) + kappa Gbar(t+1)} (a backward
     * scan), then {@code dW_out = Z^T Gbar}, and the kappa-filtered learning signal of every
     * neuron is {@code Lbar = Gbar B^T}.
     *
     * @return the {@code [steps*batch x n]} array holding {@code Lbar}; the caller may overwrite it
     */
    RealArray readoutAndSignals(SpikingNetwork net, Trajectory tr, BackwardInput in, RealArray feedback,
            Gradients out) {
        return readoutAndSignals(net, tr, in, feedback, out, false, true);
    }

    /**
     * {@link #readoutAndSignals(SpikingNetwork, Trajectory, BackwardInput, RealArray, Gradients)}
     * for a caller that reads the learning signals row by row in one pass ({@link FastEprop}'s
     * scan): where they are a narrow product ({@link #signalsDeferred()}), the returned array's rows
     * are left unwritten until {@link #signalRow} fills them, so that each row is made while in cache
     * just before it is used, rather than all 144,000 written out and read back.
     *
     * @param readoutGradient false: the caller sums {@code dW_out} itself (the bias gradient is made)
     */
    RealArray readoutAndDeferredSignals(SpikingNetwork net, Trajectory tr, BackwardInput in, RealArray feedback,
            Gradients out, boolean readoutGradient) {
        return readoutAndSignals(net, tr, in, feedback, out, true, readoutGradient);
    }

    /** Whether the last {@link #readoutAndDeferredSignals} left the rows of Lbar to {@link #signalRow}. */
    boolean signalsDeferred() {
        return deferred;
    }

    private boolean deferred;

    private RealArray readoutAndSignals(SpikingNetwork net, Trajectory tr, BackwardInput in, RealArray feedback,
            Gradients out, boolean defer, boolean readoutGradient) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nOut = net.outputs();
        int rows = steps * batch;
        if (filteredDy == null || filteredDy.length() < rows * nOut) {
            filteredDy = precision.zeros(rows * nOut);
        }
        if (signal == null || signal.length() < rows * n) {
            signal = precision.zeros(rows * n);
        }
        RealArray dy = in.dy();
        double kappa = net.kappa();
        double c = net.readoutFactor();
        RealArray gBias = out.bOut();
        gBias.fill(0);
        if (precision == Precision.FLOAT32) {
            filterErrors32(tr, dy, c, kappa, nOut);
            for (int t = steps - 1; t >= 0 && net.readout().bias(); t--) {
                for (int b = 0; b < batch; b++) {
                    for (int k = 0; k < nOut; k++) {
                        gBias.add(k, dy.get((t * batch + b) * nOut + k));
                    }
                }
            }
        } else {
            for (int t = steps - 1; t >= 0; t--) {
                for (int b = 0; b < batch; b++) {
                    for (int k = 0; k < nOut; k++) {
                        int idx = (t * batch + b) * nOut + k;
                        double next = t + 1 < steps && !tr.readoutReset(t + 1, b) ? filteredDy.get(idx + batch * nOut)
                                : 0.0;
                        filteredDy.set(idx, precision.round(c * dy.get(idx) + kappa * next));
                        gBias.add(k, dy.get(idx));
                    }
                }
            }
        }
        if (!net.readout().bias()) {
            gBias.fill(0);
        }
        // The spikes' nonzeros, from the trajectory (the time-step loop's lists in float32), serve
        // both the readout's product here and the recurrent weights' below.
        if (!readoutGradient || eventDriven && readoutFromLists(tr, n, nOut, out.wOut())) {
            // left to the caller, or summed from the spike lists as they are
        } else if (!(eventDriven && tr.multiplySpikes(rows, filteredDy, 0, nOut, out.wOut()))) {
            dense.gemm(tr.spikeMatrix().all(), true, new Block(filteredDy, 0, rows, nOut), false,
                    Block.of(out.wOut(), n, nOut));
        }
        deferred = false;
        if (precision == Precision.FLOAT32 && nOut <= NARROW) {
            transposeFeedback(feedback, n, nOut);
            deferred = defer;
            if (!defer) {
                narrowSignals(rows, n, nOut, signal);
            }
        } else {
            dense.gemm(new Block(filteredDy, 0, rows, nOut), false, Block.of(feedback, n, nOut), true,
                    new Block(signal, 0, rows, n));
        }
        out.setLosses(in.taskLoss(), in.regLoss());
        return signal;
    }

    /**
     * The readout filter's adjoint in float32, {@code Gbar(t) = c dy(t) + kappa Gbar(t+1)} (cut at
     * readout resets), each sequence on its own: the loop above in double arithmetic rounded to float,
     * the same bits, on arrays and over the workers.
     */
    private void filterErrors32(Trajectory tr, RealArray dy, double c, double kappa, int nOut) {
        final int steps = tr.steps();
        final int batch = tr.batch();
        final float[] f = ((RealArray.F32) filteredDy).data();
        final float[] d = ((RealArray.F32) dy).data();
        final boolean resets = tr.resets() != null;
        if (errorCarry.length < batch * (nOut + BatchParallel.SLICE_GAP)) {
            errorCarry = new float[batch * (nOut + BatchParallel.SLICE_GAP)];
        }
        final float[] carry = errorCarry;
        // Step by step over the slice's sequences (each sequence's recursion is its own): a step's
        // rows of the slice share cache lines, which a sequence-by-sequence pass fetched once per
        // sequence. The recursion carries Gbar(t+1) in a row of the slice's own
        // (BatchParallel.SLICE_GAP values away from the other slices'), not through Gbar's array: a
        // step's rows of two slices share a cache line there, which the other worker takes away
        // between the write and the next step's read (on two threads the loop took as long as on
        // one). One slice per thread, as the loss before it, so that each sequence's dy is read on the
        // core that wrote it.
        BatchParallel.forEachThreadSlice(batch, (long) steps * nOut * 4, (from, to) -> {
            final int gap = BatchParallel.SLICE_GAP * from;
            for (int t = steps - 1; t >= 0; t--) {
                for (int b = from; b < to; b++) {
                    boolean cut = t + 1 >= steps || resets && tr.readoutReset(t + 1, b);
                    int idx = (t * batch + b) * nOut;
                    int cb = b * nOut + gap;
                    for (int k = 0; k < nOut; k++) {
                        double next = cut ? 0.0 : carry[cb + k];
                        float value = (float) Precision.FLOAT32.round(c * d[idx + k] + kappa * next);
                        carry[cb + k] = value;
                        f[idx + k] = value;
                    }
                }
            }
        });
    }

    private float[] errorCarry = new float[0];

    /**
     * {@code dW_out = Z^T Gbar} summed from the time-step loop's spike lists, where there are any and
     * the spikes are sparse enough for the event-driven product ({@link EventProduct#maxDensity} of
     * rows of nOut): that product's sums in its order (each gradient row over ascending rows), without
     * listing the spikes again. False where it does not apply.
     */
    private boolean readoutFromLists(Trajectory tr, int n, int nOut, RealArray gradient) {
        int[] lists = tr.spikeLists();
        if (lists == null || !(gradient instanceof RealArray.F32 g32)
                || tr.spikeTotal() > (long) (EventProduct.maxDensity(nOut) * tr.steps() * tr.batch() * n)) {
            return false;
        }
        int[] counts = tr.spikeCounts();
        int[] starts = tr.spikeListStarts();
        float[] out = g32.data();
        float[] f = ((RealArray.F32) filteredDy).data();
        java.util.Arrays.fill(out, 0, n * nOut, 0f);
        int rows = tr.steps() * tr.batch();
        for (int r = 0; r < rows; r++) {
            for (int s = 0; s < counts[r]; s++) {
                int o = lists[starts[r] + s] * nOut;
                for (int k = 0; k < nOut; k++) {
                    out[o + k] += f[r * nOut + k];
                }
            }
        }
        return true;
    }

    /** Slack past the end of arrays that a padded row's vector loop reads ({@link FastEprop}'s scan). */
    static final int PAD = 16;

    /** Readouts up to this many: the learning signals are summed in Java rather than by a BLAS product. */
    static final int NARROW = 16;

    /**
     * {@code Lbar = Gbar B^T} in float32 for a few readouts (the Fig. 3 task has two): row by row,
     * {@code Lbar_j = sum_k Gbar_k B_jk} over k in ascending order, 16 neurons per vector operation.
     * A BLAS product with an inner dimension of 2 spends its time copying the operands in and the
     * 144,000 x 100 result out; this runs at the speed of writing the result, on every worker.
     */
    private void narrowSignals(int rows, int n, int nOut, RealArray signal) {
        final float[] out = ((RealArray.F32) signal).data();
        BatchParallel.forEachSlice(rows, (long) n * nOut, (from, to) -> {
            for (int r = from; r < to; r++) {
                signalRow(r, n, nOut, out, r * n);
            }
        });
    }

    /** Row r of the narrow product {@code Lbar = Gbar B^T} into {@code out[off .. off + n)} (float32). */
    void signalRow(int r, int n, int nOut, float[] out, int off) {
        final float[] g = ((RealArray.F32) filteredDy).data();
        final float[] bT = transposedFeedback;
        java.util.Arrays.fill(out, off, off + n, 0f);
        for (int k = 0; k < nOut; k++) {
            RowKernels.addScaled(out, off, g[r * nOut + k], bT, k * n, n);
        }
    }

    /** The filtered readout errors {@code Gbar} [steps*batch x nOut] of the last call, float32, for deferred signals. */
    float[] filteredErrors() {
        return ((RealArray.F32) filteredDy).data();
    }

    /** B^T as {@link #signalRow} reads it ({@code [nOut x n]}), valid while signals are deferred. */
    float[] transposedFeedback() {
        return transposedFeedback;
    }

    /** Whether the weight gradients may be event-driven (float32, unless {@code -Deprop.events=never}). */
    boolean eventDriven() {
        return eventDriven;
    }

    /** B^T in float, one row of n per readout, for {@link #signalRow}. */
    private void transposeFeedback(RealArray feedback, int n, int nOut) {
        if (transposedFeedback.length < nOut * n + PAD) {
            transposedFeedback = new float[nOut * n + PAD]; // a padded row's last vector may read past the end
        }
        for (int j = 0; j < n; j++) {
            for (int k = 0; k < nOut; k++) {
                transposedFeedback[k * n + j] = (float) feedback.get(j * nOut + k);
            }
        }
    }

    private float[] transposedFeedback = new float[0];

    /**
     * Input and recurrent weight gradients from {@code a = c_in * dE/dv} (as produced by the
     * backward scans or the adjoint pass): {@code dW_in = X^T a} and
     * {@code dW_rec[i,j] = sum_t z_i(t-1) a_j(t)}, the second a product of the spike rows with
     * the adjoint rows one step later. The recurrent diagonal is zero.
     */
    void weightGradients(SpikingNetwork net, Trajectory tr, RealArray adjoint, Gradients out) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nIn = net.inputs();
        int rows = steps * batch;
        boolean loaded = false;
        // Event-driven where the presynaptic activity is sparse (spikes, Poisson inputs), as measured
        // by EventProduct on each product; the dense product otherwise.
        if (nIn > 0 && !(eventDriven && tr.inputEvents().multiply(tr.input(), 0, rows, nIn, adjoint, 0, n, out.wIn()))) {
            adjointMatrix.load(new Block(adjoint, 0, rows, n));
            loaded = true;
            dense.gemm(tr.inputMatrix().all(), true, adjointMatrix.all(), false, Block.of(out.wIn(), nIn, n));
        }
        if (steps > 1) {
            if (!(eventDriven && tr.multiplySpikes(rows - batch, adjoint, batch, n, out.wRec()))) {
                if (!loaded) {
                    adjointMatrix.load(new Block(adjoint, 0, rows, n));
                }
                dense.gemm(tr.spikeMatrix().rows(0, rows - batch), true, adjointMatrix.rows(batch, rows - batch), false,
                        Block.of(out.wRec(), n, n));
            }
        } else {
            out.wRec().fill(0);
        }
        if (tr.startsFromState() || tr.resets() != null) {
            recurrentBoundaries(tr, adjoint, out.wRec());
        }
        for (int j = 0; j < n; j++) {
            out.wRec().set(j * n + j, 0.0);
        }
    }

    /**
     * The pairs (z(t-1), a(t)) that the spike product above gets wrong across a boundary: at step 0
     * the presynaptic spikes are those of the carried state, z(-1), which the product does not see;
     * at a reset of row b before step t the row's z(t-1) is zeroed with its state, but the product
     * pairs the recorded spikes of step t-1 with a(t).
     */
    private static void recurrentBoundaries(Trajectory tr, RealArray adjoint, RealArray gRec) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = tr.neurons();
        RealArray z = tr.spikes();
        RealArray z0 = tr.initialSpikes();
        for (int b = 0; b < batch; b++) {
            if (z0 != null) {
                for (int i = 0; i < n; i++) {
                    if (z0.get(b * n + i) != 0.0) {
                        for (int j = 0; j < n; j++) {
                            gRec.add(i * n + j, z0.get(b * n + i) * adjoint.get(b * n + j));
                        }
                    }
                }
            }
            for (int t = 1; t < steps; t++) {
                if (!tr.neuronReset(t, b)) {
                    continue;
                }
                int pre = ((t - 1) * batch + b) * n;
                int post = (t * batch + b) * n;
                for (int i = 0; i < n; i++) {
                    if (z.get(pre + i) != 0.0) {
                        for (int j = 0; j < n; j++) {
                            gRec.add(i * n + j, -z.get(pre + i) * adjoint.get(post + j));
                        }
                    }
                }
            }
        }
    }

    /**
     * The readout's part of the boundary with the carried state, for the e-prop methods (which are
     * causal and so see the past of the unroll through the filters): the readout filter carries
     * zbar(-1) into every step until its first reset, so with the filter adjoint
     * {@code F(t) = dy(t) + kappa F(t+1)} (cut at readout resets)
     * <pre>
     *   dE/dW_out[j,k] += sum_b zbar_bj(-1) kappa F_bk(0)
     *   Lb0_bj          = kappa sum_k B_jk F_bk(0)        the learning signal that meets ebar(-1)
     * </pre>
     * Adds the first to {@code out} and returns the second, {@code [batch x n]}.
     */
    double[] readoutBoundary(SpikingNetwork net, Trajectory tr, BackwardInput in, RealArray feedback,
            Gradients out) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nOut = net.outputs();
        double kappa = net.kappa();
        RealArray dy = in.dy();
        if (boundaryFilter.length != batch * nOut) {
            boundaryFilter = new double[batch * nOut];
        }
        double[] f = boundaryFilter;
        java.util.Arrays.fill(f, 0.0);
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) {
                boolean cut = t + 1 < steps && tr.readoutReset(t + 1, b);
                for (int k = 0; k < nOut; k++) {
                    int s = b * nOut + k;
                    f[s] = precision.round(dy.get((t * batch + b) * nOut + k) + (cut ? 0.0 : kappa * f[s]));
                }
            }
        }
        if (boundarySignal.length != batch * n) {
            boundarySignal = new double[batch * n];
        }
        double[] lb0 = boundarySignal;
        RealArray zbar0 = tr.initialFilteredSpikes();
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                double zb = zbar0 == null ? 0.0 : zbar0.get(b * n + j);
                double signal = 0;
                for (int k = 0; k < nOut; k++) {
                    double fk = kappa * f[b * nOut + k];
                    out.wOut().add(j * nOut + k, zb * fk);
                    signal += feedback.get(j * nOut + k) * fk;
                }
                lb0[b * n + j] = signal;
            }
        }
        return lb0;
    }
}
