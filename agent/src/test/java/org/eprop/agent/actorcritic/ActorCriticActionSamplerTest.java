package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

/** Tests of {@link ActionSampler}; named ActorCritic* so the loss's test filter picks it up. */
class ActorCriticActionSamplerTest {

    @Test
    void empiricalFrequenciesFollowTheSoftmax() {
        double[] logits = {9.0, 0.5, -1.0, 1.2, 0.0, 0.7};
        int offset = 2; // a policy in the middle of a larger buffer
        ActionSampler sampler = new ActionSampler(4);
        double[] p = new double[4];
        double z = 0;
        for (int k = 0; k < 4; k++) {
            p[k] = Math.exp(logits[offset + k]);
            z += p[k];
        }
        Rng rng = new Rng(123);
        int n = 200_000;
        int[] counts = new int[4];
        for (int i = 0; i < n; i++) {
            counts[sampler.sample(logits, offset, rng)]++;
        }
        double chiSquare = 0;
        for (int k = 0; k < 4; k++) {
            double expected = n * p[k] / z;
            chiSquare += (counts[k] - expected) * (counts[k] - expected) / expected;
        }
        // 3 degrees of freedom: P(chi2 > 21.1) = 1e-4; the seed is fixed, so this is not flaky
        assertTrue(chiSquare < 21.1, "chi-square " + chiSquare);
    }

    @Test
    void deterministicFromASeedWithOneDrawPerAction() {
        double[] logits = {0.3, -0.1, 0.2, 1.0, 1.0, -2.0};
        ActionSampler sampler = new ActionSampler(3);
        int[] a = new int[2];
        int[] b = new int[2];
        Rng r1 = new Rng(77);
        Rng r2 = new Rng(77);
        for (int i = 0; i < 1000; i++) {
            sampler.sampleAll(logits, 0, false, r1, a);
            sampler.sampleAll(logits, 0, false, r2, b);
            assertArrayEquals(a, b);
        }
        Rng r3 = new Rng(77);
        for (int i = 0; i < 2000; i++) {
            r3.nextDouble();
        }
        assertEquals(r1.nextLong(), r3.nextLong());
    }

    @Test
    void greedyTakesTheLargestLogitWithTiesToTheLowestIndexAndDrawsNothing() {
        ActionSampler sampler = new ActionSampler(3);
        double[] logits = {0.1, 2.0, 2.0, -5, -1, -3};
        int[] actions = new int[2];
        Rng rng = new Rng(3);
        long before = new Rng(3).nextLong();
        sampler.sampleAll(logits, 0, true, rng, actions);
        assertArrayEquals(new int[] {1, 1}, actions);
        assertEquals(before, rng.nextLong());
    }

    @Test
    void impossibleActionsAreNeverDrawnAndHugeLogitsAreSafe() {
        ActionSampler sampler = new ActionSampler(3);
        double[] blocked = {0, Double.NEGATIVE_INFINITY, 0};
        double[] huge = {1e300, 0, -1e300};
        Rng rng = new Rng(8);
        for (int i = 0; i < 20_000; i++) {
            assertTrue(sampler.sample(blocked, 0, rng) != 1);
            assertEquals(0, sampler.sample(huge, 0, rng));
        }
        assertThrows(IllegalArgumentException.class, () -> sampler.sample(new double[] {0, Double.NaN, 0}, 0, rng));
    }
}
