package org.eprop.envs.registry;

import java.util.function.UnaryOperator;
import org.eprop.envs.api.Env;

/**
 * Makes an interactive environment from its parameter record {@code P}: the one way every
 * environment with observations {@code O} and actions {@code A} is created (games, toy tasks,
 * plugins). It validates everything (a ROM, a size) before any native call.
 */
@FunctionalInterface
public interface EnvFactory<P, O, A> {

    /**
     * A new environment.
     *
     * @param raw wraps the environment before its configured preprocessing, e.g. a video recorder
     *     that must see the unprocessed frames; {@link UnaryOperator#identity()} for none
     */
    Env<O, A> create(P params, UnaryOperator<Env<O, A>> raw);
}
