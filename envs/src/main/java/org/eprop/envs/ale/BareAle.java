package org.eprop.envs.ale;

import java.nio.file.Path;
import java.util.concurrent.locks.Lock;
import org.bytedeco.ale.ALEInterface;
import org.bytedeco.javacpp.IntPointer;

/**
 * One ALE emulator driven directly: no screen reads, infos or wrappers. It is the baseline that
 * the cost of {@link AleEnv} and of the wrappers is measured against ({@code eprop bench --ale});
 * for anything else use {@link AleEnv}, which has Gymnasium's semantics.
 *
 * <p>The ROM is found and checked as for {@link AleEnv} ({@link AleRoms}), because ALE 0.6 ends,
 * crashes or hangs the JVM on a bad one; a ROM that is not a known dump is used only where the
 * settings allow it, after a trial in a separate JVM ({@link RomProbe}) and with every native call
 * under an {@link AleWatchdog}, as in {@link AleEnv}. ALE's own frame skip stays 1, so
 * {@link #act} repeats the action itself, as {@link AleEnv} does.
 */
public final class BareAle implements AutoCloseable {
    private final ALEInterface ale;
    private final Path rom;
    private final int[] minimalActions;
    private final AleWatchdog watchdog;
    private boolean closed;

    private BareAle(ALEInterface ale, Path rom, int[] minimalActions, AleWatchdog watchdog) {
        this.ale = ale;
        this.rom = rom;
        this.minimalActions = minimalActions;
        this.watchdog = watchdog;
    }

    /**
     * Loads the game of {@code settings} (its ROM directory, sticky-action probability and console
     * verbosity; the rest of the settings is {@link AleEnv}'s business) with ALE seed {@code seed}.
     *
     * @throws RomNotFoundException when no ROM file is found
     * @throws CorruptRomException when the file found is not a plausible cartridge image
     * @throws UnknownRomException when it is not a known dump and the settings do not allow that
     * @throws EmulatorStalledException when an allowed unknown ROM makes the emulator stall
     */
    public static BareAle open(AleSettings settings, int seed) {
        String game = AleGames.canonical(settings.game());
        AleRoms.Rom found = AleRoms.find(game, settings.romDir(), settings.allowUnknownRom());
        if (!found.known()) {
            RomProbe.require(found, settings);
        }
        Path rom = found.file();
        AleNative.verbose(settings.verbose());
        AleWatchdog watchdog = found.known() ? null : new AleWatchdog(game, rom, AleWatchdog.DEFAULT_BUDGET);
        Lock lock = AleNative.exclusive();
        lock.lock();
        try {
            ALEInterface ale = new ALEInterface();
            try {
                java.util.concurrent.Callable<int[]> load = () -> {
                    ale.setInt("random_seed", seed);
                    ale.setFloat("repeat_action_probability", (float) settings.repeatActionProbability());
                    ale.loadROM(rom.toString());
                    IntPointer p = ale.getMinimalActionSet();
                    int[] actions = new int[(int) p.limit()];
                    p.get(actions);
                    return actions;
                };
                int[] actions = watchdog == null ? load.call() : watchdog.call("loadROM", load);
                return new BareAle(ale, rom, actions, watchdog);
            } catch (RuntimeException e) {
                if (watchdog == null || !watchdog.stalled()) {
                    ale.close();
                }
                if (watchdog != null) {
                    watchdog.close();
                }
                throw e;
            } catch (Exception e) {
                ale.close();
                throw new IllegalStateException("loadROM failed", e);
            }
        } finally {
            lock.unlock();
        }
    }

    /** The checked ROM file that was loaded. */
    public Path rom() {
        return rom;
    }

    /** The game's minimal action set, as ALE action numbers. */
    public int[] minimalActions() {
        return minimalActions.clone();
    }

    /** Plays ALE action {@code action} for {@code frames} frames and returns the summed reward. */
    public int act(int action, int frames) {
        Lock lock = AleNative.shared();
        lock.lock();
        try {
            return watchdog == null ? actNative(action, frames) : watchdog.call("act", () -> actNative(action, frames));
        } finally {
            lock.unlock();
        }
    }

    private int actNative(int action, int frames) {
        int reward = 0;
        for (int f = 0; f < frames; f++) {
            reward += ale.act(action);
        }
        return reward;
    }

    /** Whether the game is over. */
    public boolean gameOver() {
        if (watchdog != null) {
            watchdog.checkNotStalled();
        }
        return ale.game_over();
    }

    /** Starts a new game. */
    public void resetGame() {
        Lock lock = AleNative.shared();
        lock.lock();
        try {
            if (watchdog == null) {
                ale.reset_game();
            } else {
                watchdog.run("reset_game", ale::reset_game);
            }
        } finally {
            lock.unlock();
        }
    }

    /** Releases the emulator; idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        Lock lock = AleNative.exclusive();
        lock.lock();
        try {
            if (watchdog == null || !watchdog.stalled()) {
                ale.close();
            }
            if (watchdog != null) {
                watchdog.close();
            }
        } finally {
            lock.unlock();
        }
    }
}
