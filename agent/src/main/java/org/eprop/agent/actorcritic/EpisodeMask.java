package org.eprop.agent.actorcritic;

/**
 * The mask m[t,b] of {@link ActorCriticLoss} for the two gradient-application modes of the original
 * Atari code ({@code apply_after_end} in {@code Figure_4_and_5_ATARI/main.py} of
 * IGITUGraz/eligibility_propagation; docs/model.md §3.2), and the per-environment bookkeeping that
 * decides when the accumulated update is applied.
 *
 * <p>Indexing as in {@link ActorCriticLoss}: {@code done[t*batch+b]} says that the transition
 * caused by the action of step {@code t} ended environment {@code b}'s episode.
 *
 * <h2>Modes</h2>
 * <ul>
 *   <li>{@link Mode#PER_UNROLL} ({@code apply_after_end=False}): every step counts, m = 1, and
 *       the update is due after every unroll.</li>
 *   <li>{@link Mode#APPLY_AFTER_END} ({@code apply_after_end=True}, the original's default):
 *       gradients of successive unrolls are summed over an <em>accumulation cycle</em> that ends
 *       when every environment has finished at least one episode; one optimiser step is then
 *       applied and all environments are reset. So that each environment contributes exactly its
 *       first episode of the cycle: an environment whose episode already ended in an earlier unroll
 *       of the cycle gets m = 0 for the whole unroll; otherwise m[t,b] = 1 for the steps up to and
 *       including its first {@code done} in this unroll (the terminal transition itself has a valid
 *       target, r without bootstrap) and 0 for the steps after it.</li>
 *   <li>{@link Mode#APPLY_AFTER_END_AS_ORIGINAL_CODE}: the same cycle, with the original code's mask
 *       formula taken literally, {@code (1 - cumsum(shifted_done)) * (1 - finished)} where
 *       {@code shifted_done = concat(done[1:], 0)}. In this class's indexing that is
 *       {@code m[t,b] = (1 - sum_{s=1}^{min(t+1, T-1)} done[s,b]) * (1 - finished[b])}: the shift
 *       goes the other way from the intent, so the step <em>before</em> a terminal transition is
 *       already excluded (the terminal one too), a {@code done} at step 0 never masks anything in
 *       its own unroll, and a second {@code done} in one unroll makes m negative. Kept so that a
 *       replication can choose the original's behaviour bit for bit; {@link Mode#APPLY_AFTER_END}
 *       implements what the text around it (and docs/model.md §3.2) describes.</li>
 * </ul>
 *
 * <h2>Order of operations per unroll</h2>
 * {@link #build} writes the mask from the flags as they were <em>before</em> this unroll, then sets
 * {@code finished[b]} for every environment with a {@code done} anywhere in the unroll (the
 * original's {@code episode_finished_mask |= any(done)}). When {@link #updateDue()} is true the
 * caller applies the accumulated gradients, resets the environments (the original's
 * {@code should_reset}) and calls {@link #endCycle()}. (In the original the learner's read of the
 * flags and their update are not ordered by a control dependency; this class fixes the intended
 * order.)
 *
 * <p>Not thread-safe; allocation-free after construction.
 */
public final class EpisodeMask {

    /** The gradient-application mode; see the class comment. */
    public enum Mode {
        PER_UNROLL,
        APPLY_AFTER_END,
        APPLY_AFTER_END_AS_ORIGINAL_CODE
    }

    private final Mode mode;
    private final int unrollLength;
    private final int batch;
    private final boolean[] finished;

    public EpisodeMask(Mode mode, int unrollLength, int batch) {
        if (mode == null) {
            throw new IllegalArgumentException("mode must not be null");
        }
        if (unrollLength < 1 || batch < 1) {
            throw new IllegalArgumentException("unrollLength and batch must be >= 1: " + unrollLength + ", " + batch);
        }
        this.mode = mode;
        this.unrollLength = unrollLength;
        this.batch = batch;
        this.finished = new boolean[batch];
    }

    public Mode mode() {
        return mode;
    }

    /**
     * Writes m[t,b] for this unroll into {@code mask} and records which environments finished an
     * episode in it.
     *
     * @param done length T*batch, layout {@code t*batch+b}
     * @param mask receives m, same layout
     */
    public void build(boolean[] done, double[] mask) {
        int steps = unrollLength * batch;
        if (done.length != steps || mask.length != steps) {
            throw new IllegalArgumentException("done and mask must have length " + steps + ": "
                    + done.length + ", " + mask.length);
        }
        for (int b = 0; b < batch; b++) {
            switch (mode) {
                case PER_UNROLL -> {
                    for (int t = 0; t < unrollLength; t++) {
                        mask[t * batch + b] = 1.0;
                    }
                }
                case APPLY_AFTER_END -> {
                    // 1 up to and including the first done, 0 after it; 0 throughout once finished.
                    double m = finished[b] ? 0.0 : 1.0;
                    for (int t = 0; t < unrollLength; t++) {
                        int i = t * batch + b;
                        mask[i] = m;
                        if (done[i]) {
                            m = 0.0;
                        }
                    }
                }
                case APPLY_AFTER_END_AS_ORIGINAL_CODE -> {
                    double notFinished = finished[b] ? 0.0 : 1.0;
                    double cumulative = 0;
                    for (int t = 0; t < unrollLength; t++) {
                        if (t + 1 < unrollLength && done[(t + 1) * batch + b]) {
                            cumulative += 1;
                        }
                        mask[t * batch + b] = (1 - cumulative) * notFinished;
                    }
                }
                default -> throw new AssertionError(mode);
            }
            for (int t = 0; t < unrollLength; t++) {
                if (done[t * batch + b]) {
                    finished[b] = true;
                    break;
                }
            }
        }
    }

    /** Whether environment {@code b} has finished an episode in the current accumulation cycle. */
    public boolean finished(int b) {
        return finished[b];
    }

    /**
     * Whether the accumulated gradients should be applied now: after every unroll in
     * {@link Mode#PER_UNROLL}, otherwise once every environment has finished an episode in the cycle.
     */
    public boolean updateDue() {
        if (mode == Mode.PER_UNROLL) {
            return true;
        }
        for (boolean f : finished) {
            if (!f) {
                return false;
            }
        }
        return true;
    }

    /** Starts a new accumulation cycle (call after applying its update): clears the finished flags. */
    public void endCycle() {
        java.util.Arrays.fill(finished, false);
    }

    /** The finished flags as 0/1 words, for checkpoints. */
    public long[] state() {
        long[] state = new long[batch];
        for (int b = 0; b < batch; b++) {
            state[b] = finished[b] ? 1 : 0;
        }
        return state;
    }

    /** Restores a state returned by {@link #state()}. */
    public void restore(long[] state) {
        if (state.length != batch) {
            throw new IllegalArgumentException("an EpisodeMask state has " + batch + " words, got " + state.length);
        }
        for (int b = 0; b < batch; b++) {
            if (state[b] != 0 && state[b] != 1) {
                throw new IllegalArgumentException("finished flag " + b + " must be 0 or 1: " + state[b]);
            }
            finished[b] = state[b] == 1;
        }
    }
}
