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
}
