package org.eprop.learning.optim;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

class OptimizerTest {

    @Test
    void adamFollowsTensorFlowsFormulaStepByStep() {
        double lr = 0.1;
        double eps = 1e-3;
        Adam adam = new Adam(lr, 0.9, 0.999, eps);
        RealArray w = Precision.FLOAT64.of(1.0, -2.0);
        RealArray g = Precision.FLOAT64.of(0.5, -4.0);
        adam.step(new RealArray[] {w}, new RealArray[] {g});
        // t = 1: m = 0.1 g, v = 0.001 g^2, rate = lr sqrt(0.001)/0.1, update = rate m / (sqrt(v) + eps)
        double rate1 = lr * Math.sqrt(1 - 0.999) / (1 - 0.9);
        assertEquals(1.0 - rate1 * 0.05 / (Math.sqrt(0.001 * 0.25) + eps), w.get(0), 1e-15);
        assertEquals(-2.0 - rate1 * -0.4 / (Math.sqrt(0.001 * 16) + eps), w.get(1), 1e-15);
        double before = w.get(0);
        g.set(0, 1.0);
        adam.step(new RealArray[] {w}, new RealArray[] {g});
        double m = 0.9 * 0.05 + 0.1 * 1.0;
        double v = 0.999 * 0.00025 + 0.001 * 1.0;
        double rate2 = lr * Math.sqrt(1 - 0.999 * 0.999) / (1 - 0.81);
        assertEquals(before - rate2 * m / (Math.sqrt(v) + eps), w.get(0), 1e-15);
        assertEquals(2, adam.steps());
    }

    @Test
    void sgdSubtractsTheScaledGradient() {
        Sgd sgd = new Sgd(1e-2);
        RealArray w = Precision.FLOAT64.of(1.0, 2.0);
        sgd.step(new RealArray[] {w}, new RealArray[] {Precision.FLOAT64.of(3.0, -5.0)});
        assertEquals(0.97, w.get(0), 1e-15);
        assertEquals(2.05, w.get(1), 1e-15);
    }

    @Test
    void badHyperParametersAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new Adam(-1));
        assertThrows(IllegalArgumentException.class, () -> new Adam(1e-3, 0.9, 0.999, 0));
        assertThrows(IllegalArgumentException.class, () -> new Sgd(0));
    }
}
