package org.eprop.learning.conv;

import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The outputs of the spiking CNN over {@code agentSteps} agent steps of a batch, i.e.
 * {@code steps = agentSteps * stepsPerAgentStep} network steps, together with the recordings the
 * gradients need. Made once ({@link SpikingCnn#newUnroll}) and reused for every unroll of the same
 * size, so that the forward allocates nothing.
 *
 * <p>Outputs, time-major, in the network's precision: {@link #conv2Spikes()} {@code [T][B][h2][w2][c2]}
 * (the LSNN input), {@link #pooled1()} {@code [T][B][4][4][16]} and {@link #pooled2()}
 * {@code [T][B][7][7][8]} at the reference sizes (the shortcut features of the heads). Agent step
 * {@code k} occupies network steps {@link #firstStep}{@code (k)} to {@code firstStep(k) +
 * stepsPerAgentStep - 1}, i.e. rows {@code [firstStep(k) * B, (firstStep(k) + stepsPerAgentStep) * B)}.
 *
 * <p>With {@code record} the voltages of every unit at every step are kept ({@code [T][B][units]}
 * per layer: spikes, pseudo-derivatives and regulariser terms are functions of them), with the
 * state's traces at the start of the unroll and the frames. At the reference sizes that is
 * {@code 8712 * T * B} values: about 560 MB in float32 for a 505-step unroll of 32 rows.
 *
 * <p><b>Filling.</b> Either in one call ({@link SpikingCnn#forward}, which keeps a reference to the
 * caller's frames), or one agent step at a time while acting ({@link SpikingCnn#forwardStep}, which
 * copies each frame into the unroll's own frame store), so that the actors' forward is the
 * learner's recording and the gradients need no second forward. {@link SpikingCnn#gradients} needs
 * every agent step of a recording unroll filled.
 */
public final class CnnUnroll {
    final int agentSteps;
    final int batch;
    final int steps;
    final int stepsPerAgentStep;
    final boolean record;
    final RealArray spikes2;
    final RealArray pooled1;
    final RealArray pooled2;
    final RealArray v1Record;
    final RealArray v2Record;
    /**
     * conv1's spikes as conv2 reads them, {@code [T][B][bit row]} (recording unrolls only): the bytes
     * the forward packed for its conv2 product, kept so that the gradients' conv2 correlation need
     * not rebuild them from the recorded voltages (the same bits: a unit spiked where its recorded
     * voltage is above the threshold). 1/8 byte per unit and step.
     */
    final byte[] bits1Record;
    final int bitRow;
    /** The frames the recording was made from: the caller's ({@code forward}) or {@link #ownFrames}. */
    RealArray frames;
    /** The frame store of a unroll filled step by step (made on the first such step). */
    RealArray ownFrames;
    /** Agent steps run since the unroll was (re)started at agent step 0. */
    int filled;
    final double[] trace0Start;
    final double[] trace1Start;
    final double[] traceBiasStart;
    /**
     * Per row and unit, {@code sum_t relu(v - v_th)} and {@code sum_t relu(-v - v_th)} of both layers,
     * accumulated by the recording forward in time order: the regulariser's time means, so that the
     * gradients need not read the whole recording an extra time.
     */
    final double[] pos1Sum;
    final double[] neg1Sum;
    final double[] pos2Sum;
    final double[] neg2Sum;

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
        this.stepsPerAgentStep = config.stepsPerAgentStep();
        this.steps = agentSteps * stepsPerAgentStep;
        this.record = record;
        long rows = (long) steps * batch;
        this.spikes2 = precision.zeros(Math.toIntExact(rows * u2));
        this.pooled1 = precision.zeros(Math.toIntExact(rows * p1));
        this.pooled2 = precision.zeros(Math.toIntExact(rows * p2));
        this.v1Record = record ? precision.zeros(Math.toIntExact(rows * u1)) : null;
        this.v2Record = record ? precision.zeros(Math.toIntExact(rows * u2)) : null;
        this.bitRow = config.conv2().inHeight() * config.conv2().inWidth()
                * ((config.conv2().inChannels() + SpikingConvLayer.BITS - 1) / SpikingConvLayer.BITS);
        this.bits1Record = record ? new byte[Math.toIntExact(rows * bitRow)] : null;
        this.trace0Start = record ? new double[batch * in] : null;
        this.trace1Start = record ? new double[batch * u1] : null;
        this.traceBiasStart = record ? new double[batch] : null;
        this.pos1Sum = record ? new double[batch * u1] : null;
        this.neg1Sum = record ? new double[batch * u1] : null;
        this.pos2Sum = record ? new double[batch * u2] : null;
        this.neg2Sum = record ? new double[batch * u2] : null;
    }

    /** The first network step of agent step {@code k}: {@code k * stepsPerAgentStep}. */
    public int firstStep(int k) {
        if (k < 0 || k >= agentSteps) {
            throw new IndexOutOfBoundsException("agent step " + k + " of " + agentSteps);
        }
        return k * stepsPerAgentStep;
    }

    /** Agent steps filled so far (all of them after {@link SpikingCnn#forward}). */
    public int filledAgentSteps() {
        return filled;
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
