package org.eprop.config.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code eprop} command line. */
@Command(name = "eprop", mixinStandardHelpOptions = true, version = "eprop 0.1.0",
        description = "Train recurrent spiking networks with e-prop.",
        subcommands = {TrainCommand.class, EvalCommand.class, PlayCommand.class, PlotCommand.class, VerifyCommand.class,
            EnvsCommand.class, BenchCommand.class})
public final class EpropCli {

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns its exit code (0 ok, 1 a check failed, 2 bad usage or input). */
    public static int run(String... args) {
        // JavaCPP logs through slf4j (configured in simplelogger.properties), so its note that the
        // ALE preset was built for another JavaCPP version (the pin ND4J needs) stays quiet.
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        CommandLine cli = new CommandLine(new EpropCli());
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> {
            cmd.getErr().println("eprop: " + ex.getMessage());
            if (Boolean.getBoolean("eprop.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cli.execute(args);
    }
}
