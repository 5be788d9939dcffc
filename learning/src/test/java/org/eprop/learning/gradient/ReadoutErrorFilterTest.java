package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * The readout filter's adjoint in float32, {@code Gbar(t) = c dy(t) + kappa Gbar(t+1)} cut at
 * readout resets, against the recursion written out one sequence and one step at a time.
 */
class ReadoutErrorFilterTest {

    @Test
    void float32FilteredErrorsAreTheRecursionRoundedStepByStep() {
        // 64 sequences of 400 steps: enough work for the loop to run over the workers where there are
        // several (one slice per thread; the slices' rows of a step share cache lines).
        Fig3Case c = Fig3Case.of(400, 64, 21);
        SpikingNetwork net = c.net32();
        int steps = c.steps();
        int batch = c.batch();
        int nOut = net.outputs();
        boolean[] resets = c.randomResets(0.002, 3);
        Trajectory tr = new ForwardPass(Precision.FLOAT32).run(net, c.x32(), steps, batch, false, null, resets,
                NetworkState.Scope.ALL);
        BackwardInput in = new BackwardInput(Precision.FLOAT32).evaluate(tr, new CrossEntropy(), c.targets(),
                new RateRegularizer(1.0, 0.01));
        SequenceBackward ends = new SequenceBackward(new Dense(Precision.FLOAT32));
        RealArray feedback = Precision.FLOAT32.zeros(net.neurons() * nOut);
        ends.readoutAndDeferredSignals(net, tr, in, feedback, new Gradients(net), true);
        float[] filtered = ends.filteredErrors();

        RealArray dy = in.dy();
        double kappa = net.kappa();
        double factor = net.readoutFactor();
        int cuts = 0;
        for (int b = 0; b < batch; b++) {
            for (int k = 0; k < nOut; k++) {
                double next = 0.0;
                for (int t = steps - 1; t >= 0; t--) {
                    if (t + 1 < steps && resets[(t + 1) * batch + b]) {
                        next = 0.0;
                        cuts++;
                    }
                    int idx = (t * batch + b) * nOut + k;
                    float expected = (float) Precision.FLOAT32.round(factor * dy.get(idx) + kappa * next);
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits(filtered[idx]),
                            "sequence " + b + ", output " + k + ", step " + t);
                    next = expected;
                }
            }
        }
        assertEquals(true, cuts > 10, "the resets cut the recursion: " + cuts);
    }
}
