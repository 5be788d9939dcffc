package org.eprop.agent.eval;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.eprop.agent.RunSetup;
import org.eprop.agent.actorcritic.ActionSampler;
import org.eprop.agent.actorcritic.ActorCriticParams;
import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * The trained spiking actor-critic ({@code actor-critic}) on vector observations, loaded from a
 * checkpoint: it acts exactly as its actors do in training. Each agent step holds the observation
 * (plus the episode-start input when {@code done_input}) over {@code steps_per_action} network
 * steps, the LSNN of a row starting an episode is reset before the first of them (neurons only,
 * as in training), and the heads are read at the last: {@code nActions} policy logits, then the
 * value.
 *
 * <p>{@link #load} checks the checkpoint's weight shapes against the run's config and the
 * environment before anything runs, so a checkpoint of another network size or game is refused
 * with a message naming the file and the mismatch.
 */
public final class ActorCriticPolicy implements Policy<float[]> {
    public static final String NAME = "agent";

    private final SpikingNetwork net;
    private final int actions;
    private final int observationSize;
    private final boolean doneInput;
    private final int steps;
    private final ForwardPass pass;
    private final ActionSampler sampler;
    private int rows;
    private NetworkState state;
    private RealArray x;
    private boolean[] resets;
    private double[] logits;
    private double[][] probabilities;
    private double[] values;
    private boolean[][][] spikes;

    ActorCriticPolicy(SpikingNetwork net, int actions, int observationSize, boolean doneInput, int stepsPerAction) {
        this.net = net;
        this.actions = actions;
        this.observationSize = observationSize;
        this.doneInput = doneInput;
        this.steps = stepsPerAction;
        this.pass = new ForwardPass(net.precision());
        this.sampler = new ActionSampler(actions);
        reset(1);
    }

    /**
     * The policy of a run's checkpoint. The environment is made once to read its observation size
     * and action count; then every weight array of the checkpoint is checked against the network
     * that the config and the environment call for.
     *
     * @param checkpointName how to name the checkpoint in messages (its file)
     * @throws IllegalArgumentException if the environment is not a vector game or the shapes differ
     */
    public static ActorCriticPolicy load(RunSetup setup, ActorCriticParams params, Checkpoint checkpoint,
            String checkpointName) {
        int observationSize;
        int actions;
        try (Env<?, ?> probe = setup.env().env()) {
            if (!(probe.observationSpace() instanceof Box box) || !(probe.actionSpace() instanceof Discrete d)) {
                throw new IllegalArgumentException(setup.env().id() + " has observations " + probe.observationSpace()
                        + " and actions " + probe.actionSpace() + "; the actor-critic policy needs a Box and a "
                        + "Discrete");
            }
            observationSize = box.size();
            actions = d.n();
        }
        boolean doneInput = Boolean.TRUE.equals(params.doneInput());
        int inputs = observationSize + (doneInput ? 1 : 0);
        SpikingNetwork net = org.eprop.agent.actorcritic.ActorCriticAgent.network(setup.network(), inputs, actions + 1, new Rng(0));
        checkShapes(net, checkpoint, checkpointName, setup.env(), observationSize, doneInput, actions);
        for (var e : net.parameters().entries()) {
            double[] v = checkpoint.doubles("net." + e.name());
            for (int i = 0; i < v.length; i++) {
                e.array().set(i, v[i]);
            }
        }
        return new ActorCriticPolicy(net, actions, observationSize, doneInput, params.stepsPerAction());
    }

    /** Every mismatch between the checkpoint's weights and {@code net}, in one message. */
    static void checkShapes(SpikingNetwork net, Checkpoint c, String file, BoundEnv<?> env, int observationSize,
            boolean doneInput, int actions) {
        String fix = "evaluate a checkpoint with the config.yaml of the run that wrote it (unchanged), or train "
                + "again for this config";
        List<String> missing = new ArrayList<>();
        for (var e : net.parameters().entries()) {
            String name = "net." + e.name();
            if (!c.has(name) || c.type(name) != Checkpoint.Type.DOUBLES) {
                missing.add(name);
            }
        }
        if (missing.contains("net." + SpikingNetwork.W_IN) || missing.contains("net." + SpikingNetwork.W_REC)
                || missing.contains("net." + SpikingNetwork.W_OUT)) {
            throw new IllegalArgumentException("checkpoint " + file + " has no " + String.join(", ", missing)
                    + ": it is not an actor-critic checkpoint; " + fix);
        }
        int wRec = c.doubles("net." + SpikingNetwork.W_REC).length;
        int n = (int) Math.round(Math.sqrt(wRec));
        List<String> problems = new ArrayList<>();
        if (n * n != wRec || n == 0) {
            problems.add("its net.w_rec has " + wRec + " values, not n x n");
        } else {
            int wIn = c.doubles("net." + SpikingNetwork.W_IN).length;
            int wOut = c.doubles("net." + SpikingNetwork.W_OUT).length;
            if (n != net.neurons()) {
                problems.add("its LSNN has " + n + " neurons, the config's network.lif + network.alif = "
                        + net.neurons());
            }
            if (wIn != n * net.inputs()) {
                problems.add("it takes " + (wIn % n == 0 ? Integer.toString(wIn / n) : wIn + "/" + n) + " inputs, "
                        + env.id() + " gives " + net.inputs() + " (" + observationSize + " observation values"
                        + (doneInput ? " + the episode-start input" : "") + ")");
            }
            if (wOut != n * net.outputs()) {
                problems.add(wOut % n == 0 ? "it has " + (wOut / n - 1) + " actions (+ value), " + env.id() + " has "
                        + actions : "its net.w_out has " + wOut + " values, not a multiple of " + n + " neurons");
            }
        }
        boolean wantBias = net.parameters().contains(SpikingNetwork.B_OUT);
        boolean hasBias = c.has("net." + SpikingNetwork.B_OUT);
        if (wantBias != hasBias) {
            problems.add(hasBias ? "it has a readout bias, the config's network.readout.bias is false"
                    : "it has no readout bias, the config's network.readout.bias is true");
        } else if (wantBias && c.doubles("net." + SpikingNetwork.B_OUT).length != net.outputs()) {
            problems.add("its readout bias has " + c.doubles("net." + SpikingNetwork.B_OUT).length + " values, "
                    + env.id() + " needs " + net.outputs() + " (" + actions + " actions + value)");
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + file + " does not fit the network of its run's "
                    + "config and " + env.id() + ": " + String.join("; ", problems) + ". Fix: " + fix);
        }
    }

    /** The network (weights loaded). */
    public SpikingNetwork network() {
        return net;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int actions() {
        return actions;
    }

    @Override
    public void reset(int rows) {
        if (rows < 1) {
            throw new IllegalArgumentException("rows must be >= 1, got " + rows);
        }
        this.rows = rows;
        this.state = NetworkState.zeros(net, rows);
        this.x = net.precision().zeros(steps * rows * net.inputs());
        this.resets = new boolean[steps * rows];
        this.logits = new double[rows * actions];
        this.probabilities = new double[rows][actions];
        this.values = new double[rows];
        this.spikes = new boolean[rows][steps][net.neurons()];
    }

    @Override
    public void act(List<float[]> observations, boolean[] episodeStart, boolean greedy, Rng rng, int[] chosen) {
        Objects.requireNonNull(rng, "rng");
        if (observations.size() != rows || episodeStart.length != rows) {
            throw new IllegalArgumentException(observations.size() + " observations and " + episodeStart.length
                    + " start flags for " + rows + " rows");
        }
        int inputs = net.inputs();
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < rows; b++) {
                float[] o = observations.get(b);
                if (o.length != observationSize) {
                    throw new IllegalArgumentException("observation of " + o.length + " values, expected "
                            + observationSize);
                }
                int base = (s * rows + b) * inputs;
                for (int i = 0; i < observationSize; i++) {
                    x.set(base + i, o[i]);
                }
                if (doneInput) {
                    x.set(base + observationSize, episodeStart[b] ? 1.0 : 0.0);
                }
                resets[s * rows + b] = s == 0 && episodeStart[b];
            }
        }
        Trajectory tr = pass.run(net, x, steps, rows, false, state, resets, NetworkState.Scope.NEURONS);
        RealArray y = tr.outputs();
        RealArray z = tr.spikes();
        int nOut = net.outputs();
        int n = net.neurons();
        for (int b = 0; b < rows; b++) {
            int row = ((steps - 1) * rows + b) * nOut;
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < actions; k++) {
                logits[b * actions + k] = y.get(row + k);
                max = Math.max(max, logits[b * actions + k]);
            }
            double sum = 0;
            for (int k = 0; k < actions; k++) {
                probabilities[b][k] = Math.exp(logits[b * actions + k] - max);
                sum += probabilities[b][k];
            }
            for (int k = 0; k < actions; k++) {
                probabilities[b][k] /= sum;
            }
            values[b] = y.get(row + actions);
            for (int s = 0; s < steps; s++) {
                for (int j = 0; j < n; j++) {
                    spikes[b][s][j] = z.get((s * rows + b) * n + j) != 0;
                }
            }
        }
        sampler.sampleAll(logits, 0, greedy, rng, chosen);
    }

    @Override
    public double[] probabilities(int row) {
        return probabilities[row];
    }

    @Override
    public double value(int row) {
        return values[row];
    }

    @Override
    public int neurons() {
        return net.neurons();
    }

    @Override
    public int networkSteps() {
        return steps;
    }

    @Override
    public boolean[][] spikes(int row) {
        return spikes[row];
    }
}
