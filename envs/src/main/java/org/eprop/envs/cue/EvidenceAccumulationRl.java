package org.eprop.envs.cue;

import java.util.Objects;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;

/**
 * The Fig. 3 evidence-accumulation trial (docs/model.md §4.1) as a reward task: one episode is one
 * trial, drawn exactly as {@link EvidenceAccumulation} draws it (same cues, Poisson input spikes,
 * {@link EvidenceAccumulation.Timing} parameters and defaults), and presented one step of
 * {@code dt} per environment step. Credit has to be assigned across the 1050 ms delay between the
 * last cue and the decision, from a single reward at the end.
 *
 * <p><b>Steps.</b> With {@code T = }{@link #steps()} (2250 by default) the trial's inputs are
 * {@code x(0) .. x(T-1)}, each {@code float[inputs]} (40 by default: left cue, right cue, recall,
 * background). {@code reset} returns {@code x(0)}; the k-th call of {@code step} (k = 0, 1, ...)
 * takes the action chosen on {@code x(k)} and returns {@code x(k+1)}. An episode is exactly
 * {@code T} steps, so the action taken on every input, the last one included, reaches the
 * environment; the {@code T}-th step returns an all-zero observation (no spikes; the trial has no
 * {@code x(T)}) together with the reward and {@code terminated}. One environment step is one
 * network step of {@link #dtMs()}.
 *
 * <p><b>Decision rule.</b> Actions: {@link #LEFT} 0, {@link #RIGHT} 1. The choice is the action
 * taken on the last input of the recall window, {@code x(T-1)}, i.e. the argument of the final
 * step (index {@link #decisionStep()} = {@code T - 1}). That step returns reward +1 if the choice is
 * the side that received the majority of the cues and -1 otherwise, and terminates the episode.
 * Every earlier action (cue, delay and the rest of the recall window) is ignored and rewarded 0:
 * the recall window is the time to settle, as the supervised task scores only its readout over
 * that window. Deciding on the last step rather than, say, the first step whose action shows a
 * preference needs no "undecided" action (with two actions every step would be a choice) and
 * gives every episode the same length. The info that comes with {@code x(T-1)} has
 * {@link #DECISION_STEP} true, telling the agent that its next action counts.
 *
 * <p><b>Info.</b> Every reset and step: {@link #CORRECT_SIDE}, {@link #LEFT_CUES},
 * {@link #RIGHT_CUES}, {@link #DECISION_STEP}; the final step adds {@link #CHOICE} and
 * {@link #CORRECT}. Those of a trial are built once per episode, so steps allocate only their
 * observation.
 *
 * <p>Seeding: {@link #reset(long)} reseeds; the trial drawn after {@code reset(seed)} has exactly
 * the inputs of {@code new EvidenceAccumulation(timing).sampleBatch(new Rng(seed), 1, ...)}, and
 * {@link #reset()} continues the stream like the next batch of one. Before the first seeded reset
 * the stream is that of seed 0.
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
    /** True on the observation {@code x(T-1)}: the action taken on it is the choice. */
    public static final Info.Key<Boolean> DECISION_STEP = Info.Key.of("decision_step", Boolean.class);
    /** Final step only: the side chosen, 0 left, 1 right. */
    public static final Info.Key<Integer> CHOICE = Info.Key.of("choice", Integer.class);
    /** Final step only: whether the choice was the majority side (reward +1). */
    public static final Info.Key<Boolean> CORRECT = Info.Key.of("correct", Boolean.class);

    private final EvidenceAccumulation task;
    private final EvidenceAccumulation.Timing timing;
    private final int steps;
    private final int inputs;
    private final Box observations;
    private final Discrete actions = new Discrete(2);
    /** The current trial, time-major {@code [steps x inputs]}; drawn into at every reset, never reallocated. */
    private final float[] trial;
    private final int[] label = new int[1];
    private final int[] cueSides;
    private Rng rng = new Rng(0);
    /** Index of the next step call (the input the coming action was chosen on); -1 before a reset or after the end. */
    private int t = -1;
    private Info ongoing;
    private Info deciding;

    public EvidenceAccumulationRl(EvidenceAccumulation.Timing timing) {
        this.timing = Objects.requireNonNull(timing, "timing");
        this.task = new EvidenceAccumulation(timing);
        this.steps = timing.steps();
        this.inputs = timing.inputs();
        this.observations = Box.of(inputs, 0f, 1f);
        this.trial = new float[steps * inputs];
        this.cueSides = new int[timing.cues()];
    }

    /** The reference trial (2250 steps of 1 ms). */
    public EvidenceAccumulationRl() {
        this(EvidenceAccumulation.Timing.reference());
    }

    public EvidenceAccumulation.Timing timing() {
        return timing;
    }

    /** Steps per episode: the trial length {@code T} (2250 by default). */
    public int steps() {
        return steps;
    }

    /** Index of the step whose action is the choice: {@code T - 1}, the last. */
    public int decisionStep() {
        return steps - 1;
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
        ongoing = b.put(DECISION_STEP, false).build();
        deciding = b.put(DECISION_STEP, true).build();
        t = 0;
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
        if (t == steps - 1) {
            t = -1;
            boolean correct = action == label[0];
            Info info = deciding.toBuilder().put(DECISION_STEP, false).put(CHOICE, action).put(CORRECT, correct)
                    .build();
            return new Step<>(new float[inputs], correct ? 1.0 : -1.0, true, false, info);
        }
        t++;
        return new Step<>(observation(t), 0.0, false, false, info(t));
    }

    private float[] observation(int step) {
        float[] x = new float[inputs];
        System.arraycopy(trial, step * inputs, x, 0, inputs);
        return x;
    }

    private Info info(int step) {
        return step == steps - 1 ? deciding : ongoing;
    }
}
