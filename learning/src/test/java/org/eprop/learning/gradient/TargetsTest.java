package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

class TargetsTest {

    /** Sets random labels, weights and values on a random few rows, as a task fills its targets. */
    private static void fill(Targets t, Rng rng, int sets) {
        for (int i = 0; i < sets; i++) {
            int step = rng.nextInt(t.steps());
            int b = rng.nextInt(t.batch());
            switch (rng.nextInt(3)) {
                case 0 -> t.setLabel(step, b, rng.nextInt(t.outputs()));
                case 1 -> t.setWeight(step, b, rng.bernoulli(0.2) ? 0 : rng.uniform(0.1, 1));
                default -> t.setValue(step, b, rng.nextInt(t.outputs()), rng.nextGaussian());
            }
        }
    }

    private static void assertSame(Targets expected, Targets actual, String what) {
        assertEquals(expected.steps(), actual.steps(), what);
        for (int t = 0; t < expected.steps(); t++) {
            for (int b = 0; b < expected.batch(); b++) {
                assertEquals(expected.label(t, b), actual.label(t, b), what + ": label " + t + "," + b);
                assertEquals(expected.weight(t, b), actual.weight(t, b), what + ": weight " + t + "," + b);
                for (int k = 0; k < expected.outputs(); k++) {
                    assertEquals(expected.value(t, b, k), actual.value(t, b, k), what + ": value " + t + "," + b);
                }
            }
        }
    }

    /** Every step outside the weighted range has weight 0 for every sequence. */
    private static void assertRangeHoldsTheWeights(Targets t, String what) {
        for (int step = 0; step < t.steps(); step++) {
            if (step >= t.firstWeightedStep() && step < t.endWeightedStep()) {
                continue;
            }
            for (int b = 0; b < t.batch(); b++) {
                assertEquals(0.0, t.weight(step, b), what + ": step " + step + " outside the weighted range");
            }
        }
    }

    @Test
    void aReusedContainerReadsAsAFreshOneWhateverTheShapes() {
        // Only what was set is cleared at resize: shapes that change between batches (a longer
        // sequence, a smaller batch, more outputs) must still find zeros everywhere.
        int[][] shapes = {{50, 8, 2}, {50, 8, 2}, {70, 5, 3}, {20, 16, 1}, {90, 3, 4}, {50, 8, 2}};
        Rng rng = new Rng(5);
        Targets reused = new Targets();
        for (int round = 0; round < 4; round++) {
            for (int[] shape : shapes) {
                reused.resize(shape[0], shape[1], shape[2]);
                Targets fresh = new Targets().resize(shape[0], shape[1], shape[2]);
                String what = "round " + round + ", shape " + java.util.Arrays.toString(shape);
                assertSame(fresh, reused, what + " after resize");
                assertEquals(reused.firstWeightedStep(), reused.endWeightedStep(), what + ": no weighted step");
                long seed = rng.nextLong();
                fill(reused, new Rng(seed), 40);
                fill(fresh, new Rng(seed), 40);
                assertSame(fresh, reused, what + " after filling");
                assertRangeHoldsTheWeights(reused, what);
            }
        }
    }

    @Test
    void theWeightedRangeIsTheWindowOfTheFinalSteps() {
        Targets t = new Targets().resize(2250, 4, 2).classifyFinalSteps(new int[] {0, 1, 1, 0}, 150);
        assertEquals(2100, t.firstWeightedStep());
        assertEquals(2250, t.endWeightedStep());
        t.weightAll(0.5);
        assertEquals(0, t.firstWeightedStep());
        assertEquals(2250, t.endWeightedStep());
        t.weightAll(0);
        assertEquals(t.firstWeightedStep(), t.endWeightedStep());
        assertRangeHoldsTheWeights(t, "all weights 0");
        t.resize(2250, 4, 2);
        assertEquals(0.0, t.weight(2200, 3), "cleared by resize");
    }
}
