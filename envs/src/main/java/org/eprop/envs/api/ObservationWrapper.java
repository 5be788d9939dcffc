package org.eprop.envs.api;

import java.util.Objects;

/**
 * A wrapper that changes only the observations (Gymnasium's {@code ObservationWrapper}): rewards,
 * episode ends, infos and actions pass through. Subclasses give the new {@link #observationSpace}
 * and map each observation in {@link #observation}; a wrapper with per-episode state (a frame
 * stack) also overrides {@link #resetObservation}.
 *
 * @param <O> the observation type seen from outside
 * @param <A> the action type (unchanged)
 * @param <IO> the observation type of the wrapped environment
 */
public abstract class ObservationWrapper<O, A, IO> extends Wrapper<O, A> {
    /** The wrapped environment, typed with its own observations. */
    protected final Env<IO, A> env;
    /** This layer's results, refilled at every call (see {@link Step}). */
    private final Step<O> step = new Step<>();
    private final Reset<O> reset = new Reset<>();

    protected ObservationWrapper(Env<IO, A> env) {
        super(env, null);
        this.env = Objects.requireNonNull(env, "wrapped environment");
    }

    /** The space of the mapped observations; it differs from the inner one by definition. */
    @Override
    public abstract Space<O> observationSpace();

    /** The observation of a step. */
    protected abstract O observation(IO inner);

    /** The first observation of an episode; by default the same mapping as a step's. */
    protected O resetObservation(IO inner) {
        return observation(inner);
    }

    @Override
    public Space<A> actionSpace() {
        return env.actionSpace();
    }

    @Override
    public Reset<O> reset(long seed) {
        Reset<IO> r = env.reset(seed);
        return reset.set(resetObservation(r.observation()), r.info());
    }

    @Override
    public Reset<O> reset() {
        Reset<IO> r = env.reset();
        return reset.set(resetObservation(r.observation()), r.info());
    }

    @Override
    public Step<O> step(A action) {
        Step<IO> s = env.step(action);
        return step.set(observation(s.observation()), s.reward(), s.terminated(), s.truncated(), s.info());
    }
}
