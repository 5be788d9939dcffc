package org.eprop.supervised.agent;

import org.eprop.agent.RunSetup;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.agent.spec.RateRegularizationSpec;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.CrossEntropy;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.MeanSquaredError;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.train.Learner;

/** Builds the network and the learner a run config describes, for a task. */
public final class Networks {
    private Networks() {
    }

    /** The network, sized for the task, initialised from {@code rng}. */
    public static SpikingNetwork network(NetworkSpec c, SupervisedTask task, Rng rng) {
        NeuronLayer layer = new NeuronLayer(task.inputs(), c.lif(), c.alif(), c.dt(), c.tauM(), c.tauA(), c.vTh(),
                c.beta(), c.refractory(), c.gamma(), c.input());
        if (Math.abs(c.dt() - task.dtMs()) > 1e-12) {
            throw new IllegalArgumentException("network.dt = " + c.dt() + " ms but the environment " + task.id()
                    + " steps at " + task.dtMs() + " ms: set network.dt to " + task.dtMs());
        }
        Readout readout = new Readout(task.outputs(), c.readout().tauOut(), c.readout().convention(), c.readout().bias());
        return new SpikingNetwork(layer, readout, c.precision()).initialise(rng, c.readout().init());
    }

    /** The loss that fits the task: cross-entropy for classification, squared error for regression. */
    public static Loss loss(SupervisedTask task) {
        return task.kind() == SupervisedTask.Kind.CLASSIFICATION ? new CrossEntropy() : new MeanSquaredError();
    }

    /** Network, feedback, gradient method and optimiser(s) wired into a learner. */
    public static Learner learner(RunSetup setup, SupervisedTask task, ForwardPass forward, Rng rng) {
        SpikingNetwork net = network(setup.network(), task, rng.split(1));
        LearningSpec l = setup.learning();
        Feedback feedback = switch (l.feedback()) {
            case SYMMETRIC -> Feedback.symmetric();
            case RANDOM -> Feedback.random(net, rng.split(2), l.feedbackScaled());
            case ADAPTIVE -> Feedback.adaptive(net, rng.split(2), l.adaptiveDecay());
        };
        Dense dense = forward.dense();
        RateRegularizationSpec r = l.rateRegularization();
        RateRegularizer reg = new RateRegularizer(r.strength(), r.targetHz() * task.dtMs() / 1000.0);
        return new Learner(net, forward, setup.rule().create(dense), feedback, l.optimizer().create(),
                l.optimizer().create(), loss(task), reg);
    }
}
