package org.eprop.envs.api;

/**
 * The info keys that more than one environment or wrapper reads or writes. They live in one
 * place so that a game backend and the wrappers stacked on it agree on names and types without
 * depending on each other: the ALE environment writes {@link #LIVES}, {@link #EPISODE_FRAME_NUMBER}
 * and {@link #FRAME_NUMBER} (Gymnasium's {@code AtariEnv} info), wrappers read them and add the
 * rest. Keys are records, so a key declared again elsewhere with the same name and type is the
 * same key.
 */
public final class InfoKeys {
    /** Lives left in the game (ALE {@code lives()}); read by {@code EpisodicLife}. */
    public static final Info.Key<Integer> LIVES = Info.Key.of("lives", Integer.class);
    /** Emulator frames since the start of the game (ALE {@code getEpisodeFrameNumber()}). */
    public static final Info.Key<Integer> EPISODE_FRAME_NUMBER = Info.Key.of("episode_frame_number", Integer.class);
    /** Emulator frames since the environment was created (ALE {@code getFrameNumber()}). */
    public static final Info.Key<Long> FRAME_NUMBER = Info.Key.of("frame_number", Long.class);

    /**
     * The game's reward before any clipping, summed over skipped frames. Written by reward
     * clipping (and carried through frame skipping) so that statistics stacked above it still
     * report the raw game.
     */
    public static final Info.Key<Double> RAW_REWARD = Info.Key.of("raw_reward", Double.class);

    /** Raw (unclipped) return of the episode that ended at this step. */
    public static final Info.Key<Double> EPISODE_RETURN = Info.Key.of("episode_return", Double.class);
    /** Number of steps of the episode that ended at this step. */
    public static final Info.Key<Integer> EPISODE_LENGTH = Info.Key.of("episode_length", Integer.class);
    /** Wall-clock duration of the episode that ended at this step. */
    public static final Info.Key<Double> EPISODE_TIME_SECONDS = Info.Key.of("episode_time_seconds", Double.class);

    /**
     * On the step that ends an episode: whether the episode ended in a correct decision (the task
     * says what that is, e.g. the majority side chosen in {@code cue/evidence-accumulation-rl}).
     * Agents average it over finished episodes into a fraction of correct decisions, a clearer
     * figure than the mean return where rewards are spread over several steps; episodes whose last
     * info lacks it are left out of that average.
     */
    public static final Info.Key<Boolean> CORRECT = Info.Key.of("correct", Boolean.class);

    /**
     * On an observation's info: true when the environment will ignore the action taken on this
     * observation, i.e. that action changes neither a reward nor anything that follows (e.g. the
     * cue and delay steps of {@code cue/evidence-accumulation-rl}). Its policy-gradient term then
     * has expectation zero and adds only variance, so the actor-critic leaves the policy loss of
     * such steps out (their value is still learnt). Absent means false.
     */
    public static final Info.Key<Boolean> ACTION_IGNORED = Info.Key.of("action_ignored", Boolean.class);

    /** Number of no-op actions taken after the reset that produced this observation. */
    public static final Info.Key<Integer> NOOPS = Info.Key.of("noops", Integer.class);

    private InfoKeys() {
    }
}
