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
}
