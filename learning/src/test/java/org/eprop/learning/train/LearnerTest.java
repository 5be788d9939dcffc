package org.eprop.learning.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.MeanSquaredError;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.optim.Adam;
import org.eprop.learning.optim.Sgd;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

class LearnerTest {

    /** A small pattern-generation problem: 20 frozen Poisson inputs, a sine target. */
    private static final class Problem {
        final SpikingNetwork net;
        final RealArray x;
        final Targets targets;
        final int steps = 200;

        Problem(Precision p, long seed) {
            Rng rng = new Rng(seed);
            NeuronLayer layer = new NeuronLayer(20, 30, 0, 1.0, 30, 200, 0.03, 0, 0, 0.3, InputConvention.LEAKY);
            net = new SpikingNetwork(layer, new Readout(1, 30, ReadoutConvention.NORMALISED, false), p)
                    .initialise(rng, ReadoutInit.NORMAL_SCALED);
            x = p.zeros(steps * 20);
            for (int i = 0; i < x.length(); i++) {
                x.set(i, rng.bernoulli(0.05) ? 1 : 0);
            }
            targets = new Targets().resize(steps, 1, 1).weightAll(1.0);
            for (int t = 0; t < steps; t++) {
                targets.setValue(t, 0, 0, Math.sin(2 * Math.PI * t / steps));
            }
        }
    }

    @Test
    void epropWithRandomFeedbackReducesTheLoss() {
        Problem pr = new Problem(Precision.FLOAT32, 4);
        Learner learner = new Learner(pr.net, new ForwardPass(Precision.FLOAT32),
                new FastEprop(new org.eprop.learning.tensor.Dense(Precision.FLOAT32)),
                Feedback.random(pr.net, new Rng(9), true), new Adam(3e-3), null, new MeanSquaredError(),
                new RateRegularizer(1.0, 0.01));
        double first = learner.step(pr.x, pr.steps, 1, pr.targets).taskLoss();
        double last = first;
        for (int i = 0; i < 150; i++) {
            last = learner.step(pr.x, pr.steps, 1, pr.targets).taskLoss();
        }
        assertTrue(last < 0.2 * first, "loss " + first + " -> " + last);
        for (int j = 0; j < pr.net.neurons(); j++) {
            assertEquals(0.0, pr.net.wRec().get(j * pr.net.neurons() + j), "no autapse after training");
        }
    }

    @Test
    void adaptiveFeedbackReceivesTheReadoutGradientAndBothDecay() {
        Problem pr = new Problem(Precision.FLOAT64, 5);
        double lr = 1e-2;
        double decay = 0.1;
        Feedback feedback = Feedback.adaptive(pr.net, new Rng(2), decay);
        RealArray b0 = feedback.matrix(pr.net).copy();
        RealArray w0 = pr.net.wOut().copy();
        Learner learner = new Learner(pr.net, new ForwardPass(Precision.FLOAT64),
                new FastEprop(new org.eprop.learning.tensor.Dense(Precision.FLOAT64)), feedback, new Sgd(lr),
                new Sgd(lr), new MeanSquaredError(), RateRegularizer.NONE);
        learner.step(pr.x, pr.steps, 1, pr.targets);
        RealArray g = learner.gradients().wOut();
        assertTrue(g.maxAbs() > 0);
        for (int i = 0; i < g.length(); i++) {
            assertEquals((1 - decay) * (w0.get(i) - lr * g.get(i)), pr.net.wOut().get(i), 1e-14);
            assertEquals((1 - decay) * (b0.get(i) - lr * g.get(i)), feedback.matrix(pr.net).get(i), 1e-14);
        }
    }

    @Test
    void randomFeedbackStaysFixed() {
        Problem pr = new Problem(Precision.FLOAT64, 6);
        Feedback feedback = Feedback.random(pr.net, new Rng(2), false);
        RealArray b0 = feedback.matrix(pr.net).copy();
        Learner learner = new Learner(pr.net, new ForwardPass(Precision.FLOAT64),
                new FastEprop(new org.eprop.learning.tensor.Dense(Precision.FLOAT64)), feedback, new Adam(1e-2), null,
                new MeanSquaredError(), RateRegularizer.NONE);
        learner.step(pr.x, pr.steps, 1, pr.targets);
        assertEquals(java.util.Arrays.toString(b0.toDoubleArray()),
                java.util.Arrays.toString(feedback.matrix(pr.net).toDoubleArray()));
    }
}
