package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/** Padding of utterances of unequal lengths into one batch, frame-wise and CTC, checked by hand. */
class TimitTaskTest {

    private static Utterance utterance(String id, int frames, int inputs, int[] labels) {
        float[] f = new float[frames * inputs];
        for (int i = 0; i < f.length; i++) {
            f[i] = id.hashCode() % 7 + i + 1;
        }
        return new Utterance(id, "spk", frames, inputs, f, labels);
    }

    @Test
    void framewiseBatchIsPaddedWithWeightsAsTheMask() {
        Utterance a = utterance("a", 3, 2, new int[] {0, 5, 5});
        Utterance b = utterance("b", 5, 2, new int[] {1, 1, 2, 2, 0});
        RealArray x = Precision.FLOAT64.zeros(5 * 2 * 2);
        x.fill(99); // stale values must be overwritten by the padding
        Targets t = new Targets();
        int frames = TimitTask.pad(List.of(a, b), x, t, 2, 61, TimitTask.Mode.FRAMEWISE, -1);
        assertEquals(5, frames);
        assertArrayEquals(new int[] {3, 5}, t.lengths(new int[2]));
        for (int f = 0; f < 5; f++) {
            for (int i = 0; i < 2; i++) {
                assertEquals(f < 3 ? a.feature(f, i) : 0.0, x.get((f * 2) * 2 + i), 0.0);
                assertEquals(b.feature(f, i), x.get((f * 2 + 1) * 2 + i), 0.0);
            }
            assertEquals(f < 3 ? 1.0 / (3 * 2) : 0.0, t.weight(f, 0), 1e-15);
            assertEquals(1.0 / (5 * 2), t.weight(f, 1), 1e-15);
            assertEquals(b.label(f), t.label(f, 1));
        }
        assertEquals(5, t.label(2, 0));
    }

    @Test
    void ctcTargetsHoldTheMergedPhoneSequenceEndedByTheBlank() {
        Utterance a = utterance("a", 6, 1, new int[] {0, 0, 7, 7, 3, 0});
        Targets t = new Targets();
        TimitTask.pad(List.of(a), Precision.FLOAT64.zeros(6), t, 1, 62, TimitTask.Mode.CTC, 61);
        assertArrayEquals(new int[] {0, 7, 3, 0}, TimitTask.labelSequence(a));
        int[] expected = {0, 7, 3, 0, 61, 61};
        for (int f = 0; f < 6; f++) {
            assertEquals(expected[f], t.label(f, 0));
            assertEquals(1.0, t.weight(f, 0), 0.0);
        }
    }
}
