package org.eprop.envs.ale;

import java.nio.file.Path;

/**
 * ALE made no progress on a ROM that is not a known dump (loaded because the settings allow
 * unknown ROMs): a native call used its whole CPU budget without returning, or the separate JVM
 * that tries such a ROM first ({@link RomProbe}) gave no answer in time. See {@link AleWatchdog}.
 */
public final class EmulatorStalledException extends AleException {
    private static final long serialVersionUID = 1L;
    private final String game;
    private final transient Path file;
    private final String operation;
    private final double cpuSeconds;

    public EmulatorStalledException(String game, Path file, String operation, String message) {
        this(game, file, operation, Double.NaN, message);
    }

    public EmulatorStalledException(String game, Path file, String operation, double cpuSeconds, String message) {
        super(message);
        this.game = game;
        this.file = file;
        this.operation = operation;
        this.cpuSeconds = cpuSeconds;
    }

    public String game() {
        return game;
    }

    public Path file() {
        return file;
    }

    /** What the emulator was doing: {@code loadROM}, {@code reset_game}, {@code step}, ... */
    public String operation() {
        return operation;
    }

    /** CPU time the stalled call had used when it was given up, in seconds; NaN where not measured. */
    public double cpuSeconds() {
        return cpuSeconds;
    }
}
