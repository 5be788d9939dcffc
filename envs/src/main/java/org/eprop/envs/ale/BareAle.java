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
 * <p>The ROM is found and checked as for {@link AleEnv} ({@link AleRoms}), because ALE 0.6 ends or
 * crashes the JVM on a bad one. ALE's own frame skip stays 1, so {@link #act} repeats the action
 * itself, as {@link AleEnv} does.
 */
public final class BareAle implements AutoCloseable {
    private final ALEInterface ale;
    private final Path rom;
    private final int[] minimalActions;
    private boolean closed;

    private BareAle(ALEInterface ale, Path rom, int[] minimalActions) {
        this.ale = ale;
        this.rom = rom;
        this.minimalActions = minimalActions;
    }

    /**
     * Loads the game of {@code settings} (its ROM directory, sticky-action probability and console
     * verbosity; the rest of the settings is {@link AleEnv}'s business) with ALE seed {@code seed}.
     *
     * @throws RomNotFoundException when no ROM file is found
     * @throws CorruptRomException when the file found is not a plausible cartridge image
     */
    public static BareAle open(AleSettings settings, int seed) {
        String game = AleGames.canonical(settings.game());
        Path rom = AleRoms.resolve(game, settings.romDir());
        AleNative.verbose(settings.verbose());
        Lock lock = AleNative.exclusive();
        lock.lock();
        try {
            ALEInterface ale = new ALEInterface();
            try {
                ale.setInt("random_seed", seed);
                ale.setFloat("repeat_action_probability", (float) settings.repeatActionProbability());
                ale.loadROM(rom.toString());
                IntPointer p = ale.getMinimalActionSet();
                int[] actions = new int[(int) p.limit()];
                p.get(actions);
                return new BareAle(ale, rom, actions);
            } catch (RuntimeException e) {
                ale.close();
                throw e;
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
            int reward = 0;
            for (int f = 0; f < frames; f++) {
                reward += ale.act(action);
            }
            return reward;
        } finally {
            lock.unlock();
        }
    }

    /** Whether the game is over. */
    public boolean gameOver() {
        return ale.game_over();
    }

    /** Starts a new game. */
    public void resetGame() {
        Lock lock = AleNative.shared();
        lock.lock();
        try {
            ale.reset_game();
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
            ale.close();
        } finally {
            lock.unlock();
        }
    }
}
