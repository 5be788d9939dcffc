package org.eprop.agent.actorcritic;

import java.util.Arrays;
import java.util.List;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * A trained actor-critic acting, for evaluation and recorded gameplay: the same front end, LSNN
 * and heads as in training, built from the run's config, with the weights of a checkpoint, without
 * the recording that learning needs. Each agent step holds the observation over the network steps,
 * resets a row's LSNN at the start of its episode (neurons only, as in training) and reads the
 * heads at the last step.
 *
 * @param <O> the observation type: {@code float[]} or screen {@link Frame}s
 */
public final class Actor<O> {
    private final SpikingNetwork net;
    private final FrontEnd<O> frontEnd;
    private final FeatureHead head;
    private final Parameters parameters;
    private final int actions;
    private final int rows;
    private final int steps;
    private final boolean doneInput;
    private final ForwardPass pass;
    private final NetworkState state;
    private final RealArray x;
    private final RealArray features;
    private final boolean[] resets;
    private final double[] headOutput;
    private final double[] logits;
    private final double[] values;
    private Trajectory last;

    private Actor(SpikingNetwork net, FrontEnd<O> frontEnd, int actions, int rows, ActorCriticParams params) {
        this.net = net;
        this.frontEnd = frontEnd;
        this.actions = actions;
        this.rows = rows;
        this.steps = params.stepsPerAction();
        this.doneInput = Boolean.TRUE.equals(params.doneInput());
        int f = frontEnd.features();
        this.head = f == 0 ? null : new FeatureHead(f, actions + 1, rows, net.kappa(), net.readoutFactor(),
                net.precision(), new Rng(0));
        this.parameters = new Parameters().addAll("", net.parameters());
        if (head != null) {
            parameters.addAll("head/", head.parameters());
        }
        parameters.addAll("front/", frontEnd.parameters());
        this.pass = new ForwardPass(net.precision());
        this.state = NetworkState.zeros(net, rows);
        this.x = net.precision().zeros(steps * rows * net.inputs());
        this.features = net.precision().zeros(Math.max(1, steps * rows * f));
        this.resets = new boolean[steps * rows];
        this.headOutput = new double[rows * (actions + 1)];
        this.logits = new double[rows * actions];
        this.values = new double[rows];
    }

    /** The actor of a game with vector observations of {@code size} values. */
    public static Actor<float[]> vector(NetworkSpec network, ActorCriticParams params, int size, int actions,
            int rows) {
        DenseFrontEnd front = new DenseFrontEnd(size, params.stepsPerAction());
        return new Actor<>(ActorCriticAgent.network(network, size + (params.doneInput() ? 1 : 0), actions + 1,
                new Rng(0)), front, actions, rows, params);
    }

    /** The actor of a game with screens of {@code screen}'s shape. */
    public static Actor<Frame> screen(NetworkSpec network, ActorCriticParams params, FrameSpace screen, int actions,
            int rows) {
        CnnFrontEnd front = new CnnFrontEnd(params.cnn().config(screen, params.stepsPerAction()),
                params.cnn().training(), rows, actions + 1, network.precision(), new Rng(0));
        return new Actor<>(ActorCriticAgent.network(network, front.outputs() + (params.doneInput() ? 1 : 0),
                actions + 1, new Rng(0)), front, actions, rows, params);
    }

    /** Every array the checkpoint fills, named as in training ({@code net.<name>} in the checkpoint). */
    public Parameters parameters() {
        return parameters;
    }

    public SpikingNetwork network() {
        return net;
    }

    /** One agent step of every row; then {@link #logits}, {@link #values} and {@link #spikes} describe it. */
    public void act(List<O> observations, boolean[] episodeStart) {
        frontEnd.run(observations, x, net.inputs(), features);
        int flag = frontEnd.outputs();
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < rows; b++) {
                if (doneInput) {
                    x.set((s * rows + b) * net.inputs() + flag, episodeStart[b] ? 1.0 : 0.0);
                }
                resets[s * rows + b] = s == 0 && episodeStart[b];
            }
        }
        last = pass.run(net, x, steps, rows, false, state, resets, NetworkState.Scope.NEURONS);
        Arrays.fill(headOutput, 0.0);
        if (head != null) {
            head.advance(features, steps, headOutput, false);
        }
        RealArray y = last.outputs();
        int nOut = actions + 1;
        for (int b = 0; b < rows; b++) {
            int row = ((steps - 1) * rows + b) * nOut;
            for (int k = 0; k < actions; k++) {
                logits[b * actions + k] = y.get(row + k) + headOutput[b * nOut + k];
            }
            values[b] = y.get(row + actions) + headOutput[b * nOut + actions];
        }
    }

    /** Policy logits of the last step, {@code [rows][actions]}. */
    public double[] logits() {
        return logits;
    }

    /** Values of the last step, one per row. */
    public double[] values() {
        return values;
    }

    /** The LSNN's spikes during the last step, time-major {@code [steps][rows][neurons]}. */
    public RealArray spikes() {
        return last.spikes();
    }

    public int steps() {
        return steps;
    }

    public int rows() {
        return rows;
    }
}
