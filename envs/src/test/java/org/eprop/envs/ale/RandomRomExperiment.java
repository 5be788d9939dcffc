package org.eprop.envs.ale;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;

/**
 * The experiment behind the ROM checks (issue 10, item 3), run by hand, not by the build: random
 * 2 KiB and 4 KiB files named {@code pong.bin}, each given to {@link AleEnv} twice.
 *
 * <ol>
 *   <li>with the default settings: every file must be refused before the emulator (a
 *       {@link CorruptRomException} from the content checks or an {@link UnknownRomException} from
 *       the checksum), and a file counts as "reached the emulator" if the environment was made;</li>
 *   <li>with {@code allow_unknown_rom}: a file is refused as corrupt, refused by the trial in a
 *       separate JVM ({@link RomProbe}: stalled, crashed), or loaded; a loaded one then plays 2,000
 *       random steps with three reseeds under the in-process watchdog, which may stop it too.</li>
 * </ol>
 *
 * Usage (from the envs module, after {@code mvn -o -pl envs -am test-compile}):
 * {@code java -cp target/test-classes:target/classes:<test class path> org.eprop.envs.ale.RandomRomExperiment
 * <files> <seed> <work-dir> [threads] [files-with-flag] [first-with-flag]}. The first part runs on
 * all files; the second, which starts a JVM for most files that pass the content checks, on files
 * {@code first-with-flag} (default 0) up to {@code files-with-flag} (default: all), appending to the
 * CSV of an earlier run when it does not start at 0 (to resume a long run). Each file gets its own sub-directory of the work
 * directory; {@code without-flag.csv} and {@code with-flag.csv} get one line per file (the second
 * one flushed per file, so that a long run can be read while it goes: {@code summarize <work-dir>}),
 * and a summary is printed.
 * {@link UnknownRomTest} runs the same on 20 files.
 */
public final class RandomRomExperiment {
    private RandomRomExperiment() {
    }

    /** The random image of file {@code index} (2 KiB for even, 4 KiB for odd indices). */
    static byte[] image(long seed, int index) {
        byte[] d = new byte[index % 2 == 0 ? 2048 : 4096];
        new Random(seed * 1_000_003L + index).nextBytes(d);
        return d;
    }

    /** Outcome of the default settings: {@code corrupt}, {@code unknown}, or {@code REACHED-EMULATOR}. */
    static String withoutFlag(Path dir) {
        try {
            new AleEnv(AleSettings.v5("pong").withRomDir(dir)).close();
            return "REACHED-EMULATOR";
        } catch (CorruptRomException e) {
            return "corrupt";
        } catch (UnknownRomException e) {
            return "unknown";
        }
    }

    /**
     * Outcome with {@code allow_unknown_rom}: {@code corrupt}, {@code probe-stalled} (the trial's
     * watchdog), {@code probe-timeout} (the trial's wall-clock limit), {@code probe-failed} (e.g. a
     * crash), {@code ran} (loaded and played 2,000 steps with three reseeds) or
     * {@code stalled-in-process} (the run's watchdog).
     */
    static String withFlag(Path dir, StringBuilder detail) {
        AleSettings s = AleSettings.v5("pong").withRomDir(dir).withAllowUnknownRom(true);
        AleEnv env;
        try {
            env = new AleEnv(s);
        } catch (CorruptRomException e) {
            return "corrupt";
        } catch (EmulatorStalledException e) {
            detail.append(e.operation());
            return e.operation().equals("trial") ? "probe-timeout" : "probe-stalled";
        } catch (AleException e) {
            detail.append(e.getMessage().lines().findFirst().orElse("").replace(',', ';'));
            return "probe-failed";
        }
        try (env) {
            Rng policy = new Rng(7);
            int steps = 0;
            for (long seed = 10; seed < 13; seed++) {
                env.reset(seed);
                for (int i = 0; i < 667; i++) {
                    Step<Frame> st = env.step(env.actionSpace().sample(policy));
                    steps++;
                    if (st.done()) {
                        env.reset();
                    }
                }
            }
            detail.append(steps).append(" steps");
            return "ran";
        } catch (EmulatorStalledException e) {
            detail.append(e.operation());
            return "stalled-in-process";
        }
    }

    public static void main(String[] args) throws Exception {
        if (args[0].equals("summarize")) { // of a run that is still going, or was stopped
            summarize(Path.of(args[1]).resolve("with-flag.csv"));
            return;
        }
        int files = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]));
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        int withFlagFiles = args.length > 4 ? Math.min(files, Integer.parseInt(args[4])) : files;
        int firstWithFlag = args.length > 5 ? Integer.parseInt(args[5]) : 0;

        // Part 1: default settings, every file.
        long t0 = System.nanoTime();
        Map<String, Integer> bySize2 = new TreeMap<>();
        Map<String, Integer> bySize4 = new TreeMap<>();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(work.resolve("without-flag.csv"),
                StandardCharsets.UTF_8))) {
            csv.println("index,size,outcome");
            for (int i = 0; i < files; i++) {
                byte[] d = image(seed, i);
                Path dir = Files.createDirectories(work.resolve("f" + i));
                Files.write(dir.resolve("pong.bin"), d);
                String o = withoutFlag(dir);
                (d.length == 2048 ? bySize2 : bySize4).merge(o, 1, Integer::sum);
                csv.printf(Locale.ROOT, "%d,%d,%s%n", i, d.length, o);
            }
        }
        System.out.printf(Locale.ROOT, "default settings, %d random files named pong.bin, %.1f s:%n  2048 bytes: %s%n"
                + "  4096 bytes: %s%n", files, (System.nanoTime() - t0) / 1e9, bySize2, bySize4);
        System.out.flush();

        // Part 2: allow_unknown_rom, the first withFlagFiles files.
        long t1 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<String>> futures = new ArrayList<>();
        java.nio.file.OpenOption[] mode = firstWithFlag > 0
                ? new java.nio.file.OpenOption[] {java.nio.file.StandardOpenOption.CREATE,
                    java.nio.file.StandardOpenOption.APPEND}
                : new java.nio.file.OpenOption[0];
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(work.resolve("with-flag.csv"),
                StandardCharsets.UTF_8, mode))) {
            if (firstWithFlag == 0) {
                csv.println("index,size,outcome,seconds,detail");
            }
            csv.flush();
            for (int i = firstWithFlag; i < withFlagFiles; i++) {
                int index = i;
                futures.add(pool.submit(() -> {
                    Path dir = work.resolve("f" + index);
                    long t = System.nanoTime();
                    StringBuilder detail = new StringBuilder();
                    String o = withFlag(dir, detail);
                    double sec = (System.nanoTime() - t) / 1e9;
                    try (Stream<Path> left = Files.list(dir)) {
                        long others = left.filter(p -> !p.getFileName().toString().equals("pong.bin")).count();
                        if (others > 0) {
                            detail.append(" LEFT ").append(others).append(" FILES");
                        }
                    }
                    String line = String.format(Locale.ROOT, "%d,%d,%s,%.3f,%s", index, Files.size(dir.resolve(
                            "pong.bin")), o, sec, detail);
                    synchronized (csv) {
                        csv.println(line);
                        csv.flush();
                    }
                    return line;
                }));
            }
            for (Future<String> f : futures) {
                f.get();
            }
        }
        pool.shutdown();
        System.out.printf(Locale.ROOT, "allow_unknown_rom, files %d to %d, %.0f s%n", firstWithFlag,
                withFlagFiles - 1, (System.nanoTime() - t1) / 1e9);
        summarize(work.resolve("with-flag.csv"));
        System.out.flush();
        // A stall in this process leaves its emulator thread spinning; it ends with the JVM.
        Runtime.getRuntime().halt(0);
    }

    /** Prints the summary of a (possibly partial) {@code with-flag.csv}. */
    static void summarize(Path csv) throws IOException {
        List<String[]> rows = Files.readAllLines(csv, StandardCharsets.UTF_8).stream().skip(1)
                .map(l -> l.split(",", 5)).filter(r -> r.length == 5).toList();
        for (String size : new String[] {"2048", "4096"}) {
            Map<String, Integer> m = new TreeMap<>();
            rows.stream().filter(r -> r[1].equals(size)).forEach(r -> m.merge(r[2], 1, Integer::sum));
            System.out.println("  " + size + " bytes: " + m);
        }
        double[] t = rows.stream().filter(r -> !r[2].equals("corrupt")).mapToDouble(r -> Double.parseDouble(r[3]))
                .sorted().toArray();
        if (t.length > 0) {
            System.out.printf(Locale.ROOT, "  files tried (past the content checks): %d; seconds each: median %.2f, "
                    + "90th percentile %.2f, max %.2f%n", t.length, t[t.length / 2], t[(int) (0.9 * (t.length - 1))],
                    t[t.length - 1]);
        }
        rows.stream().filter(r -> r[4].contains("LEFT")).forEach(r -> System.out.println("  files left: "
                + String.join(",", r)));
    }
}
