package org.eprop.envs.api;

import org.eprop.learning.rng.Rng;

/** The integers {@code 0 .. n-1}, e.g. the actions of a game. */
public record Discrete(int n) implements Space<Integer> {
    public Discrete {
        if (n <= 0) {
            throw new IllegalArgumentException("Discrete needs n > 0, got " + n);
        }
    }

    @Override
    public boolean contains(Integer value) {
        return value != null && value >= 0 && value < n;
    }

    @Override
    public Integer sample(Rng rng) {
        return rng.nextInt(n);
    }

    @Override
    public String describe() {
        return "Discrete(" + n + ")";
    }
}
