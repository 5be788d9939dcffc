package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.MeanSquaredError;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.optim.Adam;
import org.eprop.learning.optim.Sgd;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.train.Learner;
import org.eprop.learning.train.LearnerState;
import org.junit.jupiter.api.Test;

class ParametersTest {

    private static SpikingNetwork network(boolean bias) {
        NeuronLayer layer = new NeuronLayer(3, 4, 4, 1.0, 20.0, 500.0, 0.62, 0.07, 2, 0.3, InputConvention.CURRENT);
        return new SpikingNetwork(layer, new Readout(2, 20.0, ReadoutConvention.NORMALISED, bias), Precision.FLOAT64)
                .initialise(new Rng(1), ReadoutInit.NORMAL);
    }

    @Test
    void theNetworkAndItsGradientsListTheSameNames() {
        assertEquals(List.of("w_in", "w_rec", "w_out"), network(false).parameters().names());
        SpikingNetwork net = network(true);
        assertEquals(List.of("w_in", "w_rec", "w_out", "b_out"), net.parameters().names());
        Gradients g = new Gradients(net);
        assertEquals(net.parameters().names(), g.parameters().names());
        assertTrue(g.parameters().get("w_rec") == g.wRec());
        assertTrue(net.parameters().get("b_out") == net.bOut());
        assertThrows(IllegalArgumentException.class, () -> net.parameters().add("w_in", net.wIn()));
    }

    @Test
    void optimisersPairGradientsByNameNotPosition() {
        for (boolean adam : new boolean[] {false, true}) {
            Parameters p = new Parameters().add("a", Precision.FLOAT64.of(1, 2)).add("b", Precision.FLOAT64.of(3));
            Parameters reversed = new Parameters().add("b", Precision.FLOAT64.of(0.5)).add("a",
                    Precision.FLOAT64.of(1, -1));
            Parameters q = new Parameters().add("a", Precision.FLOAT64.of(1, 2)).add("b", Precision.FLOAT64.of(3));
            RealArray[] grads = {Precision.FLOAT64.of(1, -1), Precision.FLOAT64.of(0.5)};
            var named = adam ? new Adam(0.1) : new Sgd(0.1);
            var positional = adam ? new Adam(0.1) : new Sgd(0.1);
            named.step(p, reversed);
            positional.step(q.arrays(), grads);
            assertArrayEquals(q.get("a").toDoubleArray(), p.get("a").toDoubleArray());
            assertArrayEquals(q.get("b").toDoubleArray(), p.get("b").toDoubleArray());
        }
        Parameters p = new Parameters().add("a", Precision.FLOAT64.of(1));
        assertThrows(IllegalArgumentException.class,
                () -> new Sgd(0.1).step(p, new Parameters().add("c", Precision.FLOAT64.of(1))));
    }

    @Test
    void learnerStateSavesEveryListedArrayByName() {
        SpikingNetwork net = network(true);
        Learner learner = new Learner(net, new ForwardPass(Precision.FLOAT64), new FastEprop(new Dense(Precision.FLOAT64)),
                Feedback.adaptive(net, new Rng(2), 0.01), new Adam(1e-2), new Adam(1e-2), new MeanSquaredError(),
                RateRegularizer.NONE);
        int steps = 30;
        RealArray x = Precision.FLOAT64.zeros(steps * 3);
        Rng rng = new Rng(3);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(0.2) ? 1 : 0);
        }
        Targets targets = new Targets().resize(steps, 1, 2).weightAll(1.0);
        learner.step(x, steps, 1, targets);
        Map<String, double[]> saved = LearnerState.save(learner);
        for (String name : List.of("net.w_in", "net.w_rec", "net.w_out", "net.b_out", "feedback.b", "optimizer.steps",
                "optimizer.m.3", "feedback_optimizer.m.0")) {
            assertTrue(saved.containsKey(name), name + " in " + saved.keySet());
        }
        learner.step(x, steps, 1, targets);
        LearnerState.restore(learner, saved);
        Map<String, double[]> back = LearnerState.save(learner);
        assertEquals(saved.keySet(), back.keySet());
        saved.forEach((k, v) -> assertArrayEquals(v, back.get(k), k));
    }
}
