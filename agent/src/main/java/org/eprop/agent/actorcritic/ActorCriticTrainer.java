package org.eprop.agent.actorcritic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.vector.VectorEnv;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.optim.Optimizer;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * Reward-based e-prop for a spiking actor-critic, read top to bottom like the original Atari
 * agent's training loop (Bellec et al. 2020, Figs. 4-5; {@code Figure_4_and_5_ATARI/main.py};
 * docs/model.md §3):
 * <pre>
 *   repeat (one iteration = one optimiser step):
 *     repeat (one unroll of T agent steps, same weights):
 *       for t in 0..T-1:
 *         run the LSNN for S steps on observation o_t (held), reset rows whose episode began
 *         read the heads at the last step: policy logits and value; sample a_t from softmax
 *         step the N environments: r_t, done_t, o_{t+1}
 *       bootstrap: the value of o_T from a copy of the state (no loss flows through it)
 *       returns, advantages and the actor-critic loss's dE/dy at the read steps
 *       the gradient by the configured rule (e-prop: learning signals through feedback, exact
 *         backward scans, eligibility traces carried from the last unroll), summed
 *     until every environment has finished an episode (apply_after_end), or once
 *     one optimiser step; with apply_after_end, all environments start new episodes
 * </pre>
 * The readout has one output per action (the policy logits) and one for the value; both are
 * leaky readouts of the LSNN spikes. The LSNN is reset when an episode ends; the readout filters
 * are not, as in the original.
 */
public final class ActorCriticTrainer {

    /** What one iteration produced, for the metrics table. */
    public record Report(long frames, long framesThisIteration, int unrolls, List<double[]> episodes,
            double policyLoss, double valueLoss, double entropyLoss, double entropy, double rateLoss, double rate,
            int cap) {
        /** Episodes finished in the iteration: {clipped return, raw return, length}. */
        @Override
        public List<double[]> episodes() {
            return episodes;
        }
    }

    private final SpikingNetwork net;
    private final int actions;
    private final VectorEnv<float[], Integer> envs;
    private final ActorCriticParams p;
    private final int n;
    private final int steps;
    private final int unroll;
    private final int inputs;
    private final int observationSize;
    private final int framesPerStep;
    private final GradientMethod method;
    private final Feedback feedback;
    private final Optimizer optimizer;
    private final Optimizer feedbackOptimizer;
    private final RateRegularizer rateRegularizer;
    private final ForwardPass actorPass;
    private final ForwardPass learnerPass;
    private final ForwardPass bootstrapPass;
    private final NetworkState actorState;
    private final NetworkState learnerState;
    private final NetworkState bootstrapState;
    private final Gradients gradients;
    private final Parameters accumulated;
    private final BackwardInput backward;
    private final Targets shape = new Targets();
    private final UnrollLoss loss;
    private final Rng actionRng;
    private final IntCurriculum curriculum;
    private final Rng envSeeds;

    // the unroll's record
    private final RealArray xUnroll;
    private final boolean[] resetsUnroll;
    private final RealArray xChunk;
    private final boolean[] resetsChunk;
    private final RealArray xBoot;
    private final boolean[] resetsBoot;
    private final double[] logits;
    private final double[] values;
    private final int[] chosen;
    private final double[] rewards;
    private final boolean[] dones;
    private final double[] mask;
    private final double[] bootstrap;
    private final double[] probabilities;
    private final List<Integer> actionList;

    // per environment
    private final float[][] observation;
    private final boolean[] episodeStart;
    private final boolean[] finishedInCycle;
    private final double[] episodeReturn;
    private final double[] episodeRawReturn;
    private final int[] episodeLength;
    private long frames;
    private double lastRate;
    private boolean needsReset = true;
    private int currentCap;

    ActorCriticTrainer(SpikingNetwork net, int actions, VectorEnv<float[], Integer> envs, int observationSize,
            int framesPerStep, ActorCriticParams params, GradientMethod method, Feedback feedback,
            Optimizer optimizer, Optimizer feedbackOptimizer, IntCurriculum curriculum, Rng rng) {
        this.net = net;
        this.actions = actions;
        this.envs = envs;
        this.p = params;
        this.n = envs.size();
        this.steps = params.stepsPerAction();
        this.unroll = params.unroll();
        this.observationSize = observationSize;
        this.inputs = net.inputs();
        this.framesPerStep = framesPerStep;
        this.method = method;
        this.feedback = feedback;
        this.optimizer = optimizer;
        this.feedbackOptimizer = feedbackOptimizer;
        this.curriculum = curriculum;
        this.rateRegularizer = new RateRegularizer(params.rateCost(), params.rateTarget());
        var precision = net.precision();
        this.actorPass = new ForwardPass(precision);
        this.learnerPass = new ForwardPass(actorPass.dense());
        this.bootstrapPass = new ForwardPass(actorPass.dense());
        this.actorState = NetworkState.zeros(net, n);
        this.learnerState = NetworkState.zeros(net, n);
        this.bootstrapState = NetworkState.zeros(net, n);
        this.gradients = new Gradients(net);
        this.accumulated = net.parameters().zerosLike(precision);
        this.backward = new BackwardInput(precision);
        int netSteps = unroll * steps;
        this.loss = new UnrollLoss(unroll, steps, n, actions);
        this.actionRng = rng.split(1);
        this.envSeeds = rng.split(2);
        this.xUnroll = precision.zeros(netSteps * n * inputs);
        this.resetsUnroll = new boolean[netSteps * n];
        this.xChunk = precision.zeros(steps * n * inputs);
        this.resetsChunk = new boolean[steps * n];
        this.xBoot = precision.zeros(steps * n * inputs);
        this.resetsBoot = new boolean[steps * n];
        this.logits = new double[unroll * n * actions];
        this.values = new double[unroll * n];
        this.chosen = new int[unroll * n];
        this.rewards = new double[unroll * n];
        this.dones = new boolean[unroll * n];
        this.mask = new double[unroll * n];
        this.bootstrap = new double[n];
        this.probabilities = new double[actions];
        this.actionList = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            actionList.add(0);
        }
        this.observation = new float[n][];
        this.episodeStart = new boolean[n];
        this.finishedInCycle = new boolean[n];
        this.episodeReturn = new double[n];
        this.episodeRawReturn = new double[n];
        this.episodeLength = new int[n];
    }

    /** Emulator frames so far (idle environments' frames included, as the original counts). */
    public long frames() {
        return frames;
    }

    /** The episode-length cap in force during the last iteration. */
    public int cap() {
        return currentCap;
    }

    /** One optimiser step's worth of experience, and the step. */
    public Report iteration() {
        long framesBefore = frames;
        currentCap = curriculum.capFor(frames);
        if (needsReset) {
            startEpisodes();
        }
        Arrays.fill(finishedInCycle, false);
        List<double[]> episodes = new ArrayList<>();
        double[] terms = new double[6];
        int unrolls = 0;
        do {
            runUnroll(episodes, terms);
            unrolls++;
        } while (Boolean.TRUE.equals(p.applyAfterEnd()) && !allFinished() && unrolls < 10_000);
        applyGradients();
        needsReset = Boolean.TRUE.equals(p.applyAfterEnd());
        return new Report(frames, frames - framesBefore, unrolls, episodes, terms[0], terms[1], terms[2], terms[3] / unrolls,
                terms[4] / unrolls, terms[5] / unrolls, currentCap);
    }

    /** Makes the next iteration start with new episodes everywhere, from a seeded reset. */
    public void startNewEpisodes() {
        needsReset = true;
    }

    /** New episodes everywhere: the environments reseeded, the LSNN of every row reset (heads kept). */
    private void startEpisodes() {
        VectorEnv.Resets<float[]> r = envs.reset(envSeeds.nextLong());
        for (int b = 0; b < n; b++) {
            observation[b] = r.observations().get(b);
            episodeStart[b] = true;
            episodeReturn[b] = 0;
            episodeRawReturn[b] = 0;
            episodeLength[b] = 0;
        }
    }

    private boolean allFinished() {
        for (boolean f : finishedInCycle) {
            if (!f) {
                return false;
            }
        }
        return true;
    }

    private void runUnroll(List<double[]> episodes, double[] terms) {
        for (int t = 0; t < unroll; t++) {
            // Mask before acting: an environment that already finished its episode in this cycle
            // keeps running, but its steps no longer count (apply_after_end).
            for (int b = 0; b < n; b++) {
                mask[t * n + b] = Boolean.TRUE.equals(p.applyAfterEnd()) && finishedInCycle[b] ? 0.0 : 1.0;
            }
            fillChunk(xChunk, resetsChunk, episodeStart);
            copyChunk(t);
            Trajectory tr = actorPass.run(net, xChunk, steps, n, false, actorState, resetsChunk,
                    NetworkState.Scope.NEURONS);
            readHeads(tr, t);
            for (int b = 0; b < n; b++) {
                episodeStart[b] = false;
                int a = sample(t, b);
                chosen[t * n + b] = a;
                actionList.set(b, a);
            }
            VectorEnv.Steps<float[]> s = envs.step(actionList);
            frames += (long) framesPerStep * n;
            for (int b = 0; b < n; b++) {
                double r = s.rewards()[b];
                boolean done = s.done(b);
                rewards[t * n + b] = r;
                dones[t * n + b] = done;
                episodeReturn[b] += r;
                episodeRawReturn[b] += s.infos()[b].get(InfoKeys.RAW_REWARD).orElse(r);
                episodeLength[b]++;
                observation[b] = s.observations().get(b);
                if (done) {
                    if (mask[t * n + b] > 0) {
                        episodes.add(new double[] {episodeReturn[b], episodeRawReturn[b], episodeLength[b]});
                    }
                    finishedInCycle[b] = true;
                    episodeStart[b] = true;
                    episodeReturn[b] = 0;
                    episodeRawReturn[b] = 0;
                    episodeLength[b] = 0;
                }
            }
        }
        bootstrapValues();
        double[] a = loss.evaluate(logits, values, bootstrap, chosen, rewards, dones, mask, p.discount(),
                p.baselineCost(), p.entropyCost());
        learn();
        terms[0] += a[0];
        terms[1] += a[1];
        terms[2] += a[2];
        terms[3] += a[3];
        terms[4] += backward.regLoss();
        terms[5] += lastRate;
    }

    /** The observation of every row held over the S network steps, plus the episode-start flag. */
    private void fillChunk(RealArray x, boolean[] resets, boolean[] start) {
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < n; b++) {
                int base = (s * n + b) * inputs;
                float[] o = observation[b];
                for (int i = 0; i < observationSize; i++) {
                    x.set(base + i, o[i]);
                }
                if (inputs > observationSize) {
                    x.set(base + observationSize, start[b] ? 1.0 : 0.0);
                }
                // The LSNN starts each episode from rest; the reset comes before the first sub-step.
                resets[s * n + b] = s == 0 && start[b];
            }
        }
    }

    /** Keeps the chunk in the unroll's record, for the learner. */
    private void copyChunk(int t) {
        int width = steps * n * inputs;
        for (int i = 0; i < width; i++) {
            xUnroll.set(t * width + i, xChunk.get(i));
        }
        System.arraycopy(resetsChunk, 0, resetsUnroll, t * steps * n, steps * n);
    }

    private void readHeads(Trajectory tr, int t) {
        RealArray y = tr.outputs();
        int nOut = actions + 1;
        for (int b = 0; b < n; b++) {
            int row = ((steps - 1) * n + b) * nOut;
            for (int k = 0; k < actions; k++) {
                logits[(t * n + b) * actions + k] = y.get(row + k);
            }
            values[t * n + b] = y.get(row + actions);
        }
    }

    private int sample(int t, int b) {
        int base = (t * n + b) * actions;
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < actions; k++) {
            max = Math.max(max, logits[base + k]);
        }
        double sum = 0;
        for (int k = 0; k < actions; k++) {
            probabilities[k] = Math.exp(logits[base + k] - max);
            sum += probabilities[k];
        }
        double u = actionRng.nextDouble() * sum;
        for (int k = 0; k < actions - 1; k++) {
            u -= probabilities[k];
            if (u < 0) {
                return k;
            }
        }
        return actions - 1;
    }

    /** V(o_T) from a copy of the state: the next unroll processes o_T again, from the same state. */
    private void bootstrapValues() {
        bootstrapState.copyFrom(actorState);
        fillChunk(xBoot, resetsBoot, episodeStart);
        Trajectory tr = bootstrapPass.run(net, xBoot, steps, n, false, bootstrapState, resetsBoot,
                NetworkState.Scope.NEURONS);
        RealArray y = tr.outputs();
        int nOut = actions + 1;
        for (int b = 0; b < n; b++) {
            bootstrap[b] = y.get(((steps - 1) * n + b) * nOut + actions);
        }
    }

    /**
     * The unroll's gradient, summed into the accumulator. The learner's state is where its last
     * run ended, which is where the actors' unroll started (same inputs, same weights), and it
     * carries the eligibility traces from the previous unroll; the run reproduces the actors'
     * forward pass.
     */
    private void learn() {
        Trajectory tr = learnerPass.run(net, xUnroll, unroll * steps, n, false, learnerState, resetsUnroll,
                NetworkState.Scope.NEURONS);
        shape.resize(unroll * steps, n, actions + 1);
        backward.evaluate(tr, loss, shape, rateRegularizer);
        method.compute(net, tr, backward, feedback, gradients, learnerState);
        lastRate = tr.spikes().sum() / ((double) unroll * steps * n * net.neurons());
        Parameters g = gradients.parameters();
        for (int i = 0; i < accumulated.size(); i++) {
            RealArray sum = accumulated.array(i);
            RealArray add = g.get(accumulated.name(i));
            for (int k = 0; k < sum.length(); k++) {
                sum.add(k, add.get(k));
            }
        }
    }

    private void applyGradients() {
        optimizer.step(net.parameters(), accumulated);
        net.clearRecurrentDiagonal();
        if (feedback.mode() == Feedback.Mode.ADAPTIVE) {
            RealArray b = feedback.matrix(net);
            feedbackOptimizer.step(new RealArray[] {b}, new RealArray[] {accumulated.get(SpikingNetwork.W_OUT)});
            decay(b, feedback.decay());
            decay(net.wOut(), feedback.decay());
        }
        accumulated.clear();
    }

    private static void decay(RealArray a, double d) {
        for (int i = 0; i < a.length(); i++) {
            a.set(i, a.get(i) * (1 - d));
        }
    }

    /** What a checkpoint needs besides the weights and the optimiser to continue exactly. */
    Map<String, double[]> state() {
        Map<String, double[]> s = new LinkedHashMap<>();
        actorState.save().forEach((k, v) -> s.put("actor_state." + k, v));
        learnerState.save().forEach((k, v) -> s.put("learner_state." + k, v));
        s.put("trainer.frames", new double[] {frames});
        return s;
    }

    long[] randomState(String which) {
        return switch (which) {
            case "actions" -> actionRng.state();
            case "env_seeds" -> envSeeds.state();
            default -> throw new IllegalArgumentException(which);
        };
    }

    void restore(Map<String, double[]> s, long[] actions, long[] seeds) {
        actorState.copyFrom(NetworkState.restore(net.precision(), prefixed(s, "actor_state.")));
        learnerState.copyFrom(NetworkState.restore(net.precision(), prefixed(s, "learner_state.")));
        frames = (long) s.get("trainer.frames")[0];
        actionRng.restore(actions);
        envSeeds.restore(seeds);
        needsReset = true;
    }

    private static Map<String, double[]> prefixed(Map<String, double[]> s, String prefix) {
        Map<String, double[]> out = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    /**
     * The actor-critic loss as a {@link Loss} on the readout outputs: its derivatives, computed per
     * agent step, are placed at the read step of each agent step (the last of its S network steps);
     * every other step carries none.
     */
    static final class UnrollLoss implements Loss {
        private final int unroll;
        private final int steps;
        private final int n;
        private final int actions;
        private final double[] dLogits;
        private final double[] dValues;
        private final double[] returns;
        private double total;

        UnrollLoss(int unroll, int steps, int n, int actions) {
            this.unroll = unroll;
            this.steps = steps;
            this.n = n;
            this.actions = actions;
            this.dLogits = new double[unroll * n * actions];
            this.dValues = new double[unroll * n];
            this.returns = new double[unroll * n];
        }

        @Override
        public String id() {
            return "actor-critic";
        }

        /**
         * Returns {@code G_t = r_t + gamma (1 - done_t) G_{t+1}}, {@code G_T = V(o_T)}; advantages
         * {@code A_t = G_t - V_t}; the masked losses {@code pg = sum CE(logits_t, a_t) A_t},
         * {@code value = c_V/2 sum (G_t - V_t)^2}, {@code entropy = -c_H sum H(pi_t)} and their
         * derivatives with respect to the logits and the value (G and A held constant).
         *
         * @return {pg, value, entropy term, mean entropy}
         */
        double[] evaluate(double[] logits, double[] values, double[] bootstrap, int[] chosen, double[] rewards,
                boolean[] dones, double[] mask, double gamma, double baselineCost, double entropyCost) {
            for (int b = 0; b < n; b++) {
                double g = bootstrap[b];
                for (int t = unroll - 1; t >= 0; t--) {
                    int i = t * n + b;
                    g = rewards[i] + (dones[i] ? 0.0 : gamma * g);
                    returns[i] = g;
                }
            }
            double pg = 0;
            double value = 0;
            double entropyTerm = 0;
            double entropySum = 0;
            int counted = 0;
            for (int i = 0; i < unroll * n; i++) {
                int base = i * actions;
                double max = Double.NEGATIVE_INFINITY;
                for (int k = 0; k < actions; k++) {
                    max = Math.max(max, logits[base + k]);
                }
                double z = 0;
                for (int k = 0; k < actions; k++) {
                    z += Math.exp(logits[base + k] - max);
                }
                double logZ = max + Math.log(z);
                double h = 0;
                for (int k = 0; k < actions; k++) {
                    double logPi = logits[base + k] - logZ;
                    h -= Math.exp(logPi) * logPi;
                }
                double m = mask[i];
                double advantage = returns[i] - values[i];
                double ce = logZ - logits[base + chosen[i]];
                pg += m * ce * advantage;
                value += m * baselineCost * 0.5 * advantage * advantage;
                entropyTerm -= m * entropyCost * h;
                if (m > 0) {
                    entropySum += h;
                    counted++;
                }
                for (int k = 0; k < actions; k++) {
                    double logPi = logits[base + k] - logZ;
                    double pi = Math.exp(logPi);
                    double dCe = pi - (k == chosen[i] ? 1.0 : 0.0);
                    // d(-c_H H)/dlogit_k = c_H pi_k (log pi_k + H)
                    dLogits[base + k] = m * (advantage * dCe + entropyCost * pi * (logPi + h));
                }
                dValues[i] = -m * baselineCost * advantage;
            }
            total = pg + value + entropyTerm;
            return new double[] {pg, value, entropyTerm, counted == 0 ? Double.NaN : entropySum / counted};
        }

        @Override
        public double evaluate(RealArray y, Targets targets, RealArray dy) {
            int nOut = actions + 1;
            dy.fill(0);
            for (int t = 0; t < unroll; t++) {
                for (int b = 0; b < n; b++) {
                    int row = ((t * steps + steps - 1) * n + b) * nOut;
                    for (int k = 0; k < actions; k++) {
                        dy.set(row + k, dLogits[(t * n + b) * actions + k]);
                    }
                    dy.set(row + actions, dValues[t * n + b]);
                }
            }
            return total;
        }
    }

    /** The episode-length cap for the frames so far. */
    interface IntCurriculum {
        int capFor(long frames);
    }
}
