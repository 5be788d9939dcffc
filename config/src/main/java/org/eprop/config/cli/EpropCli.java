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
            cmd.getErr().println("eprop: " + describe(ex));
            if (Boolean.getBoolean("eprop.debug")) {
                ex.printStackTrace(cmd.getErr());
            }
            return 2;
        });
        return cli.execute(args);
    }

    /**
     * An error as one line: its message and those of its causes, so that a cause such as "No space
     * left on device" is never hidden behind a wrapper's message, and file-system errors with the
     * path and what is wrong with it (Java's own message for some of them is the bare path).
     */
    static String describe(Throwable ex) {
        StringBuilder sb = new StringBuilder(message(ex));
        Throwable seen = ex;
        for (Throwable c = ex.getCause(); c != null && c != seen; seen = c, c = c.getCause()) {
            String m = message(c);
            if (sb.indexOf(m) < 0) {
                sb.append(": ").append(m);
            }
        }
        return sb.toString();
    }

    private static String message(Throwable t) {
        if (t instanceof java.nio.file.FileSystemException f) {
            String reason = f.getReason() != null ? f.getReason()
                    : t instanceof java.nio.file.NoSuchFileException ? "no such file or directory"
                    : t instanceof java.nio.file.AccessDeniedException ? "permission denied"
                    : t instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                    : t instanceof java.nio.file.NotDirectoryException ? "not a directory"
                    : t instanceof java.nio.file.DirectoryNotEmptyException ? "directory not empty"
                    : t.getClass().getSimpleName();
            return (f.getFile() == null ? "" : f.getFile()) + (f.getOtherFile() == null ? "" : " -> " + f.getOtherFile())
                    + ": " + reason;
        }
        String m = t.getMessage();
        return m == null || m.isBlank() ? t.getClass().getSimpleName() : m;
    }
}
