package org.eprop.envs.supervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/** The normalised MSE: its edge cases, and that the training metric kept its values bit for bit. */
class TaskMetricsTest {

    @Test
    void arrayFormMatchesTheDefinition() {
        // mse = 1/4, var = 5/4
        assertEquals(0.2, TaskMetrics.normalisedMse(new double[] {1, 2, 3, 5}, new double[] {1, 2, 3, 4}), 1e-15);
        // Two outputs: errors and variances are summed over outputs before the ratio.
        double[] target = {0, 10, 2, 10, 0, 14, 2, 14};
        double[] y = {1, 10, 2, 10, 0, 14, 2, 16};
        assertEquals((1 + 4) / (4.0 + 16), TaskMetrics.normalisedMse(y, target, new double[] {1, 1, 1, 1}, 2), 1e-15);
    }

    @Test
    void edgeCases() {
        assertTrue(Double.isNaN(TaskMetrics.normalisedMse(new double[0], new double[0])), "nothing measured");
        assertTrue(Double.isNaN(TaskMetrics.normalisedMse(new double[] {1, 2}, new double[] {1, 2},
                new double[] {0, 0}, 1)), "no weight");
        assertTrue(Double.isNaN(TaskMetrics.normalisedMse(new double[] {1, 1}, new double[] {1, 1})),
                "constant target, perfect fit");
        assertTrue(Double.isNaN(TaskMetrics.normalisedMse(new double[] {1, 2}, new double[] {1, 1})),
                "constant target, imperfect fit");
        assertTrue(Double.isNaN(TaskMetrics.normalisedMse(new double[] {1, Double.NaN, 3}, new double[] {1, 2, 4})),
                "a diverged output is not hidden");
        // Rows of weight 0 are left out, even where their target is NaN (no target there).
        assertEquals(0.2, TaskMetrics.normalisedMse(new double[] {1, 2, 7, 3, 5}, new double[] {1, 2, Double.NaN, 3, 4},
                new double[] {1, 1, 0, 1, 1}, 1), 1e-15);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TaskMetrics.normalisedMse(new double[3], new double[4]));
        assertTrue(e.getMessage().contains("y has 3"), e.getMessage());
        assertThrows(IllegalArgumentException.class,
                () -> TaskMetrics.normalisedMse(new double[4], new double[4], new double[3], 1));
    }

    @Test
    void targetsFormIsBitIdenticalToTheFormerImplementation() {
        Random rng = new Random(11);
        for (Precision p : Precision.values()) {
            for (int trial = 0; trial < 50; trial++) {
                int steps = 1 + rng.nextInt(40);
                int batch = 1 + rng.nextInt(4);
                int nOut = 1 + rng.nextInt(3);
                Targets targets = new Targets().resize(steps, batch, nOut);
                RealArray y = p.zeros(steps * batch * nOut);
                for (int t = 0; t < steps; t++) {
                    for (int b = 0; b < batch; b++) {
                        targets.setWeight(t, b, rng.nextInt(4) == 0 ? 0 : rng.nextDouble() / (steps * batch));
                        for (int k = 0; k < nOut; k++) {
                            targets.setValue(t, b, k, rng.nextGaussian() - 0.3);
                            y.set((t * batch + b) * nOut + k, rng.nextGaussian());
                        }
                    }
                }
                double expected = formerNormalisedMse(y, targets);
                double actual = TaskMetrics.normalisedMse(y, targets);
                assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(actual),
                        p + " trial " + trial + ": " + expected + " vs " + actual);
            }
        }
    }

    /** TaskMetrics.normalisedMse as it was before the array form, kept here as the reference. */
    private static double formerNormalisedMse(RealArray y, Targets targets) {
        int steps = targets.steps();
        int batch = targets.batch();
        int nOut = targets.outputs();
        double wSum = 0;
        double[] mean = new double[nOut];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                double w = targets.weight(t, b);
                wSum += w;
                for (int k = 0; k < nOut; k++) {
                    mean[k] += w * targets.value(t, b, k);
                }
            }
        }
        if (wSum == 0) {
            return Double.NaN;
        }
        for (int k = 0; k < nOut; k++) {
            mean[k] /= wSum;
        }
        double err = 0;
        double var = 0;
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                double w = targets.weight(t, b);
                for (int k = 0; k < nOut; k++) {
                    double target = targets.value(t, b, k);
                    double d = y.get((t * batch + b) * nOut + k) - target;
                    err += w * d * d;
                    var += w * (target - mean[k]) * (target - mean[k]);
                }
            }
        }
        return var == 0 ? Double.NaN : err / var;
    }
}
