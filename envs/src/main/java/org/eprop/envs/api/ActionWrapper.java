package org.eprop.envs.api;

import java.util.Objects;

/**
 * A wrapper that changes only the actions (Gymnasium's {@code ActionWrapper}): the agent acts in
 * {@link #actionSpace()}, and {@link #action} turns each of its actions into one of the wrapped
 * environment's before the step. Observations, rewards, episode ends and infos pass through.
 * Typical use: a reduced action set, e.g. Pong played with {NOOP, RIGHT, LEFT} (the e-prop paper's
 * three actions) on a game whose minimal set has six.
 *
 * <p>Wrappers that act by themselves inside {@code reset} (no-op starts, FIRE presses) act in the
 * action space of the layer they wrap: put them below this wrapper to give the game's own action
 * numbers, above it to give the reduced ones.
 *
 * @param <O> the observation type (unchanged)
 * @param <A> the action type seen from outside
 * @param <IA> the action type of the wrapped environment
 */
public abstract class ActionWrapper<O, A, IA> extends Wrapper<O, A> {
    /** The wrapped environment, typed with its own actions. */
    protected final Env<O, IA> env;

    protected ActionWrapper(Env<O, IA> env) {
        super(env, null);
        this.env = Objects.requireNonNull(env, "wrapped environment");
    }

    /** The actions the agent chooses from; it differs from the inner one by definition. */
    @Override
    public abstract Space<A> actionSpace();

    /** The wrapped environment's action for an outer {@code action}. */
    protected abstract IA action(A action);

    @Override
    public Space<O> observationSpace() {
        return env.observationSpace();
    }

    @Override
    public Reset<O> reset(long seed) {
        return env.reset(seed);
    }

    @Override
    public Reset<O> reset() {
        return env.reset();
    }

    @Override
    public Step<O> step(A action) {
        return env.step(action(action));
    }
}
