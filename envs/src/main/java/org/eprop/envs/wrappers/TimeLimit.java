package org.eprop.envs.wrappers;

import java.util.function.IntSupplier;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;

/**
 * Cuts episodes after {@code maxSteps} steps, marking the last step {@code truncated} and leaving
 * {@code terminated} as the game reported it. Why truncated rather than terminated: the state
 * after a time cut is not terminal, so a learner that bootstraps values must keep bootstrapping
 * there (Gymnasium's {@code TimeLimit}; Pardo et al. 2018).
 *
 * <p>It counts steps of the environment it wraps: put it directly on a game that skips frames
 * itself to count agent steps, or note that under {@link MaxAndSkip} each counted step is one
 * frame. The ALE environment's own {@code max_num_frames_per_episode} (108,000 frames in v5) is
 * the frame-based alternative. Put it below {@link EpisodeStatistics} so cut episodes are recorded.
 *
 * <p>The limit may also be read anew at every step ({@link #TimeLimit(Env, IntSupplier)}): a
 * training curriculum that lengthens episodes as it goes applies a raised limit at once. The step
 * that the limit ends carries {@link #CUT} in its info.
 */
public final class TimeLimit<O, A> extends Wrapper<O, A> {
    /** Set on the step at which the limit ended the episode. */
    public static final Info.Key<Boolean> CUT = Info.Key.of("time_limit_cut", Boolean.class);
    private final IntSupplier maxSteps;
    private int elapsed;
    /** The cut step and its info, refilled whenever the limit ends an episode. */
    private final Step<O> cut = new Step<>();
    private final Info cutInfo = Info.reusable();

    public TimeLimit(Env<O, A> env, int maxSteps) {
        this(env, check(maxSteps));
    }

    /** A limit read at every step, e.g. a curriculum's current episode length. */
    public TimeLimit(Env<O, A> env, IntSupplier maxSteps) {
        super(env);
        this.maxSteps = java.util.Objects.requireNonNull(maxSteps, "maxSteps");
    }

    private static IntSupplier check(int maxSteps) {
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("TimeLimit needs maxSteps > 0, got " + maxSteps);
        }
        return () -> maxSteps;
    }

    /** The limit now. */
    public int maxSteps() {
        return maxSteps.getAsInt();
    }

    /** Steps since the last reset. */
    public int elapsedSteps() {
        return elapsed;
    }

    @Override
    public Reset<O> reset(long seed) {
        elapsed = 0;
        return env.reset(seed);
    }

    @Override
    public Reset<O> reset() {
        elapsed = 0;
        return env.reset();
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        elapsed++;
        if (elapsed >= maxSteps.getAsInt() && !s.truncated()) {
            return cut.set(s.observation(), s.reward(), s.terminated(), true, cutInfo.setAll(s.info()).setBoolean(CUT, true));
        }
        return s;
    }

    @Override
    public String toString() {
        return "TimeLimit(" + maxSteps.getAsInt() + ")";
    }
}
