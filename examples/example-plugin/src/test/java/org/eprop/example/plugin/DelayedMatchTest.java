package org.eprop.example.plugin;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/** The trials the task draws: timing, rates, labels, loss weights and reproducibility. */
class DelayedMatchTest {
    private static final DelayedMatch.Params DEFAULTS = DelayedMatch.Params.defaults();
    private static final int BATCH = 400;

    /** A batch of the default task with what each trial showed. */
    private record Drawn(DelayedMatch task, RealArray x, int[] labels, DelayedMatch.Trial[] trials) {
        double spike(int t, int b, int ch) {
            return x.get((t * BATCH + b) * task.inputs() + ch);
        }

        /** Spikes of one group over steps [from, to), summed over the trials where {@code use} holds. */
        long count(int group, int from, int to, java.util.function.IntPredicate use) {
            int g = task.params().channelsPerGroup();
            long n = 0;
            for (int b = 0; b < BATCH; b++) {
                if (!use.test(b)) {
                    continue;
                }
                for (int t = from; t < to; t++) {
                    for (int ch = group * g; ch < (group + 1) * g; ch++) {
                        n += (long) spike(t, b, ch);
                    }
                }
            }
            return n;
        }
    }

    private static Drawn draw(long seed) {
        DelayedMatch task = new DelayedMatch(DEFAULTS);
        RealArray x = new RealArray.F32(new float[task.steps() * BATCH * task.inputs()]);
        int[] labels = new int[BATCH];
        DelayedMatch.Trial[] trials = new DelayedMatch.Trial[BATCH];
        task.sampleBatch(new Rng(seed), BATCH, x, labels, trials);
        return new Drawn(task, x, labels, trials);
    }

    @Test
    void shapeFollowsTheParameters() {
        DelayedMatch task = new DelayedMatch(DEFAULTS);
        assertEquals(DelayedMatch.ID, task.id());
        assertEquals(25, task.inputs());
        assertEquals(2, task.outputs());
        assertEquals(500, task.steps());
        assertEquals(1.0, task.dtMs());
        assertEquals(SupervisedTask.Kind.CLASSIFICATION, task.kind());

        DelayedMatch coarse = new DelayedMatch(new DelayedMatch.Params(20, 40, 20, 10, 50, 0, 3, 2.0));
        assertEquals(15, coarse.inputs());
        assertEquals(45, coarse.steps());
        assertEquals(5, coarse.params().decisionSteps());
    }

    @Test
    void inputGroupsAndWindowsDescribeTheTrialForPlots() {
        DelayedMatch task = new DelayedMatch(DEFAULTS);
        assertEquals(List.of(new SupervisedTask.InputGroup("sample A", 0), new SupervisedTask.InputGroup("sample B", 5),
                new SupervisedTask.InputGroup("probe A", 10), new SupervisedTask.InputGroup("probe B", 15),
                new SupervisedTask.InputGroup("background", 20)), task.inputGroups());
        assertEquals(List.of(new SupervisedTask.Window(0, 100), new SupervisedTask.Window(300, 400),
                new SupervisedTask.Window(400, 500)), task.windows());
    }

    @Test
    void labelIsOneExactlyWhenTheProbeMatchesTheSampleAndClassesAreBalanced() {
        Drawn d = draw(7);
        int matches = 0;
        int sampleB = 0;
        int probeB = 0;
        for (int b = 0; b < BATCH; b++) {
            DelayedMatch.Trial trial = d.trials()[b];
            assertEquals(trial.sampleB() == trial.probeB() ? 1 : 0, d.labels()[b], "trial " + b);
            assertEquals(trial.label(), d.labels()[b]);
            matches += d.labels()[b];
            sampleB += trial.sampleB() ? 1 : 0;
            probeB += trial.probeB() ? 1 : 0;
        }
        // Bernoulli(1/2) over 400 trials: sd 10, so +-32 is more than 3 sd.
        assertTrue(Math.abs(matches - BATCH / 2) < 32, "matches " + matches);
        assertTrue(Math.abs(sampleB - BATCH / 2) < 32, "sample B " + sampleB);
        assertTrue(Math.abs(probeB - BATCH / 2) < 32, "probe B " + probeB);
    }

    @Test
    void shownGroupsFireAtTheRateOnlyInTheirWindowAndBackgroundThroughout() {
        Drawn d = draw(11);
        DelayedMatch.Trial[] trials = d.trials();
        int g = DEFAULTS.channelsPerGroup();
        int steps = d.task().steps();
        // The shown sample group fires at rate_hz in [0, 100) ms; the other is silent.
        long sampleShown = d.count(DelayedMatch.SAMPLE_A, 0, 100, b -> !trials[b].sampleB())
                + d.count(DelayedMatch.SAMPLE_B, 0, 100, b -> trials[b].sampleB());
        assertRate(DEFAULTS.rateHz(), sampleShown, BATCH * g * 100);
        assertEquals(0, d.count(DelayedMatch.SAMPLE_A, 0, 100, b -> trials[b].sampleB()));
        assertEquals(0, d.count(DelayedMatch.SAMPLE_B, 0, 100, b -> !trials[b].sampleB()));
        // Sample groups are silent after the sample, probe groups outside [300, 400) ms.
        assertEquals(0, d.count(DelayedMatch.SAMPLE_A, 100, steps, b -> true)
                + d.count(DelayedMatch.SAMPLE_B, 100, steps, b -> true));
        assertEquals(0, d.count(DelayedMatch.PROBE_A, 0, 300, b -> true) + d.count(DelayedMatch.PROBE_B, 0, 300, b -> true)
                + d.count(DelayedMatch.PROBE_A, 400, steps, b -> true)
                + d.count(DelayedMatch.PROBE_B, 400, steps, b -> true));
        long probeShown = d.count(DelayedMatch.PROBE_A, 300, 400, b -> !trials[b].probeB())
                + d.count(DelayedMatch.PROBE_B, 300, 400, b -> trials[b].probeB());
        assertRate(DEFAULTS.rateHz(), probeShown, BATCH * g * 100);
        assertEquals(0, d.count(DelayedMatch.PROBE_A, 300, 400, b -> trials[b].probeB())
                + d.count(DelayedMatch.PROBE_B, 300, 400, b -> !trials[b].probeB()));
        // Background at background_hz over the whole trial, and in the delay alone.
        assertRate(DEFAULTS.backgroundHz(), d.count(DelayedMatch.BACKGROUND, 0, steps, b -> true),
                (long) BATCH * g * steps);
        assertRate(DEFAULTS.backgroundHz(), d.count(DelayedMatch.BACKGROUND, 100, 300, b -> true),
                (long) BATCH * g * 200);
        // Nothing but 0 and 1 is written.
        for (int i = 0; i < d.x().length(); i++) {
            double v = d.x().get(i);
            assertTrue(v == 0 || v == 1, "x[" + i + "] = " + v);
        }
    }

    /** {@code spikes} over {@code channelSteps} 1 ms channel-steps is within 8 % of {@code hz}. */
    private static void assertRate(double hz, long spikes, long channelSteps) {
        double measured = spikes * 1000.0 / channelSteps;
        assertEquals(hz, measured, 0.08 * hz, "rate over " + channelSteps + " channel-steps");
    }

    @Test
    void lossWeightsCoverTheDecisionWindowNormalisedOverBatchAndWindow() {
        DelayedMatch task = new DelayedMatch(DEFAULTS);
        int batch = 8;
        RealArray x = new RealArray.F32(new float[task.steps() * batch * task.inputs()]);
        Targets targets = new Targets();
        task.sampleBatch(new Rng(3), batch, x, targets);
        int[] labels = new int[batch];
        task.sampleBatch(new Rng(3), batch, x, labels, null);
        assertEquals(task.steps(), targets.steps());
        assertEquals(batch, targets.batch());
        assertEquals(2, targets.outputs());
        int window = DEFAULTS.decisionSteps();
        double sum = 0;
        for (int t = 0; t < task.steps(); t++) {
            for (int b = 0; b < batch; b++) {
                if (t < task.steps() - window) {
                    assertEquals(0.0, targets.weight(t, b), "t=" + t);
                } else {
                    assertEquals(1.0 / (batch * window), targets.weight(t, b), 1e-15);
                    assertEquals(labels[b], targets.label(t, b));
                }
                sum += targets.weight(t, b);
            }
        }
        assertEquals(1.0, sum, 1e-9);
    }

    @Test
    void theSameSeedGivesTheSameBatchAndAnotherSeedAnotherOne() {
        DelayedMatch task = new DelayedMatch(DEFAULTS);
        int batch = 16;
        int n = task.steps() * batch * task.inputs();
        RealArray a = new RealArray.F32(new float[n]);
        RealArray b = new RealArray.F32(new float[n]);
        Targets ta = new Targets();
        Targets tb = new Targets();
        task.sampleBatch(new Rng(42), batch, a, ta);
        task.sampleBatch(new Rng(42), batch, b, tb);
        assertArrayEquals(a.toDoubleArray(), b.toDoubleArray());
        for (int t = 0; t < task.steps(); t++) {
            for (int k = 0; k < batch; k++) {
                assertEquals(ta.label(t, k), tb.label(t, k));
                assertEquals(ta.weight(t, k), tb.weight(t, k));
            }
        }
        // Double precision gets the very same spikes, and x is overwritten rather than added to.
        RealArray c = new RealArray.F64(new double[n]);
        c.fill(1);
        task.sampleBatch(new Rng(42), batch, c, new Targets());
        assertArrayEquals(a.toDoubleArray(), c.toDoubleArray());

        task.sampleBatch(new Rng(43), batch, b, tb);
        assertFalse(java.util.Arrays.equals(a.toDoubleArray(), b.toDoubleArray()));
    }

    @Test
    void aBatchOfTheWrongSizeIsRefused() {
        DelayedMatch task = new DelayedMatch(DEFAULTS);
        RealArray x = new RealArray.F32(new float[10]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> task.sampleBatch(new Rng(1), 2, x, new Targets()));
        assertTrue(e.getMessage().contains("steps x batch x inputs"), e.getMessage());
    }

    @Test
    void impossibleParametersAreRejectedNamingTheKey() {
        assertRejected("sample_ms", () -> new DelayedMatch.Params(0, 200, 100, 100, 40, 10, 5, 1));
        assertRejected("delay_ms", () -> new DelayedMatch.Params(100, -1, 100, 100, 40, 10, 5, 1));
        assertRejected("probe_ms", () -> new DelayedMatch.Params(100, 200, Double.NaN, 100, 40, 10, 5, 1));
        assertRejected("decision_ms", () -> new DelayedMatch.Params(100, 200, 100, 0, 40, 10, 5, 1));
        assertRejected("delay_ms", () -> new DelayedMatch.Params(100, 200.5, 100, 100, 40, 10, 5, 1));
        assertRejected("rate_hz", () -> new DelayedMatch.Params(100, 200, 100, 100, 0, 10, 5, 1));
        assertRejected("rate_hz", () -> new DelayedMatch.Params(100, 200, 100, 100, 1500, 10, 5, 1));
        assertRejected("background_hz", () -> new DelayedMatch.Params(100, 200, 100, 100, 40, -1, 5, 1));
        assertRejected("channels_per_group", () -> new DelayedMatch.Params(100, 200, 100, 100, 40, 10, 0, 1));
        assertRejected("dt_ms", () -> new DelayedMatch.Params(100, 200, 100, 100, 40, 10, 5, 0));
        // A silent background and no delay are allowed.
        assertEquals(400, new DelayedMatch(new DelayedMatch.Params(100, 0, 100, 200, 40, 0, 5, 1)).steps());
    }

    private static void assertRejected(String key, org.junit.jupiter.api.function.Executable make) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, make);
        assertTrue(e.getMessage().startsWith(key + " "), e.getMessage());
    }
}
