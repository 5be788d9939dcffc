package org.eprop.config.bench;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.eprop.agent.spec.MemoryBudget;
import org.eprop.learning.tensor.Nd4jBackend;
import org.eprop.learning.tensor.Precision;

/**
 * The Fig. 3 iteration over a grid of sizes: neurons (half LIF, half ALIF) x batch x trial length,
 * one row per size with seconds per iteration, forward and backward separately, spikes per second,
 * bytes allocated per iteration and forward synaptic events per second (see
 * {@link Fig3Benchmark.Result}). Why a grid: where the time goes changes with the size (the
 * per-element time-step loop at small networks, the dense weight-gradient product at large ones),
 * and a speed-up at one size can be a slow-down at another.
 *
 * <p>A size whose arrays would not fit the JVM's heap ({@link MemoryBudget}) is listed as skipped,
 * with what it would need, instead of ending the sweep in an OutOfMemoryError.
 */
public final class SweepBenchmark {

    /** The grid, and the iterations measured at each point (after {@code warmup}). */
    public record Settings(List<Integer> neurons, List<Integer> batches, List<Integer> steps, String method,
            Precision precision, int warmup, int iterations, long seed) {
        public Settings {
            neurons = List.copyOf(neurons);
            batches = List.copyOf(batches);
            steps = List.copyOf(steps);
            Objects.requireNonNull(method, "method");
            for (int n : neurons) {
                if (n < 2 || n % 2 != 0) {
                    throw new IllegalArgumentException("--neurons: " + n + " is not an even number >= 2 (half LIF, "
                            + "half ALIF)");
                }
            }
            for (int b : batches) {
                if (b < 1) {
                    throw new IllegalArgumentException("--batches: " + b + " is not >= 1");
                }
            }
            for (int t : steps) {
                if (t < 1 || !evenlyScaled(t)) {
                    throw new IllegalArgumentException("--steps: " + t + " cannot be made by scaling the reference "
                            + "trial's durations (2250 steps: 50 ms start, 7 cues of 100 ms every 150 ms, 1050 ms "
                            + "delay, 150 ms recall) to whole milliseconds; use e.g. 1125, 2250 or 4500");
                }
            }
            if (warmup < 0 || iterations < 1) {
                throw new IllegalArgumentException("--warmup must be >= 0 and --iterations >= 1");
            }
        }

        /** The grid: neurons 100 / 400 / 800, batch 16 / 64 / 256, T 1,125 / 2,250 / 4,500. */
        public static Settings full(String method, Precision precision, int warmup, int iterations, long seed) {
            return new Settings(List.of(100, 400, 800), List.of(16, 64, 256), List.of(1125, 2250, 4500), method,
                    precision, warmup, iterations, seed);
        }
    }

    /** One row: the size and its figures, or the memory it would need where skipped ({@code result} null). */
    public record Row(int neurons, int batch, int steps, Fig3Benchmark.Result result, long neededBytes) {
    }

    static final int REFERENCE_STEPS = 2250;

    /** Every duration of the reference trial (50, 100, 150, 1050, 150 ms) scaled to whole milliseconds. */
    private static boolean evenlyScaled(int steps) {
        for (int ms : new int[] {50, 100, 150, 1050}) {
            if (((long) ms * steps) % REFERENCE_STEPS != 0) {
                return false;
            }
        }
        return true;
    }

    private final Settings settings;

    public SweepBenchmark(Settings settings) {
        this.settings = settings;
    }

    public List<Row> run(PrintStream out) {
        out.println("eprop bench --sweep: the Fig. 3 iteration (" + settings.method() + ", random feedback, Adam, "
                + settings.precision() + "), median of " + settings.iterations() + " iterations after "
                + settings.warmup() + " warm-up at each size");
        out.println(Nd4jBackend.describeOnce() + "; Java " + Runtime.version() + ", "
                + Runtime.getRuntime().availableProcessors() + " cores, heap " + gb(MemoryBudget.available()));
        out.println();
        out.println("| neurons | batch | T | s/iteration | forward s | backward s | spikes/s | bytes/iteration "
                + "| synaptic events/s |");
        out.println("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        List<Row> rows = new ArrayList<>();
        for (int n : settings.neurons()) {
            for (int b : settings.batches()) {
                for (int t : settings.steps()) {
                    // 40 inputs, 2 readouts; e-prop's backward scans and BPTT's reverse pass are both
                    // within MemoryBudget's per-neuron-step allowance
                    long need = MemoryBudget.bytes(settings.precision(), 40, n, 2, t, b, 0, 0);
                    Row row;
                    if (need > MemoryBudget.available()) {
                        row = new Row(n, b, t, null, need);
                        out.printf(Locale.ROOT, "| %d | %d | %d | skipped: needs about %s of heap, the JVM has %s "
                                + "(raise -Xmx through JAVA_OPTS) | | | | | |%n", n, b, t, gb(need),
                                gb(MemoryBudget.available()));
                    } else {
                        Fig3Benchmark.Settings s = new Fig3Benchmark.Settings(b, settings.warmup(),
                                settings.iterations(), settings.method(), settings.precision(), settings.seed(), n / 2,
                                n / 2, t / (double) REFERENCE_STEPS);
                        Fig3Benchmark.Result r = new Fig3Benchmark(s).run(out, false);
                        row = new Row(n, b, t, r, need);
                        out.printf(Locale.ROOT, "| %d | %d | %d | %.3f | %.3f | %.3f | %.3g | %d | %.3g |%n", n, b, t,
                                r.medianSeconds(), r.medianForwardSeconds(), r.medianBackwardSeconds(),
                                r.spikesPerSecond(), r.medianAllocatedBytes(), r.synapticEventsPerSecond());
                    }
                    out.flush();
                    rows.add(row);
                }
            }
        }
        return rows;
    }

    private static String gb(long bytes) {
        return String.format(Locale.ROOT, "%.1f GB", bytes / 1e9);
    }
}
