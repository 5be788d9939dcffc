package org.eprop.envs.ale;

import java.nio.file.Path;

/**
 * Run in a child JVM by {@link AleConsoleOutputTest}: creates a Pong env, resets (also with a new
 * seed, which reloads the ROM), steps and closes, printing nothing itself.
 * Arguments: {@code <rom_dir> <verbose>}.
 */
public final class ConsoleMain {
    private ConsoleMain() {
    }

    public static void main(String[] args) {
        AleSettings s = AleSettings.v5("pong").withRomDir(Path.of(args[0])).withVerbose(Boolean.parseBoolean(args[1]));
        try (AleEnv env = new AleEnv(s)) {
            env.reset(1);
            for (int i = 0; i < 20; i++) {
                env.step(i % 6);
            }
            env.reset(2);
            env.step(0);
            env.reset();
        }
    }
}
