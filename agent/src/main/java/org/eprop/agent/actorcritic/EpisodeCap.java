package org.eprop.agent.actorcritic;

import java.util.function.IntSupplier;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;

/**
 * Ends an episode once it has lasted the curriculum's current cap (in agent steps): the original
 * Atari agent's {@code max_episode_len}, which grows during training and is read anew at every
 * step, so a cap raised mid-episode applies at once. The step that hits the cap is reported as
 * truncated and flagged {@link #CAPPED}; the agent treats it as terminal (no bootstrap), as the
 * original does.
 */
public final class EpisodeCap<O, A> extends Wrapper<O, A> {
    /** Set on the step at which the cap ended the episode. */
    public static final Info.Key<Boolean> CAPPED = Info.Key.of("capped", Boolean.class);
    private final IntSupplier cap;
    private int elapsed;

    public EpisodeCap(Env<O, A> env, IntSupplier cap) {
        super(env);
        this.cap = cap;
    }

    @Override
    public Reset<O> reset(long seed) {
        elapsed = 0;
        return env.reset(seed);
    }

    @Override
    public Reset<O> reset() {
        elapsed = 0;
        return env.reset();
    }

    @Override
    public Step<O> step(A action) {
        Step<O> s = env.step(action);
        elapsed++;
        if (!s.terminated() && !s.truncated() && elapsed >= cap.getAsInt()) {
            return new Step<>(s.observation(), s.reward(), false, true, s.info().with(CAPPED, true));
        }
        return s;
    }
}
