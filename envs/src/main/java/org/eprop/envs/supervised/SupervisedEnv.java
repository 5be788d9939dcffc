package org.eprop.envs.supervised;

import org.eprop.envs.api.Box;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * A {@link SupervisedTask} behind the environment interface: an episode is one trial. The
 * observation of step t is the input vector x(t); the info of every step carries the target of
 * that step ({@link #TARGET}, {@link #LABEL} for classification) and its loss weight
 * ({@link #WEIGHT}; 0 means the step is not scored). The action, the network's readout, is
 * accepted and ignored, the reward is 0, and the episode terminates after the trial's last step
 * (trials may differ in length). Episodes come from the training split unless
 * {@link #split(SupervisedTask.Split)} says otherwise.
 */
public final class SupervisedEnv implements Env<float[], float[]> {
    /** Target values of the step, one per readout (regression). */
    public static final Info.Key<float[]> TARGET = Info.Key.of("target", float[].class);
    /** Class label of the step (classification). */
    public static final Info.Key<Integer> LABEL = Info.Key.of("label", Integer.class);
    /** Loss weight of the step. */
    public static final Info.Key<Double> WEIGHT = Info.Key.of("weight", Double.class);
    /** Index of the step within the trial. */
    public static final Info.Key<Integer> STEP = Info.Key.of("step", Integer.class);

    private final SupervisedTask task;
    private final Box observations;
    private final Box actions;
    private final RealArray x;
    private final Targets targets = new Targets();
    private Rng rng = new Rng(0);
    private SupervisedTask.Split split = SupervisedTask.Split.TRAIN;
    private int steps;
    private int t = -1;

    public SupervisedEnv(SupervisedTask task) {
        this.task = task;
        this.observations = Box.of(task.inputs(), Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        this.actions = Box.of(task.outputs(), Float.NEGATIVE_INFINITY, Float.POSITIVE_INFINITY);
        this.x = Precision.FLOAT32.zeros(task.steps() * task.inputs());
    }

    public SupervisedTask task() {
        return task;
    }

    /** Draws the following episodes from {@code split} (default: training). */
    public SupervisedEnv split(SupervisedTask.Split split) {
        this.split = java.util.Objects.requireNonNull(split, "split");
        return this;
    }

    @Override
    public String id() {
        return task.id();
    }

    @Override
    public Space<float[]> observationSpace() {
        return observations;
    }

    @Override
    public Space<float[]> actionSpace() {
        return actions;
    }

    @Override
    public Reset<float[]> reset(long seed) {
        rng = new Rng(seed);
        return reset();
    }

    @Override
    public Reset<float[]> reset() {
        steps = task.sampleBatch(split, rng, 1, x, targets);
        t = 0;
        return new Reset<>(observation(0), info(0));
    }

    @Override
    public Step<float[]> step(float[] action) {
        if (t < 0 || t >= steps - 1) {
            throw new IllegalStateException("step() after the end of the trial: call reset() first");
        }
        t++;
        return new Step<>(observation(t), 0.0, t == steps - 1, false, info(t));
    }

    private float[] observation(int step) {
        float[] o = new float[task.inputs()];
        for (int i = 0; i < o.length; i++) {
            o[i] = (float) x.get(step * task.inputs() + i);
        }
        return o;
    }

    private Info info(int step) {
        Info.Builder b = Info.builder().put(STEP, step).put(WEIGHT, targets.weight(step, 0));
        if (task.kind() == SupervisedTask.Kind.CLASSIFICATION) {
            b.put(LABEL, targets.label(step, 0));
        } else {
            float[] v = new float[task.outputs()];
            for (int k = 0; k < v.length; k++) {
                v[k] = (float) targets.value(step, 0, k);
            }
            b.put(TARGET, v);
        }
        return b.build();
    }
}
