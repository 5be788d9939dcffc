package org.eprop.envs.wrappers;

import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;

/**
 * Ends the learner's episode when a life is lost, while the game itself goes on until real game
 * over (DQN's "terminal on life loss", SB3's {@code EpisodicLifeEnv}). Why: losing a life then
 * counts as a terminal state for value estimates, which speeds up learning in many games.
 *
 * <p>A life loss is a step whose {@link InfoKeys#LIVES} is lower than the previous one and still
 * above 0 (some games reach 0 lives a few frames before game over); that step is returned with
 * {@code terminated = true}. The following {@code reset()} does not reset the game: it takes one
 * no-op step and returns its frame (or resets after all if that step ends the game). A real game
 * over, a truncation, any {@code reset(seed)}, and a {@code reset()} that does not follow a life
 * loss reset the game for real.
 *
 * <p>This changes what "episode" means for everything above it, so scores must be measured
 * below it: {@link EpisodeStatistics} refuses to sit above it, and {@link RecordVideo} belongs
 * directly on the game. Machado et al. (2018) advise against it for evaluation; the paper's
 * protocol does not use it.
 */
public final class EpisodicLife<O> extends Wrapper<O, Integer> {
    private final int noopAction;
    private int lives;
    private boolean lifeLostLast;
    /** This layer's own results (a lost life's step, the reset after it), refilled each time. */
    private final Step<O> lifeLostStep = new Step<>();
    private final Reset<O> reset = new Reset<>();

    /** Continues after a life loss with action 0 (NOOP). */
    public EpisodicLife(Env<O, Integer> env) {
        this(env, 0);
    }

    /** Continues after a life loss with {@code noopAction}. */
    public EpisodicLife(Env<O, Integer> env, int noopAction) {
        super(env);
        if (env.actionSpace() instanceof Discrete d && !d.contains(noopAction)) {
            throw new IllegalArgumentException("no-op action " + noopAction + " is not in " + d.describe() + " of " + env.id());
        }
        this.noopAction = noopAction;
    }

    @Override
    public Reset<O> reset(long seed) {
        return started(env.reset(seed));
    }

    @Override
    public Reset<O> reset() {
        if (!lifeLostLast) {
            return started(env.reset());
        }
        Step<O> s = env.step(noopAction);
        return started(s.done() ? env.reset() : reset.set(s.observation(), s.info()));
    }

    private Reset<O> started(Reset<O> r) {
        lives = r.info().require(InfoKeys.LIVES);
        lifeLostLast = false;
        return r;
    }

    @Override
    public Step<O> step(Integer action) {
        Step<O> s = env.step(action);
        int now = s.info().require(InfoKeys.LIVES);
        boolean lifeLost = now < lives && now > 0;
        lives = now;
        lifeLostLast = lifeLost && !s.done();
        if (lifeLostLast) {
            return lifeLostStep.set(s.observation(), s.reward(), true, false, s.info());
        }
        return s;
    }

    /** Lives left after the last step or reset. */
    public int lives() {
        return lives;
    }

    @Override
    public String toString() {
        return "EpisodicLife";
    }
}
