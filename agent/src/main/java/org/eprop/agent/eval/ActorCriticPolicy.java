package org.eprop.agent.eval;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.eprop.agent.RunSetup;
import org.eprop.agent.actorcritic.ActionSampler;
import org.eprop.agent.actorcritic.Actor;
import org.eprop.agent.actorcritic.ActorCriticParams;
import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Space;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * The trained spiking actor-critic ({@code actor-critic}), loaded from a checkpoint: it acts as its
 * actors do in training ({@link Actor}: the front end, vector or spiking CNN for screens, the LSNN
 * and the heads), without learning. The heads give {@code nActions} policy logits, then the value.
 *
 * <p>{@link #load} checks the checkpoint's weight shapes against the run's config and the
 * environment before anything runs, so a checkpoint of another network size or game is refused
 * with a message naming the file and the mismatch.
 *
 * @param <O> the observation type
 */
public final class ActorCriticPolicy<O> implements Policy<O> {
    public static final String NAME = "agent";

    /** Makes the actor for a number of rows. */
    private interface Actors<O> {
        Actor<O> make(int rows);
    }

    private final Actors<O> actors;
    private final Map<String, double[]> weights;
    private final int actions;
    private final ActionSampler sampler;
    private Actor<O> actor;
    private double[][] probabilities;
    private boolean[][][] spikes;

    private ActorCriticPolicy(Actors<O> actors, Map<String, double[]> weights, int actions) {
        this.actors = actors;
        this.weights = weights;
        this.actions = actions;
        this.sampler = new ActionSampler(actions);
        reset(1);
    }

    /**
     * The policy of a run's checkpoint. The environment is made once to read its observation space
     * and action count; then every weight array of the checkpoint is checked against the network
     * that the config and the environment call for.
     *
     * @param checkpointName how to name the checkpoint in messages (its file)
     * @throws IllegalArgumentException if the environment is not a game the agent plays or the
     *     shapes differ
     */
    public static ActorCriticPolicy<?> load(RunSetup setup, ActorCriticParams params, Checkpoint checkpoint,
            String checkpointName) {
        int actions;
        Space<?> observations;
        try (Env<?, ?> probe = setup.env().env()) {
            if (!(probe.actionSpace() instanceof Discrete d)) {
                throw new IllegalArgumentException(setup.env().id() + " has actions " + probe.actionSpace()
                        + "; the actor-critic policy needs a Discrete action space");
            }
            actions = d.n();
            observations = probe.observationSpace();
        }
        NetworkSpec network = setup.network();
        if (observations instanceof FrameSpace screen) {
            return checked(rows -> Actor.screen(network, params, screen, actions, rows), setup, checkpoint,
                    checkpointName, screen.height() * screen.width() * screen.channels() + " screen values", actions);
        }
        if (observations instanceof Box box) {
            return checked(rows -> Actor.vector(network, params, box.size(), actions, rows), setup, checkpoint,
                    checkpointName, box.size() + " observation values", actions);
        }
        throw new IllegalArgumentException(setup.env().id() + " has observations " + observations
                + "; the actor-critic policy needs a Box of values or screen frames");
    }

    private static <O> ActorCriticPolicy<O> checked(Actors<O> actors, RunSetup setup, Checkpoint checkpoint,
            String file, String observationSize, int actions) {
        Actor<O> probe = actors.make(1);
        SpikingNetwork net = probe.network();
        checkShapes(net, checkpoint, file, setup.env(), observationSize, actions);
        Map<String, double[]> weights = new LinkedHashMap<>();
        List<String> problems = new ArrayList<>();
        for (var e : probe.parameters().entries()) {
            String name = "net." + e.name();
            if (!checkpoint.has(name) || checkpoint.type(name) != Checkpoint.Type.DOUBLES) {
                problems.add("it has no " + name);
            } else if (checkpoint.doubles(name).length != e.array().length()) {
                problems.add("its " + name + " has " + checkpoint.doubles(name).length + " values, the config calls "
                        + "for " + e.array().length());
            } else {
                weights.put(e.name(), checkpoint.doubles(name));
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException("checkpoint " + file + " does not fit the agent of its run's config and "
                    + setup.env().id() + ": " + String.join("; ", problems) + ". Fix: evaluate a checkpoint with the "
                    + "config.yaml of the run that wrote it (unchanged), or train again for this config");
        }
        return new ActorCriticPolicy<>(actors, weights, actions);
    }

    /** Every mismatch between the checkpoint's weights and {@code net}, in one message. */
    static void checkShapes(SpikingNetwork net, Checkpoint c, String file, BoundEnv<?> env, String observationSize,
            int actions) {
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
                        + env.id() + " and the config give " + net.inputs() + " (from " + observationSize + ")");
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

    /** The network (weights loaded) of the current rows. */
    public SpikingNetwork network() {
        return actor.network();
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
        actor = actors.make(rows);
        for (var e : actor.parameters().entries()) {
            double[] v = weights.get(e.name());
            for (int i = 0; i < v.length; i++) {
                e.array().set(i, v[i]);
            }
        }
        this.probabilities = new double[rows][actions];
        this.spikes = new boolean[rows][actor.steps()][actor.network().neurons()];
    }

    @Override
    public void act(List<O> observations, boolean[] episodeStart, boolean greedy, Rng rng, int[] chosen) {
        Objects.requireNonNull(rng, "rng");
        int rows = actor.rows();
        if (observations.size() != rows || episodeStart.length != rows) {
            throw new IllegalArgumentException(observations.size() + " observations and " + episodeStart.length
                    + " start flags for " + rows + " rows");
        }
        actor.act(observations, episodeStart);
        double[] logits = actor.logits();
        RealArray z = actor.spikes();
        int n = actor.network().neurons();
        for (int b = 0; b < rows; b++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int k = 0; k < actions; k++) {
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
            for (int s = 0; s < actor.steps(); s++) {
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
        return actor.values()[row];
    }

    @Override
    public int neurons() {
        return actor.network().neurons();
    }

    @Override
    public int networkSteps() {
        return actor.steps();
    }

    @Override
    public boolean[][] spikes(int row) {
        return spikes[row];
    }
}
