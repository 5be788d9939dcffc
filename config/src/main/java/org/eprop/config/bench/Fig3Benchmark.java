package org.eprop.config.bench;

import java.io.PrintStream;
import java.util.Arrays;
import org.eprop.agent.run.AllocationMeter;
import org.eprop.envs.cue.EvidenceAccumulation;
import org.eprop.learning.gradient.CrossEntropy;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.ReverseMode;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.optim.Adam;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Nd4jBackend;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.EventProduct;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.train.Learner;

/**
 * Times one training iteration of the Fig. 3 network: a fresh batch of evidence-accumulation
 * trials (40 Poisson inputs, T = 2250 steps of 1 ms), 50 LIF + 50 ALIF, 2 readouts, cross-entropy
 * on the recall window plus rate regularisation, e-prop with random feedback, Adam. Reports the
 * median seconds per iteration and the heap bytes allocated per iteration and per time step.
 */
public final class Fig3Benchmark {

    /**
     * The default warm-up: the JIT compiles the time loop's and the scan's final code over the first
     * twenty or so iterations (on a 2-core machine its compiler threads take a core from the workers
     * meanwhile): with the weights held fixed, so that every iteration did the same work, iterations
     * 4-13 took 0.033-0.071 s on two threads and iterations 21-30 0.030-0.034 s (2026-12-07, AMD EPYC
     * family 26, 2 cores).
     */
    public static final int WARMUP = 20;

    /**
     * Benchmark settings.
     *
     * @param lif LIF neurons (the Fig. 3 network: 50)
     * @param alif ALIF neurons (50)
     * @param timeScale every duration of the reference trial times this: 1 is T = 2250 steps, 0.5 is
     *     1125, 2 is 4500
     */
    public record Settings(int batch, int warmup, int iterations, String method, Precision precision, long seed,
            int lif, int alif, double timeScale) {
        public Settings(int batch, int warmup, int iterations, String method, Precision precision, long seed) {
            this(batch, warmup, iterations, method, precision, seed, 50, 50, 1.0);
        }

        public static Settings defaults() {
            return new Settings(64, WARMUP, 10, "eprop", Precision.FLOAT32, 1);
        }

        /** The reference trial with every duration scaled by {@link #timeScale}. */
        public EvidenceAccumulation.Timing timing() {
            EvidenceAccumulation.Timing r = EvidenceAccumulation.Timing.reference();
            double f = timeScale;
            return new EvidenceAccumulation.Timing(r.cues(), r.startMs() * f, r.cueMs() * f, r.intervalMs() * f,
                    r.delayMs() * f, r.recallMs() * f, r.cueRateHz(), r.backgroundRateHz(), r.majorityProbability(),
                    r.channelsPerGroup(), r.dtMs());
        }
    }

    /**
     * The measured figures (medians over the measured iterations).
     *
     * @param medianForwardSeconds the forward pass (the time-step loop and its products)
     * @param medianBackwardSeconds everything after it: losses, the gradient, the optimiser step
     * @param spikesPerSecond recurrent spikes of an iteration over its median time
     * @param synapticEventsPerSecond forward synaptic events over the median iteration time: each input
     *     spike reaches {@code n} neurons, each recurrent spike {@code n} neurons and the readouts
     */
    public record Result(double medianSeconds, double minSeconds, double medianSampleSeconds, long medianAllocatedBytes,
            double loopBytesPerStep, int steps, int batch, double medianForwardSeconds, double medianBackwardSeconds,
            double spikesPerSecond, double synapticEventsPerSecond) {
    }

    private final Settings settings;

    public Fig3Benchmark(Settings settings) {
        this.settings = settings;
    }

    public Result run(PrintStream out) {
        return run(out, true);
    }

    /** As {@link #run(PrintStream)}; {@code verbose} false prints nothing per iteration nor the summary. */
    public Result run(PrintStream out, boolean verbose) {
        EvidenceAccumulation task = new EvidenceAccumulation(settings.timing());
        int steps = task.timing().steps();
        int batch = settings.batch();
        int nIn = task.timing().inputs();
        Precision precision = settings.precision();
        Rng rng = new Rng(settings.seed());
        NeuronLayer f3 = NeuronLayer.fig3();
        NeuronLayer layer = new NeuronLayer(nIn, settings.lif(), settings.alif(), f3.dt(), f3.tauM(), f3.tauA(), f3.vTh(),
                f3.beta(), f3.tRef(), f3.gamma(), f3.input());
        SpikingNetwork net = new SpikingNetwork(layer, Readout.fig3(), precision)
                .initialise(rng.split(1), ReadoutInit.GLOROT_UNIFORM);
        ForwardPass forward = new ForwardPass(precision);
        GradientMethod method = switch (settings.method()) {
            case "eprop" -> new FastEprop(forward.dense());
            case "eprop-autodiff" -> ReverseMode.cutPath(forward.dense());
            case "eprop-online" -> new OnlineEprop(precision);
            case "bptt" -> ReverseMode.bptt(forward.dense());
            default -> throw new IllegalArgumentException("unknown method '" + settings.method()
                    + "'; known: eprop, eprop-autodiff, eprop-online, bptt");
        };
        Feedback feedback = Feedback.random(net, rng.split(2), false);
        Learner learner = new Learner(net, forward, method, feedback, new Adam(5e-3), null, new CrossEntropy(),
                new RateRegularizer(1.0, 0.01));

        float[] inputs = new float[steps * batch * nIn];
        RealArray x = precision == Precision.FLOAT32 ? new RealArray.F32(inputs) : precision.zeros(inputs.length);
        int[] labels = new int[batch];
        Targets targets = new Targets();
        Rng data = rng.split(3);
        // All threads: the time loops and scans run on the pool's workers, which the training
        // thread's own counter would miss.
        AllocationMeter meter = new AllocationMeter();

        if (verbose) {
            out.println("eprop bench: Fig. 3 network, batch " + batch + ", T = " + steps + " steps, " + nIn
                    + " Poisson inputs, " + settings.lif() + " LIF + " + settings.alif() + " ALIF, 2 readouts, "
                    + method.id() + " (random feedback), Adam, " + precision);
            out.println(Nd4jBackend.describeOnce() + "; Java " + Runtime.version() + ", "
                    + Runtime.getRuntime().availableProcessors() + " cores");
        }
        int total = settings.warmup() + settings.iterations();
        double[] seconds = new double[settings.iterations()];
        double[] sampleSeconds = new double[settings.iterations()];
        long[] allocated = new long[settings.iterations()];
        double[] forwardSeconds = new double[settings.iterations()];
        double[] backwardSeconds = new double[settings.iterations()];
        double[] spikes = new double[settings.iterations()];
        double[] events = new double[settings.iterations()];
        int n = net.neurons();
        java.lang.management.CompilationMXBean jit = java.lang.management.ManagementFactory.getCompilationMXBean();
        boolean jitTimed = jit != null && jit.isCompilationTimeMonitoringSupported();
        long jitBefore = 0;
        // The measured iterations' lines wait until the last of them unless iterations are long:
        // formatting a line between two iterations (java.util.Formatter's pattern matching) kept the
        // JIT compiling through the measured iterations, 39-47 ms in 20 of them against 17-25 ms
        // without the lines, on a core that a run on two threads needs (the batch sampling's zeroing
        // on a worker started 0.3 ms later on median).
        double[] losses = new double[settings.iterations()];
        double[] regLosses = new double[settings.iterations()];
        boolean live = false;
        for (int it = 0; it < total; it++) {
            if (it == settings.warmup() && jitTimed) {
                jitBefore = jit.getTotalCompilationTime();
            }
            long bytes0 = meter.allocatedBytes();
            long t0 = System.nanoTime();
            task.sampleBatch(data, batch, inputs, labels, null);
            if (precision != Precision.FLOAT32) {
                for (int i = 0; i < inputs.length; i++) {
                    x.set(i, inputs[i]);
                }
            }
            targets.resize(steps, batch, 2).classifyFinalSteps(labels, task.timing().recallSteps());
            long t1 = System.nanoTime();
            Learner.Step step = learner.step(x, steps, batch, targets);
            long t2 = System.nanoTime();
            long bytes = meter.allocatedBytes() - bytes0;
            long inputEvents = inputEvents(step.trajectory(), x, steps * batch, nIn, inputs);
            boolean measured = it >= settings.warmup();
            if (measured) {
                int m = it - settings.warmup();
                seconds[m] = (t2 - t0) / 1e9;
                sampleSeconds[m] = (t1 - t0) / 1e9;
                allocated[m] = bytes;
                forwardSeconds[m] = step.forwardNanos() / 1e9;
                backwardSeconds[m] = step.backwardNanos() / 1e9;
                spikes[m] = step.trajectory().spikeTotal();
                events[m] = inputEvents * (double) n + spikes[m] * (n + net.outputs());
            }
            if (measured) {
                losses[it - settings.warmup()] = step.taskLoss();
                regLosses[it - settings.warmup()] = step.regLoss();
            } else {
                live |= t2 - t0 > LIVE_NANOS;
            }
            if (verbose && (!measured || live)) {
                printIteration(out, it + 1, measured, (t2 - t0) / 1e9, (t1 - t0) / 1e9, step.taskLoss(), step.regLoss(),
                        bytes);
            }
        }
        if (verbose && !live) {
            for (int m = 0; m < settings.iterations(); m++) {
                printIteration(out, settings.warmup() + m + 1, true, seconds[m], sampleSeconds[m], losses[m],
                        regLosses[m], allocated[m]);
            }
        }
        long jitMs = jitTimed ? jit.getTotalCompilationTime() - jitBefore : -1;
        double loopBytes = loopAllocationPerStep(net, forward, x, steps, batch, meter);
        double[] sorted = seconds.clone();
        Arrays.sort(sorted);
        double[] sortedSample = sampleSeconds.clone();
        Arrays.sort(sortedSample);
        long[] sortedAlloc = allocated.clone();
        Arrays.sort(sortedAlloc);
        double medianSeconds = median(sorted);
        Result r = new Result(medianSeconds, sorted[0], median(sortedSample), sortedAlloc[sortedAlloc.length / 2],
                loopBytes, steps, batch, median(sortedCopy(forwardSeconds)), median(sortedCopy(backwardSeconds)),
                median(sortedCopy(spikes)) / medianSeconds, median(sortedCopy(events)) / medianSeconds);
        if (!verbose) {
            return r;
        }
        double max = sorted[sorted.length - 1];
        // Four decimals: a Fig. 3 iteration takes a few hundredths of a second, and a millisecond is
        // the difference worth seeing between two thread counts or two builds.
        out.printf("median %.4f s per iteration (min %.4f s, max %.4f s = %.2fx the median; batch sampling %.4f s of it)"
                + " over %d iterations after %d of warm-up, %d threads, load %s%n", r.medianSeconds(), r.minSeconds(),
                max, max / r.medianSeconds(), r.medianSampleSeconds(), settings.iterations(), settings.warmup(),
                BatchParallel.threads(), loadAverage());
        if (jitMs >= 0) {
            // Compilation still going on during the measured iterations takes a core from the workers
            // (more --warmup then gives steadier figures).
            out.printf("JIT: %d ms of compilation during the measured iterations%n", jitMs);
        }
        out.printf("split (medians): batch sampling %.4f s, forward pass %.4f s, losses + gradient + update %.4f s%n",
                r.medianSampleSeconds(), r.medianForwardSeconds(), r.medianBackwardSeconds());
        out.printf("allocation: %d bytes per iteration (Java heap, all threads); time-step loop: %.1f bytes per step%n",
                r.medianAllocatedBytes(), r.loopBytesPerStep());
        return r;
    }

    /** Warm-up iterations longer than this: the measured iterations' lines are printed as they end. */
    private static final long LIVE_NANOS = 1_000_000_000L;

    private static void printIteration(PrintStream out, int iteration, boolean measured, double seconds,
            double sampleSeconds, double loss, double regLoss, long bytes) {
        out.printf("  iteration %2d%s: %.3f s (batch sampling %.3f s), loss %.4f, rate reg %.5f, %d B allocated%n",
                iteration, measured ? "" : " (warm-up)", seconds, sampleSeconds, loss, regLoss, bytes);
    }

    /**
     * Heap allocation attributable to the time-step loop: the forward pass run over the whole
     * trial and over its first half; whatever grows with the number of steps is allocated inside
     * the loop.
     */
    private static double loopAllocationPerStep(SpikingNetwork net, ForwardPass forward, RealArray x, int steps,
            int batch, AllocationMeter meter) {
        int half = steps / 2;
        RealArray firstHalf = x.precision().zeros(half * batch * net.inputs());
        for (int i = 0; i < firstHalf.length(); i++) {
            firstHalf.set(i, x.get(i));
        }
        forward.run(net, firstHalf, half, batch, false);
        long a0 = meter.allocatedBytes();
        forward.run(net, x, steps, batch, false);
        long full = meter.allocatedBytes() - a0;
        long b0 = meter.allocatedBytes();
        forward.run(net, firstHalf, half, batch, false);
        long halfBytes = meter.allocatedBytes() - b0;
        return Math.max(0, full - halfBytes) / (double) (steps - half);
    }

    private static double[] sortedCopy(double[] a) {
        double[] c = a.clone();
        Arrays.sort(c);
        return c;
    }

    /**
     * The batch's input spikes: as the forward pass listed them where it did (float32's event-driven
     * input), else counted. Counting the 5.8 million inputs of a Fig. 3 batch takes a few ms on this
     * thread between two iterations, long enough for the workers to park; the next iteration's first
     * loops then ran without them while they woke (0.1-0.4 ms each, 2026-12-07).
     */
    private static long inputEvents(Trajectory tr, RealArray x, int rows, int nIn, float[] inputs) {
        EventProduct listed = tr.inputEvents();
        return listed.holds(x, 0, rows, nIn) ? listed.rowStarts()[rows] : countNonZero(inputs);
    }

    private static long countNonZero(float[] a) {
        long c = 0;
        for (float v : a) {
            if (v != 0) {
                c++;
            }
        }
        return c;
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** The 1-minute load average, as the README states figures with it ("n/a" where unknown). */
    static String loadAverage() {
        double load = java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage();
        return load < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f", load);
    }
}
