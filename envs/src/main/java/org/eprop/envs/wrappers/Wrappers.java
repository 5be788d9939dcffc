package org.eprop.envs.wrappers;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Wrapper;

/**
 * Looks through a stack of wrappers. A stack is built once and then handled as a plain
 * {@link Env}; this is how code gets back to one layer of it (the episode statistics, the video
 * recorder) and how a run records which preprocessing it used ({@link #describe}).
 */
public final class Wrappers {
    private Wrappers() {
    }

    /** The layers of {@code env}, outermost first, ending with the innermost environment. */
    public static List<Env<?, ?>> chain(Env<?, ?> env) {
        List<Env<?, ?>> layers = new ArrayList<>();
        Env<?, ?> e = env;
        while (e instanceof Wrapper<?, ?> w) {
            layers.add(e);
            e = w.inner();
        }
        layers.add(e);
        Env<?, ?> base = e.unwrapped();
        if (base != e) {
            layers.add(base);
        }
        return Collections.unmodifiableList(layers);
    }

    /** The outermost layer of {@code env} (itself included) that is a {@code type}. */
    public static <T> Optional<T> find(Env<?, ?> env, Class<T> type) {
        for (Env<?, ?> e : chain(env)) {
            if (type.isInstance(e)) {
                return Optional.of(type.cast(e));
            }
        }
        return Optional.empty();
    }

    /** Whether {@code env} or a layer under it is a {@code type}. */
    static boolean has(Env<?, ?> env, Class<?> type) {
        return chain(env).stream().anyMatch(type::isInstance);
    }

    /**
     * One line naming every layer from the outside in, e.g.
     * {@code GrayscaleResize(84x84) > ClipReward([-1.0, 1.0]) > NoopReset(0..29) > EpisodeStatistics > ale/pong}:
     * written into the run directory so that results say which preprocessing produced them.
     */
    public static String describe(Env<?, ?> env) {
        List<Env<?, ?>> layers = chain(env);
        return layers.stream()
                .map(e -> e == layers.get(layers.size() - 1) ? e.id() : e.toString())
                .collect(Collectors.joining(" > "));
    }

    /** The frame shape that {@code env} declares; wrappers that change frames need it up front. */
    static FrameSpace frameSpace(Env<Frame, ?> env, String who) {
        if (env.observationSpace() instanceof FrameSpace fs) {
            return fs;
        }
        throw new IllegalArgumentException(who + " needs an environment with frame observations, "
                + env.id() + " has " + env.observationSpace().describe());
    }
}
