package org.eprop.agent;

import java.io.IOException;
import org.eprop.envs.params.Checks;
import org.eprop.envs.registry.EnvSpec;

/**
 * What runs on an environment: the supervised trainer, a gradient diagnostic, a reward-based
 * learner. Registered by id (a Guice {@code MapBinder} in the application, or a plugin's module)
 * and chosen in YAML by {@code agent: {id, params}}; {@code params} is bound to the agent's own
 * record {@code P} over {@link #defaultParams()}, as {@code env.params} is to the environment's.
 *
 * @param <P> the agent's parameter record (may implement {@link org.eprop.envs.params.Validated})
 */
public interface Agent<P> {

    String id();

    /** One line for listings. */
    String description();

    Class<P> paramsType();

    P defaultParams();

    /** Whether this agent can run {@code env}. */
    boolean accepts(EnvSpec<?> env);

    /**
     * Whether this agent runs {@code env} when a config names no agent. At most one agent should
     * claim a kind of environment (the core's: {@code supervised} for supervised tasks,
     * {@code diagnostic} for diagnostics); an agent added by a plugin is usually chosen by name.
     */
    default boolean isDefaultFor(EnvSpec<?> env) {
        return false;
    }

    /**
     * Reports settings that cannot work together on this setup (e.g. a time step that differs
     * from the environment's), before any run directory is made. Keys are full config paths, such
     * as {@code network.dt}.
     */
    default void check(RunSetup setup, P params, Checks checks) {
    }

    /** Runs (or, with {@link RunContext#resume()}, continues) the run; returns the process exit code. */
    int run(RunContext context, P params) throws IOException;
}
