package org.eprop.learning.bidir;

import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * Simulates a {@link BidirectionalNetwork} over a padded batch of frame sequences and keeps what
 * the backward pass and plots need: both halves' trajectories, the frame outputs and the lengths.
 *
 * <p>Input: frames time-major {@code [frames x batch x nIn]} (a longer buffer is read from its
 * start) and the length of every sequence; frames at or beyond a length are padding and are never
 * read. Each half runs {@code R * frames} steps; its padding (steps at or beyond {@code R * len})
 * comes after its valid steps, also for the backward half, whose utterances are reversed within
 * their own lengths. The halves' pseudo-derivatives are masked on the padding
 * ({@link Trajectory#maskPadding}), so that no gradient method sees it.
 *
 * <p>Workspaces grow to the largest batch seen and are reused; a run overwrites the previous one.
 * Not thread-safe.
 */
public final class BidirectionalPass {
    private final Precision precision;
    private final ForwardPass forwardPass;
    private final ForwardPass backwardPass;
    private RealArray xForward;
    private RealArray xBackward;
    private RealArray outputs;
    private double[] filter = new double[0];
    private int[] frameLengths = new int[0];
    private int[] stepLengths = new int[0];
    private Trajectory forwardTrajectory;
    private Trajectory backwardTrajectory;
    private int frames;
    private int batch;
    private int nOut;

    public BidirectionalPass(Dense dense) {
        this.precision = dense.precision();
        this.forwardPass = new ForwardPass(dense);
        this.backwardPass = new ForwardPass(dense);
    }

    /** The dense-product engine of both halves. */
    public Dense dense() {
        return forwardPass.dense();
    }

    /**
     * Runs both halves and the frame readout.
     *
     * @param x frames, time-major {@code [frames x batch x nIn]}
     * @param lengths frames of each sequence, in [0, frames]
     * @return this, holding the results until the next run
     */
    public BidirectionalPass run(BidirectionalNetwork net, RealArray x, int frames, int batch, int[] lengths,
            boolean recordState) {
        if (net.precision() != precision) {
            throw new IllegalArgumentException("network in " + net.precision() + ", pass in " + precision);
        }
        if (lengths.length < batch) {
            throw new IllegalArgumentException(lengths.length + " lengths for a batch of " + batch);
        }
        int nIn = net.inputs();
        if ((long) frames * batch * nIn > x.length()) {
            throw new IllegalArgumentException("input has " + x.length() + " values, expected at least frames*batch*nIn = "
                    + frames + "*" + batch + "*" + nIn);
        }
        int r = net.repeat();
        int steps = frames * r;
        this.frames = frames;
        this.batch = batch;
        this.nOut = net.outputs();
        if (frameLengths.length < batch) {
            frameLengths = new int[batch];
            stepLengths = new int[batch];
        }
        for (int b = 0; b < batch; b++) {
            if (lengths[b] < 0 || lengths[b] > frames) {
                throw new IllegalArgumentException("sequence " + b + " has length " + lengths[b] + ", outside [0, "
                        + frames + "]");
            }
            frameLengths[b] = lengths[b];
            stepLengths[b] = lengths[b] * r;
        }
        int size = Math.max(1, steps * batch * nIn);
        xForward = grow(xForward, size);
        xBackward = grow(xBackward, size);
        for (int s = 0; s < steps; s++) {
            int f = s / r;
            for (int b = 0; b < batch; b++) {
                int dst = (s * batch + b) * nIn;
                int len = frameLengths[b];
                if (f < len) {
                    int srcF = (f * batch + b) * nIn;
                    int srcB = ((len - 1 - f) * batch + b) * nIn;
                    for (int i = 0; i < nIn; i++) {
                        xForward.set(dst + i, x.get(srcF + i));
                        xBackward.set(dst + i, x.get(srcB + i));
                    }
                } else {
                    for (int i = 0; i < nIn; i++) {
                        xForward.set(dst + i, 0.0);
                        xBackward.set(dst + i, 0.0);
                    }
                }
            }
        }
        int[] stepLen = java.util.Arrays.copyOf(stepLengths, batch);
        forwardTrajectory = forwardPass.run(net.forward(), xForward, steps, batch, recordState);
        forwardTrajectory.maskPadding(stepLen);
        backwardTrajectory = backwardPass.run(net.backward(), xBackward, steps, batch, recordState);
        backwardTrajectory.maskPadding(stepLen);
        readout(net);
        return this;
    }

    private void readout(BidirectionalNetwork net) {
        int r = net.repeat();
        double kappa = net.kappa();
        double inv = 1.0 / r;
        outputs = grow(outputs, Math.max(1, frames * batch * nOut));
        if (filter.length < batch * nOut) {
            filter = new double[batch * nOut];
        }
        java.util.Arrays.fill(filter, 0, batch * nOut, 0.0);
        RealArray yF = forwardTrajectory.outputs();
        RealArray yB = backwardTrajectory.outputs();
        RealArray bias = net.bias();
        for (int f = 0; f < frames; f++) {
            for (int b = 0; b < batch; b++) {
                int len = frameLengths[b];
                int row = (f * batch + b) * nOut;
                if (f >= len) {
                    for (int k = 0; k < nOut; k++) {
                        outputs.set(row + k, 0.0);
                    }
                    continue;
                }
                int fb = len - 1 - f;
                for (int k = 0; k < nOut; k++) {
                    double u = 0;
                    for (int q = 0; q < r; q++) {
                        u += yF.get(((f * r + q) * batch + b) * nOut + k) + yB.get(((fb * r + q) * batch + b) * nOut + k);
                    }
                    int s = b * nOut + k;
                    filter[s] = precision.round(kappa * filter[s] + precision.round(u * inv));
                    outputs.set(row + k, filter[s] + bias.get(k));
                }
            }
        }
    }

    private RealArray grow(RealArray a, int size) {
        return a == null || a.length() < size ? precision.zeros(size) : a;
    }

    /** Frame outputs y, time-major {@code [frames x batch x nOut]} (the array may be longer). */
    public RealArray outputs() {
        return outputs;
    }

    /** The forward half's trajectory (its padding masked). */
    public Trajectory forwardTrajectory() {
        return forwardTrajectory;
    }

    /**
     * The backward half's trajectory, in its own time: its step s of sequence b shows frame
     * {@code len_b - 1 - floor(s / R)}.
     */
    public Trajectory backwardTrajectory() {
        return backwardTrajectory;
    }

    public int frames() {
        return frames;
    }

    public int batch() {
        return batch;
    }

    /** Frames of sequence b. */
    public int length(int b) {
        return frameLengths[b];
    }

    /** Steps (frames x repeat) of every sequence, a copy. */
    public int[] stepLengths() {
        return java.util.Arrays.copyOf(stepLengths, batch);
    }
}
