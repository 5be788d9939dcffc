package org.eprop.agent.actorcritic;

import org.eprop.learning.rng.Rng;

/**
 * Draws actions from the policy {@code pi = softmax(y)} given its logits, as the original's
 * actors do with {@code tf.multinomial} ({@code spiking_agent.py} of
 * IGITUGraz/eligibility_propagation), or greedily (argmax) for evaluation.
 *
 * <p>Sampling is by inversion: one uniform draw per action, compared with the running sum of
 * {@code exp(y_k - max y)}; so exactly one {@link Rng#nextDouble()} is consumed per stochastic
 * action, which keeps runs reproducible from a seed. An action of probability 0 (its exponential
 * underflows) is never drawn. Greedy ties go to the lowest index and consume no random number.
 *
 * <p>Logits use the layout of {@link ActorCriticLoss}: environment {@code b}'s logits at
 * {@code b * nActions + k} (one step) or {@code (t * batch + b) * nActions + k} (an unroll).
 * Not thread-safe; allocation-free after construction.
 */
public final class ActionSampler {

    private final int nActions;
    private final double[] weights;

    public ActionSampler(int nActions) {
        if (nActions < 1) {
            throw new IllegalArgumentException("nActions must be >= 1: " + nActions);
        }
        this.nActions = nActions;
        this.weights = new double[nActions];
    }

    public int nActions() {
        return nActions;
    }

    /** One action drawn from softmax of {@code logits[offset .. offset + nActions)}. */
    public int sample(double[] logits, int offset, Rng rng) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < nActions; k++) {
            double y = logits[offset + k];
            if (Double.isNaN(y) || y == Double.POSITIVE_INFINITY) {
                throw new IllegalArgumentException("logit " + k + " at offset " + offset + " is " + y);
            }
            max = Math.max(max, y);
        }
        if (max == Double.NEGATIVE_INFINITY) {
            throw new IllegalArgumentException("all logits at offset " + offset + " are -infinity");
        }
        double sum = 0;
        for (int k = 0; k < nActions; k++) {
            weights[k] = Math.exp(logits[offset + k] - max);
            sum += weights[k];
        }
        // u < sum, and the running sum below repeats the additions above exactly, so the loop
        // returns before it ends; the last line only guards against that reasoning going stale.
        double u = rng.nextDouble() * sum;
        double running = 0;
        int lastPositive = 0;
        for (int k = 0; k < nActions; k++) {
            if (weights[k] > 0) {
                running += weights[k];
                lastPositive = k;
                if (u < running) {
                    return k;
                }
            }
        }
        return lastPositive;
    }

    /** The action of largest logit in {@code logits[offset .. offset + nActions)}; ties to the lowest. */
    public int greedy(double[] logits, int offset) {
        int best = 0;
        double bestLogit = logits[offset];
        for (int k = 1; k < nActions; k++) {
            if (logits[offset + k] > bestLogit) {
                bestLogit = logits[offset + k];
                best = k;
            }
        }
        return best;
    }

    /**
     * Chooses an action for each of {@code actions.length} environments whose logits are laid out
     * one after another from {@code offset}: {@code actions[b]} from
     * {@code logits[offset + b * nActions ..]}.
     */
    public void sampleAll(double[] logits, int offset, boolean greedy, Rng rng, int[] actions) {
        for (int b = 0; b < actions.length; b++) {
            int off = offset + b * nActions;
            actions[b] = greedy ? greedy(logits, off) : sample(logits, off, rng);
        }
    }
}
