package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

class ActorCriticLossTest {

    /** Holds one unroll's inputs and output buffers (time-major, as ActorCriticLoss expects). */
    private static final class Unroll {
        final int steps;
        final int batch;
        final int nActions;
        final double[] logits;
        final double[] values;
        final int[] actions;
        final double[] rewards;
        final boolean[] done;
        final double[] bootstrap;
        final double[] mask;
        final double[] dLogits;
        final double[] dValues;

        Unroll(int steps, int batch, int nActions) {
            this.steps = steps;
            this.batch = batch;
            this.nActions = nActions;
            logits = new double[steps * batch * nActions];
            values = new double[steps * batch];
            actions = new int[steps * batch];
            rewards = new double[steps * batch];
            done = new boolean[steps * batch];
            bootstrap = new double[batch];
            mask = new double[steps * batch];
            dLogits = new double[steps * batch * nActions];
            dValues = new double[steps * batch];
            java.util.Arrays.fill(mask, 1.0);
        }

        double compute(ActorCriticLoss loss) {
            return loss.compute(logits, values, actions, rewards, done, bootstrap, mask, dLogits, dValues);
        }

        static Unroll random(int steps, int batch, int nActions, long seed) {
            Rng rng = new Rng(seed);
            Unroll u = new Unroll(steps, batch, nActions);
            for (int i = 0; i < u.logits.length; i++) {
                u.logits[i] = 2 * rng.nextGaussian();
            }
            for (int i = 0; i < steps * batch; i++) {
                u.values[i] = rng.nextGaussian();
                u.actions[i] = rng.nextInt(nActions);
                u.rewards[i] = rng.nextInt(3) - 1; // clipped Atari rewards are -1, 0 or 1
                u.done[i] = rng.bernoulli(0.15);
                // masked steps, ordinary ones, and the negative weights of the original's mask formula
                double r = rng.nextDouble();
                u.mask[i] = r < 0.3 ? 0.0 : r < 0.9 ? 1.0 : -1.0;
            }
            for (int b = 0; b < batch; b++) {
                u.bootstrap[b] = rng.nextGaussian();
            }
            return u;
        }
    }

    @Test
    void referenceSettingsAreTheOriginalFlags() {
        ActorCriticLoss.Settings s = ActorCriticLoss.Settings.reference();
        assertEquals(0.99, s.discount());
        assertEquals(1.0, s.baselineCost());
        assertEquals(0.0025, s.entropyCost());
    }

    @Test
    void returnsAndAdvantagesByHand() {
        // env 0: the episode ends after step 1 (no bootstrap across it), the new episode's steps 2-3
        //        bootstrap with V_boot = 10;
        // env 1: the length cap cuts the episode at the last step: terminal, V_boot = 100 unused;
        // env 2: no episode end: every step bootstraps.
        Unroll u = new Unroll(4, 3, 2);
        double[][] r = {{1, 2, 3, 4}, {0, 0, 0, 1}, {1, 0, 0, 0}};
        boolean[][] d = {{false, true, false, false}, {false, false, false, true}, {false, false, false, false}};
        double[] boot = {10, 100, 8};
        double[][] v = {{0.5, 1, 2, 3}, {0, 0.5, 0.25, 0}, {1, 1, 1, 1}};
        for (int b = 0; b < 3; b++) {
            u.bootstrap[b] = boot[b];
            for (int t = 0; t < 4; t++) {
                u.rewards[t * 3 + b] = r[b][t];
                u.done[t * 3 + b] = d[b][t];
                u.values[t * 3 + b] = v[b][t];
            }
        }
        ActorCriticLoss loss = new ActorCriticLoss(new ActorCriticLoss.Settings(0.5, 1, 0), 4, 3, 2);
        u.compute(loss);
        double[][] g = {{2, 2, 7.5, 9}, {0.125, 0.25, 0.5, 1}, {1.5, 1, 2, 4}};
        for (int b = 0; b < 3; b++) {
            for (int t = 0; t < 4; t++) {
                assertEquals(g[b][t], loss.returnAt(t, b), 0, "G[" + t + "," + b + "]");
                assertEquals(g[b][t] - v[b][t], loss.advantageAt(t, b), 0, "A[" + t + "," + b + "]");
            }
        }
        double[] returns = new double[12];
        loss.copyReturnsTo(returns);
        assertEquals(7.5, returns[2 * 3 + 0]);
        double[] advantages = new double[12];
        loss.copyAdvantagesTo(advantages);
        assertEquals(0.5 - 0.25, advantages[2 * 3 + 1]);
    }

    @Test
    void termsAndDerivativesMatchDirectFormulas() {
        Unroll u = Unroll.random(5, 3, 4, 7);
        ActorCriticLoss.Settings s = new ActorCriticLoss.Settings(0.9, 0.7, 0.2);
        ActorCriticLoss loss = new ActorCriticLoss(s, 5, 3, 4);
        double total = u.compute(loss);

        double pg = 0;
        double value = 0;
        double entropy = 0;
        double entropyCounted = 0;
        int counted = 0;
        for (int i = 0; i < 15; i++) {
            double[] p = new double[4];
            double z = 0;
            for (int k = 0; k < 4; k++) {
                p[k] = Math.exp(u.logits[i * 4 + k]);
                z += p[k];
            }
            double h = 0;
            for (int k = 0; k < 4; k++) {
                p[k] /= z;
                h -= p[k] * Math.log(p[k]);
            }
            double ce = -Math.log(p[u.actions[i]]);
            int t = i / 3;
            int b = i % 3;
            double a = loss.advantageAt(t, b);
            assertEquals(h, loss.entropyAt(t, b), 1e-14);
            pg += u.mask[i] * ce * a;
            value += u.mask[i] * a * a;
            entropy += u.mask[i] * h;
            if (u.mask[i] != 0) {
                entropyCounted += h;
                counted++;
            }
            for (int k = 0; k < 4; k++) {
                double expected = u.mask[i] * (a * (p[k] - (k == u.actions[i] ? 1 : 0))
                        + 0.2 * p[k] * (Math.log(p[k]) + h));
                assertEquals(expected, u.dLogits[i * 4 + k], 1e-14);
            }
            assertEquals(-u.mask[i] * 0.7 * a, u.dValues[i], 1e-15);
        }
        assertEquals(pg, loss.policyGradientLoss(), 1e-12);
        assertEquals(0.7 * 0.5 * value, loss.baselineLoss(), 1e-12);
        assertEquals(-0.2 * entropy, loss.entropyLoss(), 1e-12);
        assertEquals(entropyCounted / counted, loss.meanEntropy(), 1e-14);
        assertEquals(pg + 0.35 * value - 0.2 * entropy, total, 1e-12);
        assertEquals(total, loss.totalLoss());
    }

    @Test
    void aPolicyMaskDropsThePolicyAndEntropyTermsOfIgnoredStepsAndKeepsTheValue() {
        Unroll u = Unroll.random(5, 3, 4, 7);
        ActorCriticLoss.Settings s = new ActorCriticLoss.Settings(0.9, 0.7, 0.2);
        ActorCriticLoss full = new ActorCriticLoss(s, 5, 3, 4);
        u.compute(full);
        double[] dLogitsFull = u.dLogits.clone();
        double[] dValuesFull = u.dValues.clone();
        double pgFull = full.policyGradientLoss();
        double entropyFull = full.entropyLoss();
        double valueFull = full.baselineLoss();

        // Steps 0 and 1 of every environment are ignored; a null policy mask is the plain compute.
        double[] policyMask = new double[15];
        java.util.Arrays.fill(policyMask, 6, 15, 1.0);
        ActorCriticLoss masked = new ActorCriticLoss(s, 5, 3, 4);
        double total = masked.compute(u.logits, u.values, u.actions, u.rewards, u.done, u.bootstrap, u.mask,
                policyMask, u.dLogits, u.dValues);
        double pgIgnored = 0;
        double entropyIgnored = 0;
        for (int i = 0; i < 15; i++) {
            for (int k = 0; k < 4; k++) {
                assertEquals(i < 6 ? 0.0 : dLogitsFull[i * 4 + k], u.dLogits[i * 4 + k], 0.0, "dE/dy[" + i + "]");
            }
            assertEquals(dValuesFull[i], u.dValues[i], 0.0, "the value is learnt on every step");
            if (i < 6) {

                double h = full.entropyAt(i / 3, i % 3);
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < 4; k++) {
                    max = Math.max(max, u.logits[i * 4 + k]);
                }
                double z = 0;
                for (int k = 0; k < 4; k++) {
                    z += Math.exp(u.logits[i * 4 + k] - max);
                }
                double ce = -(u.logits[i * 4 + u.actions[i]] - max - Math.log(z));
                pgIgnored += u.mask[i] * ce * full.advantageAt(i / 3, i % 3);
                entropyIgnored += u.mask[i] * h;
            }
        }
        assertEquals(pgFull - pgIgnored, masked.policyGradientLoss(), 1e-12);
        assertEquals(entropyFull + 0.2 * entropyIgnored, masked.entropyLoss(), 1e-12);
        assertEquals(valueFull, masked.baselineLoss(), 0.0);
        assertEquals(masked.totalLoss(), total);
        double[] tooShort = new double[14];
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> masked.compute(u.logits, u.values, u.actions, u.rewards, u.done, u.bootstrap, u.mask, tooShort,
                        u.dLogits, u.dValues));
        assertTrue(e.getMessage().startsWith("policyMask has length 14"), e.getMessage());
    }

    @Test
    void everyLogitDerivativeMatchesFiniteDifferencesOfTheTotal() {
        for (ActorCriticLoss.Settings s : new ActorCriticLoss.Settings[] {
                ActorCriticLoss.Settings.reference(), new ActorCriticLoss.Settings(0.95, 0.5, 0.3)}) {
            Unroll u = Unroll.random(6, 3, 4, 11);
            ActorCriticLoss loss = new ActorCriticLoss(s, 6, 3, 4);
            double base = u.compute(loss);
            double[] analytic = u.dLogits.clone();
            for (int jj = 0; jj < u.logits.length; jj++) {
                final int j = jj;
                double x = u.logits[j];
                double fd = fivePoint(h -> {
                    u.logits[j] = x + h;
                    return u.compute(loss);
                });
                u.logits[j] = x;
                if (u.mask[j / 4] == 0) {
                    assertEquals(0.0, analytic[j], 0.0, "masked step has no derivative");
                    u.logits[j] = x + 0.5;
                    assertEquals(base, u.compute(loss), 0.0, "masked step does not enter the loss");
                    u.logits[j] = x;
                } else {
                    assertRelative(fd, analytic[j], "dE/dy[" + j + "] with " + s);
                }
            }
        }
    }

    @Test
    void everyValueDerivativeMatchesFiniteDifferencesOfTheStopGradientTotal() {
        // G and A are stop-gradient: as a function of V the total is pg(A fixed) + value(V) + entropy,
        // of which only the baseline loss moves, so its finite difference is the one to compare.
        Unroll u = Unroll.random(6, 3, 4, 13);
        ActorCriticLoss loss = new ActorCriticLoss(new ActorCriticLoss.Settings(0.97, 0.8, 0.01), 6, 3, 4);
        u.compute(loss);
        double[] analytic = u.dValues.clone();
        double pgFixed = loss.policyGradientLoss();
        double entropyFixed = loss.entropyLoss();
        double baseline = loss.baselineLoss();
        for (int jj = 0; jj < u.values.length; jj++) {
            final int j = jj;
            double x = u.values[j];
            double fd = fivePoint(h -> {
                u.values[j] = x + h;
                u.compute(loss);
                return pgFixed + loss.baselineLoss() + entropyFixed;
            });
            u.values[j] = x;
            if (u.mask[j] == 0) {
                assertEquals(0.0, analytic[j], 0.0);
                u.values[j] = x + 0.5;
                u.compute(loss);
                assertEquals(baseline, loss.baselineLoss(), 0.0, "masked step does not enter the loss");
                u.values[j] = x;
            } else {
                assertRelative(fd, analytic[j], "dE/dV[" + j + "]");
            }
        }
    }

    @Test
    void bootstrapValueGetsNoGradientButMovesTheTargets() {
        Unroll u = Unroll.random(3, 2, 3, 17);
        java.util.Arrays.fill(u.done, false);
        java.util.Arrays.fill(u.mask, 1.0);
        ActorCriticLoss loss = new ActorCriticLoss(ActorCriticLoss.Settings.reference(), 3, 2, 3);
        u.compute(loss);
        double g0 = loss.returnAt(0, 1);
        u.bootstrap[1] += 1;
        u.compute(loss);
        assertEquals(0.99 * 0.99 * 0.99, loss.returnAt(0, 1) - g0, 1e-12);
    }

    @Test
    void extremeLogitsStayFinite() {
        Unroll u = new Unroll(1, 2, 3);
        u.logits[0] = 1e4;
        u.logits[1] = -1e4;
        u.logits[2] = 0;
        u.actions[0] = 0;
        u.logits[3] = -800;
        u.logits[4] = -800;
        u.logits[5] = -800;
        u.actions[1] = 2;
        u.rewards[0] = 1;
        ActorCriticLoss loss = new ActorCriticLoss(ActorCriticLoss.Settings.reference(), 1, 2, 3);
        double total = u.compute(loss);
        assertTrue(Double.isFinite(total));
        assertEquals(0.0, loss.entropyAt(0, 0), 1e-300);
        assertEquals(Math.log(3), loss.entropyAt(0, 1), 1e-14);
        for (double d : u.dLogits) {
            assertTrue(Double.isFinite(d));
        }
        // the chosen action has probability 1: no policy-gradient push on step 0
        assertEquals(0.0, u.dLogits[0], 1e-300);
        // action 1 of env 0 is taken with CE 2e4 if chosen
        u.actions[0] = 1;
        u.compute(loss);
        assertTrue(Double.isFinite(loss.policyGradientLoss()));
    }

    @Test
    void fullyMaskedUnrollHasZeroLossAndNaNMeanEntropy() {
        Unroll u = Unroll.random(2, 2, 2, 19);
        java.util.Arrays.fill(u.mask, 0.0);
        ActorCriticLoss loss = new ActorCriticLoss(ActorCriticLoss.Settings.reference(), 2, 2, 2);
        assertEquals(0.0, u.compute(loss));
        assertTrue(Double.isNaN(loss.meanEntropy()));
        for (double d : u.dLogits) {
            assertEquals(0.0, d, 0.0);
        }
    }

    @Test
    void rejectsBadShapesActionsAndSettings() {
        ActorCriticLoss loss = new ActorCriticLoss(ActorCriticLoss.Settings.reference(), 2, 2, 3);
        Unroll wrong = new Unroll(3, 2, 3);
        assertThrows(IllegalArgumentException.class, () -> wrong.compute(loss));
        Unroll u = new Unroll(2, 2, 3);
        u.actions[1] = 3;
        assertThrows(IllegalArgumentException.class, () -> u.compute(loss));
        assertThrows(IllegalArgumentException.class, () -> new ActorCriticLoss.Settings(1.01, 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ActorCriticLoss.Settings(0.99, -1, 0));
        assertThrows(IllegalArgumentException.class, () -> new ActorCriticLoss.Settings(0.99, 1, Double.NaN));
    }

    private interface Loss {
        double at(double h);
    }

    /** The fourth-order central difference (-f(2h) + 8 f(h) - 8 f(-h) + f(-2h)) / 12h. */
    private static double fivePoint(Loss f) {
        double h = 1e-3;
        return (-f.at(2 * h) + 8 * f.at(h) - 8 * f.at(-h) + f.at(-2 * h)) / (12 * h);
    }

    private static void assertRelative(double fd, double analytic, String what) {
        double scale = Math.max(Math.abs(analytic), 1e-3);
        double relative = Math.abs(fd - analytic) / scale;
        assertTrue(relative <= 1e-7, what + ": finite difference " + fd + ", analytic " + analytic
                + ", relative error " + relative);
    }
}
