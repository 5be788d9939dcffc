package org.eprop.learning.neuron;

/**
 * How the input current enters the membrane equation. The reference code uses both, one per task
 * (docs/model.md §8 item 1), so each task states its own.
 */
public enum InputConvention {
    /** {@code v(t) = alpha v(t-1) + I(t) - v_th z(t-1)}: the ALIF cells of Fig. 3, TIMIT, Atari. */
    CURRENT,
    /** {@code v(t) = alpha v(t-1) + (1 - alpha) I(t) - v_th z(t-1)}: the LIF cell of Fig. S7. */
    LEAKY;

    /** The factor on the input current for a neuron with membrane decay {@code alpha}. */
    public double inputFactor(double alpha) {
        return this == CURRENT ? 1.0 : 1.0 - alpha;
    }
}
