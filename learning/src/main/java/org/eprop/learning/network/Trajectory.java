package org.eprop.learning.network;

import org.eprop.learning.tensor.Dense.Block;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.EventProduct;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * What one forward pass over a batch of sequences leaves for the backward passes and for plots.
 * Every array is time-major: element {@code (t, b, j)} is at {@code (t * batch + b) * width + j},
 * so rows of the stacked {@code [steps*batch x width]} matrices are (time, batch) pairs.
 *
 * <p>The arrays are workspaces of a {@link ForwardPass} and are overwritten by its next run.
 */
public final class Trajectory {
    int steps;
    int batch;
    int nIn;
    int n;
    int nOut;
    RealArray input;
    RealArray spikes;
    RealArray psi;
    RealArray outputs;
    RealArray voltage;
    RealArray adaptation;
    boolean recordsState;
    Dense.Resident inputMatrix;
    Dense.Resident spikeMatrix;
    /** Whether the resident matrices hold this trajectory's values (loaded on first request). */
    boolean inputMatrixLoaded;
    boolean spikeMatrixLoaded;
    /**
     * float32's spike lists, made by the time-step loop: row r's spiking neurons, ascending, at
     * {@code spikeLists[spikeListStarts[r] ..]}, {@code spikeCounts[r]} of them; valid when
     * {@code spikeListsMade}. Each sequence b has a region of its own, from
     * {@code b * (capacity * n + 8)} (capacity: the steps the pass was sized for; 8: room for the
     * vector loop's whole-byte stores), in which its rows follow one another in time order: the
     * loop appends to one place per sequence, a few cache lines per hundred spikes, where a fixed
     * slot of n per row (a new cache line at every row, 58 MB spread over the Fig. 3 run)
     * cost a memory round trip per row with spikes.
     */
    int[] spikeLists = new int[0];
    int[] spikeListStarts = new int[0];
    int[] spikeCounts = new int[0];
    /** Spikes per sequence and neuron over the run, {@code neuronSpikes[b*n + j]}, with the lists. */
    int[] neuronSpikes = new int[0];
    boolean spikeListsMade;
    /**
     * Rows of {@link #spikes} that hold this trajectory's spikes: all of them after a float64 loop,
     * which writes the matrix; in float32 those written from the lists so far ({@link #writeSpikeRows}).
     * Set by the forward pass (zero at the start of a run or unroll).
     */
    volatile int spikeRowsWritten;
    /** The nonzeros of the input and the spikes, for the event-driven products (see {@link #spikeEvents()}). */
    final EventProduct inputEvents = new EventProduct();
    final EventProduct spikeEvents = new EventProduct();
    boolean spikeEventsListed;
    /** {@link #spikeTotal()}, once counted; -1 before. */
    private long spikeTotal = -1;
    boolean fromState;
    RealArray initialSpikes;
    RealArray initialFilteredSpikes;
    boolean[] resets;
    NetworkState.Scope resetScope = NetworkState.Scope.ALL;

    Trajectory() {
    }

    public int steps() {
        return steps;
    }

    public int batch() {
        return batch;
    }

    public int inputs() {
        return nIn;
    }

    public int neurons() {
        return n;
    }

    /** Number of readout neurons. */
    public int readouts() {
        return nOut;
    }

    /** Input x [steps*batch x nIn] (the caller's array). */
    public RealArray input() {
        return input;
    }

    /**
     * Spikes z [steps*batch x n], 0 or 1. In float32 the time-step loop keeps the spikes as lists
     * only ({@link #spikeLists()}); the matrix is written from them on the first request after a run
     * (the rows not yet written, for an unroll that goes on), so that a gradient that reads the lists
     * never pays for it.
     */
    public RealArray spikes() {
        if (spikeRowsWritten < steps * batch) {
            writeSpikeRows(steps * batch);
        }
        return spikes;
    }

    /**
     * Makes rows {@code [0, rows)} of the spike matrix hold this trajectory's spikes, writing the rows
     * from the float32 lists that are not yet written. Synchronized: consumers may ask from several
     * workers at once.
     */
    synchronized void writeSpikeRows(int rows) {
        if (spikeRowsWritten >= rows || !(spikes instanceof RealArray.F32)) { // float64's loop wrote them all
            return;
        }
        float[] z = ((RealArray.F32) spikes).data();
        int from = spikeRowsWritten;
        java.util.Arrays.fill(z, from * n, rows * n, 0f);
        for (int r = from; r < rows; r++) {
            for (int s = 0; s < spikeCounts[r]; s++) {
                z[r * n + spikeLists[spikeListStarts[r] + s]] = 1f;
            }
        }
        spikeRowsWritten = rows;
    }

    /** Pseudo-derivatives psi [steps*batch x n] (0 while refractory). */
    public RealArray psi() {
        return psi;
    }

    /** Readout outputs y [steps*batch x nOut]. */
    public RealArray outputs() {
        return outputs;
    }

    /** Membrane potentials v [steps*batch x n], or null unless state recording was asked for. */
    public RealArray voltage() {
        return voltage;
    }

    /** Adaptation variables b [steps*batch x n] (threshold A = v_th + beta b), or null unless recorded. */
    public RealArray adaptation() {
        return adaptation;
    }

    /** Whether {@link #voltage()} and {@link #adaptation()} were recorded. */
    public boolean recordsState() {
        return recordsState;
    }

    /**
     * The inputs as a resident ND4J matrix {@code [steps*batch x nIn]}, for the weight-gradient
     * products; copied into the product engine on the first request after a run (an event-driven
     * gradient never asks).
     */
    public Dense.Resident inputMatrix() {
        if (!inputMatrixLoaded) {
            inputMatrix.load(new Block(input, 0, steps * batch, nIn));
            inputMatrixLoaded = true;
        }
        return inputMatrix;
    }

    /** The spikes as a resident ND4J matrix {@code [steps*batch x n]}, for the readout and gradient products (loaded on request). */
    public Dense.Resident spikeMatrix() {
        if (!spikeMatrixLoaded) {
            spikeMatrix.load(new Block(spikes(), 0, steps * batch, n));
            spikeMatrixLoaded = true;
        }
        return spikeMatrix;
    }

    /**
     * The input's nonzeros for the event-driven weight gradient ({@link EventProduct#multiply} with
     * {@link #input()}): listed by the forward pass where it summed the input currents from them,
     * else listed by the first product that asks.
     */
    public EventProduct inputEvents() {
        return inputEvents;
    }

    /**
     * The spikes' nonzeros for the event-driven products ({@link EventProduct#multiply} with
     * {@link #spikes()}): in float32, taken from the lists that the time-step loop made as it went
     * (no scan of the spike matrix); otherwise listed by the first product that asks.
     */
    public EventProduct spikeEvents() {
        if (spikeListsMade && !spikeEventsListed) {
            spikeEvents.listFrom(spikes, 0, steps * batch, n, spikeLists, spikeListStarts, spikeCounts);
            spikeEventsListed = true;
        }
        return spikeEvents;
    }

    /**
     * {@code out = Z[0, rows)^T h[hFirst ..]}, the spikes' product with {@code h} (width {@code width})
     * through their events ({@link #spikeEvents()}, {@link EventProduct#multiply}); false, with
     * nothing written, where the spikes are too dense for it (the caller then multiplies
     * {@link #spikeMatrix()}). In float32 the events come from the lists, and the spike matrix is
     * not written for it.
     */
    public boolean multiplySpikes(int rows, RealArray h, int hFirst, int width, RealArray out) {
        EventProduct events = spikeEvents();
        // The listed events stand for the matrix whether or not its rows are written yet.
        RealArray z = spikeListsMade && events.holds(spikes, 0, rows, n) ? spikes : spikes();
        return events.multiply(z, 0, rows, n, h, hFirst, width, out);
    }

    /**
     * Sets {@code counts[j]} to neuron j's spikes at the steps {@code t < lengths[b]} of each row b
     * (a padded batch's valid steps), counted from the float32 lists; false, with nothing written,
     * where there are none (float64).
     */
    public boolean countSpikes(int[] lengths, double[] counts) {
        if (!spikeListsMade) {
            return false;
        }
        java.util.Arrays.fill(counts, 0, n, 0.0);
        for (int b = 0; b < batch; b++) {
            for (int t = 0; t < lengths[b]; t++) {
                int r = t * batch + b;
                for (int s = 0; s < spikeCounts[r]; s++) {
                    counts[spikeLists[spikeListStarts[r] + s]] += 1.0;
                }
            }
        }
        return true;
    }

    /**
     * The float32 time-step loop's spike lists: row r's spiking neurons, ascending, at
     * {@code spikeLists()[spikeListStarts()[r] ..]}, {@link #spikeCounts()}{@code [r]} of them; null
     * where the trajectory has none (float64). Read-only: the pass's workspaces.
     */
    public int[] spikeLists() {
        return spikeListsMade ? spikeLists : null;
    }

    /** Where each row's list begins in {@link #spikeLists()}; null where there are none. */
    public int[] spikeListStarts() {
        return spikeListsMade ? spikeListStarts : null;
    }

    /** All the spikes of the trajectory, counted from the lists (float32) or the spike matrix. */
    public long spikeTotal() {
        if (spikeTotal < 0) {
            long total = 0;
            if (spikeListsMade) {
                for (int r = 0; r < steps * batch; r++) {
                    total += spikeCounts[r];
                }
            } else {
                total = (long) spikes().sum();
            }
            spikeTotal = total;
        }
        return spikeTotal;
    }

    /** How many neurons spiked in each row, for {@link #spikeLists()}; null where there are none. */
    public int[] spikeCounts() {
        return spikeListsMade ? spikeCounts : null;
    }

    /**
     * Sets {@code counts[j]} to neuron j's spikes over all rows, as the time-step loop counted them
     * with its spike lists; false, with nothing written, where there are none (float64): count
     * {@link #spikes()} instead.
     */
    public boolean countSpikes(double[] counts) {
        if (!spikeListsMade) {
            return false;
        }
        java.util.Arrays.fill(counts, 0, n, 0.0);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                counts[j] += neuronSpikes[b * n + j];
            }
        }
        return true;
    }

    /** Forgets what was derived from the arrays: a new run or unroll chunk has changed them. */
    void invalidate() {
        inputMatrixLoaded = false;
        spikeMatrixLoaded = false;
        spikeListsMade = false;
        spikeEventsListed = false;
        spikeTotal = -1;
        inputEvents.forget();
        spikeEvents.forget();
    }

    /** Index of element (t, b, j) in an array of row width {@code width}. */
    public int index(int t, int b, int j, int width) {
        return (t * batch + b) * width + j;
    }

    /**
     * Whether the run started from a carried {@link NetworkState} (else from zeros, and
     * {@link #initialSpikes()} and {@link #initialFilteredSpikes()} are null).
     */
    public boolean startsFromState() {
        return fromState;
    }

    /** z(-1) [batch x n], the last spikes of the carried state (after resets at step 0), or null. */
    public RealArray initialSpikes() {
        return fromState ? initialSpikes : null;
    }

    /** zbar(-1) [batch x n] of the carried state (after resets at step 0), or null. */
    public RealArray initialFilteredSpikes() {
        return fromState ? initialFilteredSpikes : null;
    }

    /** The reset mask of the run ({@code resets[t*batch+b]}: row b zeroed before step t), or null. */
    public boolean[] resets() {
        return resets;
    }

    /** What the resets of the run zeroed. */
    public NetworkState.Scope resetScope() {
        return resetScope;
    }

    /** Whether the neurons of row b were zeroed before step t. */
    public boolean neuronReset(int t, int b) {
        return resets != null && resets[t * batch + b];
    }

    /** Whether the readout filter of row b was zeroed before step t. */
    public boolean readoutReset(int t, int b) {
        return resets != null && resetScope == NetworkState.Scope.ALL && resets[t * batch + b];
    }

    /**
     * Makes the padding of a batch of sequences of unequal lengths invisible to every gradient
     * method: row b is valid for {@code t < lengths[b]} and padding after. Zeroes the
     * pseudo-derivative psi on the padded steps. Every gradient method (e-prop by scans or traces,
     * the cut and the full reverse mode) reaches the weights only through psi(t) dz(t): with psi = 0
     * a padded step passes no signal on, whatever the learning signal or regulariser says there, and
     * since the padding comes after the valid steps, the valid outputs do not depend on it. The
     * gradient is then exactly that of the loss over the valid steps, provided the loss's dE/dy is 0
     * on the padding (weight 0) and no direct state signal (a voltage regulariser, which adds to dE/dv
     * without psi) is set there. The spikes and outputs of the padding stay as simulated (for plots).
     */
    public void maskPadding(int[] lengths) {
        if (lengths.length != batch) {
            throw new IllegalArgumentException(lengths.length + " lengths for a batch of " + batch);
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 0 || lengths[b] > steps) {
                throw new IllegalArgumentException("length " + lengths[b] + " of row " + b + " outside [0, " + steps + "]");
            }
            for (int t = lengths[b]; t < steps; t++) {
                int base = (t * batch + b) * n;
                for (int j = 0; j < n; j++) {
                    psi.set(base + j, 0.0);
                }
            }
        }
    }

    Precision precision() {
        return spikes.precision();
    }
}
