package org.eprop.learning.gradient;

import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;

/**
 * A way of computing the weight gradients of one batch from its forward pass.
 *
 * <p>Every method takes the run's boundaries into account: the carried state it started from
 * ({@link Trajectory#startsFromState()}) and the per-row resets inside it
 * ({@link Trajectory#resets()}), so that a row restarted by a reset contributes exactly what a
 * fresh run of its piece would.
 */
public interface GradientMethod {

    /** Short id used in configs and reports. */
    String id();

    /**
     * Computes the gradients of the batch with no eligibility traces carried in or out.
     *
     * @param feedback the learning-signal feedback; ignored by full BPTT, which uses W_out
     */
    default void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out) {
        compute(net, tr, in, feedback, out, null);
    }

    /**
     * Computes the gradients of the batch, carrying eligibility traces across the unroll boundary.
     *
     * @param state null, or the state the forward pass of {@code tr} advanced: its traces are read
     *     as those at the start of the unroll (zero unless the run started from a carried state) and
     *     overwritten with those at its end. Methods that carry no traces (BPTT, truncated at the
     *     boundary) leave it untouched.
     */
    void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out,
            NetworkState state);

    /**
     * Computes the gradients of the batch with the state it started from as a constant: the
     * truncation at unroll boundaries of the original Atari learner, which re-simulates each unroll
     * from its stored state with gradients ({@code Figure_4_and_5_ATARI}; docs/model.md §3.2).
     * Nothing before step 0 carries a derivative: no eligibility traces come in (eps_v, eps_a and
     * ebar start from zero) and none go out, and the readout filter's carried value is a constant
     * (no {@code zbar(-1)} term in dE/dW_out). The carried spikes z(-1) still enter step 0 as the
     * recurrent input, as any input does. Full BPTT is always truncated this way
     * ({@link ReverseMode.Graph#FULL}).
     */
    void computeTruncated(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out);
}
