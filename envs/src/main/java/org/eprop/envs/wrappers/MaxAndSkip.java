package org.eprop.envs.wrappers;

import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSkipping;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;

/**
 * Repeats each action for {@code skip} steps of a frame-skip-1 environment, sums the rewards and
 * returns the pixel-wise maximum of the last two frames (the DQN / SB3 {@code MaxAndSkipEnv}).
 *
 * <p>Why the maximum: Atari games draw some sprites only on every other frame, so a single frame
 * can miss the ball; the max of two consecutive frames shows it. Why stop early: a repeat that
 * ran past game over would step a finished game. When the episode ends before the last repeat,
 * the frame returned is the maximum of the last two frames actually played in this step (the
 * SB3 version would mix in frames of an earlier step), or the only one when the first repeat
 * ended it.
 *
 * <p>Use it only on an environment that does not skip frames itself; an ALE environment with
 * {@code frameskip: 4} (Gymnasium's v5 default) already repeats each action, and this wrapper
 * refuses to stack on it rather than silently make each action last 16 frames. It implements
 * {@link FrameSkipping} so that a second {@code MaxAndSkip} above it is refused the same way.
 *
 * <p>When the layers below report {@link InfoKeys#RAW_REWARD} (reward clipping under the skip),
 * the raw rewards are summed as well, so statistics above still see the raw game. The info of a
 * step is that of its last repeat. With {@code maxPool = false} it only repeats and sums, returning
 * the last frame: the same as an environment that skips frames itself, which is what the paper's
 * protocol needs on a frame-skip-1 game.
 */
public final class MaxAndSkip<A> extends Wrapper<Frame, A> implements FrameSkipping {
    private final int skip;
    private final boolean maxPool;
    private byte[] previous = new byte[0];
    /** This layer's step and the info with the summed raw reward, refilled at every step. */
    private final Step<Frame> step = new Step<>();
    private final Info withRaw = Info.reusable();
    private byte[] pooled = new byte[0];
    private Frame pooledFrame;

    /** Repeats each action 4 times and max-pools the last two frames. */
    public MaxAndSkip(Env<Frame, A> env) {
        this(env, 4);
    }

    /** Repeats each action {@code skip} times and max-pools the last two frames. */
    public MaxAndSkip(Env<Frame, A> env, int skip) {
        this(env, skip, true);
    }

    /**
     * Repeats each action {@code skip} times; {@code maxPool} chooses between the max of the last
     * two frames and the last frame alone.
     *
     * @throws IllegalArgumentException if {@code skip < 1}, or if {@code skip > 1} and
     *     {@code env} (or a layer under it) already skips frames
     */
    public MaxAndSkip(Env<Frame, A> env, int skip, boolean maxPool) {
        super(env);
        if (skip < 1) {
            throw new IllegalArgumentException("MaxAndSkip needs skip >= 1, got " + skip);
        }
        if (skip > 1) {
            refuseDoubleSkip(env, skip);
        }
        this.skip = skip;
        this.maxPool = maxPool;
    }

    private static void refuseDoubleSkip(Env<?, ?> env, int skip) {
        int already = FrameSkipping.total(env);
        if (already <= 1) {
            return;
        }
        for (Env<?, ?> e : Wrappers.chain(env)) {
            if (e instanceof MaxAndSkip<?> m && m.skip > 1) {
                throw new IllegalArgumentException("MaxAndSkip(" + skip + ") on " + env.id() + ": frames are already skipped by "
                        + m + " below it (" + already + " frames per step); drop one of the two");
            }
        }
        throw new IllegalArgumentException("MaxAndSkip(" + skip + ") on " + env.id() + ": frameskip is already " + already
                + " in the environment; set frameskip: 1 there or drop MaxAndSkip");
    }

    @Override
    public int frameskip() {
        return skip;
    }

    /** Whether the returned frame is the max of the last two frames (else the last frame). */
    public boolean maxPool() {
        return maxPool;
    }

    @Override
    public Step<Frame> step(A action) {
        double reward = 0;
        double raw = 0;
        boolean anyRaw = false;
        boolean havePrevious = false;
        Step<Frame> s = null;
        for (int i = 0; i < skip; i++) {
            if (s != null && maxPool) {
                // the previous frame dies with the next inner step: keep a copy for the max
                keep(s.observation());
                havePrevious = true;
            }
            s = env.step(action);
            reward += s.reward();
            boolean hasRaw = s.info().has(InfoKeys.RAW_REWARD);
            anyRaw |= hasRaw;
            raw += hasRaw ? s.info().getDouble(InfoKeys.RAW_REWARD, 0.0) : s.reward();
            if (s.done()) {
                break;
            }
        }
        Frame obs = s.observation();
        if (maxPool && havePrevious) {
            obs = max(obs);
        }
        Info info = anyRaw ? withRaw.setAll(s.info()).setDouble(InfoKeys.RAW_REWARD, raw) : s.info();
        return step.set(obs, reward, s.terminated(), s.truncated(), info);
    }

    private void keep(Frame f) {
        byte[] p = f.pixels();
        if (previous.length != p.length) {
            previous = new byte[p.length];
        }
        System.arraycopy(p, 0, previous, 0, p.length);
    }

    private Frame max(Frame last) {
        byte[] p = last.pixels();
        if (pooledFrame == null || pooled.length != p.length || !pooledFrame.space().equals(last.space())) {
            pooled = new byte[p.length];
            pooledFrame = new Frame(last.height(), last.width(), last.channels(), pooled);
        }
        for (int i = 0; i < p.length; i++) {
            int a = p[i] & 0xFF;
            int b = previous[i] & 0xFF;
            pooled[i] = (byte) Math.max(a, b);
        }
        return pooledFrame;
    }

    @Override
    public String toString() {
        return maxPool ? "MaxAndSkip(" + skip + ")" : "Skip(" + skip + ")";
    }
}
