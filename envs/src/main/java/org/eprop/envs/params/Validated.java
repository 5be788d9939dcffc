package org.eprop.envs.params;

/**
 * A config record that knows which of its values make sense (time constants positive, a probability in
 * [0, 1], evaluation no rarer than the run is long).
 *
 * <p>Checking here rather than in the compact constructor lets the loader report every problem at once and
 * point each at the line of the offending key. The loader calls {@link #validate} on every bound record
 * that implements this, at any depth, after binding and before returning the config.
 */
public interface Validated {

    /**
     * Reports this record's problems to {@code checks}; keys are relative to this record, in YAML spelling
     * ({@code tau_m}) or as the component is named ({@code tauM}).
     */
    void validate(Checks checks);
}
