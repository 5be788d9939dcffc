package org.eprop.agent;

import java.io.PrintStream;
import org.eprop.agent.run.RunDirectory;

/**
 * Everything an agent is handed for one run.
 *
 * @param setup the resolved config
 * @param directory the run directory (config, metrics, checkpoints, plots)
 * @param out where the run's messages go (progress goes to standard error)
 * @param resume whether the run directory holds an interrupted run to continue
 */
public record RunContext(RunSetup setup, RunDirectory directory, PrintStream out, boolean resume) {
}
