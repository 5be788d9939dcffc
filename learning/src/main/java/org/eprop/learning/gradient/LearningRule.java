package org.eprop.learning.gradient;

import java.util.Objects;
import java.util.function.Function;
import org.eprop.learning.tensor.Dense;

/**
 * A gradient method by the id that configs name it by ({@code eprop}, {@code bptt}, ...), with a
 * line for listings and the constructor of a new instance working with a {@link Dense} engine (and
 * its precision). Registered by id in the application's Guice wiring.
 */
public record LearningRule(String id, String description, Function<Dense, GradientMethod> factory) {

    public LearningRule {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(description, "description");
        Objects.requireNonNull(factory, "factory");
    }

    /** A new instance of the method. */
    public GradientMethod create(Dense dense) {
        return factory.apply(dense);
    }
}
