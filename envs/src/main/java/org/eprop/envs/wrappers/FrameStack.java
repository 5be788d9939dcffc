package org.eprop.envs.wrappers;

import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.ObservationWrapper;

/**
 * Stacks the {@code k} most recent frames along the channel axis: an {@code H x W x C} frame
 * becomes {@code H x W x kC}, oldest frame first, newest last (SB3's {@code VecFrameStack} layout
 * for channels-last images). Why: a feed-forward network sees motion only through several frames
 * at once; DQN-style baselines use 4. The e-prop agent is recurrent and uses none.
 *
 * <p>A reset fills all {@code k} slots with the first frame (Gymnasium's
 * {@code FrameStackObservation} default), so the first observation already has its final shape
 * without zero frames the network never sees later. The output frame is reused between steps.
 */
public final class FrameStack<A> extends ObservationWrapper<Frame, A, Frame> {
    private final int k;
    private final FrameSpace in;
    private final FrameSpace space;
    private final byte[][] ring;
    private final byte[][] ordered;
    private final byte[] out;
    private final Frame outFrame;
    private int oldest;

    public FrameStack(Env<Frame, A> env, int k) {
        super(env);
        if (k < 1) {
            throw new IllegalArgumentException("FrameStack needs k >= 1, got " + k);
        }
        this.k = k;
        this.in = Wrappers.frameSpace(env, "FrameStack");
        this.space = new FrameSpace(in.height(), in.width(), in.channels() * k);
        int size = in.height() * in.width() * in.channels();
        this.ring = new byte[k][size];
        this.ordered = new byte[k][];
        this.out = new byte[size * k];
        this.outFrame = new Frame(space.height(), space.width(), space.channels(), out);
    }

    public int size() {
        return k;
    }

    @Override
    public Space<Frame> observationSpace() {
        return space;
    }

    @Override
    protected Frame resetObservation(Frame first) {
        return fill(first);
    }

    @Override
    protected Frame observation(Frame next) {
        check(next);
        System.arraycopy(next.pixels(), 0, ring[oldest], 0, ring[oldest].length);
        oldest = (oldest + 1) % k;
        return assemble();
    }

    private Frame fill(Frame first) {
        check(first);
        for (byte[] slot : ring) {
            System.arraycopy(first.pixels(), 0, slot, 0, slot.length);
        }
        oldest = 0;
        return assemble();
    }

    private void check(Frame f) {
        if (!in.contains(f)) {
            throw new IllegalStateException("FrameStack expected " + in.describe() + " frames, got "
                    + f.height() + "x" + f.width() + "x" + f.channels());
        }
    }

    private Frame assemble() {
        int c = in.channels();
        int pixels = in.height() * in.width();
        for (int j = 0; j < k; j++) {
            ordered[j] = ring[(oldest + j) % k];
        }
        int o = 0;
        for (int p = 0; p < pixels; p++) {
            int src = p * c;
            for (int j = 0; j < k; j++) {
                byte[] f = ordered[j];
                for (int ch = 0; ch < c; ch++) {
                    out[o++] = f[src + ch];
                }
            }
        }
        return outFrame;
    }

    @Override
    public String toString() {
        return "FrameStack(" + k + ")";
    }
}
