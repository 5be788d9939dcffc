package org.eprop.envs.api;

import java.util.Objects;

/**
 * Base class of wrappers, with Gymnasium's {@code Wrapper} contract: everything the wrapped
 * environment offers passes through (id, observation and action spaces, both resets, step,
 * {@link #unwrapped()}, {@link #close()}), so a subclass overrides only what it changes. A wrapper
 * that adds nothing is the inner environment seen through one more layer.
 *
 * <p>{@code O, A} are the observation and action types seen from outside. A plain
 * {@code Wrapper<O, A>} wraps an {@code Env<O, A>}: pass-through needs the types to agree, and Java
 * can only check that when they are the same type parameters (Gymnasium's {@code Wrapper} simply
 * assumes it). The two kinds of wrapper that change a type are subclasses with their own typed
 * inner environment: {@link ObservationWrapper} (observations) and {@link ActionWrapper}
 * (actions); {@link RewardWrapper} keeps the types and maps the reward.
 *
 * <p>{@link #inner()} walks a stack layer by layer whatever the types; {@link #unwrapped()} jumps
 * to the innermost environment.
 */
public abstract class Wrapper<O, A> implements Env<O, A> {
    /**
     * The wrapped environment, for wrappers that keep the types. In an {@link ObservationWrapper}
     * or {@link ActionWrapper} it is null and hidden by their own typed {@code env}.
     */
    protected final Env<O, A> env;
    private final Env<?, ?> inner;

    /** Wraps {@code env}, passing everything through until a subclass overrides it. */
    protected Wrapper(Env<O, A> env) {
        this.env = Objects.requireNonNull(env, "wrapped environment");
        this.inner = env;
    }

    /**
     * For the type-changing bases of this package only, which override every member whose type
     * differs from the inner environment's; that is what keeps the pass-through below type-safe
     * (no other subclass can reach it without an {@code Env<O, A>} inside).
     */
    Wrapper(Env<?, ?> inner, @SuppressWarnings("unused") Void typeChanging) {
        this.env = null;
        this.inner = Objects.requireNonNull(inner, "wrapped environment");
    }

    /** The directly wrapped environment (one layer down). */
    public Env<?, ?> inner() {
        return inner;
    }

    @Override
    public String id() {
        return inner.id();
    }

    @Override
    public Space<O> observationSpace() {
        return env.observationSpace();
    }

    @Override
    public Space<A> actionSpace() {
        return env.actionSpace();
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
        return env.step(action);
    }

    @Override
    public Env<?, ?> unwrapped() {
        return inner.unwrapped();
    }

    @Override
    public void close() {
        inner.close();
    }

    /**
     * The layer's name in {@code Wrappers.describe}; wrappers with parameters override it to show
     * them (e.g. {@code TimeLimit(1000)}).
     */
    @Override
    public String toString() {
        String name = getClass().getSimpleName();
        return name.isEmpty() ? "Wrapper" : name;
    }
}
