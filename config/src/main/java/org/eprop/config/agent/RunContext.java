package org.eprop.config.agent;

import java.io.PrintStream;
import org.eprop.config.plugin.Registry;
import org.eprop.config.run.RunConfig;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.supervised.run.RunDirectory;

/**
 * Everything an agent needs for one run.
 *
 * @param resume whether the run directory holds an interrupted run to continue
 */
public record RunContext(RunConfig config, SupervisedTask task, RunDirectory directory, Registry registry,
        PrintStream out, boolean resume) {
}
