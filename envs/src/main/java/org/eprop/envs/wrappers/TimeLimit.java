package org.eprop.envs.wrappers;

import org.eprop.envs.api.Env;
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
 */
public final class TimeLimit<O, A> extends Wrapper<O, A> {
    private final int maxSteps;
    private int elapsed;

    public TimeLimit(Env<O, A> env, int maxSteps) {
        super(env);
        if (maxSteps <= 0) {
            throw new IllegalArgumentException("TimeLimit needs maxSteps > 0, got " + maxSteps);
        }
        this.maxSteps = maxSteps;
    }

    public int maxSteps() {
        return maxSteps;
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
        if (elapsed >= maxSteps && !s.truncated()) {
            return new Step<>(s.observation(), s.reward(), s.terminated(), true, s.info());
        }
        return s;
    }

    @Override
    public String toString() {
        return "TimeLimit(" + maxSteps + ")";
    }
}
