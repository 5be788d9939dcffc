package org.eprop.agent.actorcritic;

import org.eprop.learning.rng.Rng;

/**
 * The episode-length curriculum of the original Atari code ({@code max_episode_len},
 * {@code increase_episode_len_every}, {@code increase_episode_len_by},
 * {@code max_episode_len_jitter}, {@code use_cubic_schedule} in {@code Figure_4_and_5_ATARI/main.py}
 * of IGITUGraz/eligibility_propagation; docs/model.md §3.2): episodes are cut after {@link #cap()}
 * agent steps, and hitting the cap is terminal (discount 0, no bootstrap; see
 * {@link ActorCriticLoss}).
 *
 * <p>Two numbers are kept: the <em>base</em> cap, which grows, and the <em>jittered</em> cap that
 * the environments use. Once per training iteration (unroll), after the learner step, the original
 * does, in this order:
 * <ol>
 *   <li>jitter: {@code cap = base + int(uniform[0, 2J)) - J}, a uniform integer in
 *       {@code [base - J, base + J - 1]} (the float draw truncated to an integer, so the upper end
 *       is {@code J - 1}, not {@code J});</li>
 *   <li>growth: if {@code frames > lastGrowth + every}, then {@code base = int((base^(1/3) + by)^3)}
 *       (cubic schedule) or {@code base + by} (linear), and {@code lastGrowth = frames}.</li>
 * </ol>
 * So a grown base takes effect at the next iteration's jitter, and growth is measured from the
 * frame count at which it last happened (not a fixed grid). The cubic power is evaluated in float
 * (the original's float32 {@code tf.math.pow}), giving 200, 321, 483, 692, 954, 1275, 1661, 2118,
 * 2652, 3269, 3975, ... from 200. Both caps start at the initial value.
 *
 * <p>One deliberate difference: with jitter 0 the original never updates the jittered cap (its
 * jitter op is a no-op), so the cap stays at its initial value however the base grows; here the cap
 * follows the base.
 *
 * <p>The curriculum owns its {@link Rng}; give it a dedicated one (for example
 * {@code rng.split(stream)}), since {@link #state()} saves and restores it.
 */
public final class EpisodeCurriculum {

    /**
     * @param initialCap  starting cap in agent steps ({@code max_episode_len}, 200)
     * @param growEvery   environment frames between growths ({@code increase_episode_len_every}, 7e7)
     * @param growBy      the increment of the cube root (cubic) or of the cap (linear)
     *                    ({@code increase_episode_len_by}, 1)
     * @param jitter      J, the jitter half-width in agent steps ({@code max_episode_len_jitter}, 25)
     * @param cubic       cubic schedule ({@code use_cubic_schedule}, true) or linear
     */
    public record Settings(int initialCap, long growEvery, int growBy, int jitter, boolean cubic) {
        public Settings {
            if (initialCap < 1) {
                throw new IllegalArgumentException("initialCap must be >= 1: " + initialCap);
            }
            if (growEvery < 1) {
                throw new IllegalArgumentException("growEvery must be >= 1 frame: " + growEvery);
            }
            if (growBy < 0) {
                throw new IllegalArgumentException("growBy must be >= 0: " + growBy);
            }
            if (jitter < 0 || jitter >= initialCap) {
                throw new IllegalArgumentException("jitter must be in [0, initialCap): " + jitter);
            }
        }

        /** The original's defaults: 200 steps, growth every 7e7 frames, by 1 (cubic), jitter 25. */
        public static Settings reference() {
            return new Settings(200, 70_000_000L, 1, 25, true);
        }
    }

    private static final int STATE_WORDS = 3 + 6;

    private final Settings settings;
    private final Rng rng;
    private int baseCap;
    private int cap;
    private long lastGrowthFrames;

    public EpisodeCurriculum(Settings settings, Rng rng) {
        if (settings == null || rng == null) {
            throw new IllegalArgumentException("settings and rng must not be null");
        }
        this.settings = settings;
        this.rng = rng;
        this.baseCap = settings.initialCap();
        this.cap = settings.initialCap();
        this.lastGrowthFrames = 0;
    }

    public Settings settings() {
        return settings;
    }

    /** The jittered cap in agent steps that episodes run under now. */
    public int cap() {
        return cap;
    }

    /** The base cap, before jitter. */
    public int baseCap() {
        return baseCap;
    }

    /**
     * Advances the curriculum at the end of a training iteration (jitter, then growth) and returns
     * the cap for the next one.
     *
     * @param environmentFrames the total environment frames counted so far, this iteration included
     */
    public int endIteration(long environmentFrames) {
        int j = settings.jitter();
        cap = j > 0 ? baseCap + rng.nextInt(2 * j) - j : baseCap;
        // growBy 0 is no growth at all: a disabled curriculum's cap of Integer.MAX_VALUE must not be
        // put through the cube root and back (float rounding would overflow it).
        if (settings.growBy() > 0 && environmentFrames > lastGrowthFrames + settings.growEvery()) {
            baseCap = grow(baseCap, settings.growBy(), settings.cubic());
            lastGrowthFrames = environmentFrames;
        }
        return cap;
    }

    /**
     * One growth step of the base cap: {@code int((cap^(1/3) + by)^3)} in float, as the original's
     * float32 graph computes it, or {@code cap + by}.
     */
    public static int grow(int cap, int by, boolean cubic) {
        if (!cubic) {
            return Math.addExact(cap, by);
        }
        float root = (float) Math.pow(cap, (float) (1.0 / 3.0));
        float shifted = root + by;
        float cube = (float) Math.pow(shifted, 3.0f);
        if (!(cube < Integer.MAX_VALUE)) {
            throw new ArithmeticException("episode cap overflows int: " + cube);
        }
        return (int) cube;
    }

    /** baseCap, cap, lastGrowthFrames, then the 6 words of the Rng, for checkpoints. */
    public long[] state() {
        long[] rngState = rng.state();
        long[] state = new long[STATE_WORDS];
        state[0] = baseCap;
        state[1] = cap;
        state[2] = lastGrowthFrames;
        System.arraycopy(rngState, 0, state, 3, rngState.length);
        return state;
    }

    /** Restores a state returned by {@link #state()}. */
    public void restore(long[] state) {
        if (state.length != STATE_WORDS) {
            throw new IllegalArgumentException("an EpisodeCurriculum state has " + STATE_WORDS + " words, got "
                    + state.length);
        }
        if (state[0] < 1 || state[0] > Integer.MAX_VALUE || state[1] < 1 || state[1] > Integer.MAX_VALUE
                || state[2] < 0) {
            throw new IllegalArgumentException("corrupt EpisodeCurriculum state: base " + state[0] + ", cap "
                    + state[1] + ", last growth " + state[2]);
        }
        baseCap = (int) state[0];
        cap = (int) state[1];
        lastGrowthFrames = state[2];
        rng.restore(java.util.Arrays.copyOfRange(state, 3, STATE_WORDS));
    }
}
