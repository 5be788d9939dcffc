package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/** Loss and regulariser derivatives against central finite differences. */
class LossTest {

    private static void checkAgainstFiniteDifferences(Loss loss, Targets targets, RealArray y) {
        RealArray dy = Precision.FLOAT64.zeros(y.length());
        loss.evaluate(y, targets, dy);
        RealArray scratch = Precision.FLOAT64.zeros(y.length());
        double h = 1e-6;
        for (int i = 0; i < y.length(); i++) {
            double keep = y.get(i);
            y.set(i, keep + h);
            double up = loss.evaluate(y, targets, scratch);
            y.set(i, keep - h);
            double down = loss.evaluate(y, targets, scratch);
            y.set(i, keep);
            assertEquals((up - down) / (2 * h), dy.get(i), 1e-8, loss.id() + " dE/dy[" + i + "]");
        }
    }

    @Test
    void crossEntropyGradientIsSoftmaxMinusOneHotTimesWeight() {
        Rng rng = new Rng(1);
        Targets targets = new Targets().resize(5, 2, 3);
        RealArray y = Precision.FLOAT64.zeros(5 * 2 * 3);
        for (int t = 0; t < 5; t++) {
            for (int b = 0; b < 2; b++) {
                targets.setLabel(t, b, rng.nextInt(3));
                targets.setWeight(t, b, t < 2 ? 0 : rng.uniform(0.1, 1));
            }
        }
        for (int i = 0; i < y.length(); i++) {
            y.set(i, 3 * rng.nextGaussian());
        }
        checkAgainstFiniteDifferences(new CrossEntropy(), targets, y);
        // Hand value: two equal logits, weight 1 -> E = log 2.
        Targets one = new Targets().resize(1, 1, 2).weightAll(1.0);
        one.setLabel(0, 0, 1);
        RealArray dy = Precision.FLOAT64.zeros(2);
        assertEquals(Math.log(2), new CrossEntropy().evaluate(Precision.FLOAT64.of(0.7, 0.7), one, dy), 1e-15);
        assertEquals(0.5, dy.get(0), 1e-15);
        assertEquals(-0.5, dy.get(1), 1e-15);
    }

    /**
     * A batch large enough for the parallel loop (the sequences in slices, the terms summed after it)
     * gives the bits of one loop over the rows in (t, b) order, the loss and every derivative, with
     * weights that are zero for most steps and not at all in some sequences.
     */
    @Test
    void crossEntropyInParallelGivesTheBitsOfOneLoop() {
        Rng rng = new Rng(7);
        int steps = 1500;
        int batch = 37;
        int nOut = 3;
        Targets targets = new Targets().resize(steps, batch, nOut);
        RealArray y = Precision.FLOAT64.zeros(steps * batch * nOut);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                targets.setLabel(t, b, rng.nextInt(nOut));
                targets.setWeight(t, b, t < 1200 || b % 5 == 0 ? 0 : rng.uniform(0.1, 1));
            }
        }
        for (int i = 0; i < y.length(); i++) {
            y.set(i, 3 * rng.nextGaussian());
        }
        double expected = 0;
        double[] expectedDy = new double[y.length()];
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                int row = (t * batch + b) * nOut;
                double w = targets.weight(t, b);
                if (w == 0) {
                    continue;
                }
                double logSum = CrossEntropy.logSumExp(y, row, nOut);
                int label = targets.label(t, b);
                expected += w * (logSum - y.get(row + label));
                for (int k = 0; k < nOut; k++) {
                    expectedDy[row + k] = w * (Math.exp(y.get(row + k) - logSum) - (k == label ? 1.0 : 0.0));
                }
            }
        }
        RealArray dy = Precision.FLOAT64.zeros(y.length());
        for (int i = 0; i < dy.length(); i++) {
            dy.set(i, 1.0); // every element is written, the unweighted rows with zero
        }
        CrossEntropy loss = new CrossEntropy();
        for (int round = 0; round < 2; round++) { // the workspace reused
            assertEquals(Double.doubleToRawLongBits(expected), Double.doubleToRawLongBits(loss.evaluate(y, targets, dy)),
                    "loss, round " + round);
            for (int i = 0; i < dy.length(); i++) {
                assertEquals(Double.doubleToRawLongBits(expectedDy[i]), Double.doubleToRawLongBits(dy.get(i)),
                        "dE/dy[" + i + "], round " + round);
            }
        }
    }

    @Test
    void meanSquaredErrorGradient() {
        Rng rng = new Rng(2);
        Targets targets = new Targets().resize(4, 3, 2);
        RealArray y = Precision.FLOAT64.zeros(4 * 3 * 2);
        for (int t = 0; t < 4; t++) {
            for (int b = 0; b < 3; b++) {
                targets.setWeight(t, b, rng.uniform(0, 2));
                for (int k = 0; k < 2; k++) {
                    targets.setValue(t, b, k, rng.nextGaussian());
                }
            }
        }
        for (int i = 0; i < y.length(); i++) {
            y.set(i, rng.nextGaussian());
        }
        checkAgainstFiniteDifferences(new MeanSquaredError(), targets, y);
        Targets one = new Targets().resize(1, 1, 1).weightAll(1.0);
        one.setValue(0, 0, 0, 1.0);
        assertEquals(0.5 * 9, new MeanSquaredError().evaluate(Precision.FLOAT64.of(4.0), one, Precision.FLOAT64.zeros(1)));
    }

    @Test
    void classifyFinalStepsAveragesOverTheBatchAndTheWindow() {
        Targets t = new Targets().resize(10, 4, 2).classifyFinalSteps(new int[] {0, 1, 1, 0}, 3);
        assertEquals(0.0, t.weight(6, 0));
        assertEquals(1.0 / 12, t.weight(7, 2), 1e-15);
        assertEquals(1, t.label(9, 1));
        double total = 0;
        for (int s = 0; s < 10; s++) {
            for (int b = 0; b < 4; b++) {
                total += t.weight(s, b);
            }
        }
        assertEquals(1.0, total, 1e-12);
    }

    @Test
    void rateRegularizerDerivative() {
        Rng rng = new Rng(3);
        int steps = 7;
        int batch = 2;
        int n = 3;
        RealArray z = Precision.FLOAT64.zeros(steps * batch * n);
        for (int i = 0; i < z.length(); i++) {
            z.set(i, rng.bernoulli(0.3) ? 1 : 0);
        }
        RateRegularizer reg = new RateRegularizer(1.5, 0.01);
        double[] signal = new double[n];
        double e = reg.evaluate(z, steps, batch, n, signal);
        double[] scratch = new double[n];
        double h = 1e-6;
        for (int j = 0; j < n; j++) {
            // E depends on z_j only through its mean: perturb one element.
            int idx = (3 * batch + 1) * n + j;
            double keep = z.get(idx);
            z.set(idx, keep + h);
            double up = reg.evaluate(z, steps, batch, n, scratch);
            z.set(idx, keep - h);
            double down = reg.evaluate(z, steps, batch, n, scratch);
            z.set(idx, keep);
            assertEquals((up - down) / (2 * h), signal[j], 1e-8, "dE_reg/dz_" + j);
        }
        double expected = 0;
        for (int j = 0; j < n; j++) {
            double mean = 0;
            for (int r = 0; r < steps * batch; r++) {
                mean += z.get(r * n + j);
            }
            mean /= steps * batch;
            expected += 1.5 * (mean - 0.01) * (mean - 0.01);
        }
        assertEquals(expected, e, 1e-15);
    }
}
