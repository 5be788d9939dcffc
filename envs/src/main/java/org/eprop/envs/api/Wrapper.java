package org.eprop.envs.api;

/**
 * Base class of wrappers: an environment that delegates to an inner one and changes one aspect
 * of it (observations, actions, rewards, episode ends). {@code O, A} are the types seen from
 * outside, {@code IO, IA} those of the wrapped environment; a wrapper that keeps the types is a
 * {@code Wrapper<O, A, O, A>}. Subclasses override what they change; the defaults pass through.
 */
public abstract class Wrapper<O, A, IO, IA> implements Env<O, A> {
    protected final Env<IO, IA> env;

    protected Wrapper(Env<IO, IA> env) {
        this.env = java.util.Objects.requireNonNull(env, "wrapped environment");
    }

    /** The directly wrapped environment. */
    public Env<IO, IA> inner() {
        return env;
    }

    @Override
    public String id() {
        return env.id();
    }

    @Override
    public Env<?, ?> unwrapped() {
        return env.unwrapped();
    }

    @Override
    public void close() {
        env.close();
    }
}
