package org.eprop.learning.conv;

import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The outputs of the spiking CNN over {@code agentSteps} agent steps of a batch, i.e.
 * {@code steps = agentSteps * stepsPerAgentStep} network steps, together with the recordings the
 * gradients need and the forward's work buffers. Made once ({@link SpikingCnn#newUnroll}) and
 * reused for every unroll of the same size, so that the forward allocates nothing.
 *
 * <p>Outputs, time-major, in the network's precision: {@link #conv2Spikes()} {@code [T][B][h2][w2][c2]}
 * (the LSNN input), {@link #pooled1()} {@code [T][B][4][4][16]} and {@link #pooled2()}
 * {@code [T][B][7][7][8]} at the reference sizes (the shortcut features of the heads).
 *
 * <p>With {@code record} the voltages of every unit at every step are kept ({@code [T][B][units]}
 * per layer: spikes, pseudo-derivatives and regulariser terms are functions of them), with the
 * state's traces at the start of the unroll and a reference to the frames. At the reference sizes
 * that is {@code 8712 * T * B} values: about 560 MB in float32 for a 505-step unroll of 32 rows.
 */
public final class CnnUnroll {
    final int agentSteps;
    final int batch;
    final int steps;
    final boolean record;
    final RealArray spikes2;
    final RealArray pooled1;
    final RealArray pooled2;
    final RealArray v1Record;
    final RealArray v2Record;
    RealArray frames;
    final double[] trace0Start;
    final double[] trace1Start;
    final double[] traceBiasStart;
    // Work buffers, one slice per batch row, so that rows run in parallel without sharing.
    final double[] frameRow;
    final double[] current1;
    final double[] current2;
    final int[] active1;
    final int[] active2;
    final double[] poolRow1;
    final double[] poolRow2;

    CnnUnroll(SpikingCnnConfig config, Precision precision, int agentSteps, int batch, boolean record) {
        if (agentSteps <= 0 || batch <= 0) {
            throw new IllegalArgumentException("agentSteps and batch must be positive: " + agentSteps + ", " + batch);
        }
        int in = config.conv1().inputSize();
        int u1 = config.conv1().outputSize();
        int u2 = config.conv2().outputSize();
        int p1 = config.pool1().outputSize();
        int p2 = config.pool2().outputSize();
        this.agentSteps = agentSteps;
        this.batch = batch;
        this.steps = agentSteps * config.stepsPerAgentStep();
        this.record = record;
        long rows = (long) steps * batch;
        this.spikes2 = precision.zeros(Math.toIntExact(rows * u2));
        this.pooled1 = precision.zeros(Math.toIntExact(rows * p1));
        this.pooled2 = precision.zeros(Math.toIntExact(rows * p2));
        this.v1Record = record ? precision.zeros(Math.toIntExact(rows * u1)) : null;
        this.v2Record = record ? precision.zeros(Math.toIntExact(rows * u2)) : null;
        this.trace0Start = record ? new double[batch * in] : null;
        this.trace1Start = record ? new double[batch * u1] : null;
        this.traceBiasStart = record ? new double[batch] : null;
        this.frameRow = new double[batch * in];
        this.current1 = new double[batch * u1];
        this.current2 = new double[batch * u2];
        this.active1 = new int[batch * u1];
        this.active2 = new int[batch * u2];
        this.poolRow1 = new double[batch * p1];
        this.poolRow2 = new double[batch * p2];
    }

    public int agentSteps() {
        return agentSteps;
    }

    public int batch() {
        return batch;
    }

    /** Network steps {@code agentSteps * stepsPerAgentStep}. */
    public int steps() {
        return steps;
    }

    public boolean recording() {
        return record;
    }

    /** conv2 spikes {@code [T][B][units2]}, 0 or 1: the LSNN's input. */
    public RealArray conv2Spikes() {
        return spikes2;
    }

    /** Pooled conv1 spikes {@code [T][B][pool1 features]}. */
    public RealArray pooled1() {
        return pooled1;
    }

    /** Pooled conv2 spikes {@code [T][B][pool2 features]}. */
    public RealArray pooled2() {
        return pooled2;
    }

    /** conv1 voltages {@code [T][B][units1]} (recording unrolls only). */
    public RealArray conv1Voltages() {
        return v1Record;
    }

    /** conv2 voltages {@code [T][B][units2]} (recording unrolls only). */
    public RealArray conv2Voltages() {
        return v2Record;
    }
}
