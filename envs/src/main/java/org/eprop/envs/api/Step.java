package org.eprop.envs.api;

/**
 * What {@link Env#step} returns, with Gymnasium's meaning: {@code terminated} when the episode
 * reached a terminal state of the task (game over, end of a trial), {@code truncated} when it was
 * cut short from outside (a time limit); at most one reason is needed for an episode to end.
 *
 * <p>Environments and wrappers that step fast return one instance per layer, refilled at every
 * step ({@link #set}), as they do their observation frames and infos: a step is valid until the
 * next call on the environment that returned it, and {@link #copy()} keeps one. Why: the vector
 * of emulators steps thousands of times a second, and a new result per layer and step was most
 * of what an emulator step allocated.
 */
public final class Step<O> {
    private O observation;
    private double reward;
    private boolean terminated;
    private boolean truncated;
    private Info info;

    /** An empty step for an environment to {@link #set} at every step. */
    public Step() {
        this.info = Info.empty();
    }

    public Step(O observation, double reward, boolean terminated, boolean truncated, Info info) {
        set(observation, reward, terminated, truncated, info);
    }

    /** Refills this step (its owner's, at every step); returns this. */
    public Step<O> set(O observation, double reward, boolean terminated, boolean truncated, Info info) {
        this.observation = observation;
        this.reward = reward;
        this.terminated = terminated;
        this.truncated = truncated;
        this.info = info;
        return this;
    }

    public O observation() {
        return observation;
    }

    public double reward() {
        return reward;
    }

    public boolean terminated() {
        return terminated;
    }

    public boolean truncated() {
        return truncated;
    }

    public Info info() {
        return info;
    }

    /** Whether the episode is over, for either reason. */
    public boolean done() {
        return terminated || truncated;
    }

    /**
     * A step to keep: the info {@link Info#copy() fixed}, the observation as it is (a reused frame
     * or array must be copied by the caller who keeps it, e.g. {@link Frame#copy()}).
     */
    public Step<O> copy() {
        return new Step<>(observation, reward, terminated, truncated, info.copy());
    }

    @Override
    public String toString() {
        return "Step[observation=" + observation + ", reward=" + reward + ", terminated=" + terminated
                + ", truncated=" + truncated + ", info=" + info + "]";
    }
}
