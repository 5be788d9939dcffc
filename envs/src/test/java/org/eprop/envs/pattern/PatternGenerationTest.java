package org.eprop.envs.pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

class PatternGenerationTest {

    @Test
    void targetIsASumOfTheGivenSinesStartingAtZeroWithUnitPeak() {
        PatternGeneration task = new PatternGeneration(PatternGeneration.Params.reference());
        double[] y = task.target();
        assertEquals(1000, y.length);
        assertEquals(0.0, y[0], 1e-15);
        double max = 0;
        for (double v : y) {
            max = Math.max(max, Math.abs(v));
        }
        assertEquals(1.0, max, 1e-12);
        // Least squares on sin/cos at 1, 2, 3 and 5 cycles per trial (periods 1000, 500, 333, 200 ms)
        // plus a constant must explain the target almost exactly (333 ms is not a whole number of
        // cycles, so allow a small residual).
        double[] residual = y.clone();
        double mean = 0;
        for (double v : residual) {
            mean += v / residual.length;
        }
        for (int t = 0; t < residual.length; t++) {
            residual[t] -= mean;
        }
        double before = energy(residual);
        for (double period : new double[] {1000, 500, 333, 200}) {
            project(residual, period);
        }
        assertTrue(energy(residual) < 0.02 * before, "the four sines explain the target: " + energy(residual) / before);
    }

    private static double energy(double[] v) {
        double e = 0;
        for (double x : v) {
            e += x * x;
        }
        return e;
    }

    /** Removes the best-fitting sine and cosine of the period (one Gram-Schmidt step each). */
    private static void project(double[] v, double period) {
        for (int phase = 0; phase < 2; phase++) {
            double[] basis = new double[v.length];
            for (int t = 0; t < v.length; t++) {
                double a = 2 * Math.PI * t / period;
                basis[t] = phase == 0 ? Math.sin(a) : Math.cos(a);
            }
            double dot = 0;
            double norm = 0;
            for (int t = 0; t < v.length; t++) {
                dot += v[t] * basis[t];
                norm += basis[t] * basis[t];
            }
            for (int t = 0; t < v.length; t++) {
                v[t] -= dot / norm * basis[t];
            }
        }
    }

    @Test
    void inputIsOneFrozenPoissonPatternAt50Hz() {
        PatternGeneration task = new PatternGeneration(PatternGeneration.Params.reference());
        RealArray a = Precision.FLOAT64.zeros(1000 * 100);
        RealArray b = Precision.FLOAT64.zeros(1000 * 100);
        Targets t = new Targets();
        task.sampleBatch(new Rng(1), 1, a, t);
        task.sampleBatch(new Rng(2), 1, b, t);
        assertEquals(a.sum(), b.sum());
        for (int i = 0; i < a.length(); i++) {
            assertEquals(a.get(i), b.get(i), "frozen: every batch is the same pattern");
        }
        assertEquals(0.05, a.sum() / a.length(), 0.003);
        assertEquals(1.0, t.weight(500, 0));
    }

    @Test
    void badParametersAreRejected() {
        assertThrows(IllegalArgumentException.class,
                () -> new PatternGeneration.Params(0, 50, 1000, List.of(1000.0), 1.0, 1));
        assertThrows(IllegalArgumentException.class,
                () -> new PatternGeneration.Params(10, 50, 1000, List.of(-5.0), 1.0, 1));
    }
}
