package org.eprop.envs.api;

/**
 * What {@link Env#step} returns, with Gymnasium's meaning: {@code terminated} when the episode
 * reached a terminal state of the task (game over, end of a trial), {@code truncated} when it was
 * cut short from outside (a time limit); at most one reason is needed for an episode to end.
 */
public record Step<O>(O observation, double reward, boolean terminated, boolean truncated, Info info) {

    /** Whether the episode is over, for either reason. */
    public boolean done() {
        return terminated || truncated;
    }
}
