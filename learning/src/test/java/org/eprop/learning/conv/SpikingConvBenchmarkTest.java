package org.eprop.learning.conv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * Speed of the front end at the reference sizes, batch 32, float32: prints nanoseconds per agent
 * step (one conv1 pass and 5 network steps of both layers) of the actors' forward, and of the
 * learner's recording forward plus each gradient mode. No timing assertion: machines differ. A
 * benchmark, not a test: it runs only when asked, {@code mvn -pl learning test
 * -Dtest=SpikingConvBenchmarkTest -Deprop.bench=true} (the whole-loop figure is {@code eprop bench --agent}).
 *
 * <p>The frames are Pong-like: a uniform background with two paddles and a ball that move, so that
 * most of the picture is constant as in Atari frames (random noise frames would overstate spiking).
 */
@EnabledIfSystemProperty(named = "eprop.bench", matches = "true")
class SpikingConvBenchmarkTest {
    private static final int BATCH = 32;

    private static void pongFrames(RealArray frames, int agentStep, int slot, int batch) {
        int n = 84 * 84;
        for (int b = 0; b < batch; b++) {
            int off = (slot * batch + b) * n;
            int phase = agentStep + 7 * b;
            for (int y = 0; y < 84; y++) {
                for (int x = 0; x < 84; x++) {
                    double v = 0.34;
                    if (y < 6 || y > 77) {
                        v = 0.93;
                    }
                    int p1 = 20 + Math.abs((phase * 2) % 88 - 44);
                    int p2 = 20 + Math.abs((phase * 3 + 30) % 88 - 44);
                    if (x >= 8 && x < 10 && y >= p1 && y < p1 + 8) {
                        v = 0.6;
                    }
                    if (x >= 74 && x < 76 && y >= p2 && y < p2 + 8) {
                        v = 0.55;
                    }
                    int bx = 10 + Math.abs((phase * 3) % 128 - 64);
                    int by = 10 + Math.abs((phase * 2) % 128 - 64);
                    if (x >= bx && x < bx + 2 && y >= by && y < by + 2) {
                        v = 0.93;
                    }
                    frames.set(off + y * 84 + x, v);
                }
            }
        }
    }

    @Test
    void referenceSizesBatch32() {
        SpikingCnn cnn = new SpikingCnn(SpikingCnnConfig.reference(), Precision.FLOAT32);
        cnn.initialise(new Rng(1));
        SpikingCnnState state = cnn.zeroState(BATCH);
        CnnUnroll step = cnn.newUnroll(1, BATCH, false);
        RealArray frame = Precision.FLOAT32.zeros(BATCH * 84 * 84);
        int warm = 30;
        int measured = 100;
        double spikes1 = 0;
        double spikes2 = 0;
        long elapsed = 0;
        for (int k = 0; k < warm + measured; k++) {
            pongFrames(frame, k, 0, BATCH);
            long t0 = System.nanoTime();
            cnn.forward(frame, state, step);
            long t1 = System.nanoTime();
            if (k >= warm) {
                elapsed += t1 - t0;
                spikes2 += step.conv2Spikes().sum();
                spikes1 += step.pooled1().sum();
            }
        }
        double perStep = (double) elapsed / measured;
        double rate2 = spikes2 / (measured * 5.0 * BATCH * cnn.config().conv2().outputSize());
        double meanPool1 = spikes1 / (measured * 5.0 * BATCH * cnn.pool1().outputSize());
        System.out.printf("spiking CNN forward, batch %d, %d threads: %.0f ns per agent step (%.0f ns per row); "
                + "conv2 rate %.3f, mean pooled conv1 %.3f%n", BATCH, BatchParallel.threads(), perStep,
                perStep / BATCH, rate2, meanPool1);

        int agentSteps = 10;
        CnnUnroll unroll = cnn.newUnroll(agentSteps, BATCH, true);
        RealArray frames = Precision.FLOAT32.zeros(agentSteps * BATCH * 84 * 84);
        for (int k = 0; k < agentSteps; k++) {
            pongFrames(frames, k, k, BATCH);
        }
        Rng rng = new Rng(2);
        int rows = unroll.steps() * BATCH;
        CnnSignals sig = new CnnSignals(ConvFixture.random(Precision.FLOAT32, rows * 256, rng, -1, 1),
                ConvFixture.random(Precision.FLOAT32, rows * 392, rng, -1, 1),
                ConvFixture.random(Precision.FLOAT32, rows * 4, rng, -1, 1));
        CnnFeedback fb = CnnFeedback.paperDefault(cnn.config(), 4, Precision.FLOAT32, new Rng(3));
        for (int rep = 0; rep < 3; rep++) {
            long t0 = System.nanoTime();
            cnn.forward(frames, state, unroll);
            long t1 = System.nanoTime();
            cnn.gradients(unroll, CnnTraining.REFERENCE, sig, fb);
            long t2 = System.nanoTime();
            var g = cnn.gradients(unroll, CnnTraining.EPROP, sig, fb);
            long t3 = System.nanoTime();
            assertTrue(g.get("conv1/W").maxAbs() >= 0);
            if (rep == 2) {
                System.out.printf("learner per agent step (batch %d): recording forward %.0f ns, reference gradient %.0f ns, "
                        + "e-prop gradient %.0f ns%n", BATCH, (t1 - t0) / (double) agentSteps,
                        (t2 - t1) / (double) agentSteps, (t3 - t2) / (double) agentSteps);
            }
        }
    }

    /** Process CPU time in ns (all threads), or -1 where the platform does not report it. */
    private static long processCpu() {
        if (ManagementFactory.getOperatingSystemMXBean() instanceof com.sun.management.OperatingSystemMXBean os) {
            return os.getProcessCpuTime();
        }
        return -1;
    }

    private static String load() {
        try {
            return Files.readString(Path.of("/proc/loadavg")).trim();
        } catch (java.io.IOException | RuntimeException e) {
            return "n/a";
        }
    }

    private static double median(double[] a) {
        double[] s = a.clone();
        Arrays.sort(s);
        int n = s.length;
        return n % 2 == 1 ? s[n / 2] : 0.5 * (s[n / 2 - 1] + s[n / 2]);
    }

    /**
     * The table of the speed work: ms per agent step at batch 32, float32, with the machine's load
     * (wall time is shared with whatever else runs; the process CPU time per agent step, divided by
     * the threads, is what two idle cores would take). Rows: the actors' forward (one agent step per
     * call, no recording); the actors' forward recording into the learner's unroll
     * ({@link SpikingCnn#forwardStep}, which makes the learner's separate recording forward
     * unnecessary); the learner's recording forward over a whole unroll ({@link SpikingCnn#forward}),
     * kept for comparison; and the two gradient modes on the recorded unroll. Medians over repeats.
     */
    @Test
    void perAgentStepTable() {
        SpikingCnn cnn = new SpikingCnn(SpikingCnnConfig.reference(), Precision.FLOAT32);
        cnn.initialise(new Rng(1));
        int agentSteps = 10;
        SpikingCnnState state = cnn.zeroState(BATCH);
        CnnUnroll step = cnn.newUnroll(1, BATCH, false);
        CnnUnroll learner = cnn.newUnroll(agentSteps, BATCH, true);
        RealArray frame = Precision.FLOAT32.zeros(BATCH * 84 * 84);
        RealArray frames = Precision.FLOAT32.zeros(agentSteps * BATCH * 84 * 84);
        for (int k = 0; k < agentSteps; k++) {
            pongFrames(frames, k, k, BATCH);
        }
        Rng rng = new Rng(2);
        int rows = learner.steps() * BATCH;
        CnnSignals sig = new CnnSignals(ConvFixture.random(Precision.FLOAT32, rows * 256, rng, -1, 1),
                ConvFixture.random(Precision.FLOAT32, rows * 392, rng, -1, 1),
                ConvFixture.random(Precision.FLOAT32, rows * 4, rng, -1, 1));
        CnnFeedback fb = CnnFeedback.paperDefault(cnn.config(), 4, Precision.FLOAT32, new Rng(3));
        String loadBefore = load();
        int reps = 9;
        double[][] wall = new double[5][reps];
        double[][] cpu = new double[5][reps];
        for (int rep = -3; rep < reps; rep++) {
            // 0: actor forward, one agent step per call, no recording
            long c0 = processCpu();
            long t0 = System.nanoTime();
            for (int k = 0; k < agentSteps; k++) {
                pongFrames(frame, k, 0, BATCH);
                cnn.forward(frame, state, step);
            }
            long t1 = System.nanoTime();
            long c1 = processCpu();
            // 1: actor forward recording into the learner's unroll (frames are copied in)
            for (int k = 0; k < agentSteps; k++) {
                cnn.forwardStep(slice(frames, k), state, learner, k);
            }
            long t2 = System.nanoTime();
            long c2 = processCpu();
            // 2: learner's separate recording forward over the whole unroll
            cnn.forward(frames, state, learner);
            long t3 = System.nanoTime();
            long c3 = processCpu();
            cnn.gradients(learner, CnnTraining.REFERENCE, sig, fb);
            long t4 = System.nanoTime();
            long c4 = processCpu();
            var g = cnn.gradients(learner, CnnTraining.EPROP, sig, fb);
            long t5 = System.nanoTime();
            long c5 = processCpu();
            assertTrue(g.get("conv1/W").maxAbs() >= 0);
            if (rep >= 0) {
                long[] t = {t0, t1, t2, t3, t4, t5};
                long[] c = {c0, c1, c2, c3, c4, c5};
                for (int i = 0; i < 5; i++) {
                    // Row 0 includes making the frames (as the agent's emulator would); it is small.
                    wall[i][rep] = (t[i + 1] - t[i]) / 1e6 / agentSteps;
                    cpu[i][rep] = (c[i + 1] - c[i]) / 1e6 / agentSteps;
                }
            }
        }
        String[] names = {"actor forward (no recording)", "actor forward recording for the learner",
            "learner recording forward (whole unroll)", "reference-mode gradient", "e-prop gradient"};
        System.out.printf("spiking CNN per agent step, batch %d, float32, %d threads, %d-step unrolls; load before %s, "
                + "after %s%n", BATCH, BatchParallel.threads(), agentSteps, loadBefore, load());
        for (int i = 0; i < 5; i++) {
            System.out.printf("  %-42s wall median %7.2f ms (min %7.2f)   process CPU median %7.2f ms%n", names[i],
                    median(wall[i]), Arrays.stream(wall[i]).min().orElse(0), median(cpu[i]));
        }
    }

    private static final java.util.Map<Integer, RealArray> SLICES = new java.util.HashMap<>();

    /** Agent step k of the [agentSteps][B][84*84] frames, copied once per k (outside the timing's steady state). */
    private static RealArray slice(RealArray frames, int k) {
        int n = BATCH * 84 * 84;
        return SLICES.computeIfAbsent(k, kk -> SpikingConvForwardTest.slice(frames, kk * n, (kk + 1) * n));
    }
}
