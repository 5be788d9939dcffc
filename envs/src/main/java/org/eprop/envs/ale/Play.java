package org.eprop.envs.ale;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.learning.rng.Rng;

/**
 * Plays episodes with a uniformly random, seeded policy: what {@code eprop play} runs to check a
 * game, its ROM and the wrappers (e.g. a video recorder) before training. A library class: the
 * command line that reads arguments and sets the exit code is {@code eprop play}.
 */
public final class Play {
    private Play() {
    }

    /** One played episode: its raw (unclipped) return, its length in steps and in emulator frames. */
    public record EpisodeResult(int episode, double episodeReturn, long length, long frames) {
    }

    /**
     * Plays {@code episodes} episodes on {@code env} wrapped by {@code wrap}, printing one line per
     * episode to {@code out}, and closes the (wrapped) environment at the end (so that a recorder
     * finishes its files). The first episode starts with {@code reset(seed)}, the others with
     * {@code reset()}; actions are drawn from the action space with an {@link Rng} derived from
     * {@code seed}, so a seed gives the same episodes.
     *
     * @param wrap wraps the environment before playing (e.g. {@code e -> new RecordVideo(e, dir)}),
     *     or null
     * @param out where the per-episode lines go, or null for none
     */
    public static List<EpisodeResult> play(Env<Frame, Integer> env, int episodes, long seed,
            UnaryOperator<Env<Frame, Integer>> wrap, PrintStream out) {
        if (episodes < 1) {
            throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
        }
        Env<Frame, Integer> e = wrap == null ? env : wrap.apply(env);
        Rng policy = new Rng(seed).split(0x9E3779B97F4A7C15L);
        List<EpisodeResult> results = new ArrayList<>(episodes);
        try {
            for (int ep = 1; ep <= episodes; ep++) {
                Reset<Frame> r = ep == 1 ? e.reset(seed) : e.reset();
                int startFrame = frames(r.info(), 0);
                double ret = 0;
                long length = 0;
                Step<Frame> s;
                do {
                    s = e.step(e.actionSpace().sample(policy));
                    ret += s.reward();
                    length++;
                } while (!s.done());
                long frames = s.info().get(AleEnv.EPISODE_FRAME_NUMBER).map(f -> (long) f - startFrame)
                        .orElse(length);
                EpisodeResult res = new EpisodeResult(ep, ret, length, frames);
                results.add(res);
                if (out != null) {
                    out.printf(Locale.ROOT, "%s episode %d/%d: return %.1f, length %d steps, %d frames%s%n", e.id(),
                            ep, episodes, ret, length, frames, s.terminated() ? "" : " (truncated)");
                }
            }
        } finally {
            e.close();
        }
        return results;
    }

    /** Plays an ALE game with the given settings (see {@link #play(Env, int, long, UnaryOperator, PrintStream)}). */
    public static List<EpisodeResult> play(AleSettings settings, int episodes, long seed,
            UnaryOperator<Env<Frame, Integer>> wrap, PrintStream out) {
        return play(new AleEnv(settings), episodes, seed, wrap, out);
    }

    private static int frames(Info info, int otherwise) {
        return info.get(AleEnv.EPISODE_FRAME_NUMBER).orElse(otherwise);
    }
}
