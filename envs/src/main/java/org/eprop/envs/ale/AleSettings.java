package org.eprop.envs.ale;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.stream.IntStream;

/**
 * What an {@link AleEnv} plays and how. The defaults ({@link #v5}) are those of Gymnasium's
 * {@code ALE/<Game>-v5}: frameskip 4, sticky actions 0.25, minimal action set, 108 000 frames per
 * episode at most, RGB observations.
 *
 * @param game the ALE game name (any spelling {@link AleGames#canonical} accepts)
 * @param romDir directory searched first for {@code <game>.bin}, or null (see {@link AleRoms})
 * @param frameskip frames per step; the action is repeated and the rewards summed (ALE's own
 *     {@code frame_skip} stays 1, so sticky actions act per frame as in {@code ale_py})
 * @param repeatActionProbability sticky actions: per frame, the previous action is kept with this
 *     probability (Machado et al. 2018)
 * @param fullActionSpace all 18 ALE actions instead of the game's minimal set
 * @param maxEpisodeFrames emulator frames after which an episode is truncated (0: no cap)
 * @param observation RGB (210x160x3) or ALE's grayscale (210x160x1)
 * @param mode game mode, or null for the game's default
 * @param difficulty game difficulty, or null for the default
 * @param actions an explicit action set (raw ALE action numbers 0..17, in the order of the action
 *     indices), or null to use the minimal or full set; overrides {@code fullActionSpace}
 * @param verbose let ALE print its console messages (they are silenced otherwise)
 * @param allowUnknownRom load a ROM file that passes the content checks but is not a known dump of
 *     the game (its MD5 is not in {@link AleGames#KNOWN_DUMPS}); such a file is refused otherwise,
 *     because ALE 0.6 hangs forever on many of them. An allowed one is tried in a separate JVM first
 *     ({@link RomProbe}) and then run under a watchdog ({@link AleWatchdog}) that throws
 *     {@link EmulatorStalledException} when the emulator makes no progress.
 */
public record AleSettings(String game, Path romDir, int frameskip, double repeatActionProbability,
        boolean fullActionSpace, int maxEpisodeFrames, Observation observation, Integer mode, Integer difficulty,
        List<Integer> actions, boolean verbose, boolean allowUnknownRom) {

    /** The observation type. */
    public enum Observation {
        /** 210x160x3, ALE's {@code getScreenRGB}. */
        RGB,
        /** 210x160x1, ALE's {@code getScreenGrayscale} (the palette's luminance). */
        GRAYSCALE,
        /**
         * 210x160x1, the BT.601 luma of the RGB screen as OpenCV's {@code RGB2GRAY} rounds it: the
         * gray that {@link org.eprop.envs.wrappers.GrayscaleResize} computes from {@link #RGB}, the
         * same bytes, read from the emulator's palette indices through a table instead of from its
         * RGB screen (a sixth of the per-step cost of fetching and converting the RGB screen).
         */
        LUMA
    }

    /** Gymnasium's v5 frame cap (30 minutes at 60 frames/s). */
    public static final int V5_MAX_EPISODE_FRAMES = 108_000;

    public AleSettings {
        Objects.requireNonNull(game, "game");
        if (game.isBlank()) {
            throw new IllegalArgumentException("game must not be blank");
        }
        if (frameskip < 1) {
            throw new IllegalArgumentException("frameskip must be >= 1, got " + frameskip);
        }
        if (!(repeatActionProbability >= 0 && repeatActionProbability < 1)) {
            throw new IllegalArgumentException("repeatActionProbability must lie in [0, 1), got "
                    + repeatActionProbability);
        }
        if (maxEpisodeFrames < 0) {
            throw new IllegalArgumentException("maxEpisodeFrames must be >= 0 (0: no cap), got " + maxEpisodeFrames);
        }
        Objects.requireNonNull(observation, "observation");
        if (mode != null && mode < 0) {
            throw new IllegalArgumentException("mode must be >= 0, got " + mode);
        }
        if (difficulty != null && difficulty < 0) {
            throw new IllegalArgumentException("difficulty must be >= 0, got " + difficulty);
        }
        if (actions != null) {
            actions = List.copyOf(actions);
            if (actions.isEmpty()) {
                throw new IllegalArgumentException("actions must not be empty (use null for the game's set)");
            }
            if (new HashSet<>(actions).size() != actions.size()) {
                throw new IllegalArgumentException("actions must be distinct, got " + actions);
            }
            for (int a : actions) {
                if (a < 0 || a >= AleGames.FULL_ACTIONS) {
                    throw new IllegalArgumentException("ALE actions are 0..17, got " + a + " in " + actions);
                }
            }
        }
    }

    /** Gymnasium's {@code ALE/<Game>-v5} defaults. */
    public static AleSettings v5(String game) {
        return new AleSettings(game, null, 4, 0.25, false, V5_MAX_EPISODE_FRAMES, Observation.RGB, null, null, null,
                false, false);
    }

    /**
     * What the environment itself does in the e-prop paper's Atari runs (docs/model.md §3.4):
     * exactly 4 frames per step with the rewards summed, sticky actions 0.25 (ALE 0.6's build
     * default, which the code did not change), life loss not terminal, and the action set raw
     * {0, 3, 4} (NOOP, RIGHT, LEFT) for Pong and raw 0..9 for any other game. Observations are RGB:
     * the paper converts RGB to gray itself (cv2 weights, not ALE's palette luminance).
     *
     * <p>The rest of the paper's preprocessing belongs to wrappers stacked on top, in this order
     * from the inside: 0..29 uniformly random NOOPs after each reset; RGB to grayscale and an INTER_AREA
     * resize to 84x84; reward clipping to [-1, 1] (the reported return is the sum of clipped
     * rewards); the episode-length curriculum (200 agent steps, growing) as a time limit that the
     * agent treats as terminal. The 108 000-frame cap kept here never binds under that curriculum.
     */
    public static AleSettings paper(String game) {
        String g = AleGames.find(game).orElse(game);
        List<Integer> actions = g.equals("pong") ? List.of(0, 3, 4) : IntStream.range(0, 10).boxed().toList();
        return new AleSettings(game, null, 4, 0.25, false, V5_MAX_EPISODE_FRAMES, Observation.RGB, null, null,
                actions, false, false);
    }

    public AleSettings withGame(String value) {
        return new AleSettings(value, romDir, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                observation, mode, difficulty, actions, verbose, allowUnknownRom);
    }

    public AleSettings withRomDir(Path value) {
        return new AleSettings(game, value, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                observation, mode, difficulty, actions, verbose, allowUnknownRom);
    }

    public AleSettings withFrameskip(int value) {
        return new AleSettings(game, romDir, value, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                observation, mode, difficulty, actions, verbose, allowUnknownRom);
    }

    public AleSettings withRepeatActionProbability(double value) {
        return new AleSettings(game, romDir, frameskip, value, fullActionSpace, maxEpisodeFrames, observation, mode,
                difficulty, actions, verbose, allowUnknownRom);
    }

    public AleSettings withFullActionSpace(boolean value) {
        return new AleSettings(game, romDir, frameskip, repeatActionProbability, value, maxEpisodeFrames, observation,
                mode, difficulty, actions, verbose, allowUnknownRom);
    }

    public AleSettings withMaxEpisodeFrames(int value) {
        return new AleSettings(game, romDir, frameskip, repeatActionProbability, fullActionSpace, value, observation,
                mode, difficulty, actions, verbose, allowUnknownRom);
    }

    public AleSettings withObservation(Observation value) {
        return new AleSettings(game, romDir, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                value, mode, difficulty, actions, verbose, allowUnknownRom);
    }

    public AleSettings withMode(Integer value) {
        return new AleSettings(game, romDir, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                observation, value, difficulty, actions, verbose, allowUnknownRom);
    }

    public AleSettings withDifficulty(Integer value) {
        return new AleSettings(game, romDir, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                observation, mode, value, actions, verbose, allowUnknownRom);
    }

    public AleSettings withActions(List<Integer> value) {
        return new AleSettings(game, romDir, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                observation, mode, difficulty, value, verbose, allowUnknownRom);
    }

    public AleSettings withVerbose(boolean value) {
        return new AleSettings(game, romDir, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                observation, mode, difficulty, actions, value, allowUnknownRom);
    }

    public AleSettings withAllowUnknownRom(boolean value) {
        return new AleSettings(game, romDir, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames,
                observation, mode, difficulty, actions, verbose, value);
    }
}
