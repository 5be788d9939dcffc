package org.eprop.learning.gradient;

import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The Fig. 3 network on 2 % Poisson inputs with cross-entropy on the last 50 steps, in both
 * precisions (the double network is the float32 one's copy): the fixture of the float32 gradient
 * tests that compare a float32 method with its double-precision self.
 */
record Fig3Case(SpikingNetwork net32, SpikingNetwork net64, RealArray x32, RealArray x64, int steps, int batch,
        Targets targets) {

    /** Labels alternating 0, 1, 0, ... */
    static Fig3Case of(int steps, int batch, long seed) {
        return of(steps, batch, seed, alternating(batch));
    }

    private static int[] alternating(int batch) {
        int[] labels = new int[batch];
        for (int b = 0; b < batch; b++) {
            labels[b] = b % 2;
        }
        return labels;
    }

    static Fig3Case of(int steps, int batch, long seed, int[] labels) {
        return of(steps, batch, seed, labels, NeuronLayer.fig3(), 1.0);
    }

    /**
     * A busier network: the Fig. 3 neurons with refractory period {@code tRef} steps and the input
     * weights times {@code inputGain}, on the same inputs (labels alternating).
     */
    static Fig3Case busy(int steps, int batch, long seed, double tRef, double inputGain) {
        NeuronLayer f = NeuronLayer.fig3();
        NeuronLayer layer = new NeuronLayer(f.nIn(), f.nLif(), f.nAlif(), f.dt(), f.tauM(), f.tauA(), f.vTh(), f.beta(),
                tRef, f.gamma(), f.input());
        return of(steps, batch, seed, alternating(batch), layer, inputGain);
    }

    private static Fig3Case of(int steps, int batch, long seed, int[] labels, NeuronLayer layer, double inputGain) {
        Rng rng = new Rng(seed);
        SpikingNetwork net32 = new SpikingNetwork(layer, Readout.fig3(), Precision.FLOAT32)
                .initialise(rng.split(1), ReadoutInit.GLOROT_UNIFORM);
        RealArray wIn = net32.wIn();
        for (int i = 0; i < wIn.length(); i++) {
            wIn.set(i, (float) (inputGain * wIn.get(i)));
        }
        SpikingNetwork net64 = net32.toPrecision(Precision.FLOAT64);
        RealArray x64 = Precision.FLOAT64.zeros(steps * batch * 40);
        Rng data = rng.split(2);
        for (int i = 0; i < x64.length(); i++) {
            x64.set(i, data.bernoulli(0.02) ? 1 : 0);
        }
        RealArray x32 = Precision.FLOAT32.zeros(x64.length());
        x32.copyFrom(x64);
        Targets targets = new Targets().resize(steps, batch, 2).classifyFinalSteps(labels, 50);
        return new Fig3Case(net32, net64, x32, x64, steps, batch, targets);
    }

    /** Reset flags {@code [t*batch+b]}: each step after the first of each sequence with probability p. */
    boolean[] randomResets(double p, long seed) {
        boolean[] resets = new boolean[steps * batch];
        Rng rng = new Rng(seed);
        for (int i = batch; i < resets.length; i++) {
            resets[i] = rng.bernoulli(p);
        }
        return resets;
    }

    /** The gradient of cross-entropy plus the rate regulariser (1.0, 0.01) by {@code method}. */
    static Gradients gradients(GradientMethod method, SpikingNetwork net, Trajectory tr, Targets targets,
            Feedback feedback) {
        BackwardInput in = new BackwardInput(net.precision()).evaluate(tr, new CrossEntropy(), targets,
                new RateRegularizer(1.0, 0.01));
        Gradients g = new Gradients(net);
        method.compute(net, tr, in, feedback, g);
        return g;
    }
}
