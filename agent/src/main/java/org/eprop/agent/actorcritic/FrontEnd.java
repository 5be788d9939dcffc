package org.eprop.agent.actorcritic;

import java.util.List;
import java.util.Map;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.tensor.RealArray;

/**
 * What turns a batch of observations {@code O} into the LSNN's input for the network steps of one
 * agent step, and into shortcut features that the policy and value heads read beside the LSNN's
 * spikes. A vector observation goes in as it is ({@link DenseFrontEnd}); a screen goes through a
 * spiking convolutional network whose pooled spikes are also the shortcut features (the original
 * Atari agent, paper Fig. 4).
 */
interface FrontEnd<O> {

    /** LSNN inputs per network step that this front end writes (the episode-start flag comes after). */
    int outputs();

    /** Shortcut features per network step for the heads; 0 for none. */
    int features();

    /** The trained parameters (empty when nothing is trained), named for checkpoints. */
    Parameters parameters();

    /** Starts recording an unroll of {@code agentSteps} agent steps. */
    void beginUnroll(int agentSteps);

    /**
     * Forgets the eligibility traces carried into the next unroll, for a gradient that treats the
     * carried state as a constant ({@link ActorCriticParams.Traces#TRUNCATED}); the forward state
     * stays. Nothing to do for a front end that keeps no traces.
     */
    default void dropTraces() {
    }

    /**
     * One agent step: writes the {@code steps} network steps of input of every row into {@code x}
     * ({@code [steps][rows][width]}, columns {@code 0 .. outputs()-1}) and, when there are features,
     * into {@code features} ({@code [steps][rows][features()]}), advancing the front end's state.
     */
    void act(List<O> observations, RealArray x, int width, RealArray features);

    /** As {@link #act}, without recording for the learner: acting in evaluation. */
    void run(List<O> observations, RealArray x, int width, RealArray features);

    /** As {@link #act}, from a copy of the state that is thrown away: the bootstrap step. */
    void peek(List<O> observations, RealArray x, int width, RealArray features);

    /**
     * Adds to {@code into} (named as {@link #parameters()}) the gradient of the recorded unroll,
     * given the loss's derivative with respect to the features at every network step
     * ({@code [T*steps][rows][features()]}, null when there are none) and the errors at the heads'
     * outputs before their filter ({@code [T*steps][rows][outputs]}).
     */
    void gradients(RealArray dFeatures, RealArray outputErrors, Parameters into);

    /** What a checkpoint needs to continue the front end's state exactly. */
    Map<String, double[]> state();

    void restore(Map<String, double[]> state);
}
