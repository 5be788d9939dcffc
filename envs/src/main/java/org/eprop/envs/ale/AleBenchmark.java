package org.eprop.envs.ale;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.bytedeco.ale.ALEInterface;
import org.bytedeco.javacpp.IntPointer;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Env;
import org.eprop.envs.wrappers.GrayscaleResize;
import org.eprop.learning.rng.Rng;

/**
 * Throughput of the ALE backend on Pong (frameskip 4, grayscale observations, sticky actions 0.25,
 * random actions), in emulator frames per second:
 * <ul>
 *   <li>{@code bare act}: a loop of native {@code act} calls on one {@code ALEInterface}, no screen;</li>
 *   <li>{@code env}: {@link AleEnv#step} with a grayscale observation every step;</li>
 *   <li>{@code vector 1 thread} and {@code vector 2 threads}: {@link VectorEnv} with 1 and 2 environments.</li>
 * </ul>
 * Usage: {@code AleBenchmark [rom_dir_or_pong.bin] [seconds=3] [rounds=2]}. Without a path it looks in
 * {@code ../shared/data/roms}, {@code ../../shared/data/roms} and then the usual ROM places.
 */
public final class AleBenchmark {
    private static final int FRAMESKIP = 4;

    private AleBenchmark() {
    }

    public static void main(String[] args) {
        Path romDir = args.length > 0 ? romDir(Path.of(args[0])) : defaultRomDir();
        double seconds = args.length > 1 ? Double.parseDouble(args[1]) : 3;
        int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        AleSettings settings = AleSettings.v5("pong").withRomDir(romDir)
                .withObservation(AleSettings.Observation.GRAYSCALE);
        Path rom;
        try {
            rom = AleRoms.resolve("pong", romDir);
        } catch (AleException e) {
            System.err.println(e.getMessage());
            System.exit(1);
            return;
        }
        System.out.printf(Locale.ROOT, "ALE Pong %s, frameskip %d, grayscale, sticky %.2f, %d cores, %.1f s x %d rounds%n",
                rom, FRAMESKIP, settings.repeatActionProbability(), Runtime.getRuntime().availableProcessors(), seconds,
                rounds);
        double bare = 0;
        double env = 0;
        double wrapped = 0;
        double vec1 = 0;
        double vec2 = 0;
        for (int r = 0; r < rounds; r++) {
            bare = Math.max(bare, bare(rom, settings, seconds));
            env = Math.max(env, env(settings, seconds, false));
            wrapped = Math.max(wrapped, env(settings, seconds, true));
            vec1 = Math.max(vec1, vector(settings, 1, seconds));
            vec2 = Math.max(vec2, vector(settings, 2, seconds));
        }
        System.out.printf(Locale.ROOT, "bare act: %.0f frames/s%n", bare);
        System.out.printf(Locale.ROOT, "env (210x160 grayscale): %.0f frames/s (%.2fx bare)%n", env, env / bare);
        System.out.printf(Locale.ROOT, "wrapped env (grayscale 84x84, area resize): %.0f frames/s (%.2fx bare)%n",
                wrapped, wrapped / bare);
        System.out.printf(Locale.ROOT, "vector of wrapped envs, 1 thread: %.0f frames/s (%.2fx bare)%n", vec1, vec1 / bare);
        System.out.printf(Locale.ROOT, "vector of wrapped envs, 2 threads: %.0f frames/s (%.2fx one thread)%n", vec2,
                vec2 / vec1);
    }

    private static Path romDir(Path p) {
        return Files.isRegularFile(p) ? p.toAbsolutePath().getParent() : p;
    }

    private static Path defaultRomDir() {
        for (String d : new String[] {"../shared/data/roms", "../../shared/data/roms"}) {
            if (Files.isRegularFile(Path.of(d, "pong.bin"))) {
                return Path.of(d);
            }
        }
        return null;
    }

    /** Native act calls only. */
    static double bare(Path rom, AleSettings s, double seconds) {
        AleNative.verbose(false);
        ALEInterface ale;
        AleNative.exclusive().lock();
        try {
            ale = new ALEInterface();
            ale.setInt("random_seed", 1);
            ale.setFloat("repeat_action_probability", (float) s.repeatActionProbability());
            ale.loadROM(rom.toString());
        } finally {
            AleNative.exclusive().unlock();
        }
        try {
            IntPointer p = ale.getMinimalActionSet();
            int[] actions = new int[(int) p.limit()];
            p.get(actions);
            Rng rng = new Rng(1);
            return framesPerSecond(seconds, () -> {
                int a = actions[rng.nextInt(actions.length)];
                for (int f = 0; f < FRAMESKIP; f++) {
                    ale.act(a);
                }
                if (ale.game_over()) {
                    ale.reset_game();
                }
                return FRAMESKIP;
            });
        } finally {
            ale.close();
        }
    }

    /** The environment as an agent sees it: ALE's grayscale screen resized to 84x84 (area). */
    static Env<Frame, Integer> wrapped(AleSettings s) {
        return new GrayscaleResize<>(new AleEnv(s));
    }

    /** Env.step with observations, on the bare AleEnv or on the 84x84 wrapped one. */
    static double env(AleSettings s, double seconds, boolean resize) {
        try (Env<Frame, Integer> env = resize ? wrapped(s) : new AleEnv(s)) {
            env.reset(1);
            Rng rng = new Rng(1);
            int n = ((org.eprop.envs.api.Discrete) env.actionSpace()).n();
            return framesPerSecond(seconds, () -> {
                var st = env.step(rng.nextInt(n));
                if (st.done()) {
                    env.reset();
                }
                return FRAMESKIP;
            });
        }
    }

    /** VectorEnv with n wrapped (84x84) environments, auto-reset. */
    static double vector(AleSettings s, int n, double seconds) {
        try (VectorEnv<Frame> vec = new VectorEnv<>(n, i -> wrapped(s))) {
            vec.reset(1);
            Rng rng = new Rng(1);
            int actionsN = ((org.eprop.envs.api.Discrete) vec.singleActionSpace()).n();
            int[] actions = new int[n];
            return framesPerSecond(seconds, () -> {
                for (int i = 0; i < n; i++) {
                    actions[i] = rng.nextInt(actionsN);
                }
                vec.step(actions);
                return (long) n * FRAMESKIP;
            });
        }
    }

    /**
     * Frames per second of {@code step} (which returns the frames it played), measured for
     * {@code seconds} after a warm-up of up to one second.
     */
    private static double framesPerSecond(double seconds, java.util.function.LongSupplier step) {
        long warmUntil = System.nanoTime() + (long) (1e9 * Math.min(1, seconds / 3));
        while (System.nanoTime() < warmUntil) {
            step.getAsLong();
        }
        long frames = 0;
        long t0 = System.nanoTime();
        long end = t0 + (long) (1e9 * seconds);
        long now;
        do {
            for (int k = 0; k < 16; k++) {
                frames += step.getAsLong();
            }
            now = System.nanoTime();
        } while (now < end);
        return frames / ((now - t0) / 1e9);
    }
}
