package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Test;

/**
 * float32 e-prop with the input and recurrent gradients summed inside the backward scan
 * ({@link ScanGradients}): against the same gradient in double precision (BLAS products over the
 * adjoint matrix, an independent summation), and against float32's own product path.
 */
class ScanGradientsTest {

    @Test
    void theGradientsSummedInTheScanAreDoublePrecisionsToFloatRoundOff() {
        Versus r = Versus.run(Fig3Case.of(400, 8, 3), 5);
        assertTrue(r.density > 0.002, "the network spikes");
        assertTrue(r.method.summedInScan(), "a batch of 8 sparse sequences from zero takes the in-scan sums");
        assertTrue(r.g64.wRec().maxAbs() > 0 && r.g64.wIn().maxAbs() > 0, "the gradient is not zero");
        double in = Compare.maxRelativeDifference(r.g32.wIn(), r.g64.wIn());
        double rec = Compare.maxRelativeDifference(r.g32.wRec(), r.g64.wRec());
        double out = Compare.maxRelativeDifference(r.g32.wOut(), r.g64.wOut());
        System.out.printf("in-scan float32 e-prop vs double: W_in %.2e, W_rec %.2e, W_out %.2e%n", in, rec, out);
        assertTrue(in < 1e-5 && rec < 1e-5 && out < 1e-5, "float32 in-scan vs double: " + in + ", " + rec + ", " + out);
        for (int j = 0; j < 100; j++) {
            assertTrue(r.g32.wRec().get(j * 100 + j) == 0.0, "no autapse gradient");
        }
    }

    /**
     * With small partials several sequences share one ({@link ScanGradients#CACHED_PARTIALS}): their
     * rows interleave in it, and the result is still double precision's gradient to float round-off,
     * whatever the thread count (the grouping depends on the sizes alone).
     */
    @Test
    void partialsOfSeveralSequencesGiveDoublePrecisionsGradientToFloatRoundOff() {
        Fig3Case c = Fig3Case.of(300, 32, 11);
        Versus r = Versus.run(c, 5);
        ScanGradients sums = new ScanGradients();
        assertTrue(sums.prepare(c.net32(), r.t32), "the in-scan sums apply");
        assertTrue(sums.group() > 1 && sums.groups() >= ScanGradients.MIN_GROUPS,
                "32 sequences of 100 neurons share partials: groups of " + sums.group() + ", " + sums.groups());
        assertTrue(r.method.summedInScan(), "summed in the scan");
        assertTrue(r.g64.wRec().maxAbs() > 0 && r.g64.wIn().maxAbs() > 0, "the gradient is not zero");
        double in = Compare.maxRelativeDifference(r.g32.wIn(), r.g64.wIn());
        double rec = Compare.maxRelativeDifference(r.g32.wRec(), r.g64.wRec());
        double out = Compare.maxRelativeDifference(r.g32.wOut(), r.g64.wOut());
        assertTrue(in < 1e-5 && rec < 1e-5 && out < 1e-5, "float32 grouped in-scan vs double: " + in + ", " + rec + ", "
                + out);
    }

    @Test
    void aBusyNetworkStillSumsInTheScanUpToAQuarterOfItsStepsSpiking() {
        // Well above the standalone event products' 5 % for rows of 100 (where the scan used to
        // stop, and the products took 2-6 times as long), below MAX_DENSITY.
        Versus r = Versus.run(Fig3Case.busy(300, 8, 7, 1, 6.0), 8);
        assertTrue(r.density > 0.08 && r.density < ScanGradients.MAX_DENSITY, "a busy run: " + r.density);
        assertTrue(r.method.summedInScan(), "at " + r.density + " of the steps spiking the scan sums the gradients");
        double in = Compare.maxRelativeDifference(r.g32.wIn(), r.g64.wIn());
        double rec = Compare.maxRelativeDifference(r.g32.wRec(), r.g64.wRec());
        double out = Compare.maxRelativeDifference(r.g32.wOut(), r.g64.wOut());
        assertTrue(in < 1e-5 && rec < 1e-5 && out < 1e-5, "busy float32 in-scan vs double: " + in + ", " + rec + ", "
                + out);
    }

    @Test
    void aboveAQuarterOfTheStepsSpikingTheProductsRunAndGiveTheSameGradient() {
        Versus r = Versus.run(Fig3Case.busy(300, 8, 9, 0, 20.0), 10);
        assertTrue(r.density > ScanGradients.MAX_DENSITY, "a run above the limit: " + r.density);
        assertFalse(r.method.summedInScan(), "at " + r.density + " of the steps spiking: the products");
        double in = Compare.maxRelativeDifference(r.g32.wIn(), r.g64.wIn());
        double rec = Compare.maxRelativeDifference(r.g32.wRec(), r.g64.wRec());
        // float32 round-off of the products' sums over 2,400 rows with a quarter to a half of them
        // active: about 1e-5 of the largest element here (6e-6 to 1.2e-5 across seeds and gains)
        assertTrue(in < 2e-5 && rec < 2e-5, "float32 products vs double, busy: " + in + ", " + rec);
    }

    /**
     * A case's float32 gradient (by {@code method}, on {@code t32}) and double's, with the same random
     * feedback; {@code density} is the fraction of the float32 run's neuron-steps that spike.
     */
    private record Versus(double density, Trajectory t32, FastEprop method, Gradients g32, Gradients g64) {
        static Versus run(Fig3Case c, long feedbackSeed) {
            Trajectory t32 = new ForwardPass(Precision.FLOAT32).run(c.net32(), c.x32(), c.steps(), c.batch(), false);
            double density = t32.spikeTotal() / (double) (c.steps() * c.batch() * c.net32().neurons());
            Feedback fb64 = Feedback.random(c.net64(), new Rng(feedbackSeed), false);
            Feedback fb32 = Feedback.of(Feedback.Mode.RANDOM, toFloat(fb64.matrix(c.net64())), 0);
            FastEprop method = new FastEprop(new Dense(Precision.FLOAT32));
            Gradients g32 = Fig3Case.gradients(method, c.net32(), t32, c.targets(), fb32);
            Trajectory t64 = new ForwardPass(Precision.FLOAT64).run(c.net64(), c.x64(), c.steps(), c.batch(), false);
            Gradients g64 = Fig3Case.gradients(new FastEprop(new Dense(Precision.FLOAT64)), c.net64(), t64,
                    c.targets(), fb64);
            return new Versus(density, t32, method, g32, g64);
        }
    }

    @Test
    void theScanDeclinesWhereTheRunCarriesResetsAndTheProductsGiveTheSameGradient() {
        Fig3Case c = Fig3Case.of(300, 8, 4);
        boolean[] resets = new boolean[c.steps() * c.batch()];
        resets[120 * c.batch() + 3] = true;
        ForwardPass pass = new ForwardPass(Precision.FLOAT32);
        Trajectory withResets = pass.run(c.net32(), c.x32(), c.steps(), c.batch(), false, null, resets,
                org.eprop.learning.network.NetworkState.Scope.ALL);
        Feedback fb = Feedback.random(c.net32(), new Rng(6), false);
        FastEprop method = new FastEprop(new Dense(Precision.FLOAT32));
        Gradients products = Fig3Case.gradients(method, c.net32(), withResets, c.targets(), fb);
        assertFalse(method.summedInScan(), "a reset inside the run: the products and their boundary terms");
        // the same gradient in double precision, with the reset
        ForwardPass pass64 = new ForwardPass(Precision.FLOAT64);
        Trajectory t64 = pass64.run(c.net64(), c.x64(), c.steps(), c.batch(), false, null, resets,
                org.eprop.learning.network.NetworkState.Scope.ALL);
        Feedback fb64 = Feedback.of(Feedback.Mode.RANDOM, toDouble(fb.matrix(c.net32())), 0);
        Gradients g64 = Fig3Case.gradients(new FastEprop(new Dense(Precision.FLOAT64)), c.net64(), t64, c.targets(),
                fb64);
        double rec = Compare.maxRelativeDifference(products.wRec(), g64.wRec());
        double in = Compare.maxRelativeDifference(products.wIn(), g64.wIn());
        assertTrue(in < 1e-5 && rec < 1e-5, "float32 products vs double with a reset: " + in + ", " + rec);
    }

    private static RealArray toFloat(RealArray a) {
        RealArray out = Precision.FLOAT32.zeros(a.length());
        out.copyFrom(a);
        return out;
    }

    private static RealArray toDouble(RealArray a) {
        RealArray out = Precision.FLOAT64.zeros(a.length());
        out.copyFrom(a);
        return out;
    }
}
