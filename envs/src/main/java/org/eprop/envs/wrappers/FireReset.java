package org.eprop.envs.wrappers;

import java.util.Arrays;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;

/**
 * Presses FIRE after every reset, for games that wait for it before play starts (Breakout and
 * others): otherwise an untrained policy can spend a whole episode, up to the
 * frame limit, in front of a frozen screen, and the learner sees nothing to learn from.
 *
 * <p>The actions are given by index because action sets differ between games (in the ALE
 * minimal action set FIRE is 1 wherever a game has it; SB3 also presses 2 afterwards). If the
 * episode ends during them, the game is reset and they are pressed again, up to
 * {@value #MAX_ATTEMPTS} times. Stack it above {@link EpisodicLife} so that play also resumes
 * after a lost life.
 */
public final class FireReset<O> extends Wrapper<O, Integer> {
    /** Resets tried before giving up on a game that ends whenever FIRE is pressed. */
    public static final int MAX_ATTEMPTS = 100;

    private final int[] actions;
    /** The reset after the FIRE presses, refilled at every reset. */
    private final Reset<O> reset = new Reset<>();

    /** Presses action 1 (FIRE in the ALE minimal action set). */
    public FireReset(Env<O, Integer> env) {
        this(env, 1);
    }

    /** Presses {@code actions} in order after each reset. */
    public FireReset(Env<O, Integer> env, int... actions) {
        super(env);
        if (actions.length == 0) {
            throw new IllegalArgumentException("FireReset needs at least one action");
        }
        for (int a : actions) {
            if (env.actionSpace() instanceof Discrete d && !d.contains(a)) {
                throw new IllegalArgumentException("FIRE action " + a + " is not in " + d.describe() + " of " + env.id());
            }
        }
        this.actions = actions.clone();
    }

    @Override
    public Reset<O> reset(long seed) {
        return fire(env.reset(seed));
    }

    @Override
    public Reset<O> reset() {
        return fire(env.reset());
    }

    private Reset<O> fire(Reset<O> r) {
        attempts:
        for (int attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
            for (int a : actions) {
                Step<O> s = env.step(a);
                if (s.done()) {
                    r = env.reset();
                    continue attempts;
                }
                r = reset.set(s.observation(), s.info());
            }
            return r;
        }
        throw new IllegalStateException(env.id() + " ended its episode on FIRE after each of " + MAX_ATTEMPTS
                + " resets; drop FireReset for this game");
    }

    @Override
    public String toString() {
        return "FireReset(" + Arrays.toString(actions).replace("[", "").replace("]", "") + ")";
    }
}
