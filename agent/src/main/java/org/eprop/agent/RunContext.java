package org.eprop.agent;

import java.io.PrintStream;
import org.eprop.agent.run.RunDirectory;
import org.eprop.agent.run.StopSignal;

/**
 * Everything an agent is handed for one run.
 *
 * @param setup the resolved config
 * @param directory the run directory (config, metrics, checkpoints, plots)
 * @param out where the run's messages go (progress goes to standard error)
 * @param resume whether the run directory holds an interrupted run to continue
 * @param stop raised when the run should end at the next iteration boundary (SIGTERM, Ctrl-C): the
 *     agent writes a checkpoint, calls {@link StopSignal#stopped()} and returns
 *     {@link #INTERRUPTED}
 */
public record RunContext(RunSetup setup, RunDirectory directory, PrintStream out, boolean resume, StopSignal stop) {

    /** The exit code of a run that stopped on request, after its final checkpoint (128 + SIGINT). */
    public static final int INTERRUPTED = 130;

    /** A context whose stop signal is never raised. */
    public RunContext(RunSetup setup, RunDirectory directory, PrintStream out, boolean resume) {
        this(setup, directory, out, resume, StopSignal.never());
    }
}
