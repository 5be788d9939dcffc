package org.eprop.envs.wrappers;

import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSkipping;

/**
 * The two standard Atari preprocessing stacks, built in the one order that keeps every layer
 * meaningful. Build from the game outwards; if a video is wanted, wrap the game in
 * {@link RecordVideo} first and pass that in, so the video shows the raw screen and whole games.
 *
 * <p>Order and why, innermost first:
 * <ol>
 *   <li>{@link TimeLimit} (optional): directly on the game, so a cut ends the real game and is
 *       recorded by the statistics above;</li>
 *   <li>frame skip, when the game does not skip itself;</li>
 *   <li>{@link EpisodeStatistics}: sees the raw rewards and every step of the real game, including
 *       the no-ops and FIRE presses that the layers above take inside {@code reset};</li>
 *   <li>{@link NoopReset}, then {@link EpisodicLife}, then {@link FireReset} (so FIRE is also
 *       pressed after a lost life);</li>
 *   <li>{@link ClipReward}: above the skip, so it clips the summed reward; it keeps the raw one in
 *       the info;</li>
 *   <li>{@link GrayscaleResize}, then {@link FrameStack}: observation-only, outermost.</li>
 * </ol>
 * {@link Wrappers#describe} prints the resulting stack; {@link EpisodeStatistics#in} finds the
 * statistics in it.
 */
public final class AtariWrappers {
    private AtariWrappers() {
    }

    /**
     * Options of {@link #atariPreprocessing}.
     *
     * @param noopMax at most this many no-ops after each reset, at least 1 (as SB3 and Gymnasium
     *     draw them); 0 for none. They are agent steps (above the frame skip) whether the game or
     *     {@link MaxAndSkip} skips; SB3 takes them as single frames under its skip
     * @param frameSkip frames per agent step: taken from the game when it already skips exactly
     *     that many (ALE v5, no max-pooling), else added as {@link MaxAndSkip} on a frame-skip-1
     *     game (NoFrameskip-v4 style, max-pooling the last two frames)
     * @param screenSize side of the square gray observation
     * @param terminalOnLifeLoss whether to add {@link EpisodicLife} (SB3's default; Gymnasium's is
     *     false)
     * @param fireAction action pressed after each reset by {@link FireReset}, or -1 for none
     * @param clipReward whether to replace the reward by its sign (SB3)
     * @param frameStack frames stacked by {@link FrameStack}; 1 for none
     * @param maxEpisodeSteps {@link TimeLimit} in steps of the game as given, or 0 for none
     */
    public record Options(int noopMax, int frameSkip, int screenSize, boolean terminalOnLifeLoss, int fireAction,
            boolean clipReward, int frameStack, int maxEpisodeSteps) {

        public Options {
            if (noopMax < 0 || frameSkip < 1 || screenSize < 1 || fireAction < -1 || frameStack < 1 || maxEpisodeSteps < 0) {
                throw new IllegalArgumentException("invalid Atari preprocessing options: " + this);
            }
        }

        /** Gymnasium {@code AtariPreprocessing} plus SB3's reward clipping: noop 30, skip 4, 84x84 gray. */
        public static Options defaults() {
            return new Options(30, 4, GrayscaleResize.DEFAULT_SIZE, false, -1, true, 1, 0);
        }

        public Options withNoopMax(int v) {
            return new Options(v, frameSkip, screenSize, terminalOnLifeLoss, fireAction, clipReward, frameStack, maxEpisodeSteps);
        }

        public Options withFrameSkip(int v) {
            return new Options(noopMax, v, screenSize, terminalOnLifeLoss, fireAction, clipReward, frameStack, maxEpisodeSteps);
        }

        public Options withScreenSize(int v) {
            return new Options(noopMax, frameSkip, v, terminalOnLifeLoss, fireAction, clipReward, frameStack, maxEpisodeSteps);
        }

        public Options withTerminalOnLifeLoss(boolean v) {
            return new Options(noopMax, frameSkip, screenSize, v, fireAction, clipReward, frameStack, maxEpisodeSteps);
        }

        public Options withFireAction(int v) {
            return new Options(noopMax, frameSkip, screenSize, terminalOnLifeLoss, v, clipReward, frameStack, maxEpisodeSteps);
        }

        public Options withClipReward(boolean v) {
            return new Options(noopMax, frameSkip, screenSize, terminalOnLifeLoss, fireAction, v, frameStack, maxEpisodeSteps);
        }

        public Options withFrameStack(int v) {
            return new Options(noopMax, frameSkip, screenSize, terminalOnLifeLoss, fireAction, clipReward, v, maxEpisodeSteps);
        }

        public Options withMaxEpisodeSteps(int v) {
            return new Options(noopMax, frameSkip, screenSize, terminalOnLifeLoss, fireAction, clipReward, frameStack, v);
        }
    }

    /** {@link #atariPreprocessing(Env, Options)} with {@link Options#defaults()}. */
    public static Env<Frame, Integer> atariPreprocessing(Env<Frame, Integer> game) {
        return atariPreprocessing(game, Options.defaults());
    }

    /**
     * Gymnasium / SB3-style preprocessing:
     * [TimeLimit] > [MaxAndSkip] > EpisodeStatistics > [NoopReset(1..noopMax)] > [EpisodicLife] >
     * [FireReset] > [ClipReward(sign)] > GrayscaleResize > [FrameStack], innermost first.
     */
    public static Env<Frame, Integer> atariPreprocessing(Env<Frame, Integer> game, Options o) {
        Env<Frame, Integer> e = game;
        if (o.maxEpisodeSteps() > 0) {
            e = new TimeLimit<>(e, o.maxEpisodeSteps());
        }
        e = skip(e, o.frameSkip(), true);
        e = new EpisodeStatistics<>(e);
        if (o.noopMax() > 0) {
            e = new NoopReset<>(e, 1, o.noopMax(), 0);
        }
        if (o.terminalOnLifeLoss()) {
            e = new EpisodicLife<>(e);
        }
        if (o.fireAction() >= 0) {
            e = new FireReset<>(e, o.fireAction());
        }
        if (o.clipReward()) {
            e = ClipReward.sign(e);
        }
        e = new GrayscaleResize<>(e, o.screenSize(), o.screenSize());
        if (o.frameStack() > 1) {
            e = new FrameStack<>(e, o.frameStack());
        }
        return e;
    }

    /**
     * The paper's protocol (Bellec et al. 2020, reference section 3.4): each action repeated for 4
     * frames with the rewards summed (by the game when it skips 4 frames itself, else by a
     * {@link MaxAndSkip} without max-pooling, as the paper's ALE op returns the last frame), then
     * clipped to [-1, 1]; 0 to 29 no-ops (action 0) after every reset; 84x84 gray by area
     * averaging; no frame stack; a lost life does not end the episode. Statistics report the raw
     * returns; the paper itself reported the sum of clipped rewards, which is the same in Pong.
     * Stack: [Skip(4)] > EpisodeStatistics > NoopReset(0..29) > ClipReward([-1, 1]) >
     * GrayscaleResize(84x84).
     *
     * @throws IllegalArgumentException if the game skips a number of frames other than 1 or 4
     */
    public static Env<Frame, Integer> paper(Env<Frame, Integer> game) {
        Env<Frame, Integer> e = skip(game, 4, false);
        e = new EpisodeStatistics<>(e);
        e = new NoopReset<>(e, 0, 29, 0);
        e = new ClipReward<>(e, -1, 1);
        return new GrayscaleResize<>(e);
    }

    private static Env<Frame, Integer> skip(Env<Frame, Integer> game, int frames, boolean maxPool) {
        int native_ = FrameSkipping.total(game);
        if (native_ == frames) {
            return game;
        }
        if (native_ == 1) {
            return new MaxAndSkip<>(game, frames, maxPool);
        }
        throw new IllegalArgumentException("the preprocessing needs " + frames + " frames per step, but " + game.id()
                + " already skips " + native_ + "; set frameskip: " + frames + " or 1 in the environment");
    }
}
