package org.eprop.envs.registry;

import java.util.Objects;
import java.util.function.UnaryOperator;
import org.eprop.envs.api.Env;

/**
 * An interactive environment with rewards, observations {@code O} and actions {@code A}: an Atari
 * game, a toy control task. Agents make as many instances as they run in parallel.
 */
public record GameSpec<P, O, A>(String id, String description, Class<P> paramsType, P defaultParams,
        Class<O> observationType, Class<A> actionType, EnvFactory<P, O, A> factory) implements EnvSpec<P> {

    public GameSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(paramsType, "paramsType");
        Objects.requireNonNull(observationType, "observationType");
        Objects.requireNonNull(actionType, "actionType");
        Objects.requireNonNull(factory, "factory");
    }

    /** A new environment with its configured preprocessing. */
    @Override
    public Env<O, A> env(P params) {
        return factory.create(params, UnaryOperator.identity());
    }

    /** A new environment; {@code raw} wraps it before its preprocessing (see {@link EnvFactory}). */
    public Env<O, A> env(P params, UnaryOperator<Env<O, A>> raw) {
        return factory.create(params, raw);
    }

    @Override
    public String kind() {
        return "game";
    }
}
