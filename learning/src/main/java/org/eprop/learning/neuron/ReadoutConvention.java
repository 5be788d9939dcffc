package org.eprop.learning.neuron;

/**
 * Normalisation of the leaky readout filter {@code zbar(t) = kappa zbar(t-1) + c z(t)}
 * (docs/model.md §1.3, §8 item 2).
 */
public enum ReadoutConvention {
    /** {@code c = 1 - kappa}: Fig. 3, Fig. S7, the verification scripts and Atari. */
    NORMALISED,
    /** {@code c = 1}: the TIMIT readouts. */
    PLAIN;

    /** The factor {@code c} on the new input for a filter with decay {@code kappa}. */
    public double inputFactor(double kappa) {
        return this == NORMALISED ? 1.0 - kappa : 1.0;
    }
}
