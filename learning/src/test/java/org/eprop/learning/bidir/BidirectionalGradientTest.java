package org.eprop.learning.bidir;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.eprop.learning.gradient.CrossEntropy;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.ReverseMode;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.optim.Sgd;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * Gradients of the bidirectional network on padded batches of unequal lengths, in double, against
 * the independent forward-mode oracle ({@link BidirectionalOracle}, unpadded utterances): BPTT
 * equals forward mode (RTRL); e-prop by scans, by forward traces and by the cut reverse mode agree
 * with each other and with the oracle's cut graph, for symmetric and random feedback.
 */
class BidirectionalGradientTest {
    static final double BOUND = 1e-12;
    static final int FRAMES = 6;
    static final int BATCH = 3;
    static final int[] LENGTHS = {6, 2, 4};
    static final double REG = 0.7;
    static final double TARGET = 0.05;
    static final double L2 = 1e-3;

    private final Dense dense = new Dense(Precision.FLOAT64);

    private static NeuronLayer layer() {
        // 2 LIF + 3 ALIF per half, refractory 2 steps, the TIMIT cell's constants otherwise
        return new NeuronLayer(3, 2, 3, 1.0, 20.0, 200.0, 0.205, 0.1841, 2.0, 0.3, InputConvention.CURRENT);
    }

    private static BidirectionalNetwork network(long seed) {
        BidirectionalNetwork net = new BidirectionalNetwork(layer(), 4, 3, Math.exp(-1.0 / 3), Precision.FLOAT64)
                .initialise(new Rng(seed));
        // stronger input and readout weights so that the neurons spike and the gradients are large
        for (var e : net.parameters().entries()) {
            RealArray a = e.array();
            for (int i = 0; i < a.length(); i++) {
                a.set(i, a.get(i) * (e.name().endsWith("w_in") ? 2.5 : 1.5));
            }
        }
        return net;
    }

    /** A padded batch; the padding holds large values that must never be read. */
    private static double[] frames(Rng rng) {
        double[] x = new double[FRAMES * BATCH * 3];
        for (int f = 0; f < FRAMES; f++) {
            for (int b = 0; b < BATCH; b++) {
                for (int i = 0; i < 3; i++) {
                    x[(f * BATCH + b) * 3 + i] = f < LENGTHS[b] ? rng.nextGaussian() : 1e3 * (1 + rng.nextDouble());
                }
            }
        }
        return x;
    }

    private static Targets targets(Rng rng) {
        Targets t = new Targets().resize(FRAMES, BATCH, 4);
        for (int b = 0; b < BATCH; b++) {
            for (int f = 0; f < LENGTHS[b]; f++) {
                t.setLabel(f, b, rng.nextInt(4));
                t.setWeight(f, b, 1.0 / (LENGTHS[b] * BATCH));
            }
            for (int f = LENGTHS[b]; f < FRAMES; f++) {
                t.setLabel(f, b, rng.nextInt(4)); // labels on the padding must not matter
            }
        }
        return t;
    }

    private record Case(BidirectionalNetwork net, double[] x, Targets targets) {
    }

    private static Case fixture(long seed) {
        Rng rng = new Rng(seed);
        return new Case(network(seed), frames(rng.split(1)), targets(rng.split(2)));
    }

    private Map<String, double[]> learnerGradients(Case c, GradientMethod mF, GradientMethod mB, Feedback fF,
            Feedback fB) {
        BidirectionalLearner learner = new BidirectionalLearner(c.net, new BidirectionalPass(dense), mF, mB, fF, fB,
                new Sgd(1e-3), null, new CrossEntropy(), new RateRegularizer(REG, TARGET), L2);
        BidirectionalGradients g = learner.gradients(Precision.FLOAT64.of(c.x), FRAMES, BATCH, c.targets);
        Map<String, double[]> out = new java.util.LinkedHashMap<>();
        for (var e : g.parameters().entries()) {
            out.put(e.name(), e.array().toDoubleArray());
        }
        out.put("loss.task", new double[] {g.taskLoss()});
        out.put("loss.reg", new double[] {g.regLoss()});
        return out;
    }

    private static Map<String, double[]> oracle(Case c, boolean cut, Feedback fF, Feedback fB) {
        int[] labels = new int[FRAMES * BATCH];
        double[] weights = new double[FRAMES * BATCH];
        for (int f = 0; f < FRAMES; f++) {
            for (int b = 0; b < BATCH; b++) {
                labels[f * BATCH + b] = c.targets.label(f, b);
                weights[f * BATCH + b] = c.targets.weight(f, b);
            }
        }
        return BidirectionalOracle.gradients(c.net, c.x, FRAMES, BATCH, LENGTHS, labels, weights, REG, TARGET, L2, cut,
                fF.matrix(c.net.forward()).toDoubleArray(), fB.matrix(c.net.backward()).toDoubleArray());
    }

    /** max |a - b| over every array, asserting the same names. */
    private static double maxError(Map<String, double[]> a, Map<String, double[]> b) {
        assertEquals(a.keySet(), b.keySet());
        double worst = 0;
        for (String k : a.keySet()) {
            double[] x = a.get(k);
            double[] y = b.get(k);
            assertEquals(x.length, y.length, k);
            for (int i = 0; i < x.length; i++) {
                worst = Math.max(worst, Math.abs(x[i] - y[i]));
            }
        }
        return worst;
    }

    private static double maxAbs(Map<String, double[]> a, String key) {
        double m = 0;
        for (double v : a.get(key)) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Test
    void bpttEqualsForwardModeOnPaddedBatches() {
        for (long seed = 1; seed <= 4; seed++) {
            Case c = fixture(seed);
            Map<String, double[]> bptt = learnerGradients(c, ReverseMode.bptt(dense), ReverseMode.bptt(dense),
                    Feedback.symmetric(), Feedback.symmetric());
            Map<String, double[]> rtrl = oracle(c, false, Feedback.symmetric(), Feedback.symmetric());
            double err = maxError(bptt, rtrl);
            System.out.printf("bidirectional BPTT vs forward mode, seed %d: max |diff| %.2e (max |g_rec| %.3f)%n", seed,
                    err, maxAbs(rtrl, "bwd.w_rec"));
            assertTrue(err <= BOUND, "BPTT differs from forward mode by " + err);
            assertTrue(maxAbs(rtrl, "fwd.w_rec") > 1e-3 && maxAbs(rtrl, "bwd.w_rec") > 1e-3,
                    "the fixture must exercise the recurrent gradients");
        }
    }

    @Test
    void epropEqualsCutReverseModeAndOracle() {
        for (long seed = 1; seed <= 4; seed++) {
            Case c = fixture(seed);
            Rng rng = new Rng(seed + 100);
            for (Feedback.Mode mode : new Feedback.Mode[] {Feedback.Mode.SYMMETRIC, Feedback.Mode.RANDOM}) {
                Feedback fF = mode == Feedback.Mode.SYMMETRIC ? Feedback.symmetric()
                        : Feedback.random(c.net.forward(), rng.split(1), false);
                Feedback fB = mode == Feedback.Mode.SYMMETRIC ? Feedback.symmetric()
                        : Feedback.random(c.net.backward(), rng.split(2), false);
                Map<String, double[]> scans = learnerGradients(c, new FastEprop(dense), new FastEprop(dense), fF, fB);
                Map<String, double[]> cut = learnerGradients(c, ReverseMode.cutPath(dense), ReverseMode.cutPath(dense),
                        fF, fB);
                Map<String, double[]> traces = learnerGradients(c, new OnlineEprop(Precision.FLOAT64),
                        new OnlineEprop(Precision.FLOAT64), fF, fB);
                Map<String, double[]> forward = oracle(c, true, fF, fB);
                double e1 = maxError(scans, cut);
                double e2 = maxError(scans, forward);
                double e3 = maxError(traces, forward);
                System.out.printf("bidirectional e-prop (%s), seed %d: scans vs cut reverse mode %.2e, scans vs "
                        + "forward-mode cut graph %.2e, traces vs oracle %.2e%n", mode, seed, e1, e2, e3);
                assertTrue(e1 <= BOUND, "e-prop differs from the cut reverse mode by " + e1);
                assertTrue(e2 <= BOUND, "e-prop differs from the oracle by " + e2);
                assertTrue(e3 <= BOUND, "online e-prop differs from the oracle by " + e3);
            }
        }
    }

    @Test
    void epropIsNotBptt() {
        Case c = fixture(2);
        Map<String, double[]> eprop = oracle(c, true, Feedback.symmetric(), Feedback.symmetric());
        Map<String, double[]> bptt = oracle(c, false, Feedback.symmetric(), Feedback.symmetric());
        assertTrue(maxError(eprop, bptt) > 1e-4, "the cuts must change the gradient of this fixture");
        assertEquals(eprop.get("fwd.w_out")[3], bptt.get("fwd.w_out")[3], 1e-15, "W_out is exact in both");
    }

    @Test
    void anUtteranceGetsTheSameOutputsAloneAndPadded() {
        Case c = fixture(3);
        BidirectionalPass padded = new BidirectionalPass(dense);
        padded.run(c.net, Precision.FLOAT64.of(c.x), FRAMES, BATCH, LENGTHS, false);
        double[] yPadded = padded.outputs().toDoubleArray();
        int b = 2;
        int len = LENGTHS[b];
        double[] alone = new double[len * 3];
        for (int f = 0; f < len; f++) {
            System.arraycopy(c.x, (f * BATCH + b) * 3, alone, f * 3, 3);
        }
        BidirectionalPass single = new BidirectionalPass(dense);
        single.run(c.net, Precision.FLOAT64.of(alone), len, 1, new int[] {len}, false);
        for (int f = 0; f < len; f++) {
            for (int k = 0; k < 4; k++) {
                assertEquals(single.outputs().get(f * 4 + k), yPadded[(f * BATCH + b) * 4 + k], 1e-14);
            }
        }
    }
}
