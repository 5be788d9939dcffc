package org.eprop.learning.verify;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

class UnrollCarryTest {

    /** The verification network (3 inputs, 4 LIF + 4 ALIF), optionally with a readout bias. */
    static UnrollCarry problem(long seed, int steps, int batch, boolean bias, int refractory, int nOut) {
        NeuronLayer layer = new NeuronLayer(3, 4, 4, 1.0, 20.0, 500.0, 0.62, 0.07, refractory, 0.3,
                InputConvention.CURRENT);
        Readout readout = new Readout(nOut, 20.0, ReadoutConvention.NORMALISED, bias);
        Rng rng = new Rng(seed);
        SpikingNetwork net = new SpikingNetwork(layer, readout, Precision.FLOAT64).initialise(rng, ReadoutInit.NORMAL);
        if (bias) {
            for (int k = 0; k < nOut; k++) {
                net.bOut().set(k, rng.nextGaussian());
            }
        }
        RealArray x = Precision.FLOAT64.zeros(steps * batch * 3);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(0.1) ? 1.0 : 0.0);
        }
        Targets targets = new Targets().resize(steps, batch, nOut);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                targets.setWeight(t, b, 2.0 / steps);
                for (int k = 0; k < nOut; k++) {
                    targets.setValue(t, b, k, rng.nextGaussian());
                }
            }
        }
        return new UnrollCarry(net, x, targets);
    }

    private static void assertAll(List<UnrollCarry.Check> checks) {
        StringBuilder failed = new StringBuilder();
        for (UnrollCarry.Check c : checks) {
            System.out.printf("%-90s %.3e%n", c.name(), c.value());
            if (!c.passes()) {
                failed.append(c.name()).append(": ").append(c.value()).append(" > ").append(c.bound()).append('\n');
            }
        }
        assertTrue(failed.length() == 0, failed.toString());
    }

    @Test
    void verificationNetwork() {
        assertAll(problem(42, 100, 2, false, 2, 1).all(50, 1, 37, 1e-12));
    }

    @Test
    void biasAndThreeRows() {
        assertAll(problem(7, 100, 3, true, 3, 2).all(50, 1, 37, 1e-12));
    }
}
