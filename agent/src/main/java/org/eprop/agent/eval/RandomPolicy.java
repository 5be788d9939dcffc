package org.eprop.agent.eval;

import java.util.Arrays;
import java.util.List;
import org.eprop.learning.rng.Rng;

/**
 * Uniformly random actions: the baseline an agent is compared with. One {@link Rng#nextInt} per
 * row and step (also when {@code greedy}: a random policy has no preferred action).
 */
public final class RandomPolicy<O> implements Policy<O> {
    public static final String NAME = "random";

    private final int actions;
    private final double[] uniform;
    private final boolean[][] noSpikes = new boolean[1][0];

    public RandomPolicy(int actions) {
        if (actions < 1) {
            throw new IllegalArgumentException("a policy needs at least one action, got " + actions);
        }
        this.actions = actions;
        this.uniform = new double[actions];
        Arrays.fill(uniform, 1.0 / actions);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public int actions() {
        return actions;
    }

    @Override
    public void reset(int rows) {
    }

    @Override
    public void act(List<O> observations, boolean[] episodeStart, boolean greedy, Rng rng, int[] chosen) {
        for (int b = 0; b < observations.size(); b++) {
            chosen[b] = rng.nextInt(actions);
        }
    }

    @Override
    public double[] probabilities(int row) {
        return uniform;
    }

    @Override
    public double value(int row) {
        return Double.NaN;
    }

    @Override
    public int neurons() {
        return 0;
    }

    @Override
    public int networkSteps() {
        return 1;
    }

    @Override
    public boolean[][] spikes(int row) {
        return noSpikes;
    }
}
