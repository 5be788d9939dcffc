package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.verify.Compare;
import org.eprop.learning.verify.Rtrl;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The four gradient methods against each other and against forward-mode RTRL, in double
 * precision, to a max relative difference of 1e-12 (docs/model.md §2.6, docs/fast-eprop.md).
 */
class GradientOracleTest {
    private static final double BOUND = 1e-12;
    private final Dense dense = new Dense(Precision.FLOAT64);

    private static List<Feedback> feedbacks(SpikingNetwork net, long seed) {
        Rng rng = new Rng(seed);
        return List.of(Feedback.symmetric(), Feedback.random(net, rng, false), Feedback.adaptive(net, rng, 1e-2));
    }

    /** @return whether the recurrent gradient was non-zero (else the comparison proved little) */
    private boolean assertEpropMethodsAgree(OracleFixture f) {
        boolean informative = true;
        for (Feedback feedback : feedbacks(f.net, 99)) {
            Gradients online = f.gradients(new OnlineEprop(Precision.FLOAT64), feedback);
            Gradients fast = f.gradients(new FastEprop(dense), feedback);
            Gradients cut = f.gradients(ReverseMode.cutPath(dense), feedback);
            String where = f.describe() + " feedback=" + feedback.mode();
            assertClose("(b) fast vs (a) online, W_in, " + where, fast.wIn(), online.wIn());
            assertClose("(b) fast vs (a) online, W_rec, " + where, fast.wRec(), online.wRec());
            assertClose("(b) fast vs (a) online, W_out, " + where, fast.wOut(), online.wOut());
            assertClose("(c) cut-path vs (a) online, W_in, " + where, cut.wIn(), online.wIn());
            assertClose("(c) cut-path vs (a) online, W_rec, " + where, cut.wRec(), online.wRec());
            assertClose("(c) cut-path vs (a) online, W_out, " + where, cut.wOut(), online.wOut());
            assertClose("(c) cut-path vs (a) online, b_out, " + where, cut.bOut(), online.bOut());
            informative &= online.wRec().maxAbs() > 0 && online.wIn().maxAbs() > 0;
        }
        return informative;
    }

    private void assertFactorisationHolds(OracleFixture f) {
        ReverseMode bptt = ReverseMode.bptt(dense).keepTotalSpikeDerivative(true);
        Gradients exact = f.gradients(bptt, Feedback.symmetric());
        Gradients factorised = new Gradients(f.net);
        new OnlineEprop(Precision.FLOAT64).factorisedGradient(f.net, f.trajectory, bptt.totalSpikeDerivative(), factorised);
        assertClose("eq. (1) traces x total dE/dz vs (d) BPTT, W_in, " + f.describe(), factorised.wIn(), exact.wIn());
        assertClose("eq. (1) traces x total dE/dz vs (d) BPTT, W_rec, " + f.describe(), factorised.wRec(), exact.wRec());
    }

    private void assertBpttEqualsRtrl(OracleFixture f) {
        Gradients bptt = f.gradients(ReverseMode.bptt(dense), Feedback.symmetric());
        Rtrl.Result rtrl = Rtrl.gradients(f.net, f.x.toDoubleArray(), f.steps, f.batch, f.loss, f.targets, f.reg);
        assertClose("(d) BPTT vs RTRL, W_in, " + f.describe(), bptt.wIn(), rtrl.wIn());
        assertClose("(d) BPTT vs RTRL, W_rec, " + f.describe(), bptt.wRec(), rtrl.wRec());
        assertClose("(d) BPTT vs RTRL, W_out, " + f.describe(), bptt.wOut(), rtrl.wOut());
        assertClose("(d) BPTT vs RTRL, b_out, " + f.describe(), bptt.bOut(), rtrl.bOut());
        assertTrue(Math.abs(bptt.taskLoss() - rtrl.taskLoss()) <= 1e-12 * Math.max(1, Math.abs(rtrl.taskLoss())),
                "the two forward simulations disagree on the loss: " + bptt.taskLoss() + " vs " + rtrl.taskLoss());
    }

    private static void assertClose(String what, RealArray actual, double[] expected) {
        double d = Compare.maxRelativeDifference(actual, expected);
        assertTrue(d <= BOUND, what + ": max relative difference " + d + " > " + BOUND);
    }

    private static void assertClose(String what, RealArray actual, RealArray expected) {
        assertClose(what, actual, expected.toDoubleArray());
    }

    @ParameterizedTest(name = "reference network, refractory {0} steps")
    @ValueSource(ints = {2, 3})
    void referenceNetworkEpropMethodsAgree(int refractory) {
        OracleFixture f = OracleFixture.reference(refractory, 42, Precision.FLOAT64);
        assertTrue(f.spikeCount() > 10, "the reference network must spike for the test to mean anything: " + f.describe());
        assertTrue(assertEpropMethodsAgree(f), "zero gradients prove nothing: " + f.describe());
    }

    @ParameterizedTest(name = "reference network, refractory {0} steps")
    @ValueSource(ints = {2, 3})
    void referenceNetworkFactorisation(int refractory) {
        assertFactorisationHolds(OracleFixture.reference(refractory, 42, Precision.FLOAT64));
    }

    @ParameterizedTest(name = "reference network, refractory {0} steps")
    @ValueSource(ints = {2, 3})
    void referenceNetworkBpttEqualsRtrl(int refractory) {
        assertBpttEqualsRtrl(OracleFixture.reference(refractory, 42, Precision.FLOAT64));
    }

    @Test
    void randomisedNetworksAllRelationsHold() {
        int informative = 0;
        for (long seed = 1; seed <= 40; seed++) {
            OracleFixture f = OracleFixture.randomised(seed);
            if (assertEpropMethodsAgree(f)) {
                informative++;
            }
            assertFactorisationHolds(f);
            assertBpttEqualsRtrl(f);
        }
        assertTrue(informative >= 25, "too few randomised networks had non-zero gradients: " + informative + " of 40");
    }

    @Test
    void epropIsNotBptt() {
        // The approximation must show: symmetric e-prop drops the recurrent and reset paths.
        OracleFixture f = OracleFixture.reference(2, 42, Precision.FLOAT64);
        Gradients eprop = f.gradients(new FastEprop(dense), Feedback.symmetric());
        Gradients bptt = f.gradients(ReverseMode.bptt(dense), Feedback.symmetric());
        double d = Compare.maxRelativeDifference(eprop.wRec(), bptt.wRec());
        assertTrue(d > 1e-3, "e-prop equals BPTT to " + d + ": the recurrent paths are not cut");
        assertClose("W_out is trained by its exact gradient in both", eprop.wOut(), bptt.wOut());
    }
}
