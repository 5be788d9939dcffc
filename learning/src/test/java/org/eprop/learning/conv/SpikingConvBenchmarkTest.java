package org.eprop.learning.conv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * Speed of the front end at the reference sizes, batch 32, float32: prints nanoseconds per agent
 * step (one conv1 pass and 5 network steps of both layers) of the actors' forward, and of the
 * learner's recording forward plus each gradient mode. No timing assertion: machines differ.
 *
 * <p>The frames are Pong-like: a uniform background with two paddles and a ball that move, so that
 * most of the picture is constant as in Atari frames (random noise frames would overstate spiking).
 */
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
}
