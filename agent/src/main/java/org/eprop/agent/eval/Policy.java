package org.eprop.agent.eval;

import java.util.List;
import org.eprop.learning.rng.Rng;

/**
 * What an evaluation asks of an agent: actions for a batch of observations, one row per running
 * episode, and, for the gameplay video, what it computed at the last agent step (action
 * probabilities, value, the spikes of its LSNN at each network step). Implementations: the
 * actor-critic on vector observations ({@link ActorCriticPolicy}), the uniform
 * {@link RandomPolicy}; an agent with a convolutional front end for screen frames implements the
 * same interface with {@code O = Frame}.
 *
 * <p>Not thread-safe; the arrays returned describe the last {@link #act} call and may be reused by
 * the next one.
 *
 * @param <O> the observation type
 */
public interface Policy<O> {

    /** A short name for files and tables, e.g. {@code agent} or {@code random}. */
    String name();

    /** Number of discrete actions. */
    int actions();

    /** Prepares {@code rows} rows, each in its initial state (a new episode). */
    void reset(int rows);

    /**
     * Chooses one action per row. {@code episodeStart[b]} marks the first step of a new episode in
     * row {@code b}: its state is reset before the observation is processed. {@code greedy} takes
     * the most probable action; otherwise actions are drawn from the policy with {@code rng}, in
     * row order.
     */
    void act(List<O> observations, boolean[] episodeStart, boolean greedy, Rng rng, int[] actions);

    /** The action probabilities of row {@code row} at the last {@link #act}. */
    double[] probabilities(int row);

    /** The value estimate of row {@code row} at the last {@link #act}, NaN if the policy has none. */
    double value(int row);

    /** Neurons of the recurrent spiking network, 0 if there is none. */
    int neurons();

    /** Network steps per agent step (the observation is held over them), 1 if there is no network. */
    int networkSteps();

    /**
     * The spikes of row {@code row} during the last {@link #act}: {@code [networkSteps()][neurons()]},
     * {@code true} where a neuron fired.
     */
    boolean[][] spikes(int row);
}
