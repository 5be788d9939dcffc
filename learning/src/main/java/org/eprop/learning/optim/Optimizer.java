package org.eprop.learning.optim;

import org.eprop.learning.network.Parameters;
import org.eprop.learning.tensor.RealArray;

/**
 * Updates parameters in place from their gradients: {@code p <- p - update(grad)}. One instance
 * keeps the state (moments, step count) of one fixed list of parameters, registered in order.
 */
public interface Optimizer {

    /** Short id used in configs and reports. */
    String id();

    /** Applies one step; {@code params[i]} pairs with {@code grads[i]}, same order on every call. */
    void step(RealArray[] params, RealArray[] grads);

    /** Number of steps applied so far. */
    long steps();

    /** The optimiser's state (step count, moments) by name, for checkpoints. */
    java.util.Map<String, double[]> state();

    /**
     * Restores what {@link #state()} returned, for the parameters {@code params} (the same list, in
     * the same order, as passed to {@link #step}).
     */
    void restore(java.util.Map<String, double[]> state, RealArray[] params);

    /**
     * One step on a named parameter list: {@code grads} is paired with {@code params} by name, and
     * the arrays are handed on in the order of {@code params} (the order the state is kept in).
     */
    default void step(Parameters params, Parameters grads) {
        step(params.arrays(), grads.alignedWith(params));
    }

    /** {@link #restore(java.util.Map, RealArray[])} for a named parameter list. */
    default void restore(java.util.Map<String, double[]> state, Parameters params) {
        restore(state, params.arrays());
    }
}
