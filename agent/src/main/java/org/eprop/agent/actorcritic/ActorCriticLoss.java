package org.eprop.agent.actorcritic;

/**
 * The advantage actor-critic loss of one unroll, exactly as the learner of the original Atari code
 * computes it ({@code build_learner} in {@code Figure_4_and_5_ATARI/main.py} of
 * IGITUGraz/eligibility_propagation; docs/model.md §3.2), together with its exact derivatives
 * with respect to the policy logits and the value.
 *
 * <h2>Indexing</h2>
 * Agent step {@code t} (0 &le; t &lt; T) of environment {@code b} is the step that sees
 * observation {@code t} of the unroll and produces the logits {@code y[t,b,k]}, the value
 * {@code V[t,b]} and the action {@code a[t,b]}; {@code r[t,b]} and {@code done[t,b]} belong to the
 * transition that this action causes ({@code done[t,b]}: the episode ended with it, including the
 * curriculum's length cap). {@code V_boot[b]} is the value of observation {@code T}, the one after
 * the last step. In the original code's own indexing the unroll holds {@code T + 1} observations
 * and the learner uses {@code rewards = reward[1:]}, {@code done = done[1:]},
 * {@code values = baseline[:-1]}, {@code bootstrap = baseline[-1]}, so its
 * {@code G_t = r_{t+1} + gamma (1 - done_{t+1}) G_{t+1}} is, in the indexing of this class,
 * <pre>
 *   G[T]   = V_boot
 *   G[t]   = r[t] + gamma (1 - done[t]) G[t+1]        (backward scan, t = T-1 .. 0)
 *   A[t]   = G[t] - V[t]                              (advantage)
 * </pre>
 * A terminal transition (game over or length cap) therefore has the target {@code r[t]} alone: no
 * bootstrap across an episode end, and the bootstrap value only reaches the steps after the last
 * {@code done} of the unroll.
 *
 * <h2>Loss</h2>
 * With a mask {@code m[t,b]} (see {@link EpisodeMask}), {@code pi = softmax(y)},
 * {@code CE = -log pi[a]}, {@code H = -sum_k pi_k log pi_k}:
 * <pre>
 *   pg      = sum_{t,b} m p CE(y[t,b], a[t,b]) A[t,b]         (A stop-gradient)
 *   value   = c_V 0.5 sum_{t,b} m (G[t,b] - V[t,b])^2           (G stop-gradient; "baseline loss")
 *   entropy = -c_H sum_{t,b} m p H(pi[t,b])                      (an entropy bonus)
 *   E       = pg + value + entropy
 * </pre>
 * where {@code p[t,b]} is 1, or 0 for a step whose action the environment ignores (the policy
 * mask of {@link #compute(double[], double[], int[], double[], boolean[], double[], double[], double[], double[], double[])};
 * the original has no such steps). Such an action changes neither a reward nor what follows, so
 * its policy-gradient term has expectation zero and adds only variance, through the critic's
 * error {@code A}; the value is still learnt there.
 * Sums, not means, over time and batch, as in the original. The returns (and hence the bootstrap
 * value) and the advantage are constants for differentiation, so
 * <pre>
 *   dE/dy[t,b,k] = m ( A (pi_k - 1[k = a]) + c_H pi_k (log pi_k + H) )
 *   dE/dV[t,b]   = -m c_V (G - V) = -m c_V A
 * </pre>
 * and there is no derivative with respect to {@code V_boot}. The firing-rate and voltage
 * regularisers of the original are not part of this loss; they act on the network, not the
 * outputs.
 *
 * <p>The original computes in float32; this class in double, so the derivatives can be checked
 * against finite differences to 1e-7. Softmax and log-softmax subtract the maximum logit, so any
 * finite logits are safe.
 *
 * <p>Not thread-safe; allocation-free after construction. Results of the last
 * {@link #compute} are read through the accessors and are overwritten by the next call.
 */
public final class ActorCriticLoss {

    /**
     * The loss weights.
     *
     * @param discount     gamma per agent step ({@code discounting} in the original)
     * @param baselineCost c_V, the weight of the value ("baseline") loss ({@code baseline_cost})
     * @param entropyCost  c_H, the weight of the entropy bonus ({@code entropy_cost})
     */
    public record Settings(double discount, double baselineCost, double entropyCost) {
        public Settings {
            if (!(discount >= 0 && discount <= 1)) {
                throw new IllegalArgumentException("discount must be in [0, 1]: " + discount);
            }
            if (!(baselineCost >= 0) || Double.isInfinite(baselineCost)) {
                throw new IllegalArgumentException("baselineCost must be finite and >= 0: " + baselineCost);
            }
            if (!(entropyCost >= 0) || Double.isInfinite(entropyCost)) {
                throw new IllegalArgumentException("entropyCost must be finite and >= 0: " + entropyCost);
            }
        }

        /** The original's defaults: discount 0.99, baseline cost 1, entropy cost 0.0025. */
        public static Settings reference() {
            return new Settings(0.99, 1.0, 0.0025);
        }
    }

    private final Settings settings;
    private final int unrollLength;
    private final int batch;
    private final int nActions;

    private final double[] returns;
    private final double[] advantages;
    private final double[] entropies;

    private double policyGradientLoss;
    private double baselineLoss;
    private double entropyLoss;
    private double meanEntropy;

    /**
     * @param unrollLength T, agent steps per unroll
     * @param batch        parallel environments
     * @param nActions     size of the action set (number of policy logits)
     */
    public ActorCriticLoss(Settings settings, int unrollLength, int batch, int nActions) {
        if (settings == null) {
            throw new IllegalArgumentException("settings must not be null");
        }
        if (unrollLength < 1 || batch < 1 || nActions < 1) {
            throw new IllegalArgumentException("unrollLength, batch and nActions must be >= 1: "
                    + unrollLength + ", " + batch + ", " + nActions);
        }
        this.settings = settings;
        this.unrollLength = unrollLength;
        this.batch = batch;
        this.nActions = nActions;
        this.returns = new double[unrollLength * batch];
        this.advantages = new double[unrollLength * batch];
        this.entropies = new double[unrollLength * batch];
    }

    public Settings settings() {
        return settings;
    }

    public int unrollLength() {
        return unrollLength;
    }

    public int batch() {
        return batch;
    }

    public int nActions() {
        return nActions;
    }

    /**
     * Computes the loss of one unroll and writes its derivatives.
     *
     * @param logits          y[t,b,k] at {@code (t*batch+b)*nActions+k}, length T*batch*nActions
     * @param values          V[t,b] at {@code t*batch+b}, length T*batch
     * @param actions         a[t,b] in [0, nActions), length T*batch
     * @param rewards         r[t,b], the reward of the transition caused by a[t,b], length T*batch
     * @param done            done[t,b], whether that transition ended the episode (length cap
     *                        included), length T*batch
     * @param bootstrapValues V_boot[b], the value of the observation after the last step, length batch
     * @param mask            m[t,b], length T*batch (any finite weights; {@link EpisodeMask} gives 0/1)
     * @param dLogits         receives dE/dy[t,b,k], same layout as {@code logits}
     * @param dValues         receives dE/dV[t,b], same layout as {@code values}
     * @return the total loss E = pg + value + entropy
     */
    public double compute(double[] logits, double[] values, int[] actions, double[] rewards, boolean[] done,
                          double[] bootstrapValues, double[] mask, double[] dLogits, double[] dValues) {
        return compute(logits, values, actions, rewards, done, bootstrapValues, mask, null, dLogits, dValues);
    }

    /**
     * As {@link #compute(double[], double[], int[], double[], boolean[], double[], double[], double[], double[])},
     * with a policy mask.
     *
     * @param policyMask p[t,b], length T*batch, multiplies the policy-gradient and entropy terms
     *                   (on top of {@code mask}); {@code null}: 1 everywhere
     */
    public double compute(double[] logits, double[] values, int[] actions, double[] rewards, boolean[] done,
                          double[] bootstrapValues, double[] mask, double[] policyMask, double[] dLogits,
                          double[] dValues) {
        int steps = unrollLength * batch;
        if (policyMask != null) {
            checkLength("policyMask", policyMask.length, steps);
        }
        checkLength("logits", logits.length, steps * nActions);
        checkLength("values", values.length, steps);
        checkLength("actions", actions.length, steps);
        checkLength("rewards", rewards.length, steps);
        checkLength("done", done.length, steps);
        checkLength("bootstrapValues", bootstrapValues.length, batch);
        checkLength("mask", mask.length, steps);
        checkLength("dLogits", dLogits.length, steps * nActions);
        checkLength("dValues", dValues.length, steps);
        for (int i = 0; i < steps; i++) {
            if (actions[i] < 0 || actions[i] >= nActions) {
                throw new IllegalArgumentException("action " + actions[i] + " at step " + (i / batch)
                        + ", environment " + (i % batch) + " is outside [0, " + nActions + ")");
            }
        }

        double gamma = settings.discount();
        // Backward scan of the n-step returns; the original's tf.scan(reverse=True) with the
        // bootstrap value as initializer and discount gamma * (1 - done).
        for (int b = 0; b < batch; b++) {
            double g = bootstrapValues[b];
            for (int t = unrollLength - 1; t >= 0; t--) {
                int i = t * batch + b;
                g = rewards[i] + (done[i] ? 0.0 : gamma) * g;
                returns[i] = g;
                advantages[i] = g - values[i];
            }
        }

        double cV = settings.baselineCost();
        double cH = settings.entropyCost();
        double pg = 0;
        double squaredAdvantages = 0;
        double maskedEntropy = 0;
        double entropyOverCounted = 0;
        int counted = 0;
        for (int i = 0; i < steps; i++) {
            int off = i * nActions;
            double logZ = logPartition(logits, off, nActions);
            // dLogits first holds log pi, then pi log pi is accumulated into H.
            double h = 0;
            for (int k = 0; k < nActions; k++) {
                double logPi = logits[off + k] - logZ;
                dLogits[off + k] = logPi;
                h -= Math.exp(logPi) * logPi;
            }
            entropies[i] = h;
            double mV = mask[i];
            double m = policyMask == null ? mV : mV * policyMask[i];
            double adv = advantages[i];
            int a = actions[i];
            double crossEntropy = -dLogits[off + a];
            pg += m * crossEntropy * adv;
            squaredAdvantages += mV * adv * adv;
            maskedEntropy += m * h;
            if (m != 0) {
                entropyOverCounted += h;
                counted++;
            }
            for (int k = 0; k < nActions; k++) {
                double logPi = dLogits[off + k];
                double pi = Math.exp(logPi);
                double dCrossEntropy = pi - (k == a ? 1.0 : 0.0);
                // d(-H)/dy_k = pi_k (log pi_k + H): the entropy bonus pushes towards uniform.
                dLogits[off + k] = m * (adv * dCrossEntropy + cH * pi * (logPi + h));
            }
            dValues[i] = -mV * cV * adv;
        }
        policyGradientLoss = pg;
        baselineLoss = cV * 0.5 * squaredAdvantages;
        entropyLoss = -cH * maskedEntropy;
        meanEntropy = counted == 0 ? Double.NaN : entropyOverCounted / counted;
        return totalLoss();
    }

    /**
     * {@code log sum_k exp(y_k)} over {@code n} logits from {@code off}, with the maximum subtracted
     * first so that any finite logits are safe; {@code log pi_k = y_k - logPartition}.
     */
    static double logPartition(double[] logits, int off, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < n; k++) {
            max = Math.max(max, logits[off + k]);
        }
        double sumExp = 0;
        for (int k = 0; k < n; k++) {
            sumExp += Math.exp(logits[off + k] - max);
        }
        return max + Math.log(sumExp);
    }

    private static void checkLength(String name, int actual, int expected) {
        if (actual != expected) {
            throw new IllegalArgumentException(name + " has length " + actual + ", expected " + expected);
        }
    }

    /** E = pg + value + entropy of the last {@link #compute}. */
    public double totalLoss() {
        return policyGradientLoss + baselineLoss + entropyLoss;
    }

    /** pg = sum m CE(y, a) A. */
    public double policyGradientLoss() {
        return policyGradientLoss;
    }

    /** value = c_V 0.5 sum m (G - V)^2, the baseline loss. */
    public double baselineLoss() {
        return baselineLoss;
    }

    /** entropy = -c_H sum m H(pi): negative, a bonus. */
    public double entropyLoss() {
        return entropyLoss;
    }

    /**
     * The mean policy entropy (nats) over the steps with a non-zero mask, unweighted; NaN when every
     * step is masked. A diagnostic: it says how far the policy is from deterministic.
     */
    public double meanEntropy() {
        return meanEntropy;
    }

    /** G[t,b], the value target (return) of step t, environment b. */
    public double returnAt(int t, int b) {
        return returns[index(t, b)];
    }

    /** A[t,b] = G[t,b] - V[t,b]. */
    public double advantageAt(int t, int b) {
        return advantages[index(t, b)];
    }

    /** H(pi[t,b]), computed for every step, masked or not. */
    public double entropyAt(int t, int b) {
        return entropies[index(t, b)];
    }

    /** Copies G into {@code dst} (length T*batch, layout {@code t*batch+b}). */
    public void copyReturnsTo(double[] dst) {
        checkLength("dst", dst.length, returns.length);
        System.arraycopy(returns, 0, dst, 0, returns.length);
    }

    /** Copies A into {@code dst} (length T*batch, layout {@code t*batch+b}). */
    public void copyAdvantagesTo(double[] dst) {
        checkLength("dst", dst.length, advantages.length);
        System.arraycopy(advantages, 0, dst, 0, advantages.length);
    }

    private int index(int t, int b) {
        if (t < 0 || t >= unrollLength || b < 0 || b >= batch) {
            throw new IndexOutOfBoundsException("step " + t + ", environment " + b + " outside "
                    + unrollLength + " x " + batch);
        }
        return t * batch + b;
    }
}
