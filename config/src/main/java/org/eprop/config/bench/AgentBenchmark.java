package org.eprop.config.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.eprop.config.run.RunLauncher;
import org.eprop.envs.ale.AleEnvironments;
import org.eprop.envs.ale.AleParams;
import org.eprop.envs.ale.AleSettings;

/**
 * The whole training loop of an agent config (acting in its environments and learning), timed: it
 * trains for warm-up plus measured iterations into a temporary run directory and reports, over the
 * measured iterations, emulator frames per second, how the time splits between the emulator, the
 * network while acting and the learner, and the bytes allocated per emulator frame by all threads
 * (the environments' and the pool's included) while acting and while learning; and the peak heap
 * and peak resident memory of the process. The figures come from the run's {@code timing.csv},
 * which every run writes. For an ALE game it also times the bare emulator on the same ROM first
 * ({@link #emulatorReference}), a yardstick of the machine's speed at the time.
 */
public final class AgentBenchmark {

    /** What to run: a config file with overrides, and how many iterations to measure. */
    public record Settings(Path config, List<String> overrides, int warmup, int iterations) {
    }

    /** The measured figures. */
    public record Result(double framesPerSecond, double emulatorShare, double networkShare, double learnerShare,
            double otherShare, double actingBytesPerFrame, double learnerBytesPerFrame, long peakHeapBytes,
            long peakResidentBytes, long frames, double seconds) {
    }

    private final Settings settings;

    public AgentBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Runs the benchmark in a temporary run directory, which is deleted afterwards (its checkpoint is large). */
    public Result run(PrintStream out) throws IOException {
        Path runs = Files.createTempDirectory("eprop-bench-agent");
        try {
            return run(out, runs);
        } finally {
            deleteTree(runs);
        }
    }

    private static void deleteTree(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(root)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    private Result run(PrintStream out, Path runs) throws IOException {
        List<String> overrides = new ArrayList<>(settings.overrides());
        int total = settings.warmup() + settings.iterations();
        overrides.add("training.max_iterations=" + total);
        overrides.add("training.checkpoint_every=" + (total + 1));
        RunLauncher.Prepared prepared = RunLauncher.prepare(settings.config(), overrides);
        // The VM this project is measured on changes speed by up to 1.8x within the hour: for an
        // Atari config, the emulator's own speed just before the run says which state it was in.
        double reference = emulatorReference(prepared);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try (PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            RunLauncher.start(prepared, runs, List.of("eprop", "bench", "--agent"), quiet);
        }
        long peak = 0;
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            if (pool.getType() == MemoryType.HEAP) {
                peak += pool.getPeakUsage().getUsed();
            }
        }
        Path run;
        try (Stream<Path> dirs = Files.list(runs)) {
            run = dirs.findFirst().orElseThrow();
        }
        List<String> rows = Files.readAllLines(run.resolve("timing.csv"));
        List<String> header = List.of(rows.get(0).split(","));
        int acting = header.indexOf("acting_bytes");
        int learner = header.indexOf("learner_bytes");
        if (acting < 0 || learner < 0) {
            throw new IllegalStateException(settings.config() + ": the agent's timing.csv has no allocation columns "
                    + "(acting_bytes, learner_bytes): " + rows.get(0));
        }
        // frames from metrics.csv (exact counts), time from timing.csv, both over the measured iterations
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        int framesColumn = List.of(metrics.get(0).split(",")).indexOf("frames");
        double frames = Double.parseDouble(metrics.get(metrics.size() - 1).split(",")[framesColumn])
                - (settings.warmup() == 0 ? 0 : Double.parseDouble(metrics.get(settings.warmup()).split(",")[framesColumn]));
        double seconds = 0;
        double actingBytes = 0;
        double learnerBytes = 0;
        double[] split = new double[4];
        for (int i = 1 + settings.warmup(); i < rows.size(); i++) {
            String[] c = rows.get(i).split(",");
            double s = Double.parseDouble(c[1]);
            seconds += s;
            for (int k = 0; k < 4; k++) {
                split[k] += Double.parseDouble(c[3 + k]);
            }
            actingBytes += Double.parseDouble(c[acting]);
            learnerBytes += Double.parseDouble(c[learner]);
        }
        double perFrame = 1.0 / Math.max(1.0, frames);
        Result r = new Result(frames / seconds, split[0] / seconds, split[1] / seconds, split[2] / seconds,
                split[3] / seconds, actingBytes * perFrame, learnerBytes * perFrame, peak, peakResident(),
                Math.round(frames), seconds);
        out.printf(Locale.ROOT, "%s: %d measured iterations after %d warm-up, %.0f frames in %.1f s%n",
                settings.config(), settings.iterations(), settings.warmup(), frames, seconds);
        out.printf(Locale.ROOT, "%.0f emulator frames/s; time: emulator %.0f %%, network while acting %.0f %%, "
                + "learner %.0f %%, other %.0f %%%n", r.framesPerSecond(), 100 * r.emulatorShare(),
                100 * r.networkShare(), 100 * r.learnerShare(), 100 * r.otherShare());
        if (reference > 0) {
            out.printf(Locale.ROOT, "reference: ALE's bare act on this game just before, one core: %.0f frames/s "
                    + "(the loop ran at %.0f %% of it)%n", reference, 100 * r.framesPerSecond() / reference);
        }
        out.printf(Locale.ROOT, "allocated by all threads: %.1f bytes per emulator frame while acting, %.1f while "
                + "learning; peak heap %.0f MB, peak resident %s%n", r.actingBytesPerFrame(), r.learnerBytesPerFrame(),
                peak / 1e6, r.peakResidentBytes() < 0 ? "unknown" : String.format(Locale.ROOT, "%.0f MB",
                        r.peakResidentBytes() / 1e6));
        return r;
    }

    /**
     * For an ALE game, frames per second of native {@code act} calls on its ROM and settings for 3
     * seconds, one core, no screen ({@link AleBenchmark}'s {@code bare act}); 0 for other environments.
     */
    static double emulatorReference(RunLauncher.Prepared prepared) {
        if (!(prepared.env().params() instanceof AleParams p)) {
            return 0;
        }
        AleSettings s = AleEnvironments.settings(prepared.env().id(), p);
        return s == null ? 0 : AleBenchmark.bare(s, 3);
    }

    /** The process's peak resident set (Linux {@code VmHWM}), or -1 where it cannot be read. */
    static long peakResident() {
        Path status = Path.of("/proc/self/status");
        try {
            for (String line : Files.readAllLines(status)) {
                if (line.startsWith("VmHWM:")) {
                    String[] f = line.substring(6).trim().split("\\s+");
                    return Long.parseLong(f[0]) * (f.length > 1 && f[1].equalsIgnoreCase("kB") ? 1024 : 1);
                }
            }
        } catch (IOException | RuntimeException e) {
            return -1;
        }
        return -1;
    }
}
