package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.EventProduct;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.RowKernels;

/**
 * The input, recurrent and readout weight gradients of {@link FastEprop} in float32, summed
 * inside its backward scan: as each row {@code a(t, b) = c_in hbar(t, b)} leaves the scan, it is
 * added to the gradient rows of the inputs active at (t, b) and of the neurons that spiked at
 * (t-1, b), and the row's filtered readout errors to the readout rows of the neurons that spiked at
 * (t, b):
 * <pre>
 *   dW_in[i, :]  += x_i(t, b) a(t, b)        for the nonzero inputs of row (t, b)
 *   dW_rec[i, :] += a(t, b)                   for the neurons i with z_i(t-1, b) = 1
 *   dW_out[j, :] += Gbar(t, b)                for the neurons j with z_j(t, b) = 1
 * </pre>
 * which is {@code X^T A}, {@code Z[t-1]^T A[t]} and {@code Z^T Gbar} ({@link SequenceBackward})
 * summed in another order; each row's spike list is read at two consecutive steps of the scan,
 * still in cache the second time. The adjoint rows are then never written out as a (time x batch) matrix and read
 * back by the products: at the Fig. 3 sizes that matrix is 58 MB, and this machine's memory moves
 * about 8 GB/s.
 *
 * <p>Each group of {@link #group()} consecutive sequences sums into a partial gradient of its own
 * (the scan runs whole groups on one worker), rows in the scan's order (t descending, sequences
 * ascending); the partials are then added in ascending group order. The group size depends on the
 * sizes alone (partials of at most {@link #MAX_PARTIAL} floats in all, and few enough to stay in
 * cache where they are small, {@link #CACHED_PARTIALS}), so the result does not depend on the number
 * of threads.
 *
 * <p>Taken where the inputs are sparse enough for the event-driven products
 * ({@link EventProduct#maxDensity}), at most {@link #MAX_DENSITY} of the neurons' steps spike, the
 * spike lists of the float32 time-step loop are at hand, and the trajectory has no carried state and
 * no resets (whose boundary terms read the adjoint matrix); otherwise {@link #prepare} declines and
 * the products run.
 */
final class ScanGradients {
    /** The most floats that the partial gradients may take together (64 MB). */
    static final long MAX_PARTIAL = 1L << 24;
    /**
     * The largest fraction of spiking (neuron, step) pairs at which the gradients are summed in the
     * scan. Its cost grows with the spikes (a row of n adjoint values added per spike), the
     * alternative's with the steps (the adjoint and learning-signal matrices written out and read
     * back by the products, event-driven below {@link EventProduct#maxDensity}, else BLAS), so the
     * scan keeps paying well above the standalone products' limit. Measured on the 2-core AMD EPYC VM
     * (AVX2, 2 threads; e-prop's backward part of a Fig. 3 iteration, batch 64, T = 2,250, scan
     * against products, seconds): 100 neurons at 6 % spiking 0.086 against 0.226, at 19 % 0.128
     * against 0.182, at 40 % 0.17-0.19 against 0.20-0.22; 200 at 6 % 0.143 against 0.239, at 40 %
     * 0.431 against 0.441; 400 at 5.6 % 0.346 against 0.449, at 7.5 % 0.425 against 0.428, at 20 %
     * 0.598 against 0.935, at 41 % 1.27 against 1.04; 800 at 5.9 % 1.15 against 1.28, at 19 % 1.94
     * against 2.63. (The limit was the products' 5 % for 100 neurons before: a Fig. 3 network that
     * fired above it while training took 2-6 times as long for its backward part.)
     */
    static final double MAX_DENSITY = 0.25;
    /**
     * Small partials are kept few enough to stay in the workers' caches together: at most this many
     * floats in all (512 KB), in at least {@link #MIN_GROUPS} groups. Every spike adds a row to its
     * group's partial, so a worker's partials are read and written at every step of the scan; one
     * partial per sequence (64 of 57 KB at the Fig. 3 sizes, 1.8 MB per worker of two) went to the
     * shared cache for each row, where 8 partials of 8 sequences stay in a core's own: the scan
     * took 15-16 ms instead of 18-19 ms on the 2-core EPYC (Zen 5) VM, two threads.
     */
    static final long CACHED_PARTIALS = 1L << 17;
    /** Fewer groups than this would leave workers idle: the products run instead. */
    static final int MIN_GROUPS = 4;

    private float[] partial = new float[0];
    private int group;
    private int groups;
    private int per;
    private int nIn;
    private int n;
    private int nOut;
    private int batch;
    private float[] errors;
    private int[] inStart;
    private int[] inColumn;
    private float[] inValue;
    private int[] lists;
    private int[] starts;
    private int[] counts;

    /**
     * Whether the gradients of {@code tr} can be summed in the scan; if so, zeroes the partials and
     * takes the trajectory's event lists (listing the input if the forward pass did not).
     */
    boolean prepare(SpikingNetwork net, Trajectory tr) {
        n = net.neurons();
        nIn = net.inputs();
        nOut = net.outputs();
        batch = tr.batch();
        int rows = tr.steps() * batch;
        if (tr.startsFromState() || tr.resets() != null || tr.spikeLists() == null) {
            return false;
        }
        lists = tr.spikeLists();
        starts = tr.spikeListStarts();
        counts = tr.spikeCounts();
        if (tr.spikeTotal() > MAX_DENSITY * rows * n) {
            return false;
        }
        long perGroup = (long) (nIn + n + nOut) * n;
        int most = (int) Math.min(batch, MAX_PARTIAL / perGroup);
        if (most < MIN_GROUPS) {
            return false;
        }
        if (perGroup * MIN_GROUPS <= CACHED_PARTIALS) {
            most = (int) Math.min(most, CACHED_PARTIALS / perGroup);
        }
        if (nIn > 0) {
            EventProduct in = tr.inputEvents();
            if (!in.holds(tr.input(), 0, rows, nIn) && !in.list(tr.input(), 0, rows, nIn, n)) {
                return false;
            }
            inStart = in.rowStarts();
            inColumn = in.columns();
            inValue = in.values32();
        }
        group = (batch + most - 1) / most;
        groups = (batch + group - 1) / group;
        per = (int) perGroup;
        if (partial.length < groups * per) {
            partial = new float[groups * per];
        } else {
            java.util.Arrays.fill(partial, 0, groups * per, 0f);
        }
        return true;
    }

    /** The filtered readout errors {@code Gbar} [steps*batch x nOut] that the readout's gradient is summed from. */
    void errors(float[] gbar) {
        this.errors = gbar;
    }

    /** Sequences per partial sum. */
    int group() {
        return group;
    }

    /** Number of partial sums, {@code ceil(batch / group())}. */
    int groups() {
        return groups;
    }

    /**
     * Adds the adjoint row {@code a[aOff .. aOff + n)} of step t, sequence b (trajectory row
     * {@code r = t*batch + b}) to its group's partial gradients.
     */
    void add(int t, int b, float[] a, int aOff) {
        final int r = t * batch + b;
        final int p = (b / group) * per;
        if (nIn > 0 && inStart[r + 1] > inStart[r]) {
            RowKernels.scatterScaled(partial, p, n, inColumn, inValue, inStart[r], inStart[r + 1], a, aOff, n);
        }
        if (t > 0 && counts[r - batch] > 0) {
            final int previous = r - batch;
            RowKernels.scatterRow(partial, p + nIn * n, n, lists, starts[previous], starts[previous] + counts[previous],
                    a, aOff, n);
        }
        // dW_out[j, :] += Gbar(t, b) for the neurons j that spiked at (t, b): Z^T Gbar
        final int readout = p + (nIn + n) * n;
        for (int s = 0; s < counts[r]; s++) {
            final int o = readout + lists[starts[r] + s] * nOut;
            for (int k = 0; k < nOut; k++) {
                partial[o + k] += errors[r * nOut + k];
            }
        }
    }

    /** The partials' sum, in ascending group order, into the input, recurrent (diagonal zero) and readout gradients. */
    void reduce(Gradients out) {
        float[] wIn = ((RealArray.F32) out.wIn()).data();
        float[] wRec = ((RealArray.F32) out.wRec()).data();
        float[] wOut = ((RealArray.F32) out.wOut()).data();
        System.arraycopy(partial, 0, wIn, 0, nIn * n);
        System.arraycopy(partial, nIn * n, wRec, 0, n * n);
        System.arraycopy(partial, (nIn + n) * n, wOut, 0, n * nOut);
        for (int q = 1; q < groups; q++) {
            RowKernels.add(wIn, 0, partial, q * per, nIn * n);
            RowKernels.add(wRec, 0, partial, q * per + nIn * n, n * n);
            RowKernels.add(wOut, 0, partial, q * per + (nIn + n) * n, n * nOut);
        }
        for (int j = 0; j < n; j++) {
            wRec[j * n + j] = 0f;
        }
    }
}
