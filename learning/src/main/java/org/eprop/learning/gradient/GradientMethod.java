package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;

/** A way of computing the weight gradients of one batch from its forward pass. */
public interface GradientMethod {

    /** Short id used in configs and reports. */
    String id();

    /**
     * Computes the gradients of the batch.
     *
     * @param feedback the learning-signal feedback; ignored by full BPTT, which uses W_out
     */
    void compute(SpikingNetwork net, Trajectory tr, BackwardInput in, Feedback feedback, Gradients out);
}
