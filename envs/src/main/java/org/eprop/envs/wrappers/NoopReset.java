package org.eprop.envs.wrappers;

import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;
import org.eprop.learning.rng.Rng;

/**
 * Takes a random number of no-op actions after every reset, so that a deterministic emulator
 * does not start every episode from the same state and a policy cannot memorise one action
 * sequence (Mnih et al. 2015; the paper's protocol takes 0..29 after each reset).
 *
 * <p>The count is drawn uniformly from {@code minNoops..maxNoops} (both included) from this
 * wrapper's own {@link Rng}, which {@code reset(seed)} reseeds from the seed (on a stream of its
 * own, so it does not replay the game's random numbers): the same seed gives the same no-ops. If
 * the game ends during the no-ops it is reset (without a seed) and the remaining no-ops are taken
 * in the new game. The reset's info is that of the last no-op step, plus {@link InfoKeys#NOOPS}.
 *
 * <p>The no-op steps go through every layer below, so put episode statistics and video below
 * this wrapper for them to count those steps. SB3 and Gymnasium draw {@code 1..noop_max};
 * {@link #NoopReset(Env, int)} draws {@code 0..maxNoops}.
 */
public final class NoopReset<O> extends Wrapper<O, Integer> {
    /** Stream id of the no-op generator, split from the reset seed. */
    public static final long RNG_STREAM = 0x4E4F4F50L;

    private final int minNoops;
    private final int maxNoops;
    private final int noopAction;
    private Rng rng = rngFor(0);
    /** The reset this layer returns and its info, refilled at every reset. */
    private final Reset<O> reset = new Reset<>();
    private final Info info = Info.reusable();

    /** {@code 0..maxNoops} no-ops with action 0 (NOOP in every ALE action set). */
    public NoopReset(Env<O, Integer> env, int maxNoops) {
        this(env, 0, maxNoops, 0);
    }

    /** {@code minNoops..maxNoops} no-ops (both included) with action {@code noopAction}. */
    public NoopReset(Env<O, Integer> env, int minNoops, int maxNoops, int noopAction) {
        super(env);
        if (minNoops < 0 || maxNoops < minNoops) {
            throw new IllegalArgumentException("NoopReset needs 0 <= minNoops <= maxNoops, got " + minNoops + ".." + maxNoops);
        }
        if (env.actionSpace() instanceof Discrete d && !d.contains(noopAction)) {
            throw new IllegalArgumentException("no-op action " + noopAction + " is not in " + d.describe() + " of " + env.id());
        }
        this.minNoops = minNoops;
        this.maxNoops = maxNoops;
        this.noopAction = noopAction;
    }

    private static Rng rngFor(long seed) {
        return new Rng(seed).split(RNG_STREAM);
    }

    public int minNoops() {
        return minNoops;
    }

    public int maxNoops() {
        return maxNoops;
    }

    @Override
    public Reset<O> reset(long seed) {
        rng = rngFor(seed);
        return noops(env.reset(seed));
    }

    @Override
    public Reset<O> reset() {
        return noops(env.reset());
    }

    private Reset<O> noops(Reset<O> r) {
        int n = minNoops + rng.nextInt(maxNoops - minNoops + 1);
        for (int i = 0; i < n; i++) {
            Step<O> s = env.step(noopAction);
            r = s.done() ? env.reset() : reset.set(s.observation(), s.info());
        }
        return reset.set(r.observation(), info.setAll(r.info()).setInt(InfoKeys.NOOPS, n));
    }

    @Override
    public String toString() {
        return "NoopReset(" + minNoops + ".." + maxNoops + (noopAction != 0 ? ", action " + noopAction : "") + ")";
    }
}
