package org.eprop.config.plugin;

import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.tensor.Dense;

/** A gradient method by id ({@code eprop}, {@code bptt}, ...), as configs name it. */
public interface LearningRule {

    String id();

    /** One line for listings. */
    String description();

    /** A new instance working with {@code dense} (and its precision). */
    GradientMethod create(Dense dense);

    /** A rule from its parts. */
    static LearningRule of(String id, String description, java.util.function.Function<Dense, GradientMethod> make) {
        return new LearningRule() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public GradientMethod create(Dense dense) {
                return make.apply(dense);
            }
        };
    }
}
