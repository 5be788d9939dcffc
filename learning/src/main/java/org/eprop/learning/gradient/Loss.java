package org.eprop.learning.gradient;

import org.eprop.learning.tensor.RealArray;

/**
 * A task loss on the readout outputs: {@code E = sum_{t,b} w(t,b) l(y(t,b), target(t,b))}, with
 * the weights of the {@link Targets}.
 */
public interface Loss {

    /** Short id used in configs and reports. */
    String id();

    /**
     * Computes E and writes {@code dE/dy} (time-major, like the outputs) into {@code dy}.
     *
     * @param y outputs {@code [steps*batch x nOut]}
     */
    double evaluate(RealArray y, Targets targets, RealArray dy);
}
