package org.eprop.config.bench;

import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.LongSupplier;
import org.eprop.envs.ale.AleEnv;
import org.eprop.envs.ale.AleRoms;
import org.eprop.envs.ale.AleSettings;
import org.eprop.envs.ale.BareAle;
import org.eprop.envs.ale.RomNotFoundException;
import org.eprop.envs.ale.UnknownRomException;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.vector.VectorEnv;
import org.eprop.envs.wrappers.GrayscaleResize;
import org.eprop.learning.rng.Rng;

/**
 * Throughput of the ALE backend on Pong (frameskip 4, grayscale observations, sticky actions 0.25,
 * random actions), in emulator frames per second, layer by layer, so that the cost of each layer
 * shows:
 * <ul>
 *   <li>{@code bare act}: native {@code act} calls on one emulator, no screen ({@link BareAle});</li>
 *   <li>{@code env}: {@link AleEnv#step} with a 210x160 grayscale observation every step;</li>
 *   <li>{@code wrapped env}: the same resized to 84x84 ({@link GrayscaleResize}), what an agent sees;</li>
 *   <li>{@code vector}: {@link VectorEnv} of wrapped environments with 1 and 2 threads.</li>
 * </ul>
 * Each figure is the best of {@code rounds} measurements of {@code seconds} each, after a warm-up.
 */
public final class AleBenchmark {
    private static final int FRAMESKIP = 4;

    /** How to pass a ROM, appended to every "no ROM" message of the benchmark. */
    public static final String HOW_TO_PASS_A_ROM = "Or pass one to the benchmark: eprop bench --ale path/to/pong.bin "
            + "(or the directory holding it).";

    /**
     * @param rom a {@code pong.bin} or a directory holding one, or null for the usual ROM search
     *     ({@code $EPROP_ROM_DIR}, {@code ~/.eprop/roms})
     * @param seconds measured time per figure and round
     * @param rounds measurements per figure (the best counts)
     */
    public record Settings(Path rom, double seconds, int rounds) {
        public Settings {
            if (!(seconds > 0) || rounds < 1) {
                throw new IllegalArgumentException("the ALE benchmark needs seconds > 0 and rounds >= 1, got " + seconds
                        + " s x " + rounds);
            }
        }

        public static Settings defaults() {
            return new Settings(null, 3, 2);
        }

        public Settings withRom(Path rom) {
            return new Settings(rom, seconds, rounds);
        }
    }

    /** Frames per second of each layer. */
    public record Result(Path rom, double bare, double env, double wrapped, double vector1, double vector2) {
    }

    private final Settings settings;

    public AleBenchmark(Settings settings) {
        this.settings = settings;
    }

    /**
     * The Pong ROM the benchmark plays: {@code given} (a file named {@code pong.bin}, or a directory)
     * is searched first, then the places {@link AleRoms} always searches.
     *
     * @throws IllegalArgumentException if {@code given} is a file ALE would not take for Pong
     * @throws RomNotFoundException naming every place searched and how to pass a ROM
     */
    public static Path findRom(Path given, Map<String, String> environment, Path home) {
        Path dir = given;
        if (given != null && Files.isRegularFile(given)) {
            String name = given.getFileName().toString().toLowerCase(Locale.ROOT);
            if (!name.equals("pong.bin") && !name.equals("pong.a26")) {
                throw new IllegalArgumentException("the ALE benchmark plays Pong and ALE picks the game by file name: "
                        + "name the ROM pong.bin (got " + given + ")");
            }
            dir = given.toAbsolutePath().getParent();
        }
        try {
            return AleRoms.resolve("pong", dir, environment, home);
        } catch (RomNotFoundException e) {
            throw new RomNotFoundException(e.game(), e.searched(), e.getMessage() + "\n" + HOW_TO_PASS_A_ROM);
        } catch (UnknownRomException e) {
            // The benchmark measures ALE itself: it has no allow_unknown_rom, and a file under the
            // watchdog would time its thread hand-over too.
            throw new UnknownRomException(e.game(), e.file(), e.md5(), "The ALE benchmark runs known dumps of Pong "
                    + "only. " + e.getMessage());
        }
    }

    /** Measures every layer, printing one line per figure to {@code out}. */
    public Result run(PrintStream out) {
        Path rom = findRom(settings.rom(), System.getenv(), Path.of(System.getProperty("user.home")));
        AleSettings ale = AleSettings.v5("pong").withRomDir(rom.getParent())
                .withObservation(AleSettings.Observation.GRAYSCALE);
        double seconds = settings.seconds();
        out.printf(Locale.ROOT, "ALE Pong %s, frameskip %d, grayscale, sticky %.2f, %d cores, %.1f s x %d rounds%n",
                rom, FRAMESKIP, ale.repeatActionProbability(), Runtime.getRuntime().availableProcessors(), seconds,
                settings.rounds());
        double bare = 0;
        double env = 0;
        double wrapped = 0;
        double vec1 = 0;
        double vec2 = 0;
        for (int r = 0; r < settings.rounds(); r++) {
            bare = Math.max(bare, bare(ale, seconds));
            env = Math.max(env, env(ale, seconds, false));
            wrapped = Math.max(wrapped, env(ale, seconds, true));
            vec1 = Math.max(vec1, vector(ale, 1, seconds));
            vec2 = Math.max(vec2, vector(ale, 2, seconds));
        }
        out.printf(Locale.ROOT, "bare act: %.0f frames/s%n", bare);
        out.printf(Locale.ROOT, "env (210x160 grayscale): %.0f frames/s (%.2fx bare)%n", env, env / bare);
        out.printf(Locale.ROOT, "wrapped env (grayscale 84x84, area resize): %.0f frames/s (%.2fx bare)%n",
                wrapped, wrapped / bare);
        out.printf(Locale.ROOT, "vector of wrapped envs, 1 thread: %.0f frames/s (%.2fx bare)%n", vec1, vec1 / bare);
        out.printf(Locale.ROOT, "vector of wrapped envs, 2 threads: %.0f frames/s (%.2fx one thread)%n", vec2,
                vec2 / vec1);
        return new Result(rom, bare, env, wrapped, vec1, vec2);
    }

    /** Native act calls only (4 frames per call, random minimal-set actions), frames per second. */
    static double bare(AleSettings s, double seconds) {
        try (BareAle ale = BareAle.open(s, 1)) {
            int[] actions = ale.minimalActions();
            Rng rng = new Rng(1);
            return framesPerSecond(seconds, () -> {
                ale.act(actions[rng.nextInt(actions.length)], FRAMESKIP);
                if (ale.gameOver()) {
                    ale.resetGame();
                }
                return FRAMESKIP;
            });
        }
    }

    /** The environment as an agent sees it: ALE's grayscale screen resized to 84x84 (area). */
    private static Env<Frame, Integer> wrapped(AleSettings s) {
        return new GrayscaleResize<>(new AleEnv(s));
    }

    /** Env.step with observations, on the bare AleEnv or on the 84x84 wrapped one. */
    private static double env(AleSettings s, double seconds, boolean resize) {
        try (Env<Frame, Integer> env = resize ? wrapped(s) : new AleEnv(s)) {
            env.reset(1);
            Rng rng = new Rng(1);
            int n = ((Discrete) env.actionSpace()).n();
            return framesPerSecond(seconds, () -> {
                if (env.step(rng.nextInt(n)).done()) {
                    env.reset();
                }
                return FRAMESKIP;
            });
        }
    }

    /** VectorEnv with n wrapped (84x84) environments on n threads, auto-reset. */
    private static double vector(AleSettings s, int n, double seconds) {
        try (VectorEnv<Frame, Integer> vec = new VectorEnv<>(n, i -> wrapped(s), VectorEnv.AutoresetMode.NEXT_STEP,
                null, n)) {
            vec.reset(1);
            Rng rng = new Rng(1);
            int actionsN = ((Discrete) vec.singleActionSpace()).n();
            Integer[] actions = new Integer[n];
            List<Integer> view = Arrays.asList(actions);
            return framesPerSecond(seconds, () -> {
                for (int i = 0; i < n; i++) {
                    actions[i] = rng.nextInt(actionsN);
                }
                vec.step(view);
                return (long) n * FRAMESKIP;
            });
        }
    }

    /**
     * Frames per second of {@code step} (which returns the frames it played), measured for
     * {@code seconds} after a warm-up of up to one second.
     */
    private static double framesPerSecond(double seconds, LongSupplier step) {
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
