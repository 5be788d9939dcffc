package org.eprop.learning.conv;

import java.util.Arrays;

/**
 * What the spiking CNN carries from one agent step (and one unroll) to the next, per batch row:
 * the voltages of both layers (the neurons' whole state, docs/model.md §1.2(f)) and, for
 * {@link CnnTraining#EPROP}, the presynaptic traces {@code xbar} of both layers' inputs and of the
 * bias input, filtered with the layer decay, so that e-prop's eligibility traces run on across
 * unroll boundaries as an online rule's would.
 *
 * <p>As in the original code the voltages are NOT reset when an episode ends; {@link #resetRow}
 * zeroes one row for callers that want it. Values are stored in double but always hold numbers
 * representable in the network's precision (they are rounded where computed).
 *
 * <p>Layouts (channels-last, row after row): {@code conv1Voltage [B][h1][w1][c1]},
 * {@code conv2Voltage [B][h2][w2][c2]}, {@code inputTrace [B][h][w][c]} (the filtered frame),
 * {@code conv1SpikeTrace [B][h1][w1][c1]}, {@code biasTrace [B]}.
 */
public final class SpikingCnnState {
    private final int batch;
    final double[] v1;
    final double[] v2;
    final double[] trace0;
    final double[] trace1;
    final double[] traceBias;

    SpikingCnnState(int batch, int inputSize, int units1, int units2) {
        this.batch = batch;
        this.v1 = new double[batch * units1];
        this.v2 = new double[batch * units2];
        this.trace0 = new double[batch * inputSize];
        this.trace1 = new double[batch * units1];
        this.traceBias = new double[batch];
    }

    public int batch() {
        return batch;
    }

    public double[] conv1Voltage() {
        return v1;
    }

    public double[] conv2Voltage() {
        return v2;
    }

    public double[] inputTrace() {
        return trace0;
    }

    public double[] conv1SpikeTrace() {
        return trace1;
    }

    public double[] biasTrace() {
        return traceBias;
    }

    /** Zeroes the voltages and traces of batch row {@code b}. */
    public void resetRow(int b) {
        zeroRow(v1, b);
        zeroRow(v2, b);
        zeroRow(trace0, b);
        zeroRow(trace1, b);
        traceBias[b] = 0;
    }

    private void zeroRow(double[] a, int b) {
        int n = a.length / batch;
        Arrays.fill(a, b * n, (b + 1) * n, 0.0);
    }

    /**
     * Zeroes the presynaptic traces of every row and keeps the voltages: the state becomes a
     * constant for e-prop's eligibility traces (a gradient truncated here) and runs on unchanged.
     */
    public void clearTraces() {
        Arrays.fill(trace0, 0.0);
        Arrays.fill(trace1, 0.0);
        Arrays.fill(traceBias, 0.0);
    }

    /** Zeroes every row. */
    public void reset() {
        for (int b = 0; b < batch; b++) {
            resetRow(b);
        }
    }

    /** A deep copy (e.g. the state an unroll starts from, kept to re-simulate it). */
    public SpikingCnnState copy() {
        SpikingCnnState c = new SpikingCnnState(batch, trace0.length / batch, v1.length / batch, v2.length / batch);
        c.copyFrom(this);
        return c;
    }

    /** Copies {@code other} (same sizes) into this state. */
    public void copyFrom(SpikingCnnState other) {
        if (other.v1.length != v1.length || other.v2.length != v2.length || other.trace0.length != trace0.length) {
            throw new IllegalArgumentException("states of different sizes");
        }
        System.arraycopy(other.v1, 0, v1, 0, v1.length);
        System.arraycopy(other.v2, 0, v2, 0, v2.length);
        System.arraycopy(other.trace0, 0, trace0, 0, trace0.length);
        System.arraycopy(other.trace1, 0, trace1, 0, trace1.length);
        System.arraycopy(other.traceBias, 0, traceBias, 0, traceBias.length);
    }
}
