package org.eprop.envs.wrappers;

import java.util.ArrayList;
import java.util.List;
import java.util.function.IntToDoubleFunction;
import java.util.function.IntUnaryOperator;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSkipping;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;

/**
 * A deterministic stand-in for an Atari game: an RGB screen with a background colour and a 2x2
 * square at rows 1..2 whose left column is {@code t mod (width - 1)}, where {@code t} counts the
 * steps of the current game (0 after reset). Rewards are a function of {@code t}, a life is lost
 * every {@code lifeEvery} steps, the game is over when lives reach 0 or after the game's length,
 * and an optional truncation cuts it. Like a real emulator it reuses one pixel buffer, so a
 * wrapper that keeps a frame across steps without copying it gets wrong pixels, and it refuses
 * to step a finished game.
 */
final class FakeGame implements Env<Frame, Integer>, FrameSkipping {
    static final int[] BACKGROUND = {10, 20, 30};
    static final int[] SQUARE = {200, 100, 50};

    final int height;
    final int width;
    private final int frameskip;
    private final byte[] pixels;
    private final Frame frame;
    private final FrameSpace space;
    private int startLives = 3;
    private int lifeEvery;
    private IntUnaryOperator gameLength = episode -> 1000;
    private int truncateAt;
    private IntToDoubleFunction rewards = t -> 0;
    private boolean reportLives = true;

    int t;
    int lives;
    int frameNumber;
    boolean over = true;
    int resets;
    final List<Integer> actions = new ArrayList<>();
    final List<Long> seeds = new ArrayList<>();
    boolean closed;

    FakeGame(int height, int width, int frameskip) {
        this.height = height;
        this.width = width;
        this.frameskip = frameskip;
        this.pixels = new byte[height * width * 3];
        this.frame = new Frame(height, width, 3, pixels);
        this.space = new FrameSpace(height, width, 3);
    }

    /** A 210x160 screen that does not skip frames. */
    static FakeGame atari() {
        return new FakeGame(210, 160, 1);
    }

    FakeGame lives(int start, int every) {
        this.startLives = start;
        this.lifeEvery = every;
        return this;
    }

    FakeGame gameLength(int steps) {
        this.gameLength = episode -> steps;
        return this;
    }

    /** Length of each game by its index (0 = first game since construction). */
    FakeGame gameLengths(IntUnaryOperator byEpisode) {
        this.gameLength = byEpisode;
        return this;
    }

    FakeGame truncateAt(int steps) {
        this.truncateAt = steps;
        return this;
    }

    /** Reward of the t-th step of a game (t from 1). */
    FakeGame rewards(IntToDoubleFunction byStep) {
        this.rewards = byStep;
        return this;
    }

    FakeGame withoutLives() {
        this.reportLives = false;
        return this;
    }

    /** Left column of the square after step t. */
    int squareX(int step) {
        return step % (width - 1);
    }

    /** The pixel the screen shows after step {@code step} of a game. */
    int expected(int step, int y, int x, int c) {
        int sx = squareX(step);
        boolean in = y >= 1 && y <= 2 && x >= sx && x <= sx + 1;
        return in ? SQUARE[c] : BACKGROUND[c];
    }

    @Override
    public String id() {
        return "fake";
    }

    @Override
    public int frameskip() {
        return frameskip;
    }

    @Override
    public Space<Frame> observationSpace() {
        return space;
    }

    @Override
    public Space<Integer> actionSpace() {
        return new Discrete(4);
    }

    @Override
    public Reset<Frame> reset(long seed) {
        seeds.add(seed);
        return reset();
    }

    @Override
    public Reset<Frame> reset() {
        resets++;
        t = 0;
        lives = startLives;
        over = false;
        render();
        return new Reset<>(frame, info());
    }

    @Override
    public Step<Frame> step(Integer action) {
        if (over) {
            throw new IllegalStateException("step on a finished game without reset");
        }
        if (!actionSpace().contains(action)) {
            throw new IllegalArgumentException("bad action " + action);
        }
        actions.add(action);
        t++;
        frameNumber += frameskip;
        double r = rewards.applyAsDouble(t);
        if (lifeEvery > 0 && t % lifeEvery == 0) {
            lives--;
        }
        boolean terminated = lives <= 0 || t >= gameLength.applyAsInt(resets - 1);
        boolean truncated = !terminated && truncateAt > 0 && t >= truncateAt;
        over = terminated || truncated;
        render();
        return new Step<>(frame, r, terminated, truncated, info());
    }

    private Info info() {
        Info.Builder b = Info.builder();
        if (reportLives) {
            b.put(InfoKeys.LIVES, lives);
        }
        return b.put(InfoKeys.EPISODE_FRAME_NUMBER, t * frameskip).put(InfoKeys.FRAME_NUMBER, (long) frameNumber).build();
    }

    private void render() {
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                for (int c = 0; c < 3; c++) {
                    pixels[(y * width + x) * 3 + c] = (byte) expected(t, y, x, c);
                }
            }
        }
    }

    @Override
    public void close() {
        closed = true;
    }
}
