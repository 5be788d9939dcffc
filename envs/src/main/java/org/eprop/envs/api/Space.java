package org.eprop.envs.api;

import org.eprop.learning.rng.Rng;

/** The set of valid observations or actions of an environment. */
public interface Space<T> {

    /** Whether {@code value} belongs to this space. */
    boolean contains(T value);

    /** A uniformly drawn element (for random policies and tests). */
    T sample(Rng rng);

    /** A one-line description, e.g. {@code Box(40, [0, 1])} or {@code Discrete(6)}. */
    String describe();
}
