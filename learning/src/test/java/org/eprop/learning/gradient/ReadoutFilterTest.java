package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * The float32 forward pass's readout, {@code y(t) = F(t) + b} with {@code F(t) = kappa F(t-1) + c z(t) W_out}
 * cut at readout resets, against the recursion written out one sequence and one step at a time from
 * the run's spikes (each drive summed over the spikes in ascending order, in double, then rounded).
 */
class ReadoutFilterTest {

    @Test
    void float32OutputsAreTheFilterOfTheDriveRoundedStepByStep() {
        // 64 sequences of 400 steps: the filter runs over the workers where there are several.
        Fig3Case c = Fig3Case.of(400, 64, 13);
        SpikingNetwork net = c.net32();
        int steps = c.steps();
        int batch = c.batch();
        int n = net.neurons();
        int nOut = net.outputs();
        RealArray bias = net.bOut();
        for (int k = 0; k < nOut; k++) {
            bias.set(k, 0.1 * (k + 1)); // a bias that shows
        }
        boolean[] resets = c.randomResets(0.002, 8);
        Trajectory tr = new ForwardPass(Precision.FLOAT32).run(net, c.x32(), steps, batch, false, null, resets,
                NetworkState.Scope.ALL);
        RealArray z = tr.spikes();
        RealArray y = tr.outputs();
        RealArray wOut = net.wOut();
        double kappa = net.kappa();
        double factor = net.readoutFactor();
        long spikes = 0;
        for (int b = 0; b < batch; b++) {
            double[] filter = new double[nOut];
            for (int t = 0; t < steps; t++) {
                if (resets[t * batch + b]) {
                    java.util.Arrays.fill(filter, 0.0);
                }
                for (int k = 0; k < nOut; k++) {
                    double sum = 0.0;
                    for (int j = 0; j < n; j++) {
                        if (z.get((t * batch + b) * n + j) != 0) {
                            sum += wOut.get(j * nOut + k);
                            spikes += k == 0 ? 1 : 0;
                        }
                    }
                    float drive = (float) sum;
                    filter[k] = Precision.FLOAT32.round(kappa * filter[k] + factor * drive);
                    float expected = (float) (filter[k] + bias.get(k));
                    int idx = (t * batch + b) * nOut + k;
                    assertEquals(Float.floatToRawIntBits(expected), Float.floatToRawIntBits((float) y.get(idx)),
                            "sequence " + b + ", output " + k + ", step " + t);
                }
            }
        }
        assertTrue(spikes > 1000, "the network spikes: " + spikes);
    }
}
