package org.eprop.envs.ale;

import java.nio.file.Path;
import java.util.List;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.wrappers.AtariWrappers;

/**
 * The YAML parameters of an {@code ale/<game>} environment ({@code env.params}); the defaults are
 * ALE v5's. {@code preset: paper} starts from the paper's protocol
 * (docs/model.md §3.4) and {@code preprocessing: paper} stacks its wrappers (rewards summed over the
 * skip and clipped, 0-29 no-ops after each reset, 84x84 grayscale).
 *
 * @param romDir directory searched first for {@code <game>.bin} (then $EPROP_ROM_DIR, ~/.eprop/roms)
 * @param preset {@code v5} or {@code paper}: the base settings the keys below then override
 * @param frameskip frames per step (v5: 4)
 * @param repeatActionProbability sticky actions (v5: 0.25)
 * @param fullActionSpace all 18 actions instead of the minimal set
 * @param maxEpisodeFrames frame cap per episode, a truncation (v5: 108000; 0: none)
 * @param observation {@code rgb} (210x160x3), {@code grayscale} (210x160x1, ALE's palette luminance) or
 *     {@code luma} (210x160x1, the gray that the {@code atari} and {@code paper} preprocessing compute
 *     from {@code rgb}, read faster; under {@code paper}, the same observations as {@code rgb})
 * @param preprocessing wrappers on top: {@code none}, {@code atari} (Gymnasium's AtariPreprocessing)
 *     or {@code paper}
 * @param verbose let ALE print its console messages
 * @param allowUnknownRom {@code allow_unknown_rom}: load a ROM file that is not a known dump of the
 *     game (default false: such a file is refused, because ALE 0.6 hangs forever on many of them);
 *     it is then tried in a separate JVM first and run under a watchdog
 *     ({@link AleSettings#allowUnknownRom()})
 */
public record AleParams(String romDir, String preset, Integer frameskip, Double repeatActionProbability,
        Boolean fullActionSpace, Integer maxEpisodeFrames, AleSettings.Observation observation, String preprocessing,
        Boolean verbose, Boolean allowUnknownRom) {

    /** ALE v5's values, no preprocessing; {@code rom_dir} empty (search $EPROP_ROM_DIR, ~/.eprop/roms). */
    public static AleParams defaults() {
        return new AleParams("", "v5", 4, 0.25, false, AleSettings.V5_MAX_EPISODE_FRAMES, AleSettings.Observation.RGB,
                "none", false, false);
    }

    /** The parameters without {@code allow_unknown_rom} (left unset: unknown ROMs are refused). */
    public AleParams(String romDir, String preset, Integer frameskip, Double repeatActionProbability,
            Boolean fullActionSpace, Integer maxEpisodeFrames, AleSettings.Observation observation,
            String preprocessing, Boolean verbose) {
        this(romDir, preset, frameskip, repeatActionProbability, fullActionSpace, maxEpisodeFrames, observation,
                preprocessing, verbose, null);
    }

    public AleParams {
        if (preset != null && !List.of("v5", "paper").contains(preset)) {
            throw new IllegalArgumentException("preset must be one of: v5, paper (got '" + preset + "')");
        }
        if (preprocessing != null && !List.of("none", "atari", "paper").contains(preprocessing)) {
            throw new IllegalArgumentException("preprocessing must be one of: none, atari, paper (got '"
                    + preprocessing + "')");
        }
    }

    /** The settings for {@code game}: the preset (which fixes e.g. the paper's action set), then the keys. */
    public AleSettings settings(String game) {
        AleSettings s = "paper".equals(preset) ? AleSettings.paper(game) : AleSettings.v5(game);
        if (romDir != null && !romDir.isBlank()) {
            s = s.withRomDir(Path.of(romDir));
        }
        if (frameskip != null) {
            s = s.withFrameskip(frameskip);
        }
        if (repeatActionProbability != null) {
            s = s.withRepeatActionProbability(repeatActionProbability);
        }
        if (fullActionSpace != null) {
            s = s.withFullActionSpace(fullActionSpace);
        }
        if (maxEpisodeFrames != null) {
            s = s.withMaxEpisodeFrames(maxEpisodeFrames);
        }
        if (observation != null) {
            s = s.withObservation(observation);
        }
        if (verbose != null) {
            s = s.withVerbose(verbose);
        }
        if (allowUnknownRom != null) {
            s = s.withAllowUnknownRom(allowUnknownRom);
        }
        return s;
    }

    /** The preprocessing wrappers on top of a raw (possibly recorded) game. */
    public Env<Frame, Integer> preprocess(Env<Frame, Integer> env) {
        return switch (preprocessing == null ? "none" : preprocessing) {
            case "atari" -> AtariWrappers.atariPreprocessing(env);
            case "paper" -> AtariWrappers.paper(env);
            default -> env;
        };
    }
}
