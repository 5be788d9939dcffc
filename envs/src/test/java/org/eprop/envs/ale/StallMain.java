package org.eprop.envs.ale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

/**
 * Run in a child JVM by {@link UnknownRomTest}, because a stalled emulator thread keeps spinning
 * until its JVM exits. Loads a working ROM that is not a known dump (the trial in a separate JVM
 * skipped), replaces the file with one that stalls ALE, and reseeds, which reloads the file: the
 * in-process watchdog must end that call. Arguments: {@code <rom_dir> <budget-ms> <stalling-image>}.
 * Prints {@code loaded}, {@code stalled <operation> <message>}, {@code again <operation>} for a
 * later call, {@code closed}, and {@code thread <state>} for the emulator thread.
 */
public final class StallMain {
    private StallMain() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        AleSettings s = AleSettings.v5("pong").withRomDir(dir).withAllowUnknownRom(true);
        Duration budget = Duration.ofMillis(Long.parseLong(args[1]));
        AleEnv env = new AleEnv(s, budget, false);
        env.reset(1);
        for (int i = 0; i < 50; i++) {
            env.step(0);
        }
        System.out.println("loaded " + env.unknownRom());
        Files.copy(Path.of(args[2]), dir.resolve("pong.bin"), StandardCopyOption.REPLACE_EXISTING);
        try {
            env.reset(5);
            System.out.println("no stall");
        } catch (EmulatorStalledException e) {
            System.out.println("stalled " + e.operation() + " " + e.getMessage().replace('\n', ' '));
            try {
                env.step(0);
            } catch (EmulatorStalledException again) {
                System.out.println("again " + again.operation());
            }
            env.close();
            System.out.println("closed");
            for (Thread t : Thread.getAllStackTraces().keySet()) {
                if (t.getName().startsWith("eprop-ale-pong")) {
                    System.out.println("thread " + t.getState() + " daemon=" + t.isDaemon());
                }
            }
        }
        System.out.flush();
        Runtime.getRuntime().halt(0);
    }
}
