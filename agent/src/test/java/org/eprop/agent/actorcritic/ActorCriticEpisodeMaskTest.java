package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Named ActorCritic* so the loss's test filter picks it up with the loss. */
class ActorCriticEpisodeMaskTest {
    private static final int T = 4;
    private static final int B = 3;

    /** done[t*B+b] from per-environment rows. */
    private static boolean[] done(boolean[]... rows) {
        boolean[] d = new boolean[T * B];
        for (int b = 0; b < B; b++) {
            for (int t = 0; t < T; t++) {
                d[t * B + b] = rows[b][t];
            }
        }
        return d;
    }

    private static double[] row(double[] mask, int b) {
        double[] r = new double[T];
        for (int t = 0; t < T; t++) {
            r[t] = mask[t * B + b];
        }
        return r;
    }

    private static final boolean F = false;
    private static final boolean X = true;

    @Test
    void applyAfterEndMasksAfterTheFirstDoneAndFinishedEnvironmentsOverTwoUnrolls() {
        EpisodeMask masks = new EpisodeMask(EpisodeMask.Mode.APPLY_AFTER_END, T, B);
        double[] m = new double[T * B];

        // unroll 1: env 0 ends at step 1, env 1 runs on, env 2 ends at the last step
        masks.build(done(new boolean[] {F, X, F, F}, new boolean[] {F, F, F, F}, new boolean[] {F, F, F, X}), m);
        assertArrayEquals(new double[] {1, 1, 0, 0}, row(m, 0)); // the terminal step counts, the next episode not
        assertArrayEquals(new double[] {1, 1, 1, 1}, row(m, 1));
        assertArrayEquals(new double[] {1, 1, 1, 1}, row(m, 2));
        assertTrue(masks.finished(0));
        assertFalse(masks.finished(1));
        assertTrue(masks.finished(2));
        assertFalse(masks.updateDue());

        // unroll 2: envs 0 and 2 already finished in this cycle: excluded whatever happens; env 1
        // ends at step 0 (and again at step 2: still only its first episode counts)
        masks.build(done(new boolean[] {F, F, F, F}, new boolean[] {X, F, X, F}, new boolean[] {F, X, F, F}), m);
        assertArrayEquals(new double[] {0, 0, 0, 0}, row(m, 0));
        assertArrayEquals(new double[] {1, 0, 0, 0}, row(m, 1));
        assertArrayEquals(new double[] {0, 0, 0, 0}, row(m, 2));
        assertTrue(masks.updateDue());

        // the cycle's update is applied: a new cycle counts everyone again
        masks.endCycle();
        assertFalse(masks.updateDue());
        masks.build(done(new boolean[] {F, F, F, F}, new boolean[] {F, F, F, F}, new boolean[] {F, F, X, F}), m);
        assertArrayEquals(new double[] {1, 1, 1, 1}, row(m, 0));
        assertArrayEquals(new double[] {1, 1, 1, 0}, row(m, 2));
    }

    @Test
    void originalCodeFormulaIsReproducedLiterally() {
        // (1 - cumsum(concat(done[1:], 0))) * (1 - finished), the original's finished_mask
        EpisodeMask masks = new EpisodeMask(EpisodeMask.Mode.APPLY_AFTER_END_AS_ORIGINAL_CODE, T, B);
        double[] m = new double[T * B];
        masks.build(done(new boolean[] {F, X, F, F}, new boolean[] {X, F, F, F}, new boolean[] {F, X, X, F}), m);
        assertArrayEquals(new double[] {0, 0, 0, 0}, row(m, 0)); // the step before the end is already cut
        assertArrayEquals(new double[] {1, 1, 1, 1}, row(m, 1)); // a done at step 0 masks nothing
        assertArrayEquals(new double[] {0, -1, -1, -1}, row(m, 2)); // two ends: a negative weight
        assertTrue(masks.finished(0) && masks.finished(1) && masks.finished(2));
        masks.build(done(new boolean[] {F, F, F, X}, new boolean[] {F, F, F, F}, new boolean[] {F, F, F, F}), m);
        assertArrayEquals(new double[12], m);

        masks.endCycle();
        masks.build(done(new boolean[] {F, F, F, X}, new boolean[] {F, F, X, F}, new boolean[] {F, F, F, F}), m);
        assertArrayEquals(new double[] {1, 1, 0, 0}, row(m, 0)); // a done at the last step cuts the last two
        assertArrayEquals(new double[] {1, 0, 0, 0}, row(m, 1));
    }

    @Test
    void perUnrollCountsEveryStepAndIsAlwaysDue() {
        EpisodeMask masks = new EpisodeMask(EpisodeMask.Mode.PER_UNROLL, T, B);
        double[] m = new double[T * B];
        masks.build(done(new boolean[] {X, X, F, F}, new boolean[] {F, F, F, F}, new boolean[] {F, F, F, X}), m);
        for (double v : m) {
            assertEquals(1.0, v);
        }
        assertTrue(masks.updateDue());
    }

    @Test
    void maskedStepsAfterAnEpisodeEndHaveNoGradient() {
        // the mask and the loss together: env 0 ends at step 1 in an unroll of 4
        EpisodeMask masks = new EpisodeMask(EpisodeMask.Mode.APPLY_AFTER_END, T, 1);
        boolean[] d = {false, true, false, false};
        double[] m = new double[T];
        masks.build(d, m);
        ActorCriticLoss loss = new ActorCriticLoss(ActorCriticLoss.Settings.reference(), T, 1, 2);
        double[] logits = {0.1, -0.2, 0.3, 0.4, -1, 2, 0.5, 0.5};
        double[] dLogits = new double[8];
        double[] dValues = new double[4];
        loss.compute(logits, new double[] {0.2, 0.1, 0.3, 0.4}, new int[] {0, 1, 1, 0},
                new double[] {0, 1, 0, 0}, d, new double[] {5}, m, dLogits, dValues);
        assertEquals(1.0, loss.returnAt(1, 0)); // terminal: reward only
        assertEquals(0.99, loss.returnAt(0, 0), 1e-15);
        for (int i = 4; i < 8; i++) {
            assertEquals(0.0, dLogits[i], 0.0);
        }
        assertEquals(0.0, dValues[2], 0.0);
        assertEquals(0.0, dValues[3], 0.0);
        assertEquals(-(1.0 - 0.1), dValues[1], 1e-15);
    }

    @Test
    void stateRoundTripsAndIsValidated() {
        EpisodeMask masks = new EpisodeMask(EpisodeMask.Mode.APPLY_AFTER_END, T, B);
        masks.build(done(new boolean[] {F, X, F, F}, new boolean[] {F, F, F, F}, new boolean[] {F, F, F, X}), new double[T * B]);
        long[] state = masks.state();
        assertArrayEquals(new long[] {1, 0, 1}, state);
        EpisodeMask restored = new EpisodeMask(EpisodeMask.Mode.APPLY_AFTER_END, T, B);
        restored.restore(state);
        double[] a = new double[T * B];
        double[] b = new double[T * B];
        boolean[] next = done(new boolean[] {F, F, F, F}, new boolean[] {F, X, F, F}, new boolean[] {F, F, F, F});
        masks.build(next, a);
        restored.build(next, b);
        assertArrayEquals(a, b);
        assertThrows(IllegalArgumentException.class, () -> restored.restore(new long[] {1, 0}));
        assertThrows(IllegalArgumentException.class, () -> restored.restore(new long[] {1, 2, 0}));
        assertThrows(IllegalArgumentException.class, () -> masks.build(new boolean[3], new double[T * B]));
    }
}
