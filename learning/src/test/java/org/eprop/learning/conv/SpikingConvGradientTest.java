package org.eprop.learning.conv;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.network.Parameters;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Test;

/**
 * Gradient oracles of both CNN training modes against independent implementations: a
 * forward-mode (RTRL) tangent per parameter and central finite differences of a frozen-spike
 * forward for {@code REFERENCE}; a per-synapse forward eligibility trace for {@code EPROP}.
 */
class SpikingConvGradientTest {

    /** d i_j(t) / d theta_p for all units of one layer at one step: a convolution with a unit parameter. */
    private static double[] currentTangent(ConvGeometry g, double[] x, int xOff, int p) {
        double[] w = new double[g.weightCount()];
        double[] b = new double[g.outChannels()];
        if (p < w.length) {
            w[p] = 1;
        } else {
            b[p - w.length] = 1;
        }
        return ConvNaive.conv(g, x, xOff, w, b);
    }

    /** pool^T(G) at one (t, b) by direct window loops. */
    private static double[] poolTranspose(AvgPool pool, int inW, int inSize, RealArray g, int row) {
        double[] out = new double[inSize];
        int n = pool.outputSize();
        int ch = pool.channels();
        for (int py = 0; py < pool.outHeight(); py++) {
            for (int px = 0; px < pool.outWidth(); px++) {
                for (int c = 0; c < ch; c++) {
                    double gv = g.get(row * n + (py * pool.outWidth() + px) * ch + c);
                    for (int ky = 0; ky < pool.kernel(); ky++) {
                        for (int kx = 0; kx < pool.kernel(); kx++) {
                            out[((py * pool.stride() + ky) * inW + px * pool.stride() + kx) * ch + c] += gv
                                    / (pool.kernel() * pool.kernel());
                        }
                    }
                }
            }
        }
        return out;
    }

    /**
     * Forward-mode gradient of one layer's parameters. {@code keepReset}: the tangent obeys the
     * exact recursion {@code s(t) = (d - v_th psi(v(t-1))) s(t-1) + di(t)} (RTRL, REFERENCE mode);
     * otherwise {@code s(t) = d s(t-1) + di(t)}, e-prop's eligibility vector. The gradient is
     * {@code sum (signal_j(t) psi(v_j(t)) + dReg/dv_j(t)) s_j(t)}.
     */
    private static double[] forwardModeLayer(ConvFixture f, ConvNaive nv, ConvNaive.Run r, int layer,
            boolean keepReset, double[][] signal) {
        ConvGeometry g = layer == 0 ? nv.g1 : nv.g2;
        int units = g.outputSize();
        int params = g.weightCount() + g.outChannels();
        int batch = ConvFixture.BATCH;
        int steps = f.steps;
        double[] v = layer == 0 ? r.v1 : r.v2;
        double regScale = 2 * f.config.voltageCost() / (batch * steps);
        double[] grad = new double[params];
        double[] frames = f.frames.toDoubleArray();
        for (int b = 0; b < batch; b++) {
            double[] pos = new double[units];
            double[] neg = new double[units];
            for (int t = 0; t < steps; t++) {
                for (int j = 0; j < units; j++) {
                    double x = v[(t * batch + b) * units + j];
                    pos[j] += Math.max(0, x - nv.th) / steps;
                    neg[j] += Math.max(0, -x - nv.th) / steps;
                }
            }
            for (int p = 0; p < params; p++) {
                double[] s = new double[units];
                for (int t = 0; t < steps; t++) {
                    int row = t * batch + b;
                    double[] di = layer == 0
                            ? currentTangent(g, frames, ((t / f.config.stepsPerAgentStep()) * batch + b) * g.inputSize(), p)
                            : currentTangent(g, r.z1, row * nv.g1.outputSize(), p);
                    for (int j = 0; j < units; j++) {
                        double factor = nv.d;
                        if (keepReset && t > 0) {
                            factor -= nv.th * nv.psi(v[((t - 1) * batch + b) * units + j]);
                        }
                        s[j] = factor * s[j] + di[j];
                        double x = v[row * units + j];
                        double direct = (x - nv.th > 0 ? pos[j] : 0) - (-x - nv.th > 0 ? neg[j] : 0);
                        grad[p] += (signal[row][j] * nv.psi(x) + regScale * direct) * s[j];
                    }
                }
            }
        }
        return grad;
    }


    private static double[][] shortcut(ConvFixture f, ConvNaive nv, int layer, double scale) {
        int rows = f.steps * ConvFixture.BATCH;
        double[][] out = new double[rows][];
        for (int row = 0; row < rows; row++) {
            double[] s = layer == 0
                    ? poolTranspose(nv.pool1, nv.g1.outWidth(), nv.g1.outputSize(), f.gp1, row)
                    : poolTranspose(nv.pool2, nv.g2.outWidth(), nv.g2.outputSize(), f.gp2, row);
            for (int j = 0; j < s.length; j++) {
                s[j] *= scale;
            }
            out[row] = s;
        }
        return out;
    }

    private static double[][] randomFeedback(ConvFixture f, RealArray bMatrix, int units) {
        int rows = f.steps * ConvFixture.BATCH;
        int nOut = ConvFixture.OUTPUTS;
        double[][] out = new double[rows][units];
        for (int row = 0; row < rows; row++) {
            for (int j = 0; j < units; j++) {
                for (int k = 0; k < nOut; k++) {
                    out[row][j] += bMatrix.get(j * nOut + k) * f.errors.get(row * nOut + k);
                }
            }
        }
        return out;
    }

    private static ConvNaive.Run naiveRun(ConvNaive nv, ConvFixture f, double[] theta, ConvNaive.Run frozen) {
        int nw1 = nv.g1.weightCount();
        int nb1 = nv.g1.outChannels();
        int nw2 = nv.g2.weightCount();
        double[] w1 = java.util.Arrays.copyOfRange(theta, 0, nw1);
        double[] b1 = java.util.Arrays.copyOfRange(theta, nw1, nw1 + nb1);
        double[] w2 = java.util.Arrays.copyOfRange(theta, nw1 + nb1, nw1 + nb1 + nw2);
        double[] b2 = java.util.Arrays.copyOfRange(theta, nw1 + nb1 + nw2, theta.length);
        return nv.run(f.frames.toDoubleArray(), ConvFixture.AGENT_STEPS, ConvFixture.BATCH, w1, b1, w2, b2, frozen);
    }

    /** Smallest distance of any voltage to a kink of the frozen-spike loss (relu at +-v_th, psi at 0, v_th, 2 v_th). */
    private static double kinkMargin(ConvNaive.Run r, double th) {
        double m = Double.POSITIVE_INFINITY;
        for (double[] v : new double[][] {r.v1, r.v2}) {
            for (double x : v) {
                for (double k : new double[] {-th, 0, th, 2 * th}) {
                    m = Math.min(m, Math.abs(x - k));
                }
            }
        }
        return m;
    }

    @Test
    void referenceGradientMatchesForwardModeAndFiniteDifferences() {
        // regFactor 1 so that the task term through the shortcuts weighs as much as the regulariser;
        // a second case checks the 1e-8 scaling of the original code.
        for (double regFactor : new double[] {1.0, 1e8}) {
            ConvFixture f = null;
            ConvNaive.Run r = null;
            ConvNaive nv = null;
            for (long seed = 21; seed < 60; seed++) {
                f = new ConvFixture(ConvFixture.small(0.5, regFactor), Precision.FLOAT64, seed, 0.5);
                nv = new ConvNaive(f.config);
                r = naiveRun(nv, f, ConvFixture.flatten(f.cnn.parameters()), null);
                if (kinkMargin(r, nv.th) > 1e-4) {
                    break;
                }
                r = null;
            }
            assertTrue(r != null, "no seed without voltages near a kink");
            CnnUnroll u = f.run();
            Parameters grads = f.cnn.gradients(u, CnnTraining.REFERENCE, f.signals(), null);
            double[] got = ConvFixture.flatten(grads);

            double scale = 1.0 / regFactor;
            double[] rtrl = concat(forwardModeLayer(f, nv, r, 0, true, shortcut(f, nv, 0, scale)),
                    forwardModeLayer(f, nv, r, 1, true, shortcut(f, nv, 1, scale)));
            double dRtrl = Compare.maxRelativeDifference(got, rtrl);

            double[] theta = ConvFixture.flatten(f.cnn.parameters());
            double[] fd = new double[theta.length];
            double h = 1e-6;
            for (int p = 0; p < theta.length; p++) {
                double keep = theta[p];
                theta[p] = keep + h;
                double up = nv.loss(naiveRun(nv, f, theta, r), f.steps, ConvFixture.BATCH, f.gp1.toDoubleArray(),
                        f.gp2.toDoubleArray(), scale);
                theta[p] = keep - h;
                double down = nv.loss(naiveRun(nv, f, theta, r), f.steps, ConvFixture.BATCH, f.gp1.toDoubleArray(),
                        f.gp2.toDoubleArray(), scale);
                theta[p] = keep;
                fd[p] = (up - down) / (2 * h);
            }
            double dFd = Compare.maxRelativeDifference(got, fd);
            double regValue = nv.regularizer(r.v1, nv.g1.outputSize(), f.steps, ConvFixture.BATCH)
                    + nv.regularizer(r.v2, nv.g2.outputSize(), f.steps, ConvFixture.BATCH);
            double dReg = Math.abs(f.cnn.voltageRegularizer(u) - regValue) / regValue;
            System.out.printf("reference mode (reg_factor %.0e): vs forward-mode %.2e, vs finite differences %.2e, "
                    + "regulariser value %.2e, |grad| %.3e%n", regFactor, dRtrl, dFd, dReg, max(got));
            assertTrue(max(got) > 0, "the fixture must give a gradient");
            assertTrue(dRtrl < 1e-12, "reference vs forward-mode " + dRtrl);
            assertTrue(dFd < 1e-7, "reference vs finite differences " + dFd);
            assertTrue(dReg < 1e-13, "regulariser value " + dReg);
        }
    }

    @Test
    void epropGradientMatchesPerSynapseForwardTraces() {
        ConvFixture f = new ConvFixture(ConvFixture.small(0.5, 1e8), Precision.FLOAT64, 31, 0.5);
        ConvNaive nv = new ConvNaive(f.config);
        ConvNaive.Run r = naiveRun(nv, f, ConvFixture.flatten(f.cnn.parameters()), null);
        CnnUnroll u = f.run();
        for (CnnFeedback.Source s1 : CnnFeedback.Source.values()) {
            for (CnnFeedback.Source s2 : CnnFeedback.Source.values()) {
                CnnFeedback fb = CnnFeedback.of(s1, s2, f.config, ConvFixture.OUTPUTS, Precision.FLOAT64, new Rng(77));
                double[] got = ConvFixture.flatten(f.cnn.gradients(u, CnnTraining.EPROP, f.signals(), fb));
                double[][] l1 = s1 == CnnFeedback.Source.SHORTCUT ? shortcut(f, nv, 0, 1)
                        : randomFeedback(f, fb.conv1Matrix(), nv.g1.outputSize());
                double[][] l2 = s2 == CnnFeedback.Source.SHORTCUT ? shortcut(f, nv, 1, 1)
                        : randomFeedback(f, fb.conv2Matrix(), nv.g2.outputSize());
                double[] oracle = concat(forwardModeLayer(f, nv, r, 0, false, l1),
                        forwardModeLayer(f, nv, r, 1, false, l2));
                double diff = Compare.maxRelativeDifference(got, oracle);
                System.out.printf("e-prop mode (conv1 %s, conv2 %s): vs per-synapse traces %.2e, |grad| %.3e%n", s1, s2,
                        diff, max(got));
                assertTrue(max(got) > 0);
                assertTrue(diff < 1e-12, "e-prop vs per-synapse traces " + diff);
            }
        }
    }

    @Test
    void epropGradientsOfTwoCarriedUnrollsSumToOneRun() {
        // Without the regulariser (its time means are per unroll) e-prop is a sum over steps of
        // local terms, and the presynaptic traces carried in the state make the split exact.
        ConvFixture f = new ConvFixture(ConvFixture.small(0.0, 1e8), Precision.FLOAT64, 41, 0.5);
        CnnFeedback fb = CnnFeedback.paperDefault(f.config, ConvFixture.OUTPUTS, Precision.FLOAT64, new Rng(5));
        int b = ConvFixture.BATCH;
        int in = f.config.conv1().inputSize();
        CnnUnroll all = f.run();
        double[] whole = ConvFixture.flatten(f.cnn.gradients(all, CnnTraining.EPROP, f.signals(), fb));

        SpikingCnnState st = f.cnn.zeroState(b);
        CnnUnroll first = f.cnn.newUnroll(1, b, true);
        CnnUnroll second = f.cnn.newUnroll(2, b, true);
        RealArray fr1 = SpikingConvForwardTest.slice(f.frames, 0, b * in);
        RealArray fr2 = SpikingConvForwardTest.slice(f.frames, b * in, 3 * b * in);
        f.cnn.forward(fr1, st, first);
        f.cnn.forward(fr2, st, second);
        int s1 = first.steps() * b;
        double[] g1 = ConvFixture.flatten(f.cnn.gradients(first, CnnTraining.EPROP, split(f, 0, s1), fb));
        double[] g2 = ConvFixture.flatten(f.cnn.gradients(second, CnnTraining.EPROP, split(f, s1, all.steps() * b), fb));
        double[] sum = new double[g1.length];
        for (int i = 0; i < sum.length; i++) {
            sum[i] = g1[i] + g2[i];
        }
        double diff = Compare.maxRelativeDifference(sum, whole);
        System.out.printf("e-prop: two carried unrolls vs one run %.2e%n", diff);
        assertTrue(diff < 1e-12, "carried e-prop traces " + diff);
    }

    private static CnnSignals split(ConvFixture f, int fromRow, int toRow) {
        int q1 = f.config.pool1().outputSize();
        int q2 = f.config.pool2().outputSize();
        int o = ConvFixture.OUTPUTS;
        return new CnnSignals(SpikingConvForwardTest.slice(f.gp1, fromRow * q1, toRow * q1),
                SpikingConvForwardTest.slice(f.gp2, fromRow * q2, toRow * q2),
                SpikingConvForwardTest.slice(f.errors, fromRow * o, toRow * o));
    }

    @Test
    void float32MatchesDoublePrecision() {
        ConvFixture d = new ConvFixture(ConvFixture.small(0.5, 1), Precision.FLOAT64, 51, 0.5);
        ConvFixture s = new ConvFixture(ConvFixture.small(0.5, 1), Precision.FLOAT32, 51, 0.5);
        // Same parameters and inputs: the double fixture takes the float32 values.
        for (int i = 0; i < 4; i++) {
            d.cnn.parameters().arrays()[i].copyFrom(s.cnn.parameters().arrays()[i]);
        }
        d.frames.copyFrom(s.frames);
        d.gp1.copyFrom(s.gp1);
        d.gp2.copyFrom(s.gp2);
        d.errors.copyFrom(s.errors);
        CnnUnroll ud = d.run();
        CnnUnroll us = s.run();
        org.junit.jupiter.api.Assertions.assertArrayEquals(ud.conv2Spikes().toDoubleArray(),
                us.conv2Spikes().toDoubleArray(), 0, "float32 and double runs spike at the same steps");
        CnnFeedback fb = CnnFeedback.paperDefault(d.config, ConvFixture.OUTPUTS, Precision.FLOAT32, new Rng(9));
        for (CnnTraining mode : CnnTraining.values()) {
            double[] g64 = ConvFixture.flatten(d.cnn.gradients(ud, mode, d.signals(), fb));
            double[] g32 = ConvFixture.flatten(s.cnn.gradients(us, mode, s.signals(), fb));
            double diff = Compare.maxRelativeDifference(g32, g64);
            System.out.printf("%s: float32 vs double %.2e%n", mode, diff);
            assertTrue(diff < 1e-5 && diff > 0, mode + ": float32 vs double " + diff);
        }
    }

    private static double max(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    private static double[] concat(double[] a, double[] b) {
        return SpikingConvForwardTest.concat(a, b);
    }
}
