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

/**
 * The whole training loop of an agent config (acting in its environments and learning), timed: it
 * trains for warm-up plus measured iterations into a temporary run directory and reports emulator
 * frames per second over the measured iterations, how the time splits between the emulator, the
 * network while acting and the learner, the allocation of the training thread per agent step, and
 * the peak heap. The figures come from the run's {@code timing.csv}, which every run writes.
 */
public final class AgentBenchmark {

    /** What to run: a config file with overrides, and how many iterations to measure. */
    public record Settings(Path config, List<String> overrides, int warmup, int iterations) {
    }

    /** The measured figures. */
    public record Result(double framesPerSecond, double emulatorShare, double networkShare, double learnerShare,
            double otherShare, double bytesPerFrame, long peakHeapBytes, long frames, double seconds) {
    }

    private final Settings settings;

    public AgentBenchmark(Settings settings) {
        this.settings = settings;
    }

    public Result run(PrintStream out) throws IOException {
        Path runs = Files.createTempDirectory("eprop-bench-agent");
        List<String> overrides = new ArrayList<>(settings.overrides());
        int total = settings.warmup() + settings.iterations();
        overrides.add("training.max_iterations=" + total);
        overrides.add("training.checkpoint_every=" + (total + 1));
        RunLauncher.Prepared prepared = RunLauncher.prepare(settings.config(), overrides);
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        long id = Thread.currentThread().getId();
        long allocatedBefore = threads.getThreadAllocatedBytes(id);
        for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
            pool.resetPeakUsage();
        }
        try (PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            RunLauncher.start(prepared, runs, List.of("eprop", "bench", "--agent"), quiet);
        }
        long allocated = threads.getThreadAllocatedBytes(id) - allocatedBefore;
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
        List<String> metrics = Files.readAllLines(run.resolve("metrics.csv"));
        int framesColumn = List.of(metrics.get(0).split(",")).indexOf("frames");
        double allFrames = Double.parseDouble(metrics.get(metrics.size() - 1).split(",")[framesColumn]);
        double seconds = 0;
        double frames = 0;
        double[] split = new double[4];
        for (int i = 1 + settings.warmup(); i < rows.size(); i++) {
            String[] c = rows.get(i).split(",");
            double s = Double.parseDouble(c[1]);
            seconds += s;
            frames += Double.parseDouble(c[2]) * s;
            for (int k = 0; k < 4; k++) {
                split[k] += Double.parseDouble(c[3 + k]);
            }
        }
        Result r = new Result(frames / seconds, split[0] / seconds, split[1] / seconds, split[2] / seconds,
                split[3] / seconds, allocated / Math.max(1.0, allFrames), peak, (long) frames, seconds);
        out.printf(Locale.ROOT, "%s: %d measured iterations after %d warm-up, %.0f frames in %.1f s%n",
                settings.config(), settings.iterations(), settings.warmup(), frames, seconds);
        out.printf(Locale.ROOT, "%.0f emulator frames/s; time: emulator %.0f %%, network while acting %.0f %%, "
                + "learner %.0f %%, other %.0f %%%n", r.framesPerSecond(), 100 * r.emulatorShare(),
                100 * r.networkShare(), 100 * r.learnerShare(), 100 * r.otherShare());
        out.printf(Locale.ROOT, "allocation of the training thread: %.0f bytes per emulator frame (the environments' "
                + "own threads not counted); peak heap %.0f MB%n", r.bytesPerFrame(), peak / 1e6);
        return r;
    }
}
