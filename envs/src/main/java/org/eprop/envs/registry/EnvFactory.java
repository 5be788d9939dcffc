package org.eprop.envs.registry;

import java.util.function.BiFunction;
import java.util.function.UnaryOperator;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;

/**
 * Makes a game environment (frame observations, discrete actions) from its parameters;
 * registered under an id such as {@code ale/pong} (a Guice {@code MapBinder} in the config
 * module). Like {@link TaskFactory}, {@code P} is a record bound from the YAML {@code env.params}.
 */
public interface EnvFactory<P> {

    String id();

    /** One line for {@code eprop envs}. */
    String description();

    Class<P> paramsType();

    P defaultParams();

    /**
     * A new environment; validates everything (e.g. the ROM) before any native call.
     *
     * @param raw wraps the raw game before the configured preprocessing, e.g. a video recorder
     *     that must see the unprocessed RGB frames
     */
    Env<Frame, Integer> create(P params, UnaryOperator<Env<Frame, Integer>> raw);

    /** A new environment with its configured preprocessing. */
    default Env<Frame, Integer> create(P params) {
        return create(params, UnaryOperator.identity());
    }

    /** A factory from its parts. */
    static <P> EnvFactory<P> of(String id, String description, Class<P> type, P defaults,
            BiFunction<P, UnaryOperator<Env<Frame, Integer>>, Env<Frame, Integer>> create) {
        return new EnvFactory<>() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Class<P> paramsType() {
                return type;
            }

            @Override
            public P defaultParams() {
                return defaults;
            }

            @Override
            public Env<Frame, Integer> create(P params, UnaryOperator<Env<Frame, Integer>> raw) {
                return create.apply(params, raw);
            }
        };
    }
}
