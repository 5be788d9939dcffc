package org.eprop.envs.ale;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Frame;
import org.eprop.learning.rng.Rng;

/**
 * Tries a ROM that is not a known dump in a separate, short-lived JVM before this process loads it.
 *
 * <p><b>Why a separate JVM.</b> ALE 0.6 spins forever inside native code on most files that are
 * not cartridges of the game (see {@link AleWatchdog}), and a thread inside native code cannot be
 * stopped; a process can. Measured on random 2 and 4 KiB images named {@code pong.bin} that pass
 * the content checks of {@link AleRoms}: 837 of 838 spin inside {@code loadROM} itself. Trying the
 * ROM in a child JVM first means that such a file costs a killed child, not a core of this
 * process that stays busy until it exits.
 *
 * <p><b>The trial.</b> The child runs the code this process would run, an {@link AleEnv} whose
 * native calls go through an {@link AleWatchdog} with the same CPU budget, on the same file, mode
 * and difficulty: it loads the ROM with seeds 0, 1 and 2 (the power-on RAM of the console depends
 * on the seed), plays {@value #STEPS} steps of random actions from all 18 after each load (resetting
 * after a game over), and resets once more. It prints one verdict line; this process reads it and
 * ends the child (a stalled one would spin on). When a call stalls, or the child gives no answer
 * within {@link #WALL_LIMIT} (a starved or blocked JVM), the ROM is refused with
 * {@link EmulatorStalledException} before this process has touched it. A crash of the child
 * (output ends without a verdict) refuses it too.
 *
 * <p>The verdict is remembered for this JVM (by game, MD5, mode and difficulty), so that the
 * parallel copies of an environment try a ROM once; different ROMs are tried in parallel. Passing
 * is no proof that the ROM never stalls: the run itself stays under the watchdog.
 *
 * <p>The child's output (ALE's and Stella's console messages, such as "Illegal Instruction!") is
 * read here and only quoted in an error, never printed. The child writes no file: the JavaCPP
 * native cache it reads is filled by this process before the child starts.
 */
final class RomProbe {
    /** Steps played after each load. */
    static final int STEPS = 250;

    /** Seeds the ROM is loaded with. */
    static final long[] SEEDS = {0, 1, 2};

    /**
     * Wall-clock limit for the whole child, start-up included: a backstop for a child that gets no
     * answer out at all (its own watchdog ends a spinning call). A healthy trial needs about 1.7 s of
     * CPU (3 s of wall time on this project's 2-core VM); with the VM shared some 8 ways, stalling
     * trials (2.6 s of CPU) took up to 47 s, so the limit is well above that.
     */
    static final Duration WALL_LIMIT = Duration.ofSeconds(120);

    private static final String PREFIX = "eprop-rom-probe: ";
    private static final int TAIL_LINES = 12;

    /** Outcome of a trial. {@code kind}: ok, stalled, invalid (a bad mode or difficulty), failed. */
    record Verdict(String kind, String operation, String message) {
        static final Verdict OK = new Verdict("ok", "", "");
    }

    /** Trials by game, MD5, mode and difficulty: run once, waited for by every thread that needs them. */
    private static final Map<String, FutureTask<Verdict>> VERDICTS = new ConcurrentHashMap<>();

    private RomProbe() {
    }

    /**
     * Tries {@code rom} in a child JVM unless this JVM already did, and throws if it failed.
     *
     * @throws EmulatorStalledException when the emulator made no progress in the child
     * @throws IllegalArgumentException for a mode or difficulty the game does not have
     * @throws AleException when the child failed otherwise (crashed, could not start)
     */
    static void require(AleRoms.Rom rom, AleSettings settings) {
        require(rom, settings, AleWatchdog.DEFAULT_BUDGET);
    }

    /** {@link #require(AleRoms.Rom, AleSettings)} with the watchdog's CPU budget in the child. */
    static void require(AleRoms.Rom rom, AleSettings settings, Duration budget) {
        String key = rom.game() + "|" + rom.md5() + "|" + settings.mode() + "|" + settings.difficulty();
        FutureTask<Verdict> mine = new FutureTask<>(() -> trial(rom, settings, budget));
        FutureTask<Verdict> task = VERDICTS.putIfAbsent(key, mine);
        if (task == null) {
            task = mine;
            mine.run();
        }
        Verdict v;
        try {
            v = task.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AleException("interrupted while waiting for the trial of " + rom.file());
        } catch (ExecutionException e) {
            VERDICTS.remove(key, task);
            throw new AleException("the trial of " + rom.file() + " in a separate JVM failed: " + e.getCause(),
                    e.getCause());
        }
        if (v.kind().equals("failed") && v.message().contains("interrupted while waiting")) {
            VERDICTS.remove(key, task); // not a verdict on the ROM
        }
        switch (v.kind()) {
            case "ok" -> {
            }
            case "stalled" -> throw new EmulatorStalledException(rom.game(), rom.file(), v.operation(), v.message());
            case "invalid" -> throw new IllegalArgumentException(v.message());
            default -> throw new AleException(v.message());
        }
    }

    /** Runs the child and reads its verdict. */
    static Verdict trial(AleRoms.Rom rom, AleSettings settings, Duration budget) {
        // The child must not extract JavaCPP's natives itself: killing it mid-copy would leave a
        // half-written library in the shared cache.
        AleNative.load();
        List<String> command = command(rom, settings, budget);
        long t0 = System.nanoTime();
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return new Verdict("failed", "", failedIntro(rom) + "the separate JVM could not be started (" + e
                    + "). " + fixForFailure(rom));
        }
        Output out = new Output(p);
        Thread reader = new Thread(out::read, "eprop-rom-probe-output");
        reader.setDaemon(true);
        reader.start();
        boolean answered;
        int rc;
        try {
            p.getOutputStream().close();
            // The verdict line is the answer; the child is then ended here (a stalled one would
            // spin on otherwise). A child that crashes ends its output without a verdict.
            answered = out.awaitVerdictOrEnd(WALL_LIMIT);
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            reader.join(2000);
            rc = p.isAlive() ? -1 : p.exitValue();
        } catch (IOException e) {
            answered = false;
            rc = -1;
        } catch (InterruptedException e) {
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Verdict("failed", "", failedIntro(rom) + "interrupted while waiting for the separate JVM. "
                    + fixForFailure(rom));
        }
        double seconds = (System.nanoTime() - t0) / 1e9;
        if (!answered) {
            return new Verdict("stalled", "trial", stalledIntro(rom) + String.format(Locale.ROOT,
                    "the separate JVM that tried it gave no answer within %d s and was killed", WALL_LIMIT.toSeconds())
                    + stalledOutro(rom));
        }
        String[] answer = out.answer();
        if (answer != null && answer[0].equals("ok")) {
            return Verdict.OK;
        }
        if (answer != null && answer[0].equals("stalled")) {
            String used = answer[2].equals("-") ? "ran for " + AleWatchdog.WALL_FALLBACK.toSeconds()
                    + " s (that JVM cannot measure thread CPU time)" : "used " + answer[2] + " s of CPU time";
            return new Verdict("stalled", answer[1], stalledIntro(rom) + "tried in a separate JVM, " + answer[1] + " "
                    + used + " without returning (a working cartridge loads in about 0.2 s); that JVM was stopped after "
                    + String.format(Locale.ROOT, "%.1f s", seconds) + stalledOutro(rom));
        }
        if (answer != null && answer[0].equals("invalid")) {
            return new Verdict("invalid", "", answer[2]);
        }
        String what = answer != null && answer[0].equals("error") ? "it failed with " + answer[1] + ": " + answer[2]
                : rc > 128 ? "ALE crashed on it (the separate JVM died with signal " + (rc - 128) + ")"
                : "the separate JVM ended with exit code " + rc + " and no verdict";
        return new Verdict("failed", "", failedIntro(rom) + what + ". Its last output lines:\n  "
                + String.join("\n  ", out.tail()) + "\n" + fixForFailure(rom));
    }

    private static String stalledIntro(AleRoms.Rom rom) {
        return "The ROM file " + rom.file() + " for the Atari game '" + rom.game() + "' is not a known dump of "
                + rom.game() + " (MD5 " + rom.md5() + "), and ALE made no progress on it: ";
    }

    private static String stalledOutro(AleRoms.Rom rom) {
        return ". It was tried only because env.params.allow_unknown_rom is true, and was not loaded here; nothing "
                + "else ran. The file is most likely not a working " + rom.game() + " cartridge. Fix: use a known dump "
                + "of " + rom.game() + " (MD5 " + AleGames.describeKnownDumps(rom.game()) + "). "
                + AleRoms.HOW_TO_GET_ROMS;
    }

    private static String failedIntro(AleRoms.Rom rom) {
        return "The ROM file " + rom.file() + " for the Atari game '" + rom.game() + "' is not a known dump of "
                + rom.game() + " (MD5 " + rom.md5() + "), and trying it in a separate JVM (because "
                + "env.params.allow_unknown_rom is true) did not succeed: ";
    }

    private static String fixForFailure(AleRoms.Rom rom) {
        return "It was not loaded here. Fix: use a known dump of " + rom.game() + ". " + AleRoms.HOW_TO_GET_ROMS;
    }

    /** The child's command line: this JVM's java and class path, a small heap, a quick start. */
    static List<String> command(AleRoms.Rom rom, AleSettings settings, Duration budget) {
        List<String> c = new ArrayList<>();
        c.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        c.add("-Xmx256m");
        c.add("-XX:+UseSerialGC");
        c.add("-XX:TieredStopAtLevel=1");
        c.add("-XX:-UsePerfData");
        for (String name : System.getProperties().stringPropertyNames()) {
            if (name.startsWith("org.bytedeco.") || name.startsWith("org.slf4j.")) {
                c.add("-D" + name + "=" + System.getProperty(name));
            }
        }
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add(RomProbe.class.getName());
        c.add(rom.game());
        c.add(rom.file().toAbsolutePath().toString());
        c.add(settings.mode() == null ? "-" : settings.mode().toString());
        c.add(settings.difficulty() == null ? "-" : settings.difficulty().toString());
        c.add(Long.toString(budget.toMillis()));
        return c;
    }

    /** Reads the child's output: the verdict line, and the last lines for an error message. */
    private static final class Output {
        private final Process process;
        private final Deque<String> tail = new ArrayDeque<>();
        private final CountDownLatch done = new CountDownLatch(1);
        private String[] answer;

        Output(Process process) {
            this.process = process;
        }

        void read() {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    int at = line.indexOf(PREFIX);
                    synchronized (this) {
                        if (at >= 0) {
                            answer = line.substring(at + PREFIX.length()).split(" ", 3);
                            done.countDown();
                        } else if (!line.isBlank()) {
                            tail.addLast(line.length() > 300 ? line.substring(0, 300) + " ..." : line);
                            if (tail.size() > TAIL_LINES) {
                                tail.removeFirst();
                            }
                        }
                    }
                }
            } catch (IOException e) {
                // the child was killed: what was read is all there is
            } finally {
                done.countDown();
            }
        }

        /** Waits for the verdict line or the end of the output; false when neither came in time. */
        boolean awaitVerdictOrEnd(Duration limit) throws InterruptedException {
            return done.await(limit.toMillis(), TimeUnit.MILLISECONDS);
        }

        synchronized String[] answer() {
            if (answer == null) {
                return null;
            }
            String[] a = new String[3];
            for (int i = 0; i < 3; i++) {
                a[i] = i < answer.length ? answer[i] : "";
            }
            return a;
        }

        synchronized List<String> tail() {
            return tail.isEmpty() ? List.of("(none)") : List.copyOf(tail);
        }
    }

    /**
     * The child: {@code <game> <file> <mode|-> <difficulty|-> <budget-ms>}. Prints one verdict line
     * ({@code ok}, {@code stalled <operation> <cpu-seconds>}, {@code invalid - <message>} or
     * {@code error <class> <message>}) and returns; the parent ends the JVM once it has read the
     * line (after a stall, the emulator thread would keep it busy until then). This is the one
     * entry point outside the command line (the architecture test names it): a separate JVM is the
     * only place where a hung native call can be stopped.
     */
    public static void main(String[] args) {
        PrintStream out = System.out;
        try {
            String game = args[0];
            Path file = Path.of(args[1]);
            AleSettings s = AleSettings.v5(game).withRomDir(file.getParent()).withAllowUnknownRom(true)
                    .withFullActionSpace(true).withObservation(AleSettings.Observation.GRAYSCALE)
                    .withMode(args[2].equals("-") ? null : Integer.valueOf(args[2]))
                    .withDifficulty(args[3].equals("-") ? null : Integer.valueOf(args[3]));
            Duration budget = Duration.ofMillis(Long.parseLong(args[4]));
            long frames = 0;
            Rng policy = new Rng(0x5EED);
            try (AleEnv env = new AleEnv(s, budget, false)) {
                for (long seed : SEEDS) {
                    env.reset(seed);
                    for (int i = 0; i < STEPS; i++) {
                        Step<Frame> st = env.step(env.actionSpace().sample(policy));
                        frames += env.frameskip();
                        if (st.done()) {
                            env.reset();
                        }
                    }
                }
                env.reset();
            }
            out.println(PREFIX + "ok " + frames);
        } catch (EmulatorStalledException e) {
            String cpu = Double.isNaN(e.cpuSeconds()) ? "-" : String.format(Locale.ROOT, "%.1f", e.cpuSeconds());
            out.println(PREFIX + "stalled " + e.operation() + " " + cpu);
        } catch (IllegalArgumentException e) {
            out.println(PREFIX + "invalid - " + oneLine(e.getMessage()));
        } catch (Throwable t) {
            out.println(PREFIX + "error " + t.getClass().getName() + " " + oneLine(String.valueOf(t.getMessage())));
        } finally {
            out.flush();
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }
}
