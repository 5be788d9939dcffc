package org.eprop.agent.actorcritic;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.vector.VectorEnv;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.gradient.VoltageRegularizer;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.optim.Optimizer;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.BatchParallel;
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
 *         backward scans, eligibility traces carried from the last unroll or, with traces:
 *         truncated as in the original, the carried state a constant), summed
 *     until every environment has finished an episode (apply_after_end), or once
 *     one optimiser step; with apply_after_end, all environments start new episodes
 * </pre>
 * Steps whose observation's info says the environment ignores the action
 * ({@link InfoKeys#ACTION_IGNORED}) add nothing to the policy-gradient and entropy terms.
 * The readout has one output per action (the policy logits) and one for the value; both are
 * leaky readouts of the LSNN spikes. The LSNN is reset when an episode ends; the readout filters
 * are not, as in the original.
 */
public final class ActorCriticTrainer<O> {

    /** The rule id that selects the online learner ({@link OnlineActorCritic}). */
    static final String ONLINE = "eprop-online";

    /** What one iteration produced, for the metrics table. */
    public record Report(long frames, long framesThisIteration, int unrolls, List<double[]> episodes,
            double policyLoss, double valueLoss, double entropyLoss, double entropy, double rateLoss, double rate,
            int cap) {
        /**
         * Episodes finished in the iteration: {clipped return, raw return, length, correct}, where
         * correct is 1 or 0 from the episode's last {@link InfoKeys#CORRECT}, NaN where the game
         * does not report it.
         */
        @Override
        public List<double[]> episodes() {
            return episodes;
        }
    }

    private final SpikingNetwork net;
    private final int actions;
    private final VectorEnv<O, Integer> envs;
    private final FrontEnd<O> frontEnd;
    private final FeatureHead head;
    private final Parameters trained;
    private final ActorCriticParams p;
    /** The unroll-wise gradient with the carried state a constant ({@link ActorCriticParams.Traces#TRUNCATED}). */
    private final boolean truncated;
    private final int n;
    private final int steps;
    private final int unroll;
    private final int inputs;
    private final int framesPerStep;
    private final GradientMethod method;
    private final Feedback feedback;
    private final Optimizer optimizer;
    private final Optimizer feedbackOptimizer;
    private final RateRegularizer rateRegularizer;
    private final VoltageRegularizer voltageRegularizer;
    private final ForwardPass actorPass;
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
    private final ActionSampler sampler;
    private final ActorCriticLoss actorCritic;
    private final EpisodeMask episodeMask;
    private final EpisodeCurriculum curriculum;
    private final Rng envSeeds;
    /** The online rule's learner ({@code eprop-online}), or null: the unroll-wise rules. */
    private final OnlineActorCritic online;
    private final RealArray[] onlineGrads;
    private final RealArray[] trainedArrays;
    private final RealArray[] accumulatedArrays;
    private final RealArray[] feedbackArray = new RealArray[1];
    private final RealArray[] outputGradient = new RealArray[1];

    // the unroll's record
    private final RealArray xChunk;
    private final RealArray featureChunk;
    private final double[] headOutput;
    private final RealArray dFeatures;
    private final RealArray outputErrors;
    private final boolean[] resetsChunk;
    private final RealArray xBoot;
    private final boolean[] resetsBoot;
    private final double[] logits;
    private final double[] values;
    private final int[] chosen;
    private final double[] rewards;
    private final boolean[] dones;
    private final double[] mask;
    /** 0 where the environment ignored the action ({@link InfoKeys#ACTION_IGNORED}), else 1. */
    private final double[] policyMask;
    private final double[] bootstrap;
    private final List<Integer> actionList;

    // per environment
    private final List<O> observation;
    private final boolean[] episodeStart;
    /** Whether the environment will ignore the action taken on its current observation. */
    private final boolean[] actionIgnored;
    private final boolean[] countsEpisode;
    private final double[] episodeReturn;
    private final double[] episodeRawReturn;
    private final int[] episodeLength;
    private long frames;
    private double lastRate;
    // wall-clock split, for timing.csv and the benchmark (never in metrics.csv)
    private long emulatorNanos;
    private long networkNanos;
    private long learnerNanos;
    // heap allocation of all threads, split the same way (acting: the agent steps of the unrolls)
    private final org.eprop.agent.run.AllocationMeter meter = new org.eprop.agent.run.AllocationMeter();
    private long actingBytes;
    private long learnerBytes;
    private boolean needsReset = true;
    private boolean reseed = true;

    ActorCriticTrainer(SpikingNetwork net, int actions, VectorEnv<O, Integer> envs, FrontEnd<O> frontEnd,
            int framesPerStep, ActorCriticParams params, GradientMethod method, Feedback feedback,
            Optimizer optimizer, Optimizer feedbackOptimizer, EpisodeCurriculum curriculum, Rng rng) {
        this.net = net;
        this.actions = actions;
        this.envs = envs;
        this.p = params;
        this.truncated = params.traces() == ActorCriticParams.Traces.TRUNCATED;
        this.n = envs.size();
        this.steps = params.stepsPerAction();
        this.unroll = params.unroll();
        this.frontEnd = frontEnd;
        this.inputs = net.inputs();
        if (inputs < frontEnd.outputs()) {
            throw new IllegalArgumentException("the LSNN has " + inputs + " inputs, the front end writes "
                    + frontEnd.outputs());
        }
        this.framesPerStep = framesPerStep;
        this.method = method;
        this.feedback = feedback;
        this.optimizer = optimizer;
        this.feedbackOptimizer = feedbackOptimizer;
        this.curriculum = curriculum;
        this.rateRegularizer = new RateRegularizer(params.rateCost(), params.rateTarget());
        this.voltageRegularizer = new VoltageRegularizer(params.voltageCost());
        var precision = net.precision();
        this.actorPass = new ForwardPass(precision);
        this.bootstrapPass = new ForwardPass(actorPass.dense());
        this.actorState = NetworkState.zeros(net, n);
        this.learnerState = NetworkState.zeros(net, n);
        this.bootstrapState = NetworkState.zeros(net, n);
        this.gradients = new Gradients(net);
        int features = frontEnd.features();
        this.head = features == 0 ? null : new FeatureHead(features, actions + 1, n, net.kappa(),
                net.readoutFactor(), precision, rng.split(3));
        this.trained = new Parameters().addAll("", net.parameters());
        if (head != null) {
            trained.addAll("head/", head.parameters());
        }
        trained.addAll("front/", frontEnd.parameters());
        this.accumulated = trained.zerosLike(precision);
        this.backward = new BackwardInput(precision);
        this.loss = new UnrollLoss(unroll, steps, n, actions);
        this.actorCritic = new ActorCriticLoss(new ActorCriticLoss.Settings(params.discount(), params.baselineCost(),
                params.entropyCost()), unroll, n, actions);
        this.episodeMask = new EpisodeMask(Boolean.TRUE.equals(params.applyAfterEnd())
                ? EpisodeMask.Mode.APPLY_AFTER_END : EpisodeMask.Mode.PER_UNROLL, unroll, n);
        if (ONLINE.equals(method.id())) {
            if (features > 0) {
                throw new IllegalArgumentException("learning.rule " + ONLINE + " learns from vector observations; "
                        + "for screens (the CNN front end) use eprop, eprop-autodiff or bptt");
            }
            this.online = new OnlineActorCritic(net, n, actions, steps, params, feedback);
            this.onlineGrads = gradients.parameters().alignedWith(trained);
        } else {
            this.online = null;
            this.onlineGrads = null;
        }
        this.trainedArrays = trained.arrays();
        this.accumulatedArrays = accumulated.alignedWith(trained);
        this.sampler = new ActionSampler(actions);
        this.actionRng = rng.split(1);
        this.envSeeds = rng.split(2);
        this.xChunk = precision.zeros(steps * n * inputs);
        this.featureChunk = precision.zeros(Math.max(1, steps * n * features));
        this.headOutput = new double[n * (actions + 1)];
        this.dFeatures = features == 0 ? null : precision.zeros(unroll * steps * n * features);
        this.outputErrors = features == 0 ? null : precision.zeros(unroll * steps * n * (actions + 1));
        this.resetsChunk = new boolean[steps * n];
        this.xBoot = precision.zeros(steps * n * inputs);
        this.resetsBoot = new boolean[steps * n];
        this.logits = new double[unroll * n * actions];
        this.values = new double[unroll * n];
        this.chosen = new int[unroll * n];
        this.rewards = new double[unroll * n];
        this.dones = new boolean[unroll * n];
        this.mask = new double[unroll * n];
        this.policyMask = new double[unroll * n];
        this.bootstrap = new double[n];
        this.actionList = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            actionList.add(0);
        }
        this.observation = new ArrayList<>(n);
        for (int b = 0; b < n; b++) {
            observation.add(null);
        }
        this.episodeStart = new boolean[n];
        this.actionIgnored = new boolean[n];
        this.countsEpisode = new boolean[n];
        this.episodeReturn = new double[n];
        this.episodeRawReturn = new double[n];
        this.episodeLength = new int[n];
    }

    /** Every trained array: the LSNN's, the heads' feature weights ({@code head/}), the front end's ({@code front/}). */
    public Parameters parameters() {
        return trained;
    }

    /**
     * Seconds spent so far in the environments' steps, in the network while acting (front end,
     * LSNN, heads, sampling, bootstrap), and in learning (loss, gradients); wall clock.
     */
    public double[] secondsSplit() {
        return new double[] {emulatorNanos / 1e9, networkNanos / 1e9, learnerNanos / 1e9};
    }

    /**
     * Bytes allocated so far by all threads while acting (the agent steps of the unrolls: front
     * end, LSNN, heads, sampling, the environments' steps) and while learning (bootstrap, loss,
     * gradients, optimiser step); see {@link org.eprop.agent.run.AllocationMeter}.
     */
    public long[] allocatedBytes() {
        return new long[] {actingBytes, learnerBytes};
    }

    /** Emulator frames so far (idle environments' frames included, as the original counts). */
    public long frames() {
        return frames;
    }

    /** The episode-length cap in force now, in agent steps. */
    public int cap() {
        return curriculum.cap();
    }

    /** One optimiser step's worth of experience, and the step. */
    public Report iteration() {
        long framesBefore = frames;
        int cap = curriculum.cap();
        if (needsReset) {
            startEpisodes();
        }
        List<double[]> episodes = new ArrayList<>();
        // pg, value, entropy loss, entropy, rate loss, rate, unrolls with an entropy
        double[] terms = new double[7];
        int unrolls = 0;
        do {
            runUnroll(episodes, terms);
            unrolls++;
        } while (!episodeMask.updateDue());
        if (online == null) {
            long a0 = meter.allocatedBytes();
            applyGradients();
            learnerBytes += meter.allocatedBytes() - a0;
        }
        episodeMask.endCycle();
        needsReset = Boolean.TRUE.equals(p.applyAfterEnd());
        curriculum.endIteration(frames);
        return new Report(frames, frames - framesBefore, unrolls, episodes, terms[0], terms[1], terms[2],
                terms[6] == 0 ? Double.NaN : terms[3] / terms[6], terms[4] / unrolls, terms[5] / unrolls, cap);
    }

    /**
     * Makes the next iteration start with new episodes everywhere, from a seeded reset: after a
     * checkpoint, so that a run resumed from it continues exactly as this one does. (Other cycles
     * reset without reseeding: reseeding an emulator reloads its ROM.)
     */
    public void startNewEpisodes() {
        needsReset = true;
        reseed = true;
    }

    /** New episodes everywhere: the environments reseeded, the LSNN of every row reset (heads kept). */
    private void startEpisodes() {
        VectorEnv.Resets<O> r = reseed ? envs.reset(envSeeds.nextLong()) : envs.reset();
        reseed = false;
        if (online != null) {
            online.forcedReset();
        }
        for (int b = 0; b < n; b++) {
            observation.set(b, r.observations().get(b));
            actionIgnored[b] = r.infos()[b].getBoolean(InfoKeys.ACTION_IGNORED, false);
            episodeStart[b] = true;
            episodeReturn[b] = 0;
            episodeRawReturn[b] = 0;
            episodeLength[b] = 0;
        }
    }

    private void runUnroll(List<double[]> episodes, double[] terms) {
        long a0 = meter.allocatedBytes();
        // An environment that already finished its episode in this cycle keeps running, but its
        // steps no longer count (apply_after_end), nor do its episodes in the statistics.
        for (int b = 0; b < n; b++) {
            countsEpisode[b] = !Boolean.TRUE.equals(p.applyAfterEnd()) || !episodeMask.finished(b);
        }
        if (online != null) {
            runOnlineUnroll(episodes, terms);
            // acting and learning alternate every agent step here: all of it is booked as learning
            learnerBytes += meter.allocatedBytes() - a0;
            return;
        }
        // The actors' forward pass is recorded as it runs and is the learner's: the weights do not
        // change inside an unroll, so there is nothing to simulate twice.
        ForwardPass.Unroll pass = actorPass.begin(net, n, unroll * steps, actorState, NetworkState.Scope.NEURONS,
                voltageRegularizer.strength() > 0);
        if (truncated) {
            frontEnd.dropTraces();
        }
        frontEnd.beginUnroll(unroll);
        if (head != null) {
            head.beginUnroll(unroll * steps);
        }
        for (int t = 0; t < unroll; t++) {
            long t0 = System.nanoTime();
            frontEnd.act(observation, xChunk, inputs, featureChunk);
            fillChunk(xChunk, resetsChunk, episodeStart);
            // the feature head's filter and product beside the LSNN's steps: neither reads the other
            if (head != null) {
                headStep.start();
            } else {
                java.util.Arrays.fill(headOutput, 0.0);
            }
            try {
                pass.advance(xChunk, steps, resetsChunk);
            } finally {
                if (head != null) {
                    headStep.join();
                }
            }
            readHeads(pass, t);
            sampleActions(t);
            networkNanos += System.nanoTime() - t0;
            stepEnvironments(t, episodes);
        }
        long a1 = meter.allocatedBytes();
        actingBytes += a1 - a0;
        long t2 = System.nanoTime();
        bootstrapValues();
        networkNanos += System.nanoTime() - t2;
        long t3 = System.nanoTime();
        episodeMask.build(dones, mask);
        loss.total = actorCritic.compute(logits, values, chosen, rewards, dones, bootstrap, mask, policyMask,
                loss.dLogits, loss.dValues);
        learn(pass.finish());
        learnerNanos += System.nanoTime() - t3;
        learnerBytes += meter.allocatedBytes() - a1;
        terms[0] += actorCritic.policyGradientLoss();
        terms[1] += actorCritic.baselineLoss();
        terms[2] += actorCritic.entropyLoss();
        // An unroll whose every step is masked has no entropy; it must not pull the mean towards 0.
        if (!Double.isNaN(actorCritic.meanEntropy())) {
            terms[3] += actorCritic.meanEntropy();
            terms[6]++;
        }
        terms[4] += backward.regLoss();
        terms[5] += lastRate;
    }

    /**
     * An unroll of the online rule: after every agent step, the TD error of the previous one and
     * one optimiser step ({@link OnlineActorCritic}); the unroll only groups steps for the metrics
     * and the {@code apply_after_end} cycle.
     */
    private void runOnlineUnroll(List<double[]> episodes, double[] terms) {
        double spikes = 0;
        for (int t = 0; t < unroll; t++) {
            long t0 = System.nanoTime();
            frontEnd.run(observation, xChunk, inputs, featureChunk);
            fillChunk(xChunk, resetsChunk, episodeStart);
            Trajectory tr = actorPass.run(net, xChunk, steps, n, online.recordsState(), actorState, resetsChunk,
                    NetworkState.Scope.NEURONS);
            RealArray y = tr.outputs();
            int nOut = actions + 1;
            for (int b = 0; b < n; b++) {
                int row = ((steps - 1) * n + b) * nOut;
                for (int k = 0; k < actions; k++) {
                    logits[(t * n + b) * actions + k] = y.get(row + k);
                }
                values[t * n + b] = y.get(row + actions);
            }
            sampleActions(t);
            long t1 = System.nanoTime();
            networkNanos += t1 - t0;
            online.learn(tr, logits, t * n * actions, values, t * n, chosen, t * n, countsEpisode, policyMask,
                    gradients);
            spikes += tr.spikeTotal();
            applyStep(gradients.parameters(), onlineGrads);
            learnerNanos += System.nanoTime() - t1;
            stepEnvironments(t, episodes);
        }
        episodeMask.build(dones, mask);
        double[] d = online.drainTerms();
        terms[0] += d[0];
        terms[1] += d[1];
        terms[2] += d[2];
        terms[3] += d[3];
        terms[4] += d[4];
        lastRate = spikes / ((double) unroll * steps * n * net.neurons());
        terms[5] += lastRate;
    }

    private void sampleActions(int t) {
        for (int b = 0; b < n; b++) {
            episodeStart[b] = false;
            int a = sampler.sample(logits, (t * n + b) * actions, actionRng);
            chosen[t * n + b] = a;
            policyMask[t * n + b] = actionIgnored[b] ? 0.0 : 1.0;
            actionList.set(b, a);
        }
    }

    /** Steps the N environments with the sampled actions and books rewards, ends and episodes. */
    private void stepEnvironments(int t, List<double[]> episodes) {
        long t1 = System.nanoTime();
        VectorEnv.Steps<O> s = envs.step(actionList);
        emulatorNanos += System.nanoTime() - t1;
        frames += (long) framesPerStep * n;
        for (int b = 0; b < n; b++) {
            double r = s.rewards()[b];
            boolean done = s.done(b);
            // An ending step's own info: the vector has already reset the environment and put the
            // reset's info in its place.
            Info info = done ? s.infos()[b].get(VectorEnv.FINAL_INFO).orElse(s.infos()[b]) : s.infos()[b]; // rare
            rewards[t * n + b] = r;
            dones[t * n + b] = done;
            if (online != null) {
                online.transition(b, r, done);
            }
            episodeReturn[b] += r;
            episodeRawReturn[b] += info.getDouble(InfoKeys.RAW_REWARD, r);
            episodeLength[b]++;
            observation.set(b, s.observations().get(b));
            // the info of the observation now held (after an episode's end, the reset's)
            actionIgnored[b] = s.infos()[b].getBoolean(InfoKeys.ACTION_IGNORED, false);
            if (done) {
                if (countsEpisode[b]) {
                    episodes.add(new double[] {episodeReturn[b], episodeRawReturn[b], episodeLength[b],
                            info.get(InfoKeys.CORRECT).map(c -> c ? 1.0 : 0.0).orElse(Double.NaN)});
                }
                countsEpisode[b] = !Boolean.TRUE.equals(p.applyAfterEnd());
                episodeStart[b] = true;
                episodeReturn[b] = 0;
                episodeRawReturn[b] = 0;
                episodeLength[b] = 0;
            }
        }
    }

    /** The episode-start flag after the front end's inputs, and the LSNN resets of new episodes. */
    private void fillChunk(RealArray x, boolean[] resets, boolean[] start) {
        int flag = frontEnd.outputs();
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < n; b++) {
                if (inputs > flag) {
                    x.set((s * n + b) * inputs + flag, start[b] ? 1.0 : 0.0);
                }
                // The LSNN starts each episode from rest; the reset comes before the first sub-step.
                resets[s * n + b] = s == 0 && start[b];
            }
        }
    }

    private void readHeads(ForwardPass.Unroll pass, int t) {
        for (int b = 0; b < n; b++) {
            for (int k = 0; k < actions; k++) {
                logits[(t * n + b) * actions + k] = pass.output(b, k) + headOutput[b * (actions + 1) + k];
            }
            values[t * n + b] = pass.output(b, actions) + headOutput[b * (actions + 1) + actions];
        }
    }

    /** V(o_T) from a copy of the state: the next unroll processes o_T again, from the same state. */
    private void bootstrapValues() {
        bootstrapState.copyFrom(actorState);
        frontEnd.peek(observation, xBoot, inputs, featureChunk);
        fillChunk(xBoot, resetsBoot, episodeStart);
        java.util.Arrays.fill(headOutput, 0.0);
        if (head != null) {
            head.peek(featureChunk, steps, headOutput);
        }
        Trajectory tr = bootstrapPass.run(net, xBoot, steps, n, false, bootstrapState, resetsBoot,
                NetworkState.Scope.NEURONS);
        RealArray y = tr.outputs();
        int nOut = actions + 1;
        for (int b = 0; b < n; b++) {
            bootstrap[b] = y.get(((steps - 1) * n + b) * nOut + actions) + headOutput[b * nOut + actions];
        }
    }

    /**
     * The unroll's gradient, summed into the accumulator: the actor-critic loss's dE/dy at the read
     * steps, the rate and voltage regularisers, and the configured rule on the recorded pass, with
     * the eligibility traces carried in the learner's state from the previous unroll.
     */
    private void learn(Trajectory tr) {
        shape.resize(unroll * steps, n, actions + 1);
        backward.evaluate(tr, loss, shape, rateRegularizer, voltageRegularizer, net);
        if (!truncated) {
            // The forward pass applied this unroll's step-0 resets to the actors' state, but the traces
            // live in the learner's: a row whose episode begins with the unroll must not carry the last
            // episode's eligibility vectors into it (ebar carries on with the readout filter).
            for (int b = 0; b < n; b++) {
                if (tr.neuronReset(0, b)) {
                    learnerState.reset(b, NetworkState.Scope.NEURONS);
                }
            }
        }
        // The heads' and the front end's gradients need only dE/dy, not the LSNN's: they run on the
        // workers beside the rule, each part in its own order (the same numbers as one after the other).
        frontGradients.start();
        try {
            if (truncated) {
                method.computeTruncated(net, tr, backward, feedback, gradients);
            } else {
                method.compute(net, tr, backward, feedback, gradients, learnerState);
            }
        } finally {
            frontGradients.join();
        }
        lastRate = tr.spikeTotal() / ((double) unroll * steps * n * net.neurons());
        Parameters g = gradients.parameters();
        for (int i = 0; i < g.size(); i++) {
            RealArray sum = accumulated.get(g.name(i));
            RealArray add = g.array(i);
            for (int k = 0; k < sum.length(); k++) {
                sum.add(k, add.get(k));
            }
        }
    }

    /** The feature head's and the front end's gradients of the unroll, into the accumulator. */
    private void frontGradients() {
        if (head != null) {
            head.backward(backward.dy(), accumulated.get("head/" + FeatureHead.W_FEAT), dFeatures, outputErrors);
        }
        frontEnd.gradients(dFeatures, outputErrors, accumulated);
    }

    private final BatchParallel.Side frontGradients = new BatchParallel.Side(this::frontGradients);
    /** The feature head's step beside the LSNN's (independent inputs; read together by readHeads). */
    private final BatchParallel.Side headStep = new BatchParallel.Side(this::headStep);

    private void headStep() {
        java.util.Arrays.fill(headOutput, 0.0);
        head.advance(featureChunk, steps, headOutput, true);
    }

    private void applyGradients() {
        applyStep(accumulated, accumulatedArrays);
        accumulated.clear();
    }

    /** One optimiser step on {@code grads} (aligned with the trained list), and what follows it. */
    private void applyStep(Parameters grads, RealArray[] aligned) {
        optimizer.step(trainedArrays, aligned);
        net.clearRecurrentDiagonal();
        if (feedback.mode() == Feedback.Mode.ADAPTIVE) {
            RealArray b = feedback.matrix(net);
            feedbackArray[0] = b;
            outputGradient[0] = grads.get(SpikingNetwork.W_OUT);
            feedbackOptimizer.step(feedbackArray, outputGradient);
            decay(b, feedback.decay());
            decay(net.wOut(), feedback.decay());
        }
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
        if (head != null) {
            s.put("head.filtered_features", head.state());
        }
        frontEnd.state().forEach((k, v) -> s.put("front_state." + k, v));
        long[] m = episodeMask.state();
        double[] md = new double[m.length];
        for (int i = 0; i < m.length; i++) {
            md[i] = m[i];
        }
        s.put("trainer.episode_mask", md);
        if (online != null) {
            online.state().forEach((k, v) -> s.put("online." + k, v));
        }
        return s;
    }

    long[] randomState(String which) {
        return switch (which) {
            case "actions" -> actionRng.state();
            case "env_seeds" -> envSeeds.state();
            case "curriculum" -> curriculum.state();
            default -> throw new IllegalArgumentException(which);
        };
    }

    void restore(Map<String, double[]> s, long[] actions, long[] seeds, long[] curriculumState) {
        actorState.copyFrom(NetworkState.restore(net.precision(), prefixed(s, "actor_state.")));
        learnerState.copyFrom(NetworkState.restore(net.precision(), prefixed(s, "learner_state.")));
        frames = (long) s.get("trainer.frames")[0];
        if (head != null) {
            head.restore(s.get("head.filtered_features"));
        }
        frontEnd.restore(prefixed(s, "front_state."));
        actionRng.restore(actions);
        envSeeds.restore(seeds);
        reseed = true;
        curriculum.restore(curriculumState);
        double[] md = s.get("trainer.episode_mask");
        long[] m = new long[md.length];
        for (int i = 0; i < m.length; i++) {
            m[i] = (long) md[i];
        }
        episodeMask.restore(m);
        if (online != null) {
            online.restore(prefixed(s, "online."));
        }
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
     * agent step by {@link ActorCriticLoss}, are placed at the read step of each agent step (the last of its S network steps);
     * every other step carries none.
     */
    static final class UnrollLoss implements Loss {
        private final int unroll;
        private final int steps;
        private final int n;
        private final int actions;
        final double[] dLogits;
        final double[] dValues;
        double total;

        UnrollLoss(int unroll, int steps, int n, int actions) {
            this.unroll = unroll;
            this.steps = steps;
            this.n = n;
            this.actions = actions;
            this.dLogits = new double[unroll * n * actions];
            this.dValues = new double[unroll * n];
        }

        @Override
        public String id() {
            return "actor-critic";
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

}
