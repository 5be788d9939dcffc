package org.eprop.envs.cue;

import java.util.Objects;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;

/**
 * The Fig. 3 evidence-accumulation trial (docs/model.md §4.1) as a reward task: one episode is one
 * trial, drawn exactly as {@link EvidenceAccumulation} draws it (same cues, Poisson input spikes,
 * {@link EvidenceAccumulation.Timing} parameters and defaults), and presented one step of
 * {@code dt} per environment step. Credit has to be assigned across the 1050 ms delay between the
 * last cue and the recall window, where the reward is given.
 *
 * <p><b>Steps.</b> With {@code T = }{@link #steps()} (2250 by default) the trial's inputs are
 * {@code x(0) .. x(T-1)}, each {@code float[inputs]} (40 by default: left cue, right cue, recall,
 * background). {@code reset} returns {@code x(0)}; the k-th call of {@code step} (k = 0, 1, ...)
 * takes the action chosen on {@code x(k)} and returns {@code x(k+1)}. An episode is exactly
 * {@code T} steps, so the action taken on every input, the last one included, reaches the
 * environment; the {@code T}-th step returns an all-zero observation (no spikes; the trial has no
 * {@code x(T)}) together with the last reward and {@code terminated}. One environment step is one
 * network step of {@link #dtMs()}.
 *
 * <p><b>Reward rule</b> ({@link Params#reward()}). Actions: {@link #LEFT} 0, {@link #RIGHT} 1; the
 * correct side is the one that received the majority of the cues. Actions taken before the recall
 * window (cues and delay) are ignored and rewarded 0 under both rules.
 * <ul>
 *   <li>{@link Reward#RECALL_WINDOW} (the default): every action taken in the recall window, on
 *       {@code x(R) .. x(T-1)} with {@code R = }{@link #recallStep()}, is a choice and is rewarded
 *       +1 if it is the correct side and -1 otherwise. With {@code W = }{@link #rewardedSteps()}
 *       the recall window's steps (150 by default) a trial's return is {@code correct - wrong} in
 *       [-W, W], and the fraction of correct choices is {@code (return/W + 1)/2}. This is the
 *       supervised task's loss turned into rewards: that task scores the readout at every step of
 *       the recall window, and with two actions and an immediate reward of +-1 the policy gradient
 *       at each recall step points towards the correct side whatever action was sampled, a
 *       learning signal as dense as the supervised one. (The last-step rule below gives one scored
 *       step per trial: a 50 LIF + 50 ALIF actor-critic with the supervised task's settings stayed
 *       at chance with it.) Each choice earns +-1 rather than +-1/W (a trial total of +-1) because
 *       the critic's output fluctuates by a few hundredths from step to step before it has learnt
 *       anything: over the 2100 unrewarded steps those fluctuations are advantages of pure noise,
 *       which drowned rewards of 1/150 (the policy loss swung by +-1000 from iteration to
 *       iteration, the firing rate climbed from 10 to 80 Hz, and decisions stayed at chance over
 *       26 iterations), but not rewards of 1 with the other loss weights scaled alike.
 *       The trial's <em>decision</em> ({@link #CHOICE}, {@link #CORRECT}) is the side chosen on
 *       more of the recall steps; a tie (possible when {@code W} is even) goes to the last choice.</li>
 *   <li>{@link Reward#LAST_STEP}: only the action taken on the last input, {@code x(T-1)}, is the
 *       choice and the decision; that step gives +1 or -1, every other step 0. The recall window
 *       is then time to settle.</li>
 * </ul>
 * Every episode has the same length under both rules; with two actions every step would be a
 * choice, so no "undecided" action is needed. The info that comes with an observation whose
 * action is rewarded has {@link #DECISION_STEP} true; every other observation's has
 * {@link InfoKeys#ACTION_IGNORED} true (its action changes nothing), which lets an agent leave
 * those 2100 steps out of its policy gradient, where they would add only noise.
 *
 * <p><b>Info.</b> Every reset and step: {@link #CORRECT_SIDE}, {@link #LEFT_CUES},
 * {@link #RIGHT_CUES}, {@link #DECISION_STEP}, {@link InfoKeys#ACTION_IGNORED} (the negation of
 * {@code DECISION_STEP}); the final step adds {@link #CHOICE},
 * {@link #CORRECT} (the general {@link InfoKeys#CORRECT}, which agents average into a fraction of
 * correct decisions) and {@link #CORRECT_CHOICES}. The infos of a trial other than the final one
 * are built once per episode, so steps allocate only their observation.
 *
 * <p>Seeding: {@link #reset(long)} reseeds; the trial drawn after {@code reset(seed)} has exactly
 * the inputs of {@code new EvidenceAccumulation(timing).sampleBatch(new Rng(seed), 1, ...)}, and
 * {@link #reset()} continues the stream like the next batch of one. Before the first seeded reset
 * the stream is that of seed 0. The reward rule does not change the trials.
 */
public final class EvidenceAccumulationRl implements Env<float[], Integer> {
    /** The registered id. */
    public static final String ID = "cue/evidence-accumulation-rl";

    /** Choose the left side. */
    public static final int LEFT = 0;
    /** Choose the right side. */
    public static final int RIGHT = 1;

    /** The side that received the majority of the cues: 0 left, 1 right (the supervised task's label). */
    public static final Info.Key<Integer> CORRECT_SIDE = Info.Key.of("correct_side", Integer.class);
    /** Number of cues of the trial shown on the left. */
    public static final Info.Key<Integer> LEFT_CUES = Info.Key.of("left_cues", Integer.class);
    /** Number of cues of the trial shown on the right. */
    public static final Info.Key<Integer> RIGHT_CUES = Info.Key.of("right_cues", Integer.class);
    /** True on an observation whose action is rewarded: the recall window's, or {@code x(T-1)} alone. */
    public static final Info.Key<Boolean> DECISION_STEP = Info.Key.of("decision_step", Boolean.class);
    /** Final step only: the trial's decision, 0 left, 1 right (see the reward rule for how it is taken). */
    public static final Info.Key<Integer> CHOICE = Info.Key.of("choice", Integer.class);
    /** Final step only: whether the decision was the majority side; the general {@link InfoKeys#CORRECT}. */
    public static final Info.Key<Boolean> CORRECT = InfoKeys.CORRECT;
    /** Final step only: on how many of the rewarded steps the correct side was chosen. */
    public static final Info.Key<Integer> CORRECT_CHOICES = Info.Key.of("correct_choices", Integer.class);

    /** Which actions are rewarded; see the class comment. */
    public enum Reward {
        /** Every action of the recall window, +-1 each; the decision is their majority. */
        RECALL_WINDOW,
        /** The action on the last input alone, +-1. */
        LAST_STEP
    }

    /**
     * The YAML parameters ({@code env.params}): the trial of {@link EvidenceAccumulation.Timing}
     * (same keys and defaults as {@code cue/evidence-accumulation}) and the reward rule.
     *
     * @param reward which actions are rewarded: {@code recall-window} (default) or {@code last-step}
     */
    public record Params(int cues, double startMs, double cueMs, double intervalMs, double delayMs, double recallMs,
            double cueRateHz, double backgroundRateHz, double majorityProbability, int channelsPerGroup,
            double dtMs, Reward reward) {

        public Params {
            // The trial's own checks, with the trial's messages (keys named as in the YAML file).
            new EvidenceAccumulation.Timing(cues, startMs, cueMs, intervalMs, delayMs, recallMs, cueRateHz,
                    backgroundRateHz, majorityProbability, channelsPerGroup, dtMs);
            if (reward == null) {
                throw new IllegalArgumentException("reward must be recall-window or last-step");
            }
        }

        /** The trial {@code timing} with reward rule {@code reward}. */
        public Params(EvidenceAccumulation.Timing timing, Reward reward) {
            this(timing.cues(), timing.startMs(), timing.cueMs(), timing.intervalMs(), timing.delayMs(),
                    timing.recallMs(), timing.cueRateHz(), timing.backgroundRateHz(), timing.majorityProbability(),
                    timing.channelsPerGroup(), timing.dtMs(), reward);
        }

        /** The reference trial, every recall-window action rewarded. */
        public static Params reference() {
            return new Params(EvidenceAccumulation.Timing.reference(), Reward.RECALL_WINDOW);
        }

        /** The trial of these parameters. */
        public EvidenceAccumulation.Timing timing() {
            return new EvidenceAccumulation.Timing(cues, startMs, cueMs, intervalMs, delayMs, recallMs, cueRateHz,
                    backgroundRateHz, majorityProbability, channelsPerGroup, dtMs);
        }
    }

    private final Params params;
    private final EvidenceAccumulation task;
    private final EvidenceAccumulation.Timing timing;
    private final int steps;
    private final int inputs;
    /** Index of the first step whose action is rewarded. */
    private final int firstRewarded;
    private final Box observations;
    private final Discrete actions = new Discrete(2);
    /** The current trial, time-major {@code [steps x inputs]}; drawn into at every reset, never reallocated. */
    private final float[] trial;
    private final int[] label = new int[1];
    private final int[] cueSides;
    private Rng rng = new Rng(0);
    /** Index of the next step call (the input the coming action was chosen on); -1 before a reset or after the end. */
    private int t = -1;
    /** Rewarded actions of the current trial so far, and how many of them chose the right side. */
    private int choices;
    private int rightChoices;
    private Info ongoing;
    private Info deciding;

    public EvidenceAccumulationRl(Params params) {
        this.params = Objects.requireNonNull(params, "params");
        this.timing = params.timing();
        this.task = new EvidenceAccumulation(timing);
        this.steps = timing.steps();
        this.inputs = timing.inputs();
        int window = params.reward() == Reward.RECALL_WINDOW ? timing.recallSteps() : 1;
        this.firstRewarded = steps - window;
        this.observations = Box.of(inputs, 0f, 1f);
        this.trial = new float[steps * inputs];
        this.cueSides = new int[timing.cues()];
    }

    /** The reference trial (2250 steps of 1 ms), every recall-window action rewarded. */
    public EvidenceAccumulationRl() {
        this(Params.reference());
    }

    public Params params() {
        return params;
    }

    public EvidenceAccumulation.Timing timing() {
        return timing;
    }

    /** Steps per episode: the trial length {@code T} (2250 by default). */
    public int steps() {
        return steps;
    }

    /** Index of the last step, {@code T - 1}: the action on it is the last choice under either rule. */
    public int decisionStep() {
        return steps - 1;
    }

    /** Index of the first step whose action is rewarded: {@link #recallStep()}, or {@code T - 1} under the last-step rule. */
    public int firstRewardedStep() {
        return firstRewarded;
    }

    /** Number of rewarded actions per trial: the recall window's steps (150 by default), or 1. */
    public int rewardedSteps() {
        return steps - firstRewarded;
    }

    /** Index of the first step of the recall window (2100 by default); actions from here on see the recall cue. */
    public int recallStep() {
        return steps - timing.recallSteps();
    }

    /** Simulated time per environment step, in ms: one network step. */
    public double dtMs() {
        return timing.dtMs();
    }

    /** Number of input channels, the observation size (40 by default). */
    public int inputs() {
        return inputs;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public Space<float[]> observationSpace() {
        return observations;
    }

    @Override
    public Space<Integer> actionSpace() {
        return actions;
    }

    @Override
    public Reset<float[]> reset(long seed) {
        rng = new Rng(seed);
        return reset();
    }

    @Override
    public Reset<float[]> reset() {
        task.sampleBatch(rng, 1, trial, label, cueSides);
        int right = 0;
        for (int side : cueSides) {
            right += side;
        }
        Info.Builder b = Info.builder().put(CORRECT_SIDE, label[0]).put(LEFT_CUES, cueSides.length - right)
                .put(RIGHT_CUES, right);
        ongoing = b.put(DECISION_STEP, false).put(InfoKeys.ACTION_IGNORED, true).build();
        deciding = b.put(DECISION_STEP, true).put(InfoKeys.ACTION_IGNORED, false).build();
        t = 0;
        choices = 0;
        rightChoices = 0;
        return new Reset<>(observation(0), info(0));
    }

    @Override
    public Step<float[]> step(Integer action) {
        if (t < 0) {
            throw new IllegalStateException("step() on a finished or unstarted trial of " + ID + ": call reset() first");
        }
        if (!actions.contains(action)) {
            throw new IllegalArgumentException(ID + " takes actions 0 (left), 1 (right), got " + action);
        }
        double reward = 0.0;
        if (t >= firstRewarded) {
            choices++;
            rightChoices += action;
            reward = action == label[0] ? 1.0 : -1.0;
        }
        if (t == steps - 1) {
            t = -1;
            int leftChoices = choices - rightChoices;
            // The majority of the rewarded choices; a tie goes to the last one (the only one under last-step).
            int choice = rightChoices > leftChoices ? RIGHT : leftChoices > rightChoices ? LEFT : action;
            int correctChoices = label[0] == RIGHT ? rightChoices : leftChoices;
            Info info = deciding.toBuilder().put(DECISION_STEP, false).put(CHOICE, choice)
                    .put(CORRECT, choice == label[0]).put(CORRECT_CHOICES, correctChoices).build();
            return new Step<>(new float[inputs], reward, true, false, info);
        }
        t++;
        return new Step<>(observation(t), reward, false, false, info(t));
    }

    private float[] observation(int step) {
        float[] x = new float[inputs];
        System.arraycopy(trial, step * inputs, x, 0, inputs);
        return x;
    }

    private Info info(int step) {
        return step >= firstRewarded ? deciding : ongoing;
    }
}
