package org.eprop.config.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.eprop.config.bench.AleBenchmark;
import org.eprop.config.bench.Fig3Benchmark;
import org.eprop.learning.tensor.Precision;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "bench", mixinStandardHelpOptions = true,
        description = {"Time one training iteration of the Fig. 3 network (batch 64, T = 2250, 50 LIF + 50 ALIF, "
                + "e-prop with random feedback, Adam): median seconds and allocation per iteration.",
            "With --ale [ROM]: the Atari environment benchmark on Pong instead.",
            "With --agent [CONFIG]: the whole training loop of an agent (acting and learning) instead.",
            "With --sweep: the Fig. 3 iteration over a grid of network, batch and trial sizes.",
            "With --scaling [ROUNDS]: how the Fig. 3 bench scales from one thread to all of them."})
final class BenchCommand implements Callable<Integer> {

    @Option(names = "--iterations", defaultValue = "10", description = "measured iterations (default: ${DEFAULT-VALUE})")
    int iterations;

    @Option(names = "--warmup", description = "warm-up iterations (default: " + Fig3Benchmark.WARMUP
            + " for the Fig. 3 bench, whose loops the JIT is still compiling over its first twenty or so iterations; "
            + OTHER_WARMUP + " for the other modes, whose iterations are longer)")
    Integer warmup;

    /** Warm-up iterations of the modes other than the Fig. 3 bench (agent, sweep, TIMIT). */
    static final int OTHER_WARMUP = 3;

    /** The warm-up to run: the one given, else the mode's default. */
    static int warmup(Integer given, boolean fig3) {
        if (given != null && given < 0) {
            throw new IllegalArgumentException("--warmup must be >= 0, got " + given);
        }
        return given != null ? given : fig3 ? Fig3Benchmark.WARMUP : OTHER_WARMUP;
    }

    @Option(names = "--batch", defaultValue = "64", description = "trials per batch (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--method", defaultValue = "eprop",
            description = "gradient method: eprop, eprop-autodiff, eprop-online, bptt (default: ${DEFAULT-VALUE})")
    String method;

    @Option(names = "--precision", defaultValue = "FLOAT32",
            description = "FLOAT32 or FLOAT64 (default: ${DEFAULT-VALUE})")
    Precision precision;

    @Option(names = "--seed", defaultValue = "1", description = "random seed (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--ale", arity = "0..1", fallbackValue = "", paramLabel = "ROM",
            description = "instead: the Atari benchmark on Pong, frames/s of bare ALE act calls, the environment, "
                    + "the wrapped environment (84x84 grayscale) and the vector environment with 1 and 2 threads. "
                    + "ROM: a pong.bin or its directory, searched first; without it the usual places "
                    + "($EPROP_ROM_DIR, ~/.eprop/roms)")
    String ale;

    @Option(names = "--agent", arity = "0..1", fallbackValue = "config/atari-pong.yaml", paramLabel = "CONFIG",
            description = "instead: the whole training loop of an agent config (acting and learning): emulator "
                    + "frames/s, the split between emulator, network and learner, the bytes all threads allocate "
                    + "per emulator frame while acting and while learning, peak heap and resident memory "
                    + "(default config: ${FALLBACK-VALUE}); --iterations and --warmup count optimiser steps")
    String agent;

    @Option(names = "--timit", description = "instead: training of the frame-wise TIMIT network (2 x (300 LIF + "
            + "100 ALIF), 39 MFCC inputs, 5 steps per frame) on synthetic utterances of TIMIT's length distribution, "
            + "with the projected time of one epoch of 3,696 utterances; --batch (use 32, the original's), "
            + "--method (eprop, bptt, ...), --precision, --warmup and --iterations apply")
    boolean timit;

    @Option(names = "--sweep", description = "instead: the Fig. 3 iteration over a grid of sizes (--neurons, "
            + "--batches, --steps), one table row per size: seconds per iteration, forward and backward, spikes/s, "
            + "bytes allocated, synaptic events/s; --method, --precision, --warmup (default " + OTHER_WARMUP + ") and --iterations "
            + "(use 3 to keep it short) apply")
    boolean sweep;

    @Option(names = "--neurons", split = ",", defaultValue = "100,400,800",
            description = "with --sweep: network sizes, half LIF and half ALIF (default: ${DEFAULT-VALUE})")
    java.util.List<Integer> neurons;

    @Option(names = "--batches", split = ",", defaultValue = "16,64,256",
            description = "with --sweep: batch sizes (default: ${DEFAULT-VALUE})")
    java.util.List<Integer> batches;

    @Option(names = "--steps", split = ",", defaultValue = "1125,2250,4500",
            description = "with --sweep: trial lengths T, the reference trial's durations scaled (default: "
                    + "${DEFAULT-VALUE})")
    java.util.List<Integer> steps;

    @Option(names = "--scaling", arity = "0..1", fallbackValue = "10", paramLabel = "ROUNDS",
            description = "instead: ROUNDS rounds (default ${FALLBACK-VALUE}), each the Fig. 3 bench in a fresh JVM on "
                    + "all threads (-Deprop.threads, by default the cores) and then in one on one thread, with "
                    + "--method, --precision, --batch, --warmup, --iterations and --seed; prints each round's two "
                    + "medians and their ratio, then the medians of both columns and the spread of the ratios")
    Integer scaling;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "with --agent: override a config value")
    java.util.List<String> sets = new java.util.ArrayList<>();

    @Override
    public Integer call() throws java.io.IOException, InterruptedException {
        int warmup = warmup(this.warmup, agent == null && !sweep && !timit);
        if (agent != null) {
            new org.eprop.config.bench.AgentBenchmark(new org.eprop.config.bench.AgentBenchmark.Settings(Path.of(agent),
                    sets, warmup, iterations)).run(System.out);
            return 0;
        }
        if (ale != null) {
            Path rom = ale.isEmpty() ? null : Path.of(ale);
            new AleBenchmark(AleBenchmark.Settings.defaults().withRom(rom)).run(System.out);
            return 0;
        }
        if (iterations < 1 || batch < 1) {
            throw new IllegalArgumentException("--iterations and --batch must be >= 1");
        }
        if (sweep) {
            new org.eprop.config.bench.SweepBenchmark(new org.eprop.config.bench.SweepBenchmark.Settings(neurons,
                    batches, steps, method, precision, warmup, iterations, seed)).run(System.out);
            return 0;
        }
        if (scaling != null) {
            new org.eprop.config.bench.ScalingBenchmark(new org.eprop.config.bench.ScalingBenchmark.Settings(scaling,
                    org.eprop.learning.tensor.BatchParallel.threads(), scalingArgs(warmup))).run(System.out);
            return 0;
        }
        if (timit) {
            var s = org.eprop.supervised.timit.TimitTraining.Settings.original()
                    .withRule(method, method.equals("bptt") ? org.eprop.learning.gradient.Feedback.Mode.SYMMETRIC
                            : org.eprop.learning.gradient.Feedback.Mode.RANDOM)
                    .withTraining(batch, 1, 100).withPrecision(precision);
            org.eprop.supervised.timit.TimitBenchmark.run(s, 39, warmup, iterations, System.out);
            return 0;
        }
        new Fig3Benchmark(new Fig3Benchmark.Settings(batch, warmup, iterations, method, precision, seed))
                .run(System.out);
        return 0;
    }

    /** The arguments of each of --scaling's bench runs: this command's Fig. 3 settings, spelled out. */
    java.util.List<String> scalingArgs(int warmup) {
        return java.util.List.of("--method", method, "--precision", precision.name(), "--batch", Integer.toString(batch),
                "--warmup", Integer.toString(warmup), "--iterations", Integer.toString(iterations), "--seed",
                Long.toString(seed));
    }
}
