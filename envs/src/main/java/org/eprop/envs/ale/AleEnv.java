package org.eprop.envs.ale;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.Lock;
import org.bytedeco.ale.ALEInterface;
import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;

/**
 * An Atari 2600 game on ALE 0.6.1 with Gymnasium's semantics ({@code ale_py}'s {@code AtariEnv}).
 *
 * <ul>
 *   <li>{@link #reset(long)} reseeds: ALE reads its {@code random_seed} only when it loads a ROM,
 *       so the ROM is reloaded (about 80 ms, as {@code ale_py} does), then the game is reset. Same
 *       seed, same trajectory. The seed given to ALE is a 31-bit number derived from the long.</li>
 *   <li>{@link #reset()} starts the next episode; the emulator's random state carries on. A new
 *       environment behaves as if {@code reset(0)} had been called: the first {@code reset()}
 *       gives the same episode as {@code reset(0)}.</li>
 *   <li>{@link #step} repeats the action for {@code frameskip} frames (sticky actions apply per
 *       frame) and returns the summed reward, {@code terminated} = game over, {@code truncated} =
 *       the episode reached {@code maxEpisodeFrames} frames without game over (the cap is kept here,
 *       not in ALE, which would report it as game over), and an info with {@link #LIVES},
 *       {@link #EPISODE_FRAME_NUMBER} and {@link #FRAME_NUMBER}.</li>
 *   <li>Observations are one reused {@link Frame} (RGB 210x160x3, or 210x160x1: ALE's grayscale or
 *       the luma of the RGB screen, {@link AleSettings.Observation}), and the
 *       {@link Step}, {@link Reset} and their {@link Info} are reused too, all valid until the next
 *       call: a step allocates nothing.</li>
 *   <li>Actions are indices into the action set: the game's minimal set by default, all 18, or an
 *       explicit list ({@link AleSettings#actions()}); {@link #actionSet()} gives the raw ALE actions.</li>
 * </ul>
 *
 * <p>The ROM is found and checked ({@link AleRoms}) before ALE is touched, so a missing, misnamed,
 * corrupt or unknown ROM is an {@link AleException}, not a dead or hung JVM. A ROM that is not a
 * known dump is used only where the settings allow it ({@link AleSettings#allowUnknownRom()}): it
 * is first tried in a separate JVM ({@link RomProbe}), and every native call of this environment
 * then runs under an {@link AleWatchdog}, which throws {@link EmulatorStalledException} when the
 * emulator makes no progress. One instance must be used by one thread at a time; instances are
 * independent (see {@link AleEnvironments#vector}).
 */
public final class AleEnv implements Env<Frame, Integer>, org.eprop.envs.api.FrameSkipping,
        org.eprop.envs.api.RgbScreen {
    /** Lives left ({@code ale.lives()}; 0 for games without lives, e.g. Pong). */
    public static final Info.Key<Integer> LIVES = org.eprop.envs.api.InfoKeys.LIVES;
    /** Frames since the start of the episode. */
    public static final Info.Key<Integer> EPISODE_FRAME_NUMBER = org.eprop.envs.api.InfoKeys.EPISODE_FRAME_NUMBER;
    /** Frames this environment has emulated in all episodes (reset frames excluded, reseeds included). */
    public static final Info.Key<Long> FRAME_NUMBER = org.eprop.envs.api.InfoKeys.FRAME_NUMBER;

    /** Screen height and width. */
    public static final int HEIGHT = 210;
    public static final int WIDTH = 160;

    private final AleSettings settings;
    private final String game;
    private final Path rom;
    private final ALEInterface ale;
    private final int[] actionSet;
    private final Discrete actionSpace;
    private final FrameSpace observationSpace;
    private final Frame frame;
    private final byte[] pixels;
    private final Step<Frame> step = new Step<>();
    private final Reset<Frame> reset = new Reset<>();
    private final Info info = Info.reusable();
    private final boolean rgb;
    private final boolean luma;
    /**
     * Luma observations: the emulator's screen of palette indices (its own buffer, found again after
     * every ROM load, which rebuilds the emulator), a copy of it, and each index's luma (-1 until
     * seen: learnt from ALE's RGB screen the first time an index appears, so that the table is ALE's
     * palette for this cartridge's video format, whatever that is).
     */
    private BytePointer screenIndices;
    private final byte[] indices;
    private final int[] lumaOf;
    private byte[] rgbScratch;
    private final int frameskip;
    private final int maxEpisodeFrames;
    /** Runs the native calls of an unknown ROM; null for a known dump (calls run on the caller's thread). */
    private final AleWatchdog watchdog;
    private long framesBeforeLoad;
    private boolean needsReset = true;
    private boolean closed;

    /**
     * Finds and checks the ROM, then creates the emulator and loads the game with seed 0.
     *
     * @throws UnsupportedGameException for a name ALE 0.6.1 does not know
     * @throws RomNotFoundException when no ROM file is found
     * @throws CorruptRomException when the file found is not a plausible cartridge image
     * @throws UnknownRomException when it is not a known dump and the settings do not allow that
     * @throws EmulatorStalledException when an allowed unknown ROM makes the emulator stall
     * @throws IllegalArgumentException for a mode or difficulty the game does not have
     */
    public AleEnv(AleSettings settings) {
        this(settings, AleWatchdog.DEFAULT_BUDGET, true);
    }

    /**
     * As {@link #AleEnv(AleSettings)}, with the watchdog's CPU budget per native call, and whether an
     * unknown ROM is first tried in a separate JVM ({@link RomProbe} itself runs without, and tests
     * of the in-process watchdog skip it).
     */
    AleEnv(AleSettings settings, Duration stallBudget, boolean probeUnknown) {
        this.settings = settings;
        this.rgb = settings.observation() == AleSettings.Observation.RGB;
        this.luma = settings.observation() == AleSettings.Observation.LUMA;
        this.game = AleGames.canonical(settings.game());
        AleRoms.Rom found = AleRoms.find(game, settings.romDir(), settings.allowUnknownRom());
        this.rom = found.file();
        if (!found.known() && probeUnknown) {
            RomProbe.require(found, settings);
        }
        AleNative.verbose(settings.verbose());
        this.watchdog = found.known() ? null : new AleWatchdog(game, rom, stallBudget);
        Lock lock = AleNative.exclusive();
        lock.lock();
        try {
            this.ale = new ALEInterface();
            try {
                this.actionSet = nativeCall("loadROM", () -> {
                    load(aleSeed(0));
                    int[] actions = chooseActions();
                    checkChoice("mode", settings.mode(), ale.getAvailableModes());
                    checkChoice("difficulty", settings.difficulty(), ale.getAvailableDifficulties());
                    applyModeAndDifficulty();
                    if (luma) {
                        screenIndices = screenBuffer();
                    }
                    return actions;
                });
            } catch (RuntimeException e) {
                release();
                throw e;
            }
        } finally {
            lock.unlock();
        }
        this.actionSpace = new Discrete(actionSet.length);
        this.indices = luma ? new byte[HEIGHT * WIDTH] : null;
        this.lumaOf = luma ? new int[256] : null;
        if (luma) {
            java.util.Arrays.fill(lumaOf, -1);
        }
        this.observationSpace = new FrameSpace(HEIGHT, WIDTH, rgb ? 3 : 1);
        this.pixels = new byte[HEIGHT * WIDTH * (rgb ? 3 : 1)];
        this.frame = new Frame(HEIGHT, WIDTH, rgb ? 3 : 1, pixels);
        this.frameskip = settings.frameskip();
        this.maxEpisodeFrames = settings.maxEpisodeFrames();
    }

    /** An environment with Gymnasium's v5 defaults ({@link AleSettings#v5}). */
    public static AleEnv v5(String game) {
        return new AleEnv(AleSettings.v5(game));
    }

    /** The 31-bit seed handed to ALE for a reset seed. */
    static int aleSeed(long seed) {
        return (int) (new Rng(seed).nextLong() >>> 33);
    }

    /**
     * Runs native calls: on this thread for a known dump, on the watchdog's thread otherwise. The
     * step and reset paths call their bodies directly for known dumps, without a lambda.
     */
    private <T> T nativeCall(String operation, Callable<T> call) {
        if (watchdog != null) {
            return watchdog.call(operation, call);
        }
        try {
            return call.call();
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(operation + " failed", e);
        }
    }

    /** Frees the emulator, unless a stalled call still runs inside it (see {@link AleWatchdog}). */
    private void release() {
        if (watchdog == null || !watchdog.stalled()) {
            ale.close();
        }
        if (watchdog != null) {
            watchdog.close();
        }
    }

    /** Loads the ROM with a seed; the caller holds {@link AleNative#exclusive()}. */
    private void load(int aleSeed) {
        AleNative.verbose(settings.verbose());
        ale.setInt("random_seed", aleSeed);
        ale.setFloat("repeat_action_probability", (float) settings.repeatActionProbability());
        ale.setInt("frame_skip", 1);
        ale.setInt("max_num_frames_per_episode", 0);
        ale.setBool("color_averaging", false);
        ale.loadROM(rom.toString());
    }

    private void applyModeAndDifficulty() {
        if (settings.mode() != null) {
            ale.setMode(settings.mode());
        }
        if (settings.difficulty() != null) {
            ale.setDifficulty(settings.difficulty());
        }
    }

    private int[] chooseActions() {
        if (settings.actions() != null) {
            return settings.actions().stream().mapToInt(Integer::intValue).toArray();
        }
        if (settings.fullActionSpace()) {
            return toArray(ale.getLegalActionSet());
        }
        return toArray(ale.getMinimalActionSet());
    }

    private void checkChoice(String what, Integer value, IntPointer available) {
        if (value == null) {
            return;
        }
        int[] values = toArray(available);
        for (int v : values) {
            if (v == value) {
                return;
            }
        }
        throw new IllegalArgumentException(game + " has no " + what + " " + value + "; available: "
                + java.util.Arrays.toString(values));
    }

    private static int[] toArray(IntPointer p) {
        int[] a = new int[(int) p.limit()];
        p.get(a);
        return a;
    }

    @Override
    public String id() {
        return "ale/" + game;
    }

    @Override
    public Space<Frame> observationSpace() {
        return observationSpace;
    }

    @Override
    public Space<Integer> actionSpace() {
        return actionSpace;
    }

    @Override
    public Reset<Frame> reset(long seed) {
        checkOpen();
        Lock lock = AleNative.exclusive();
        lock.lock();
        try {
            nativeCall("loadROM", () -> {
                framesBeforeLoad += ale.getFrameNumber();
                load(aleSeed(seed));
                applyModeAndDifficulty();
                if (luma) {
                    screenIndices = screenBuffer();
                }
                return null;
            });
        } finally {
            lock.unlock();
        }
        return startEpisode();
    }

    @Override
    public Reset<Frame> reset() {
        checkOpen();
        return startEpisode();
    }

    private Reset<Frame> startEpisode() {
        AleNative.verbose(settings.verbose());
        Lock lock = AleNative.shared();
        lock.lock();
        try {
            Reset<Frame> r = watchdog == null ? resetNative() : watchdog.call("reset_game", this::resetNative);
            needsReset = false;
            return r;
        } finally {
            lock.unlock();
        }
    }

    private Reset<Frame> resetNative() {
        ale.reset_game();
        observe();
        return reset.set(frame, info(ale.getEpisodeFrameNumber()));
    }

    @Override
    public Step<Frame> step(Integer action) {
        if (needsReset) {
            checkOpen();
            throw new IllegalStateException(id() + ": reset() before step() (at the start and after an episode ends)");
        }
        int a = action;
        if (a < 0 || a >= actionSet.length) {
            throw new IllegalArgumentException(id() + ": action " + a + " is not in " + actionSpace.describe());
        }
        int raw = actionSet[a];
        Lock lock = AleNative.shared();
        lock.lock();
        try {
            Step<Frame> s = watchdog == null ? stepNative(raw) : watchdog.call("step", () -> stepNative(raw));
            needsReset = s.done();
            return s;
        } finally {
            lock.unlock();
        }
    }

    private Step<Frame> stepNative(int raw) {
        int frames = frameskip;
        if (maxEpisodeFrames > 0) {
            frames = Math.min(frames, maxEpisodeFrames - ale.getEpisodeFrameNumber());
        }
        int reward = 0;
        for (int i = 0; i < frames; i++) {
            reward += ale.act(raw);
        }
        boolean terminated = ale.game_over();
        int episodeFrame = ale.getEpisodeFrameNumber();
        boolean truncated = !terminated && maxEpisodeFrames > 0 && episodeFrame >= maxEpisodeFrames;
        observe();
        return step.set(frame, reward, terminated, truncated, info(episodeFrame));
    }

    private void observe() {
        if (rgb) {
            ale.getScreenRGB(pixels);
        } else if (luma) {
            observeLuma();
        } else {
            ale.getScreenGrayscale(pixels);
        }
    }

    /** The emulator's palette-index screen, checked for its size (a new one after every ROM load). */
    private BytePointer screenBuffer() {
        org.bytedeco.ale.ALEScreen screen = ale.getScreen();
        if (screen.height() != HEIGHT || screen.width() != WIDTH) {
            throw new AleException(id() + ": ALE's screen is " + screen.height() + "x" + screen.width() + ", expected "
                    + HEIGHT + "x" + WIDTH);
        }
        return screen.getArray();
    }

    /** The luma of the screen from its palette indices; an index not seen before is learnt from the RGB screen. */
    private void observeLuma() {
        byte[] idx = indices;
        screenIndices.position(0).get(idx, 0, idx.length);
        int[] table = lumaOf;
        for (int i = 0; i < idx.length; i++) {
            int v = table[idx[i] & 0xFF];
            if (v < 0) {
                learnLuma();
                v = table[idx[i] & 0xFF];
            }
            pixels[i] = (byte) v;
        }
    }

    /**
     * Fills the table for the indices on screen now from ALE's RGB screen of the same moment. ALE
     * draws each index in one colour (its palette, colour averaging off), which a test checks.
     */
    private void learnLuma() {
        if (rgbScratch == null) {
            rgbScratch = new byte[HEIGHT * WIDTH * 3];
        }
        byte[] c = rgbScratch;
        ale.getScreenRGB(c);
        for (int i = 0, j = 0; i < indices.length; i++, j += 3) {
            int k = indices[i] & 0xFF;
            if (lumaOf[k] < 0) {
                lumaOf[k] = org.eprop.envs.wrappers.GrayscaleResize.luma(c[j] & 0xFF, c[j + 1] & 0xFF, c[j + 2] & 0xFF);
            }
        }
    }

    private Info info(int episodeFrame) {
        return info.clear()
                .setInt(LIVES, ale.lives())
                .setInt(EPISODE_FRAME_NUMBER, episodeFrame)
                .setLong(FRAME_NUMBER, framesBeforeLoad + ale.getFrameNumber());
    }


    /** Frames per step; wrappers use it to refuse a second skip ({@code MaxAndSkip}). */
    @Override
    public int frameskip() {
        return frameskip;
    }

    /** The current screen in RGB (a new frame, whatever the observation type), e.g. for videos. */
    @Override
    public Frame render() {
        checkOpen();
        Frame f = Frame.blank(HEIGHT, WIDTH, 3);
        Lock lock = AleNative.shared();
        lock.lock();
        try {
            ale.getScreenRGB(f.pixels());
        } finally {
            lock.unlock();
        }
        return f;
    }

    /** The raw ALE action of each action index. */
    public int[] actionSet() {
        return actionSet.clone();
    }

    /** The names of the actions, by index (e.g. NOOP, FIRE, RIGHT, LEFT, RIGHTFIRE, LEFTFIRE for Pong). */
    public List<String> actionMeanings() {
        return AleGames.actionNames(actionSet);
    }

    /** The game's modes. */
    public int[] availableModes() {
        checkOpen();
        return toArray(ale.getAvailableModes());
    }

    /** The game's difficulties. */
    public int[] availableDifficulties() {
        checkOpen();
        return toArray(ale.getAvailableDifficulties());
    }

    /** Lives left now. */
    public int lives() {
        checkOpen();
        return ale.lives();
    }

    /** The 128 bytes of console RAM now, into {@code out} (length >= 128). */
    public byte[] ram(byte[] out) {
        checkOpen();
        org.bytedeco.ale.ALERAM ram = ale.getRAM();
        for (int i = 0; i < 128; i++) {
            out[i] = ram.get(i);
        }
        return out;
    }

    /** The ALE game name. */
    public String game() {
        return game;
    }

    /** The ROM file in use. */
    public Path romPath() {
        return rom;
    }

    public AleSettings settings() {
        return settings;
    }

    /** Throws for a closed environment, and for one whose emulator stalled (it is still running). */
    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException(id() + " is closed");
        }
        if (watchdog != null) {
            watchdog.checkNotStalled();
        }
    }

    /** Whether the ROM is not a known dump (loaded because the settings allow it, under a watchdog). */
    public boolean unknownRom() {
        return watchdog != null;
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            needsReset = true;
            Lock lock = AleNative.exclusive();
            lock.lock();
            try {
                release();
            } finally {
                lock.unlock();
            }
        }
    }

    @Override
    public String toString() {
        return "AleEnv[" + id() + ", " + settings + "]";
    }
}
