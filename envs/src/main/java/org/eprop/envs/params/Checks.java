package org.eprop.envs.params;

import java.util.ArrayList;
import java.util.List;

/**
 * Collects a {@link Validated} record's range and consistency problems, so that the config loader can turn each
 * into a located error such as
 * {@code run.yaml:7:9: network.tau_m = -20.0 is out of range: expected a positive number (ms)}.
 *
 * <p>Each method returns {@code this}, for chaining. Overloads taking {@code long} exist so that integers
 * are reported as written ({@code 0}, not {@code 0.0}); an optional {@code unit} is shown after the
 * expectation.
 */
public final class Checks {

    /** One failed check, with its key relative to the record that made it. */
    public record Problem(String key, Object value, String verdict, String expected) {
    }

    private static final String OUT_OF_RANGE = "is out of range";
    private final List<Problem> problems = new ArrayList<>();

    public Checks() {
    }

    /** For time constants, learning rates and the like, where zero would silently break the model. */
    public Checks positive(String key, double value) {
        return positive(key, value, null);
    }

    /** As {@link #positive(String, double)}, telling the user the unit the value is read in. */
    public Checks positive(String key, double value, String unit) {
        return add(value > 0 && value < Double.POSITIVE_INFINITY, key, value, OUT_OF_RANGE,
                (Double.isInfinite(value) ? "a finite positive number" : "a positive number") + unit(unit));
    }

    /** For counts and sizes; reports the value as the integer it is. */
    public Checks positive(String key, long value) {
        return add(value > 0, key, value, OUT_OF_RANGE, "a positive integer");
    }

    /** For quantities where zero means "off" (a regularisation weight, a delay). */
    public Checks nonNegative(String key, double value) {
        return nonNegative(key, value, null);
    }

    /** As {@link #nonNegative(String, double)}, with the unit the value is read in. */
    public Checks nonNegative(String key, double value, String unit) {
        return add(value >= 0 && value < Double.POSITIVE_INFINITY, key, value, OUT_OF_RANGE,
                (Double.isInfinite(value) ? "a finite number >= 0" : "a number >= 0") + unit(unit));
    }

    /** For counts where zero means "none". */
    public Checks nonNegative(String key, long value) {
        return add(value >= 0, key, value, OUT_OF_RANGE, "an integer >= 0");
    }

    /** For counts with a floor other than 0 or 1 (at least two classes, at least one neuron per layer). */
    public Checks atLeast(String key, long value, long min) {
        return add(value >= min, key, value, OUT_OF_RANGE, "an integer >= " + min);
    }

    /** {@code min <= value <= max}; NaN is always out of range. */
    public Checks range(String key, double value, double min, double max) {
        return range(key, value, min, max, null);
    }

    /** As {@link #range(String, double, double, double)}, with the unit the value is read in. */
    public Checks range(String key, double value, double min, double max, String unit) {
        return add(value >= min && value <= max, key, value, OUT_OF_RANGE,
                "a number from " + min + " to " + max + unit(unit));
    }

    /** Inclusive integer range; reports the value as the integer it is. */
    public Checks range(String key, long value, long min, long max) {
        return add(value >= min && value <= max, key, value, OUT_OF_RANGE, "an integer from " + min + " to " + max);
    }

    /**
     * Any other rule, typically one relating two keys.
     *
     * @param expected what a good value looks like, in words: "at most max_iterations (1000)"
     */
    public Checks check(boolean ok, String key, Object value, String expected) {
        return add(ok, key, value, "is invalid", expected);
    }

    private Checks add(boolean ok, String key, Object value, String verdict, String expected) {
        if (!ok) {
            problems.add(new Problem(key, value, verdict, expected));
        }
        return this;
    }

    private static String unit(String unit) {
        return unit == null || unit.isEmpty() ? "" : " (" + unit + ")";
    }

    /** The failed checks, keys as the record wrote them (the config loader spells them in YAML). */
    public List<Problem> problems() {
        return List.copyOf(problems);
    }
}
