package org.eprop.envs.wrappers;

import java.util.Arrays;
import org.eprop.envs.api.ActionWrapper;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Space;

/**
 * Lets the agent choose among a few of the game's actions: outer action {@code i} is the game's
 * action {@code actions[i]}. Why: a smaller output layer learns faster, and the e-prop paper plays
 * Pong with three actions {NOOP, RIGHT, LEFT}, which are {@code 0, 2, 3} in ALE's minimal Pong set
 * [NOOP, FIRE, RIGHT, LEFT, RIGHTFIRE, LEFTFIRE] and {@code 0, 3, 4} in the full 18-action set.
 *
 * <p>Stack it outermost among the action-taking wrappers if their actions (no-ops, FIRE) are
 * given in the game's numbering, i.e. above {@link NoopReset} and {@link FireReset}.
 */
public final class ActionSubset<O> extends ActionWrapper<O, Integer, Integer> {
    private final Integer[] actions;
    private final Discrete space;

    /**
     * @param actions the game's action for each outer action, in order
     * @throws IllegalArgumentException if there are none, or one is not an action of {@code env}
     */
    public ActionSubset(Env<O, Integer> env, int... actions) {
        super(env);
        if (actions.length == 0) {
            throw new IllegalArgumentException("ActionSubset needs at least one action");
        }
        this.actions = new Integer[actions.length];
        for (int i = 0; i < actions.length; i++) {
            if (!env.actionSpace().contains(actions[i])) {
                throw new IllegalArgumentException("action " + actions[i] + " is not in " + env.actionSpace().describe()
                        + " of " + env.id());
            }
            // boxed once here, so that a step hands the game a ready Integer
            this.actions[i] = actions[i];
        }
        this.space = new Discrete(actions.length);
    }

    @Override
    public Space<Integer> actionSpace() {
        return space;
    }

    @Override
    protected Integer action(Integer action) {
        if (!space.contains(action)) {
            throw new IllegalArgumentException("action " + action + " is not in " + space.describe() + " of " + this);
        }
        return actions[action];
    }

    @Override
    public String toString() {
        return "ActionSubset" + Arrays.toString(actions);
    }
}
