package org.eprop.envs.wrappers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.OptionalDouble;
import java.util.function.LongSupplier;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;

/**
 * Records the return, length and duration of every episode: at the step that ends an episode
 * the info gets {@link InfoKeys#EPISODE_RETURN}, {@link InfoKeys#EPISODE_LENGTH} and
 * {@link InfoKeys#EPISODE_TIME_SECONDS} (Gymnasium's {@code RecordEpisodeStatistics}
 * {@code info["episode"]}), and {@link #episodes()} keeps the list of finished episodes.
 *
 * <p>The return is always that of the raw game: the sum of {@link InfoKeys#RAW_REWARD} where a
 * layer below clipped the reward, of the reward otherwise. A reported score must be the raw,
 * unclipped, full-game return, so:
 * <ul>
 *   <li>stack it low, directly on the game or on {@link RecordVideo}, and in any case below
 *       {@link NoopReset} and {@link FireReset} (their steps happen inside {@code reset} and would
 *       otherwise be missed) and below {@link EpisodicLife}, which it refuses to sit above (it
 *       would report per-life returns);</li>
 *   <li>the length counts steps of the layer below: agent steps on a game that skips frames
 *       itself, frames under {@link MaxAndSkip}.</li>
 * </ul>
 */
public final class EpisodeStatistics<O, A> extends Wrapper<O, A> {
    /**
     * One finished episode: {@code index} counts from 0 in the order episodes ended, {@code truncated}
     * says it was cut from outside (a time limit) rather than ended by the game.
     */
    public record Episode(int index, double rawReturn, int length, double seconds, boolean truncated) {
    }

    private final LongSupplier nanoClock;
    private final List<Episode> episodes = new ArrayList<>();
    private double rawReturn;
    private int length;
    private long start;
    private boolean started;
    /** The step that ends an episode, with the statistics added to its info; refilled each time. */
    private final Step<O> last = new Step<>();
    private final Info lastInfo = Info.reusable();

    public EpisodeStatistics(Env<O, A> env) {
        this(env, System::nanoTime);
    }

    /** With a clock for the episode duration (nanoseconds; tests pass a fake one). */
    public EpisodeStatistics(Env<O, A> env, LongSupplier nanoClock) {
        super(env);
        if (Wrappers.has(env, EpisodicLife.class)) {
            throw new IllegalArgumentException("EpisodeStatistics above EpisodicLife would report per-life returns; "
                    + "stack it below EpisodicLife, directly on the game");
        }
        this.nanoClock = nanoClock;
    }

    /** The statistics layer of a wrapper stack, if it has one. */
    public static Optional<EpisodeStatistics<?, ?>> in(Env<?, ?> env) {
        for (Env<?, ?> e : Wrappers.chain(env)) {
            if (e instanceof EpisodeStatistics<?, ?> s) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }

    /** Finished episodes, oldest first (a read-only view). */
    public List<Episode> episodes() {
        return Collections.unmodifiableList(episodes);
    }

    /** Mean raw return of the last {@code n} finished episodes (fewer if fewer have finished). */
    public OptionalDouble meanReturn(int n) {
        int from = Math.max(0, episodes.size() - n);
        return episodes.subList(from, episodes.size()).stream().mapToDouble(Episode::rawReturn).average();
    }

    @Override
    public Reset<O> reset(long seed) {
        begin();
        return env.reset(seed);
    }

    @Override
    public Reset<O> reset() {
        begin();
        return env.reset();
    }

    private void begin() {
        rawReturn = 0;
        length = 0;
        start = nanoClock.getAsLong();
        started = true;
    }

    @Override
    public Step<O> step(A action) {
        if (!started) {
            begin();
        }
        Step<O> s = env.step(action);
        rawReturn += s.info().getDouble(InfoKeys.RAW_REWARD, s.reward());
        length++;
        if (!s.done()) {
            return s;
        }
        double seconds = (nanoClock.getAsLong() - start) * 1e-9;
        episodes.add(new Episode(episodes.size(), rawReturn, length, seconds, s.truncated() && !s.terminated()));
        started = false;
        return last.set(s.observation(), s.reward(), s.terminated(), s.truncated(), lastInfo.setAll(s.info())
                .setDouble(InfoKeys.EPISODE_RETURN, rawReturn)
                .setInt(InfoKeys.EPISODE_LENGTH, length)
                .setDouble(InfoKeys.EPISODE_TIME_SECONDS, seconds));
    }

    @Override
    public String toString() {
        return "EpisodeStatistics";
    }
}
