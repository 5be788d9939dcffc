package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * The heads' feature part against its definition: with a loss linear in the head outputs,
 * {@code E = sum_t dy(t) . y(t)}, the gradients are the loss's own finite differences (exact up to
 * rounding, since E is linear in both W_feat and the features).
 */
class FeatureHeadTest {
    private static final int F = 4;
    private static final int K = 3;
    private static final int ROWS = 2;
    private static final int STEPS = 7;
    private static final double KAPPA = Math.exp(-0.5);
    private static final double C = 1 - KAPPA;

    /** E for the given features, running the head from a zero filter state. */
    private static double loss(FeatureHead head, RealArray f, RealArray dy) {
        head.restore(new double[ROWS * F]);
        head.beginUnroll(STEPS);
        double e = 0;
        double[] y = new double[ROWS * K];
        RealArray step = Precision.FLOAT64.zeros(ROWS * F);
        for (int t = 0; t < STEPS; t++) {
            for (int i = 0; i < ROWS * F; i++) {
                step.set(i, f.get(t * ROWS * F + i));
            }
            java.util.Arrays.fill(y, 0);
            head.advance(step, 1, y, true);
            for (int i = 0; i < ROWS * K; i++) {
                e += dy.get(t * ROWS * K + i) * y[i];
            }
        }
        return e;
    }

    @Test
    void gradientsAreTheLossesDerivatives() {
        Rng rng = new Rng(11);
        FeatureHead head = new FeatureHead(F, K, ROWS, KAPPA, C, Precision.FLOAT64, rng);
        RealArray f = Precision.FLOAT64.zeros(STEPS * ROWS * F);
        RealArray dy = Precision.FLOAT64.zeros(STEPS * ROWS * K);
        for (int i = 0; i < f.length(); i++) {
            f.set(i, rng.nextDouble());
        }
        for (int i = 0; i < dy.length(); i++) {
            dy.set(i, rng.nextGaussian());
        }
        loss(head, f, dy);
        RealArray dW = Precision.FLOAT64.zeros(F * K);
        RealArray dF = Precision.FLOAT64.zeros(STEPS * ROWS * F);
        head.backward(dy, dW, dF, null);

        RealArray w = head.parameters().get(FeatureHead.W_FEAT);
        double h = 1e-3;
        for (int i = 0; i < w.length(); i++) {
            double saved = w.get(i);
            w.set(i, saved + h);
            double plus = loss(head, f, dy);
            w.set(i, saved - h);
            double minus = loss(head, f, dy);
            w.set(i, saved);
            assertEquals((plus - minus) / (2 * h), dW.get(i), 1e-9, "dE/dW_feat[" + i + "]");
        }
        for (int i = 0; i < f.length(); i++) {
            double saved = f.get(i);
            f.set(i, saved + h);
            double plus = loss(head, f, dy);
            f.set(i, saved - h);
            double minus = loss(head, f, dy);
            f.set(i, saved);
            assertEquals((plus - minus) / (2 * h), dF.get(i), 1e-9, "dE/df[" + i + "]");
        }
    }
}
