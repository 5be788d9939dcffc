package org.eprop.learning.gradient;

import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/** A network, a batch of inputs and targets, and its forward pass, for the gradient oracles. */
final class OracleFixture {
    final SpikingNetwork net;
    final RealArray x;
    final int steps;
    final int batch;
    final Loss loss;
    final Targets targets;
    final RateRegularizer reg;
    final ForwardPass forward;
    final Trajectory trajectory;
    final BackwardInput backward;
    VoltageRegularizer voltage = VoltageRegularizer.NONE;

    OracleFixture(SpikingNetwork net, RealArray x, int steps, int batch, Loss loss, Targets targets, RateRegularizer reg) {
        this.net = net;
        this.x = x;
        this.steps = steps;
        this.batch = batch;
        this.loss = loss;
        this.targets = targets;
        this.reg = reg;
        this.forward = new ForwardPass(net.precision());
        this.trajectory = forward.run(net, x, steps, batch, true);
        this.backward = new BackwardInput(net.precision()).evaluate(trajectory, loss, targets, reg);
    }

    /**
     * The network of the reference's verification script (docs/model.md §5.1): 3 inputs, 4 LIF + 4 ALIF,
     * v_th 0.62, beta 0.07, tau_v 20 ms, tau_a 500 ms, kappa = exp(-1/20), T = 50, Bernoulli
     * inputs at 100 Hz, W_out ~ N(0,1), y* ~ N(0,1), loss = mean over T of (y - y*)^2.
     */
    static OracleFixture reference(int refractorySteps, long seed, Precision precision) {
        NeuronLayer layer = new NeuronLayer(3, 4, 4, 1.0, 20.0, 500.0, 0.62, 0.07, refractorySteps, 0.3,
                InputConvention.CURRENT);
        Readout readout = new Readout(1, 20.0, ReadoutConvention.NORMALISED, false);
        Rng rng = new Rng(seed);
        SpikingNetwork net = new SpikingNetwork(layer, readout, precision).initialise(rng, ReadoutInit.NORMAL);
        int steps = 50;
        int batch = 1;
        RealArray x = precision.zeros(steps * batch * 3);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(0.1) ? 1.0 : 0.0);
        }
        Targets targets = new Targets().resize(steps, batch, 1).weightAll(2.0 / steps);
        for (int t = 0; t < steps; t++) {
            targets.setValue(t, 0, 0, rng.nextGaussian());
        }
        return new OracleFixture(net, x, steps, batch, new MeanSquaredError(), targets, RateRegularizer.NONE);
    }

    /** A randomised network, input, loss and regulariser. */
    static OracleFixture randomised(long seed) {
        Rng rng = new Rng(seed);
        int nIn = 1 + rng.nextInt(6);
        int nLif = rng.nextInt(6);
        int nAlif = (nLif == 0 ? 1 : 0) + rng.nextInt(6);
        int nOut = 1 + rng.nextInt(3);
        int steps = 20 + rng.nextInt(60);
        int batch = 1 + rng.nextInt(3);
        double dt = rng.bernoulli(0.5) ? 1.0 : 0.5;
        NeuronLayer layer = new NeuronLayer(nIn, nLif, nAlif, dt, rng.uniform(5, 40), rng.uniform(50, 1000),
                rng.uniform(0.3, 1.0), rng.uniform(0.0, 0.5), dt * rng.nextInt(5), rng.uniform(0.1, 1.0),
                rng.bernoulli(0.5) ? InputConvention.CURRENT : InputConvention.LEAKY);
        boolean leaky = layer.input() == InputConvention.LEAKY;
        Readout readout = new Readout(nOut, rng.uniform(5, 40),
                rng.bernoulli(0.5) ? ReadoutConvention.NORMALISED : ReadoutConvention.PLAIN, rng.bernoulli(0.5));
        SpikingNetwork net = new SpikingNetwork(layer, readout, Precision.FLOAT64)
                .initialise(rng, ReadoutInit.values()[rng.nextInt(3)]);
        // Stronger weights under the (1 - alpha) convention so that neurons still spike.
        if (leaky) {
            for (int i = 0; i < net.wIn().length(); i++) {
                net.wIn().set(i, net.wIn().get(i) * 12);
            }
            for (int i = 0; i < net.wRec().length(); i++) {
                net.wRec().set(i, net.wRec().get(i) * 4);
            }
        }
        boolean spikingInput = rng.bernoulli(0.5);
        RealArray x = Precision.FLOAT64.zeros(steps * batch * nIn);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, spikingInput ? (rng.bernoulli(0.2) ? 1.0 : 0.0) : rng.uniform(-0.5, 1.5));
        }
        Targets targets = new Targets().resize(steps, batch, nOut);
        Loss loss;
        // Softmax over a single readout is constant: cross-entropy needs two classes or more.
        if (nOut == 1 || rng.bernoulli(0.5)) {
            loss = new MeanSquaredError();
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    targets.setWeight(t, b, rng.uniform(0, 2));
                    for (int k = 0; k < nOut; k++) {
                        targets.setValue(t, b, k, rng.nextGaussian());
                    }
                }
            }
        } else {
            loss = new CrossEntropy();
            for (int t = 0; t < steps; t++) {
                for (int b = 0; b < batch; b++) {
                    targets.setLabel(t, b, rng.nextInt(nOut));
                    targets.setWeight(t, b, rng.bernoulli(0.3) ? 0.0 : rng.uniform(0, 1));
                }
            }
        }
        RateRegularizer reg = rng.bernoulli(0.5) ? RateRegularizer.NONE : new RateRegularizer(rng.uniform(0.1, 5), 0.01);
        return new OracleFixture(net, x, steps, batch, loss, targets, reg);
    }

    /** Adds the voltage regulariser to the loss (the trajectory records v and b). */
    OracleFixture withVoltage(VoltageRegularizer v) {
        this.voltage = v;
        backward.evaluate(trajectory, loss, targets, reg, v, net);
        return this;
    }

    Gradients gradients(GradientMethod method, Feedback feedback) {
        Gradients g = new Gradients(net);
        method.compute(net, trajectory, backward, feedback, g);
        return g;
    }

    int spikeCount() {
        return (int) Math.round(trajectory.spikes().sum());
    }

    String describe() {
        NeuronLayer l = net.layer();
        return "nIn=" + l.nIn() + " nLif=" + l.nLif() + " nAlif=" + l.nAlif() + " nOut=" + net.outputs() + " T=" + steps
                + " B=" + batch + " dt=" + l.dt() + " nRef=" + l.refractorySteps() + " input=" + l.input()
                + " readout=" + net.readout().convention() + " bias=" + net.readout().bias() + " loss=" + loss.id()
                + " reg=" + reg.strength() + " spikes=" + spikeCount();
    }
}
