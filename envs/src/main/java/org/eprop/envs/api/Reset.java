package org.eprop.envs.api;

/**
 * What {@link Env#reset} returns: the first observation of an episode and its info. Like a
 * {@link Step}, an environment may return one instance refilled at every reset ({@link #set}):
 * valid until the next call on that environment.
 */
public final class Reset<O> {
    private O observation;
    private Info info;

    /** An empty reset for an environment to {@link #set} at every reset. */
    public Reset() {
        this.info = Info.empty();
    }

    public Reset(O observation, Info info) {
        set(observation, info);
    }

    /** Refills this reset (its owner's); returns this. */
    public Reset<O> set(O observation, Info info) {
        this.observation = observation;
        this.info = info;
        return this;
    }

    public O observation() {
        return observation;
    }

    public Info info() {
        return info;
    }

    @Override
    public String toString() {
        return "Reset[observation=" + observation + ", info=" + info + "]";
    }
}
