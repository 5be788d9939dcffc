package org.eprop.envs.registry;

import org.eprop.envs.api.Env;

/**
 * A registered environment: the id users write under {@code env.id}, a line for listings, and the
 * parameter record {@code P} that {@code env.params} is bound to over {@link #defaultParams()} (so
 * unknown or mistyped keys are reported with their line). The kinds are closed, so an agent says
 * which it runs by type rather than by probing what an environment happens to be:
 * <ul>
 *   <li>{@link TaskSpec}: a supervised task (inputs with targets, drawn in batches);</li>
 *   <li>{@link GameSpec}: an interactive environment with rewards (Atari games, toy tasks);</li>
 *   <li>{@link DiagnosticSpec}: a gradient check that runs instead of training.</li>
 * </ul>
 * Every kind can also be made as an {@link Env} with Gymnasium's contract.
 *
 * @param <P> the parameter record
 */
public sealed interface EnvSpec<P> permits TaskSpec, GameSpec, DiagnosticSpec {

    /** The id users write in configs, e.g. {@code cue/evidence-accumulation} or {@code ale/pong}. */
    String id();

    /** One line for {@code eprop envs}. */
    String description();

    Class<P> paramsType();

    /** The reference parameters. */
    P defaultParams();

    /** A new instance behind the environment interface. */
    Env<?, ?> env(P params);

    /** The kind in words, for listings and errors: "supervised task", "game", "diagnostic". */
    String kind();
}
