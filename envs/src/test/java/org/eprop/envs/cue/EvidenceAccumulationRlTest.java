package org.eprop.envs.cue;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.supervised.SupervisedEnv;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

class EvidenceAccumulationRlTest {
    private static final EvidenceAccumulation.Timing REF = EvidenceAccumulation.Timing.reference();

    /** A short trial for tests that run many episodes: 3 cues, 270 ms = 27 steps of 10 ms, recall from step 23. */
    private static final EvidenceAccumulation.Timing SHORT =
            new EvidenceAccumulation.Timing(3, 20, 40, 60, 50, 40, 40, 10, 0.7, 2, 10.0);

    private static EvidenceAccumulationRl lastStep(EvidenceAccumulation.Timing timing) {
        return new EvidenceAccumulationRl(new EvidenceAccumulationRl.Params(timing, EvidenceAccumulationRl.Reward.LAST_STEP));
    }

    private static EvidenceAccumulationRl recallWindow(EvidenceAccumulation.Timing timing) {
        return new EvidenceAccumulationRl(new EvidenceAccumulationRl.Params(timing,
                EvidenceAccumulationRl.Reward.RECALL_WINDOW));
    }

    /** Plays one episode with {@code choice} as every action; returns the final step. */
    private static Step<float[]> play(EvidenceAccumulationRl env, int choice) {
        Step<float[]> s;
        do {
            s = env.step(choice);
        } while (!s.done());
        return s;
    }

    @Test
    void trialLengthAndDecisionTimingAreThoseOfTheReferenceTrial() {
        EvidenceAccumulationRl env = new EvidenceAccumulationRl();
        assertEquals(2250, env.steps());
        assertEquals(2249, env.decisionStep());
        assertEquals(2100, env.recallStep(), "recall onset after the 1050 ms delay");
        assertEquals(1.0, env.dtMs());
        assertEquals(40, env.inputs());
        assertEquals(Box.of(40, 0f, 1f), env.observationSpace());
        assertEquals("Discrete(2)", env.actionSpace().describe());
        assertEquals(27, lastStep(SHORT).steps());
        assertEquals(23, lastStep(SHORT).recallStep());
    }

    @Test
    void observationsAreTheSupervisedTasksInputsForTheSameSeed() {
        for (EvidenceAccumulation.Timing timing : new EvidenceAccumulation.Timing[] {REF, SHORT}) {
            int steps = timing.steps();
            int n = timing.inputs();
            for (long seed : new long[] {0, 9}) {
                float[] expected = new float[steps * n];
                int[] labels = new int[1];
                int[] sides = new int[timing.cues()];
                new EvidenceAccumulation(timing).sampleBatch(new Rng(seed), 1, expected, labels, sides);
                SupervisedEnv supervised = new SupervisedEnv(new EvidenceAccumulation(timing));

                EvidenceAccumulationRl env = lastStep(timing);
                Reset<float[]> r = env.reset(seed);
                Reset<float[]> rs = supervised.reset(seed);
                assertArrayEquals(Arrays.copyOfRange(expected, 0, n), r.observation());
                assertArrayEquals(rs.observation(), r.observation());
                int right = Arrays.stream(sides).sum();
                assertEquals(labels[0], r.info().require(EvidenceAccumulationRl.CORRECT_SIDE));
                assertEquals(right, r.info().require(EvidenceAccumulationRl.RIGHT_CUES));
                assertEquals(timing.cues() - right, r.info().require(EvidenceAccumulationRl.LEFT_CUES));
                for (int t = 1; t < steps; t++) {
                    Step<float[]> s = env.step(EvidenceAccumulationRl.LEFT);
                    assertArrayEquals(Arrays.copyOfRange(expected, t * n, (t + 1) * n), s.observation(), "step " + t);
                    assertArrayEquals(supervised.step(new float[2]).observation(), s.observation(), "step " + t);
                    assertFalse(s.done());
                    assertEquals(0.0, s.reward());
                }
                Step<float[]> last = env.step(EvidenceAccumulationRl.LEFT);
                assertTrue(last.terminated());
                assertArrayEquals(new float[n], last.observation(), "no spikes after the trial");
            }
        }
    }

    @Test
    void resetContinuesTheStreamLikeTheNextBatchOfOne() {
        float[] first = new float[SHORT.steps() * SHORT.inputs()];
        float[] second = new float[first.length];
        Rng rng = new Rng(4);
        EvidenceAccumulation task = new EvidenceAccumulation(SHORT);
        task.sampleBatch(rng, 1, first, new int[1], null);
        task.sampleBatch(rng, 1, second, new int[1], null);
        EvidenceAccumulationRl env = lastStep(SHORT);
        env.reset(4);
        play(env, 0);
        Reset<float[]> r = env.reset();
        assertArrayEquals(Arrays.copyOfRange(second, 0, SHORT.inputs()), r.observation());
    }

    @Test
    void underTheLastStepRuleEpisodeLastsTheTrialAndOnlyTheLastActionIsTheChoice() {
        EvidenceAccumulationRl env = lastStep(REF);
        Reset<float[]> r = env.reset(3);
        int correct = r.info().require(EvidenceAccumulationRl.CORRECT_SIDE);
        assertFalse(r.info().require(EvidenceAccumulationRl.DECISION_STEP));
        int steps = 0;
        Step<float[]> s;
        Info decisionInfo = null;
        do {
            boolean last = steps == env.decisionStep();
            // Every action but the last is the wrong side: it must not matter.
            s = env.step(last ? correct : 1 - correct);
            steps++;
            if (!s.done()) {
                assertEquals(0.0, s.reward());
                assertEquals(steps == env.decisionStep(), s.info().require(EvidenceAccumulationRl.DECISION_STEP),
                        "flag on the observation whose action counts, step " + steps);
                if (steps == env.decisionStep()) {
                    decisionInfo = s.info();
                }
            }
        } while (!s.done());
        assertEquals(2250, steps);
        assertTrue(decisionInfo != null);
        assertTrue(s.terminated());
        assertFalse(s.truncated());
        assertEquals(1.0, s.reward());
        assertEquals(correct, s.info().require(EvidenceAccumulationRl.CHOICE));
        assertTrue(s.info().require(EvidenceAccumulationRl.CORRECT));
        assertEquals(correct, s.info().require(EvidenceAccumulationRl.CORRECT_SIDE));
    }

    @Test
    void underTheLastStepRuleRewardIsPlusOneForTheMajoritySideAndMinusOneOtherwise() {
        EvidenceAccumulationRl env = lastStep(SHORT);
        int[] rightLabels = new int[2];
        double alwaysRight = 0;
        int episodes = 2000;
        env.reset(8);
        for (int e = 0; e < episodes; e++) {
            Reset<float[]> r = e == 0 ? env.reset(8) : env.reset();
            int left = r.info().require(EvidenceAccumulationRl.LEFT_CUES);
            int right = r.info().require(EvidenceAccumulationRl.RIGHT_CUES);
            int majority = right > left ? EvidenceAccumulationRl.RIGHT : EvidenceAccumulationRl.LEFT;
            assertEquals(majority, r.info().require(EvidenceAccumulationRl.CORRECT_SIDE));
            rightLabels[majority]++;
            int choice = e % 2;
            Step<float[]> s = play(env, choice);
            assertEquals(choice == majority ? 1.0 : -1.0, s.reward());
            assertEquals(choice == majority, s.info().require(EvidenceAccumulationRl.CORRECT));
            alwaysRight += choice == EvidenceAccumulationRl.RIGHT ? s.reward() : 0;
        }
        assertTrue(rightLabels[0] > 800 && rightLabels[1] > 800, "both sides occur: " + Arrays.toString(rightLabels));
        // A fixed choice is right half the time: its mean reward is near 0 (sd of the mean 0.032).
        assertEquals(0.0, alwaysRight / (episodes / 2.0), 0.13);
    }

    @Test
    void theSameSeedGivesTheSameTrialsWhateverTheActions() {
        EvidenceAccumulationRl a = lastStep(SHORT);
        EvidenceAccumulationRl b = lastStep(SHORT);
        a.reset(21);
        b.reset(21);
        for (int e = 0; e < 20; e++) {
            Reset<float[]> ra = a.reset();
            Reset<float[]> rb = b.reset();
            assertArrayEquals(ra.observation(), rb.observation());
            assertEquals(ra.info().asMap(), rb.info().asMap());
            Step<float[]> sa;
            Step<float[]> sb;
            do {
                sa = a.step(0);
                sb = b.step(1);
                assertArrayEquals(sa.observation(), sb.observation());
            } while (!sa.done());
            assertTrue(sb.done());
            assertEquals(-sa.reward(), sb.reward(), "opposite choices, opposite rewards");
        }
    }

    /** Plays one episode with {@code actions[k]} as the action on input {@code x(k)}; returns every step's reward, and the final step. */
    private static Step<float[]> play(EvidenceAccumulationRl env, int[] actions, double[] rewards) {
        Step<float[]> s = null;
        for (int k = 0; k < actions.length; k++) {
            s = env.step(actions[k]);
            rewards[k] = s.reward();
            assertEquals(k == actions.length - 1, s.done(), "the episode ends with the action on x(T-1), step " + k);
        }
        return s;
    }

    @Test
    void recallWindowRuleIsTheDefaultAndRewardsEachRecallChoicePlusOrMinusOne() {
        assertEquals(EvidenceAccumulationRl.Reward.RECALL_WINDOW, new EvidenceAccumulationRl().params().reward());
        EvidenceAccumulationRl ref = new EvidenceAccumulationRl();
        assertEquals(150, ref.rewardedSteps());
        assertEquals(2100, ref.firstRewardedStep());
        assertEquals(1, lastStep(REF).rewardedSteps());
        assertEquals(2249, lastStep(REF).firstRewardedStep());

        // SHORT: T = 27 steps, recall window x(23) .. x(26), W = 4.
        EvidenceAccumulationRl env = recallWindow(SHORT);
        assertEquals(4, env.rewardedSteps());
        assertEquals(23, env.firstRewardedStep());
        int correct = env.reset(5).info().require(EvidenceAccumulationRl.CORRECT_SIDE);
        int wrong = 1 - correct;
        int[] actions = new int[27];
        // Wrong everywhere before the window (ignored), then correct, correct, wrong, correct.
        Arrays.fill(actions, wrong);
        actions[23] = correct;
        actions[24] = correct;
        actions[25] = wrong;
        actions[26] = correct;
        double[] rewards = new double[27];
        Step<float[]> last = play(env, actions, rewards);
        double[] expected = new double[27];
        expected[23] = 1;
        expected[24] = 1;
        expected[25] = -1;
        expected[26] = 1;
        assertArrayEquals(expected, rewards);
        assertEquals(2.0, Arrays.stream(rewards).sum(), "return 3 - 1");
        assertEquals(correct, last.info().require(EvidenceAccumulationRl.CHOICE), "3 of 4 choices: the majority");
        assertTrue(last.info().require(EvidenceAccumulationRl.CORRECT));
        assertEquals(3, last.info().require(EvidenceAccumulationRl.CORRECT_CHOICES));
    }

    @Test
    void recallWindowDecisionIsTheMajorityOfTheChoicesAndATieGoesToTheLastChoice() {
        EvidenceAccumulationRl env = recallWindow(SHORT);
        int correct = env.reset(6).info().require(EvidenceAccumulationRl.CORRECT_SIDE);
        int wrong = 1 - correct;
        // Correct before the window (ignored), then wrong, wrong, wrong, correct: return -2, decision wrong.
        int[] actions = new int[27];
        Arrays.fill(actions, correct);
        actions[23] = wrong;
        actions[24] = wrong;
        actions[25] = wrong;
        double[] rewards = new double[27];
        Step<float[]> last = play(env, actions, rewards);
        assertEquals(-2.0, Arrays.stream(rewards).sum());
        assertEquals(1.0, rewards[26]);
        assertEquals(wrong, last.info().require(EvidenceAccumulationRl.CHOICE));
        assertFalse(last.info().require(EvidenceAccumulationRl.CORRECT));
        assertEquals(1, last.info().require(EvidenceAccumulationRl.CORRECT_CHOICES));

        // Two each: return 0, and the last choice decides.
        for (boolean lastCorrect : new boolean[] {true, false}) {
            int side = env.reset().info().require(EvidenceAccumulationRl.CORRECT_SIDE);
            int first = lastCorrect ? 1 - side : side;
            Arrays.fill(actions, 0);
            actions[23] = first;
            actions[24] = first;
            actions[25] = 1 - first;
            actions[26] = 1 - first;
            last = play(env, actions, rewards);
            assertEquals(0.0, Arrays.stream(rewards).sum());
            assertEquals(actions[26], last.info().require(EvidenceAccumulationRl.CHOICE));
            assertEquals(lastCorrect, last.info().require(EvidenceAccumulationRl.CORRECT));
            assertEquals(2, last.info().require(EvidenceAccumulationRl.CORRECT_CHOICES));
        }
    }

    @Test
    void recallWindowStepsCarryTheDecisionFlagAndAlwaysCorrectEarnsW() {
        EvidenceAccumulationRl env = new EvidenceAccumulationRl();
        Reset<float[]> r = env.reset(11);
        int correct = r.info().require(EvidenceAccumulationRl.CORRECT_SIDE);
        assertFalse(r.info().require(EvidenceAccumulationRl.DECISION_STEP));
        assertTrue(r.info().require(org.eprop.envs.api.InfoKeys.ACTION_IGNORED));
        double total = 0;
        int steps = 0;
        Step<float[]> s;
        do {
            s = env.step(correct);
            steps++;
            total += s.reward();
            if (!s.done()) {
                assertEquals(steps >= 2100, s.info().require(EvidenceAccumulationRl.DECISION_STEP), "step " + steps);
                assertEquals(steps < 2100, s.info().require(org.eprop.envs.api.InfoKeys.ACTION_IGNORED), "step " + steps);
                assertEquals(steps > 2100 ? 1.0 : 0.0, s.reward(), "reward of the action on x(" + (steps - 1)
                        + ")");
            }
        } while (!s.done());
        assertEquals(2250, steps);
        assertEquals(1.0, s.reward());
        assertEquals(150.0, total, "150 correct choices");
        assertEquals(150, s.info().require(EvidenceAccumulationRl.CORRECT_CHOICES));
        assertTrue(s.info().require(org.eprop.envs.api.InfoKeys.CORRECT), "the general key is the env's CORRECT");
        assertEquals(correct, s.info().require(EvidenceAccumulationRl.CHOICE));
    }

    @Test
    void theRewardRuleDoesNotChangeTheTrials() {
        EvidenceAccumulationRl a = recallWindow(SHORT);
        EvidenceAccumulationRl b = lastStep(SHORT);
        Reset<float[]> ra = a.reset(31);
        Reset<float[]> rb = b.reset(31);
        assertArrayEquals(ra.observation(), rb.observation());
        assertEquals(ra.info().require(EvidenceAccumulationRl.CORRECT_SIDE),
                rb.info().require(EvidenceAccumulationRl.CORRECT_SIDE));
        Step<float[]> sa;
        do {
            sa = a.step(1);
            assertArrayEquals(sa.observation(), b.step(1).observation());
        } while (!sa.done());
    }

    @Test
    void paramsCarryTheTimingAndRejectAMissingRule() {
        EvidenceAccumulationRl.Params p = new EvidenceAccumulationRl.Params(SHORT, EvidenceAccumulationRl.Reward.LAST_STEP);
        assertEquals(SHORT, p.timing());
        assertEquals(EvidenceAccumulationRl.Params.reference().timing(), REF);
        IllegalArgumentException none = assertThrows(IllegalArgumentException.class,
                () -> new EvidenceAccumulationRl.Params(SHORT, null));
        assertTrue(none.getMessage().contains("recall-window or last-step"), none.getMessage());
        IllegalArgumentException cues = assertThrows(IllegalArgumentException.class,
                () -> new EvidenceAccumulationRl.Params(4, 50, 100, 150, 1050, 150, 40, 10, 0.7, 10, 1.0,
                        EvidenceAccumulationRl.Reward.RECALL_WINDOW));
        assertTrue(cues.getMessage().startsWith("cues must be"), cues.getMessage());
    }

    @Test
    void misuseIsRejected() {
        EvidenceAccumulationRl env = lastStep(SHORT);
        assertThrows(IllegalStateException.class, () -> env.step(0), "step before reset");
        env.reset(0);
        assertThrows(IllegalArgumentException.class, () -> env.step(2));
        assertThrows(IllegalArgumentException.class, () -> env.step(null));
        play(env, 1);
        assertThrows(IllegalStateException.class, () -> env.step(0), "step after the end");
    }

    @Test
    void badTimingIsRejectedNamingTheKey() {
        IllegalArgumentException cues = assertThrows(IllegalArgumentException.class,
                () -> new EvidenceAccumulation.Timing(6, 50, 100, 150, 1050, 150, 40, 10, 0.7, 10, 1.0));
        assertTrue(cues.getMessage().startsWith("cues must be"), cues.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class,
                () -> new EvidenceAccumulation.Timing(7, 50, 100, 150, 1050, 150, 40, 10, 0.3, 10, 1.0));
        assertTrue(p.getMessage().startsWith("majorityProbability"), p.getMessage());
        IllegalArgumentException recall = assertThrows(IllegalArgumentException.class,
                () -> new EvidenceAccumulation.Timing(7, 50, 100, 150, 1050, 0, 40, 10, 0.7, 10, 1.0));
        assertTrue(recall.getMessage().contains("recallMs > 0"), recall.getMessage());
    }
}
