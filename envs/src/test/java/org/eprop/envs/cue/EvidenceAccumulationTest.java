package org.eprop.envs.cue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

class EvidenceAccumulationTest {
    private final EvidenceAccumulation task = new EvidenceAccumulation(EvidenceAccumulation.Timing.reference());

    @Test
    void referenceTimingMatchesThePaper() {
        EvidenceAccumulation.Timing t = task.timing();
        assertEquals(2250, t.steps());
        assertEquals(40, t.inputs());
        assertEquals(1050.0, t.lastCueEndMs());
        assertEquals(2100.0, t.recallStartMs());
        assertEquals(150, t.recallSteps());
    }

    @Test
    void ratesWindowsAndLabelsFollowTheTrialStructure() {
        int batch = 400;
        int steps = 2250;
        float[] x = new float[steps * batch * 40];
        int[] labels = new int[batch];
        int[] sides = new int[batch * 7];
        task.sampleBatch(new Rng(3), batch, x, labels, sides);
        double background = 0;
        double cueOn = 0;
        double cueOff = 0;
        double recall = 0;
        double recallOutside = 0;
        int cueOnSteps = 0;
        int cueOffSteps = 0;
        int majorityAgree = 0;
        int rightLabels = 0;
        for (int b = 0; b < batch; b++) {
            int right = 0;
            for (int c = 0; c < 7; c++) {
                right += sides[b * 7 + c];
            }
            assertEquals(right > 3 ? 1 : 0, labels[b], "label is the majority side");
            rightLabels += labels[b];
            for (int c = 0; c < 7; c++) {
                majorityAgree += sides[b * 7 + c] == labels[b] ? 1 : 0;
            }
            for (int t = 0; t < steps; t++) {
                int cue = (t >= 50 && t < 1050 && (t - 50) % 150 < 100) ? (t - 50) / 150 : -1;
                for (int ch = 0; ch < 40; ch++) {
                    float v = x[(t * batch + b) * 40 + ch];
                    assertTrue(v == 0f || v == 1f);
                    int group = ch / 10;
                    if (group == 3) {
                        background += v;
                    } else if (group == 2) {
                        if (t >= 2100) {
                            recall += v;
                        } else {
                            recallOutside += v;
                        }
                    } else if (cue >= 0 && sides[b * 7 + cue] == group) {
                        cueOn += v;
                        cueOnSteps++;
                    } else {
                        cueOff += v;
                        cueOffSteps++;
                    }
                }
            }
        }
        assertEquals(0.0, cueOff, "cue groups are silent outside their cues");
        assertEquals(0.0, recallOutside, "the recall group is silent before recall");
        assertEquals(0.010, background / (batch * steps * 10.0), 0.0005, "background rate 10 Hz");
        assertEquals(0.040, cueOn / cueOnSteps, 0.001, "cue rate 40 Hz");
        assertEquals(0.040, recall / (batch * 150 * 10.0), 0.002, "recall rate 40 Hz");
        assertEquals(0.5, rightLabels / (double) batch, 0.07, "sides are balanced");
        // P(cue on the label side) = P(cue on majority side | label) is 0.7 adjusted for the
        // rare trials whose drawn majority side loses; it must be well above 0.5.
        assertTrue(majorityAgree / (7.0 * batch) > 0.65, "cues favour the label side: " + majorityAgree / (7.0 * batch));
    }

    @Test
    void sameSeedSameBatch() {
        float[] a = new float[2250 * 4 * 40];
        float[] b = new float[2250 * 4 * 40];
        int[] la = new int[4];
        int[] lb = new int[4];
        task.sampleBatch(new Rng(9), 4, a, la, null);
        task.sampleBatch(new Rng(9), 4, b, lb, null);
        assertTrue(java.util.Arrays.equals(a, b) && java.util.Arrays.equals(la, lb));
    }

    /**
     * The oracle: each number drawn from the generator when it is needed and each spike written at
     * once, as the task is defined (the paper's process, drawn as geometric gaps).
     */
    private static void drawInOrder(EvidenceAccumulation.Timing timing, Rng rng, int batch, float[] inputs,
            int[] labels, int[] sides) {
        int steps = timing.steps();
        int nIn = timing.inputs();
        int g = timing.channelsPerGroup();
        java.util.Arrays.fill(inputs, 0, steps * batch * nIn, 0f);
        double pCue = timing.cueRateHz() * timing.dtMs() / 1000.0;
        double pBackground = timing.backgroundRateHz() * timing.dtMs() / 1000.0;
        for (int b = 0; b < batch; b++) {
            boolean majorityRight = rng.bernoulli(0.5);
            int right = 0;
            for (int c = 0; c < timing.cues(); c++) {
                boolean sideRight = rng.bernoulli(timing.majorityProbability()) == majorityRight;
                right += sideRight ? 1 : 0;
                sides[b * timing.cues() + c] = sideRight ? 1 : 0;
                int from = (int) Math.round((timing.startMs() + c * timing.intervalMs()) / timing.dtMs());
                int to = from + (int) Math.round(timing.cueMs() / timing.dtMs());
                gaps(rng, inputs, batch, nIn, b, sideRight ? g : 0, g, from, to, pCue);
            }
            labels[b] = 2 * right > timing.cues() ? 1 : 0;
            gaps(rng, inputs, batch, nIn, b, 2 * g, g, (int) Math.round(timing.recallStartMs() / timing.dtMs()), steps,
                    pCue);
            gaps(rng, inputs, batch, nIn, b, 3 * g, g, 0, steps, pBackground);
        }
    }

    private static void gaps(Rng rng, float[] inputs, int batch, int nIn, int b, int first, int count, int from,
            int to, double p) {
        for (int ch = first; ch < first + count; ch++) {
            long t = from - 1;
            while (true) {
                t += 1 + (long) Math.floor(Math.log(1.0 - rng.nextDouble()) / Math.log1p(-p));
                if (t >= to) {
                    break;
                }
                inputs[(int) ((t * batch + b) * nIn + ch)] = 1f;
            }
        }
    }

    @Test
    void theBatchIsThatOfDrawingEachNumberWhenItIsNeeded() {
        // Reference timing at the Fig. 3 batch (over the workers where there are several), and a
        // faster, shorter trial; twice each, so that the second batch starts where the first left the
        // generator and reuses the workspace, over an array that held other spikes.
        EvidenceAccumulation.Timing shortTrial = new EvidenceAccumulation.Timing(3, 10, 20, 30, 40, 25, 80, 20, 0.8,
                3, 1.0);
        for (EvidenceAccumulation.Timing timing : java.util.List.of(EvidenceAccumulation.Timing.reference(),
                shortTrial)) {
            EvidenceAccumulation t = new EvidenceAccumulation(timing);
            int batch = 64;
            int values = timing.steps() * batch * timing.inputs();
            float[] x = new float[values];
            float[] expected = new float[values];
            java.util.Arrays.fill(x, 1f);
            Rng rng = new Rng(11);
            Rng oracle = new Rng(11);
            for (int round = 0; round < 2; round++) {
                int[] labels = new int[batch];
                int[] sides = new int[batch * timing.cues()];
                int[] expectedLabels = new int[batch];
                int[] expectedSides = new int[batch * timing.cues()];
                t.sampleBatch(rng, batch, x, labels, sides);
                drawInOrder(timing, oracle, batch, expected, expectedLabels, expectedSides);
                assertTrue(java.util.Arrays.equals(expected, x), "spikes, round " + round);
                assertTrue(java.util.Arrays.equals(expectedLabels, labels) && java.util.Arrays.equals(expectedSides,
                        sides), "labels and cue sides, round " + round);
                assertEquals(oracle.nextLong(), rng.nextLong(), "the generator is left where the draws leave it");
            }
        }
    }

    /**
     * The input array is zeroed in pieces that a pool worker takes while the caller draws: with every
     * worker held by other work the caller zeroes all of it and the worker's task is left queued; it
     * runs once the workers are free, during or after the next batch (of another size), and takes only
     * that batch's pieces. Every batch is still the oracle's, over arrays that held other values.
     */
    @Test
    void batchesAreRightWhenNoWorkerIsFreeToZero() throws Exception {
        EvidenceAccumulation.Timing shortTrial = new EvidenceAccumulation.Timing(3, 10, 20, 30, 40, 25, 80, 20, 0.8,
                3, 1.0);
        EvidenceAccumulation.Timing reference = EvidenceAccumulation.Timing.reference();
        java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
        java.util.concurrent.atomic.AtomicInteger holding = new java.util.concurrent.atomic.AtomicInteger();
        int workers = org.eprop.learning.tensor.BatchParallel.threads() - 1;
        org.eprop.learning.tensor.BatchParallel.Side[] holds = new org.eprop.learning.tensor.BatchParallel.Side[workers];
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(60), () -> {
            for (int i = 0; i < workers; i++) {
                holds[i] = new org.eprop.learning.tensor.BatchParallel.Side(() -> {
                    holding.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                holds[i].start();
            }
            while (holding.get() < workers) {
                Thread.onSpinWait();
            }
            Rng rng = new Rng(21);
            Rng oracle = new Rng(21);
            int batch = 64;
            for (int round = 0; round < 4; round++) {
                EvidenceAccumulation.Timing timing = round % 2 == 0 ? reference : shortTrial;
                int values = timing.steps() * batch * timing.inputs();
                float[] x = new float[values];
                java.util.Arrays.fill(x, 3f);
                float[] expected = new float[values];
                int[] labels = new int[batch];
                int[] sides = new int[batch * timing.cues()];
                int[] expectedLabels = new int[batch];
                int[] expectedSides = new int[batch * timing.cues()];
                new EvidenceAccumulation(timing).sampleBatch(rng, batch, x, labels, sides);
                if (round == 0) {
                    release.countDown(); // the workers are free from the next batch on
                    for (org.eprop.learning.tensor.BatchParallel.Side h : holds) {
                        h.join();
                    }
                }
                drawInOrder(timing, oracle, batch, expected, expectedLabels, expectedSides);
                assertTrue(java.util.Arrays.equals(expected, x), "spikes, round " + round);
                assertTrue(java.util.Arrays.equals(expectedLabels, labels), "labels, round " + round);
            }
        });
    }

    @Test
    void drawsPastThoseMadeAheadGoOnWithTheStream() {
        // 300 numbers made ahead (from an expectation of 1), 2000 used: the rest come from the stream
        // as it goes on, and the generator ends where 2000 draws leave it.
        Rng rng = new Rng(4);
        Rng oracle = new Rng(4);
        float[] x = new float[70];
        java.util.Arrays.fill(x, 2f);
        EvidenceAccumulation.Draws draws = new EvidenceAccumulation.Draws().start(rng, 1, x, 64);
        for (int i = 0; i < 2000; i++) {
            if (i % 3 == 0) {
                assertEquals(oracle.bernoulli(0.3), draws.bernoulli(0.3), "draw " + i);
            } else {
                assertEquals(Math.log(1.0 - oracle.nextDouble()), draws.logComplement(), "draw " + i);
            }
        }
        draws.add(5);
        draws.finish();
        assertEquals(oracle.nextLong(), rng.nextLong());
        for (int i = 0; i < 70; i++) {
            assertEquals(i == 5 ? 1f : i < 64 ? 0f : 2f, x[i], "the first 64 values are the batch's, the rest left");
        }
    }
}
