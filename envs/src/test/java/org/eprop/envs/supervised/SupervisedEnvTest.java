package org.eprop.envs.supervised;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.cue.EvidenceAccumulation;
import org.eprop.envs.pattern.PatternGeneration;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/** A supervised task behind the Gymnasium-style interface: one trial per episode. */
class SupervisedEnvTest {

    @Test
    void anEpisodeIsOneTrialWhoseInfoCarriesTargetsAndWeights() {
        EvidenceAccumulation task = new EvidenceAccumulation(EvidenceAccumulation.Timing.reference());
        SupervisedEnv env = new SupervisedEnv(task);
        Reset<float[]> reset = env.reset(7);
        assertEquals(40, reset.observation().length);
        assertTrue(env.observationSpace().contains(reset.observation()));
        int steps = 1;
        int scored = 0;
        int label = -1;
        Step<float[]> step = null;
        do {
            step = env.step(new float[] {0f, 0f});
            steps++;
            double w = step.info().require(SupervisedEnv.WEIGHT);
            if (w > 0) {
                scored++;
                int l = step.info().require(SupervisedEnv.LABEL);
                assertTrue(label < 0 || label == l, "one label per trial");
                label = l;
            }
            assertEquals(0.0, step.reward());
            assertFalse(step.truncated());
        } while (!step.terminated());
        assertEquals(2250, steps, "the episode lasts one trial");
        assertEquals(150, scored, "the recall window is scored");
        assertThrows(IllegalStateException.class, () -> env.step(new float[2]), "step after the end needs a reset");
    }

    @Test
    void resetWithTheSameSeedReplaysTheTrialAndTheInputsMatchTheBatchSampler() {
        EvidenceAccumulation task = new EvidenceAccumulation(EvidenceAccumulation.Timing.reference());
        SupervisedEnv a = new SupervisedEnv(task);
        SupervisedEnv b = new SupervisedEnv(task);
        RealArray x = Precision.FLOAT32.zeros(2250 * 40);
        Targets targets = new Targets();
        task.sampleBatch(new Rng(3), 1, x, targets);
        float[] first = a.reset(3).observation();
        assertArrayEquals(first, b.reset(3).observation());
        for (int i = 0; i < 40; i++) {
            assertEquals(x.get(i), first[i]);
        }
        for (int t = 1; t < 2250; t++) {
            float[] oa = a.step(null).observation();
            assertArrayEquals(oa, b.step(null).observation());
            for (int i = 0; i < 40; i++) {
                assertEquals(x.get(t * 40 + i), oa[i], "input " + i + " at step " + t);
            }
        }
    }

    @Test
    void regressionTargetsArriveInTheInfo() {
        PatternGeneration task = new PatternGeneration(PatternGeneration.Params.reference());
        SupervisedEnv env = new SupervisedEnv(task);
        double[] target = task.target();
        assertEquals((float) target[0], env.reset(1).info().require(SupervisedEnv.TARGET)[0]);
        assertEquals((float) target[1], env.step(new float[1]).info().require(SupervisedEnv.TARGET)[0]);
        assertFalse(env.reset().info().has(SupervisedEnv.LABEL));
    }
}
