package org.eprop.agent.actorcritic;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.RewardEligibility;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.gradient.VoltageRegularizer;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.RealArray;

/**
 * The learner of {@code learning.rule: eprop-online}: the paper's formal reward-based e-prop
 * (Bellec et al. 2020, Methods; docs/model.md §3.7), one weight update after every agent step, with
 * no unroll to store and nothing that waits for its end. Per environment b and agent step u, with
 * the heads read at the step's last network step:
 * <pre>
 *   pi(u) = softmax(y(u)),  V(u),  a(u) ~ pi(u)
 *   delta(u-1) = r(u-1) + gamma (1 - done(u-1)) V(u) - V(u-1)          TD error of the previous step
 *   l(u)       = (pi(u) - onehot(a(u)),  -c_V)                          learning vector: policy, value
 *   R(u)       = gamma (1 - done(u-1)) R(u-1) + (B l(u)) ebar(u)        reward eligibility ({@link RewardEligibility})
 *   dW(u)      = delta(u-1) R(u-1) + c_H B dH(u) ebar + regularisers    then one optimiser step
 * </pre>
 * The first term is the advantage actor-critic's policy-gradient and value terms in their backward
 * view ({@link RewardEligibility}); the entropy bonus ({@code dH = pi (log pi + H)}, as in
 * {@link ActorCriticLoss}) and the regularisers act at once. The LSNN rate regulariser is taken over
 * each agent step's network steps with its cost divided by {@code unroll}, so that over an unroll
 * it weighs as the unroll-wide regulariser of the other rules. A row with mask 0 (its episode of an
 * {@code apply_after_end} cycle is over) contributes nothing. New episodes that the trainer forces
 * (after a checkpoint, at the end of an {@code apply_after_end} cycle) drop the TD error of the last
 * transition, whose successor is never seen, and restart R.
 *
 * <p>Reported terms per unroll, with the TD error in place of the advantage:
 * {@code policy = sum CE(a) delta}, {@code value = c_V 0.5 sum delta^2}, {@code entropy = -c_H sum H}.
 */
final class OnlineActorCritic {
    private final SpikingNetwork net;
    private final int rows;
    private final int actions;
    private final int nOut;
    private final double gamma;
    private final double baselineCost;
    private final double entropyCost;
    private final RewardEligibility eligibility;
    private final Feedback feedback;
    private final RateRegularizer rate;
    private final VoltageRegularizer voltage;
    private final BackwardInput now;
    private final Targets shape = new Targets();
    private final EntropyBonus entropy;
    private final double[] learning;
    private final double[] delta;
    private final double[] decay;
    // the previous agent step, per row
    private final double[] prevValue;
    private final double[] prevReward;
    private final double[] prevCrossEntropy;
    private final boolean[] prevDone;
    private final boolean[] prevCounted;
    private final boolean[] hasPrev;
    // per unroll, for the metrics
    private double policyLoss;
    private double valueLoss;
    private double entropyLoss;
    private double entropySum;
    private int entropyCount;
    private double regLoss;

    OnlineActorCritic(SpikingNetwork net, int rows, int actions, int steps, ActorCriticParams p, Feedback feedback) {
        this.net = net;
        this.rows = rows;
        this.actions = actions;
        this.nOut = actions + 1;
        if (net.outputs() != nOut) {
            throw new IllegalArgumentException("the network has " + net.outputs() + " outputs, expected " + nOut
                    + " (policy logits and value)");
        }
        this.gamma = p.discount();
        this.baselineCost = p.baselineCost();
        this.entropyCost = p.entropyCost();
        this.eligibility = new RewardEligibility(net, rows);
        this.feedback = feedback;
        this.rate = new RateRegularizer(p.rateCost() / p.unroll(), p.rateTarget());
        this.voltage = new VoltageRegularizer(p.voltageCost());
        this.now = new BackwardInput(net.precision());
        this.entropy = new EntropyBonus(steps, rows, actions, entropyCost);
        this.learning = new double[rows * nOut];
        this.delta = new double[rows];
        this.decay = new double[rows];
        this.prevValue = new double[rows];
        this.prevReward = new double[rows];
        this.prevCrossEntropy = new double[rows];
        this.prevDone = new boolean[rows];
        this.prevCounted = new boolean[rows];
        this.hasPrev = new boolean[rows];
        shape.resize(steps, rows, nOut);
    }

    /** Whether the forward pass must record v and b (for the voltage regulariser). */
    boolean recordsState() {
        return voltage.strength() > 0;
    }

    /**
     * The gradient of agent step u into {@code out}: {@code tr} is its forward pass, {@code logits}
     * and {@code values} the heads at its last network step ({@code [rows x actions]}, {@code [rows]}),
     * {@code chosen} the sampled actions, {@code counted} the mask.
     */
    void learn(Trajectory tr, double[] logits, int logitOffset, double[] values, int valueOffset, int[] chosen,
            int actionOffset, boolean[] counted, double[] policyMask, Gradients out) {
        for (int b = 0; b < rows; b++) {
            double v = values[valueOffset + b];
            if (hasPrev[b]) {
                double target = prevReward[b] + (prevDone[b] ? 0.0 : gamma * v);
                delta[b] = prevCounted[b] ? target - prevValue[b] : 0.0;
                decay[b] = prevDone[b] ? 0.0 : gamma;
                if (prevCounted[b]) {
                    policyLoss += prevCrossEntropy[b] * delta[b];
                    valueLoss += baselineCost * 0.5 * delta[b] * delta[b];
                }
            } else {
                delta[b] = 0.0;
                decay[b] = 0.0;
            }
            int off = logitOffset + b * actions;
            double logZ = ActorCriticLoss.logPartition(logits, off, actions);
            double h = 0;
            for (int k = 0; k < actions; k++) {
                double logPi = logits[off + k] - logZ;
                h -= Math.exp(logPi) * logPi;
            }
            int a = chosen[actionOffset + b];
            boolean m = counted[b];
            // a step whose action the game ignores teaches the policy nothing (the value still learns)
            boolean policy = m && (policyMask == null || policyMask[actionOffset + b] != 0.0);
            for (int k = 0; k < actions; k++) {
                double logPi = logits[off + k] - logZ;
                double pi = Math.exp(logPi);
                learning[b * nOut + k] = policy ? pi - (k == a ? 1.0 : 0.0) : 0.0;
                entropy.set(b, k, policy ? entropyCost * pi * (logPi + h) : 0.0);
            }
            learning[b * nOut + actions] = m ? -baselineCost : 0.0;
            entropy.set(b, actions, 0.0);
            if (policy) {
                entropyLoss -= entropyCost * h;
                entropySum += h;
                entropyCount++;
            }
            prevValue[b] = v;
            prevCrossEntropy[b] = policy ? -(logits[off + a] - logZ) : 0.0;
            prevCounted[b] = m;
        }
        now.evaluate(tr, entropy, shape, rate, voltage, net);
        regLoss += now.regLoss();
        eligibility.step(net, tr, feedback.matrix(net), learning, now, delta, decay, out);
    }

    /** The transition caused by row b's action: its reward and whether it ended the episode. */
    void transition(int b, double reward, boolean done) {
        prevReward[b] = reward;
        prevDone[b] = done;
        hasPrev[b] = true;
    }

    /** Every row starts a new episode that the trainer forced: the last transitions are dropped. */
    void forcedReset() {
        java.util.Arrays.fill(hasPrev, false);
    }

    /** {policy, value, entropy loss, mean entropy, regulariser} since the last call; then cleared. */
    double[] drainTerms() {
        double[] t = {policyLoss, valueLoss, entropyLoss, entropyCount == 0 ? 0.0 : entropySum / entropyCount,
            regLoss};
        policyLoss = 0;
        valueLoss = 0;
        entropyLoss = 0;
        entropySum = 0;
        entropyCount = 0;
        regLoss = 0;
        return t;
    }

    Map<String, double[]> state() {
        Map<String, double[]> s = new LinkedHashMap<>();
        eligibility.save().forEach((k, v) -> s.put("eligibility." + k, v));
        s.put("prev_value", prevValue.clone());
        s.put("prev_reward", prevReward.clone());
        s.put("prev_cross_entropy", prevCrossEntropy.clone());
        s.put("prev_flags", flags());
        return s;
    }

    void restore(Map<String, double[]> s) {
        Map<String, double[]> e = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith("eligibility.")) {
                e.put(k.substring("eligibility.".length()), v);
            }
        });
        eligibility.restore(e);
        copy(s, "prev_value", prevValue);
        copy(s, "prev_reward", prevReward);
        copy(s, "prev_cross_entropy", prevCrossEntropy);
        double[] f = s.get("prev_flags");
        if (f == null || f.length != 3 * rows) {
            throw new IllegalArgumentException("online learner state 'prev_flags' is missing or has the wrong size");
        }
        for (int b = 0; b < rows; b++) {
            prevDone[b] = f[b] != 0;
            prevCounted[b] = f[rows + b] != 0;
            hasPrev[b] = f[2 * rows + b] != 0;
        }
    }

    private double[] flags() {
        double[] f = new double[3 * rows];
        for (int b = 0; b < rows; b++) {
            f[b] = prevDone[b] ? 1 : 0;
            f[rows + b] = prevCounted[b] ? 1 : 0;
            f[2 * rows + b] = hasPrev[b] ? 1 : 0;
        }
        return f;
    }

    private static void copy(Map<String, double[]> s, String name, double[] into) {
        double[] v = s.get(name);
        if (v == null || v.length != into.length) {
            throw new IllegalArgumentException("online learner state '" + name + "' is missing or has the wrong size");
        }
        System.arraycopy(v, 0, into, 0, into.length);
    }

    /**
     * The entropy bonus's dE/dy at the read step (the last network step of the agent step), none
     * elsewhere, as a {@link Loss} for {@link BackwardInput}.
     */
    static final class EntropyBonus implements Loss {
        private final int steps;
        private final int rows;
        private final int nOut;
        private final double[] dy;

        EntropyBonus(int steps, int rows, int actions, double cost) {
            this.steps = steps;
            this.rows = rows;
            this.nOut = actions + 1;
            this.dy = new double[rows * nOut];
        }

        void set(int b, int k, double value) {
            dy[b * nOut + k] = value;
        }

        @Override
        public String id() {
            return "entropy-bonus";
        }

        @Override
        public double evaluate(RealArray y, Targets targets, RealArray out) {
            out.fill(0);
            int base = (steps - 1) * rows * nOut;
            for (int i = 0; i < dy.length; i++) {
                out.set(base + i, dy[i]);
            }
            return 0.0;
        }
    }
}
