package org.eprop.config.agent;

import java.io.IOException;
import org.eprop.envs.supervised.SupervisedTask;

/**
 * What runs on an environment: the supervised trainer, the gradient diagnostics, later the
 * reward-based agents. Registered by id in a Guice {@code MapBinder} (see
 * {@link org.eprop.config.plugin.Bindings#agents}).
 */
public interface Agent {

    String id();

    /** One line for listings. */
    String description();

    /** Whether this agent can run on {@code task}; the first that accepts is the default. */
    boolean accepts(SupervisedTask task);

    /** Runs (or resumes) the run; returns the process exit code. */
    int run(RunContext context) throws IOException;
}
