package org.eprop.envs.api;

/**
 * An environment with Gymnasium's contract, made type-safe: {@code O} is the observation type,
 * {@code A} the action type.
 *
 * <ul>
 *   <li>{@link #reset(long)} starts an episode and reseeds every random source of the environment,
 *       so the same seed gives the same episode; {@link #reset()} starts the next episode from
 *       the current random state.</li>
 *   <li>{@link #step} advances one step. After a step with {@code terminated} or {@code truncated}
 *       the caller must reset before stepping again.</li>
 *   <li>What a reset or step returns may be reused by the environment: the {@link Step} or
 *       {@link Reset}, its observation ({@link Frame}) and its {@link Info} are valid until the next
 *       call on the same environment. The ALE games, Catch and the wrappers refill one of each, so
 *       that stepping allocates nothing; a caller that keeps one copies it ({@link Step#copy()},
 *       {@link Frame#copy()}, {@link Info#copy()}).</li>
 * </ul>
 */
public interface Env<O, A> extends AutoCloseable {

    /** The registered id, e.g. {@code cue/evidence-accumulation} or {@code ale/pong}. */
    String id();

    Space<O> observationSpace();

    Space<A> actionSpace();

    /** Starts an episode, reseeding the environment. */
    Reset<O> reset(long seed);

    /** Starts the next episode without reseeding. */
    Reset<O> reset();

    /** Takes one step. */
    Step<O> step(A action);

    /** The innermost environment under all wrappers. */
    default Env<?, ?> unwrapped() {
        return this;
    }

    /** Releases native resources; idempotent. */
    @Override
    default void close() {
    }
}
