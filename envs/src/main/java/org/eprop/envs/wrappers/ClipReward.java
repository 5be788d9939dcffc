package org.eprop.envs.wrappers;

import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.RewardWrapper;

/**
 * Clips the learner's reward, by default to [-1, 1]. Why: game scores range from single points
 * (Pong) to thousands per event; clipping lets one learning rate serve every game (Mnih et al.
 * 2015; the paper clips the reward summed over the 4 skipped frames, so stack this above the
 * frame skip). {@link #sign} gives SB3's {@code np.sign} variant, which also maps 0.5 to 1; for
 * the integer rewards of Atari games the two agree.
 *
 * <p>The reward before clipping goes into the info as {@link InfoKeys#RAW_REWARD} (left as it is
 * when a layer below already set it), so that statistics and logs stacked above still report
 * the raw game: a score must always be the raw, unclipped return.
 */
public final class ClipReward<O, A> extends RewardWrapper<O, A> {
    private final double min;
    private final double max;
    private final boolean sign;
    /** The info with the raw reward added, refilled at every step. */
    private final Info withRaw = Info.reusable();

    /** Clips to [-1, 1]. */
    public ClipReward(Env<O, A> env) {
        this(env, -1, 1);
    }

    /** Clips to [min, max]. */
    public ClipReward(Env<O, A> env, double min, double max) {
        this(env, min, max, false);
    }

    private ClipReward(Env<O, A> env, double min, double max, boolean sign) {
        super(env);
        if (!(min <= max)) {
            throw new IllegalArgumentException("ClipReward needs min <= max, got " + min + " > " + max);
        }
        this.min = min;
        this.max = max;
        this.sign = sign;
    }

    /** Replaces the reward by its sign (-1, 0 or 1). */
    public static <O, A> ClipReward<O, A> sign(Env<O, A> env) {
        return new ClipReward<>(env, -1, 1, true);
    }

    /** The learner's reward for a raw reward. */
    public double clip(double raw) {
        return sign ? Math.signum(raw) : Math.max(min, Math.min(max, raw));
    }

    @Override
    protected double reward(double reward) {
        return clip(reward);
    }

    /** Keeps the first raw reward seen: a layer below that already clipped knows the game's. */
    @Override
    protected Info info(Info info, double reward) {
        return info.has(InfoKeys.RAW_REWARD) ? info : withRaw.setAll(info).setDouble(InfoKeys.RAW_REWARD, reward);
    }

    @Override
    public String toString() {
        return sign ? "ClipReward(sign)" : "ClipReward([" + min + ", " + max + "])";
    }
}
