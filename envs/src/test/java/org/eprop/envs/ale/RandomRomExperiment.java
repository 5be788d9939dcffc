package org.eprop.envs.ale;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
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
 * <files> <seed> <work-dir> [threads]}. It prints a summary and writes {@code results.csv} (one
 * line per file) to the work directory; each file gets its own sub-directory there.
 * {@link UnknownRomTest} runs the same on 20 files.
 */
public final class RandomRomExperiment {
    private RandomRomExperiment() {
    }

    /** What happened to one file. */
    record Outcome(int index, int size, String withoutFlag, String withFlag, double seconds, String detail) {
    }

    /** The random image of file {@code index} (2 KiB for even, 4 KiB for odd indices). */
    static byte[] image(long seed, int index) {
        byte[] d = new byte[index % 2 == 0 ? 2048 : 4096];
        new Random(seed * 1_000_003L + index).nextBytes(d);
        return d;
    }

    /** Outcome of the default settings: {@code corrupt}, {@code unknown}, or {@code REACHED-EMULATOR}. */
    static String withoutFlag(Path dir) {
        try (AleEnv env = new AleEnv(AleSettings.v5("pong").withRomDir(dir))) {
            return "REACHED-EMULATOR";
        } catch (CorruptRomException e) {
            return "corrupt";
        } catch (UnknownRomException e) {
            return "unknown";
        }
    }

    /**
     * Outcome with {@code allow_unknown_rom}: {@code corrupt}, {@code probe-stalled},
     * {@code probe-failed}, {@code ran} (loaded and played) or {@code stalled-in-process}.
     */
    static String withFlag(Path dir, StringBuilder detail) {
        AleSettings s = AleSettings.v5("pong").withRomDir(dir).withAllowUnknownRom(true).withRepeatActionProbability(0.25);
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
        int files = Integer.parseInt(args[0]);
        long seed = Long.parseLong(args[1]);
        Path work = Files.createDirectories(Path.of(args[2]));
        int threads = args.length > 3 ? Integer.parseInt(args[3]) : 1;
        long t0 = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        List<Future<Outcome>> futures = new ArrayList<>();
        for (int i = 0; i < files; i++) {
            int index = i;
            futures.add(pool.submit(() -> one(work, seed, index)));
        }
        List<Outcome> outcomes = new ArrayList<>();
        try (PrintWriter csv = new PrintWriter(Files.newBufferedWriter(work.resolve("results.csv"),
                StandardCharsets.UTF_8))) {
            csv.println("index,size,without_flag,with_flag,seconds,detail");
            int done = 0;
            for (Future<Outcome> f : futures) {
                Outcome o = f.get();
                outcomes.add(o);
                csv.printf(Locale.ROOT, "%d,%d,%s,%s,%.3f,%s%n", o.index(), o.size(), o.withoutFlag(), o.withFlag(),
                        o.seconds(), o.detail());
                if (++done % 100 == 0) {
                    csv.flush();
                    System.out.printf(Locale.ROOT, "%d/%d files, %.0f s%n", done, files,
                            (System.nanoTime() - t0) / 1e9);
                }
            }
        }
        pool.shutdown();
        summary(outcomes, (System.nanoTime() - t0) / 1e9);
        System.out.flush();
        // A stall in this process leaves its emulator thread spinning; it ends with the JVM.
        Runtime.getRuntime().halt(0);
    }

    private static Outcome one(Path work, long seed, int index) throws IOException {
        byte[] d = image(seed, index);
        Path dir = Files.createDirectories(work.resolve("f" + index));
        Files.write(dir.resolve("pong.bin"), d);
        String without = withoutFlag(dir);
        long t = System.nanoTime();
        StringBuilder detail = new StringBuilder();
        String with = withFlag(dir, detail);
        double seconds = (System.nanoTime() - t) / 1e9;
        try (Stream<Path> left = Files.list(dir)) {
            long others = left.filter(p -> !p.getFileName().toString().equals("pong.bin")).count();
            if (others > 0) {
                detail.append(" LEFT ").append(others).append(" FILES");
            }
        }
        return new Outcome(index, d.length, without, with, seconds, detail.toString());
    }

    private static void summary(List<Outcome> outcomes, double seconds) {
        System.out.printf(Locale.ROOT, "%d random files named pong.bin (half 2 KiB, half 4 KiB), %.0f s%n",
                outcomes.size(), seconds);
        for (int size : new int[] {2048, 4096}) {
            List<Outcome> of = outcomes.stream().filter(o -> o.size() == size).toList();
            System.out.printf(Locale.ROOT, "%d-byte files: %d%n", size, of.size());
            System.out.println("  default settings:  " + count(of, Outcome::withoutFlag));
            System.out.println("  allow_unknown_rom: " + count(of, Outcome::withFlag));
        }
        List<Outcome> tried = outcomes.stream().filter(o -> !o.withFlag().equals("corrupt")).toList();
        if (!tried.isEmpty()) {
            double[] t = tried.stream().mapToDouble(Outcome::seconds).sorted().toArray();
            System.out.printf(Locale.ROOT, "files tried under allow_unknown_rom: %d; seconds per file: median %.2f, "
                    + "90th percentile %.2f, max %.2f%n", t.length, t[t.length / 2], t[(int) (0.9 * (t.length - 1))],
                    t[t.length - 1]);
            Outcome slowest = tried.stream().max(Comparator.comparingDouble(Outcome::seconds)).orElseThrow();
            System.out.println("slowest: " + slowest);
        }
        outcomes.stream().filter(o -> o.detail().contains("LEFT")).forEach(o -> System.out.println("files left: " + o));
    }

    private static String count(List<Outcome> of, java.util.function.Function<Outcome, String> key) {
        Map<String, Integer> m = new TreeMap<>();
        for (Outcome o : of) {
            m.merge(key.apply(o), 1, Integer::sum);
        }
        return m.toString();
    }
}
