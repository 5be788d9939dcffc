package org.eprop.envs.api;

/**
 * A wrapper that changes only the reward of each step (Gymnasium's {@code RewardWrapper}):
 * observations, actions, episode ends and resets pass through. Subclasses map the reward in
 * {@link #reward}; one that must leave the original reward visible to layers above (reward
 * clipping keeps the raw game score for statistics) also overrides {@link #info}.
 */
public abstract class RewardWrapper<O, A> extends Wrapper<O, A> {

    /** This layer's step, refilled at every call (see {@link Step}). */
    private final Step<O> step = new Step<>();

    protected RewardWrapper(Env<O, A> env) {
        super(env);
    }

    /** The reward the outside sees for the wrapped environment's {@code reward}. */
    protected abstract double reward(double reward);

    /**
     * The info of a step whose inner reward was {@code reward}; by default unchanged. Called with
     * the inner step's info, after {@link #reward}. One that adds keys fills an
     * {@link Info#reusable()} info of its own rather than building a new one per step.
     */
    protected Info info(Info info, double reward) {
        return info;
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        return step.set(s.observation(), reward(s.reward()), s.terminated(), s.truncated(), info(s.info(), s.reward()));
    }
}
