package org.eprop.envs.api;

/**
 * Marks an environment (or wrapper) that repeats each action over several emulator frames
 * itself, e.g. the ALE environment configured with {@code frameskip: 4}, like Gymnasium's
 * {@code ALE/<Game>-v5}.
 *
 * <p>Why a marker: skipping frames twice (a v5-style environment under {@code MaxAndSkip}) does
 * not fail, it silently makes every action last 16 frames and trains a different agent.
 * Gymnasium's {@code AtariPreprocessing} raises in that case; here {@code MaxAndSkip} asks
 * {@link #total(Env)} and refuses to stack. An environment whose frame skip is configurable
 * implements this and returns the configured value (1 when it does not skip).
 */
public interface FrameSkipping {

    /** Emulator frames per {@code step} (1 = no skipping). */
    int frameskip();

    /**
     * Emulator frames per step of {@code env}: the product of the frame skips of {@code env}
     * and of everything it wraps (following {@link Wrapper#inner()}, then {@link Env#unwrapped()}).
     */
    static int total(Env<?, ?> env) {
        int frames = 1;
        Env<?, ?> e = env;
        while (true) {
            if (e instanceof FrameSkipping fs) {
                frames *= Math.max(1, fs.frameskip());
            }
            if (e instanceof Wrapper<?, ?> w) {
                e = w.inner();
            } else {
                Env<?, ?> base = e.unwrapped();
                if (base != e && base instanceof FrameSkipping fs) {
                    frames *= Math.max(1, fs.frameskip());
                }
                return frames;
            }
        }
    }
}
