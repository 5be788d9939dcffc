package org.eprop.agent.eval;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.UnaryOperator;
import org.eprop.agent.run.AtomicFiles;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.RgbScreen;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.envs.registry.GameSpec;
import org.eprop.learning.rng.Rng;

/**
 * Evaluation rollouts: {@code E} full episodes (no episode-length cap: the game's own end, or its
 * time limit) per policy, on the same seeds: episode {@code i} of every policy starts with
 * {@code reset(seed + i)} and draws its actions from a generator of seed {@code (seed + i) ^ 0x632BE59BD9B4E019}, so each
 * episode is reproducible on its own and the policies meet the same games. Writes
 * {@code episodes.csv} and {@code summary.json} atomically into the output directory and, when a
 * video directory is given, one MP4 per episode of the first policy ({@link GameplayRenderer}).
 *
 * <p>Returns: {@code clipped_return} sums the rewards the agent is trained on, {@code raw_return}
 * the game's own rewards ({@link InfoKeys#RAW_REWARD} where reward clipping recorded it, else
 * the same reward). The comparison of the first policy with the second is on the raw returns:
 * mean difference, Welch's one-sided t-test (reported as {@code p}), and, since the episodes are
 * paired by seed, the paired t-test and the sign test.
 */
public final class Evaluation {
    /** The columns of {@code episodes.csv}. */
    public static final List<String> COLUMNS = List.of("policy", "episode", "seed", "clipped_return", "raw_return",
            "length");
    public static final String EPISODES_CSV = "episodes.csv";
    public static final String SUMMARY_JSON = "summary.json";
    /** The test whose p-value is reported as {@code p}. */
    public static final String P_TEST = "welch_one_sided";

    private static final long ACTION_SEED_MASK = 0x632BE59BD9B4E019L;

    private Evaluation() {
    }

    /**
     * How to evaluate.
     *
     * @param episodes episodes per policy, at least 1
     * @param seed episode {@code i} uses {@code seed + i}
     * @param greedy most probable actions instead of sampled ones
     * @param videoDir where the first policy's videos go, or null for none
     * @param window agent steps in the video's raster and value trace
     * @param fps video frames (agent steps) per second
     * @param maxSteps end an episode after this many agent steps (0: play it to its end), as the
     *     training curriculum's cap does; both policies get the same cap
     */
    public record Settings(int episodes, long seed, boolean greedy, Path videoDir, int window, int fps,
            int maxSteps) {
        public Settings {
            if (episodes < 1) {
                throw new IllegalArgumentException("episodes must be >= 1, got " + episodes);
            }
            if (maxSteps < 0) {
                throw new IllegalArgumentException("maxSteps must be >= 0 (0: whole episodes), got " + maxSteps);
            }
            if (window < 1 || fps < 1) {
                throw new IllegalArgumentException("window and fps must be >= 1, got " + window + " and " + fps);
            }
        }

        public Settings(int episodes, long seed, boolean greedy, Path videoDir) {
            this(episodes, seed, greedy, videoDir, GameplayRenderer.DEFAULT_WINDOW, 15, 0);
        }

        public Settings(int episodes, long seed, boolean greedy, Path videoDir, int window, int fps) {
            this(episodes, seed, greedy, videoDir, window, fps, 0);
        }

        /** The same settings, episodes capped at {@code maxSteps} agent steps. */
        public Settings withMaxSteps(int maxSteps) {
            return new Settings(episodes, seed, greedy, videoDir, window, fps, maxSteps);
        }
    }

    /** Makes an environment; {@code raw} wraps the game before its preprocessing (see {@code GameSpec}). */
    @FunctionalInterface
    public interface EnvMaker<O> {
        Env<O, Integer> create(UnaryOperator<Env<O, Integer>> raw);
    }

    /** One episode's row of {@code episodes.csv}. */
    public record Episode(String policy, int episode, long seed, double clippedReturn, double rawReturn, int length) {
    }

    /** Mean and standard error of one policy's returns, and its mean episode length. */
    public record PolicySummary(String policy, int episodes, double mean, double stdError, double rawMean,
            double rawStdError, double meanLength) {
    }

    /** What an evaluation found; the comparison fields are null with a single policy. */
    public record Result(List<Episode> episodes, List<PolicySummary> policies, Statistics.TTest welch,
            Statistics.TTest paired, Statistics.SignTest sign, List<Path> videos) {

        /** The one-sided p-value that the first policy scores higher than the second (Welch), NaN if none. */
        public double p() {
            return welch == null ? Double.NaN : welch.p();
        }

        /** A few lines for people. */
        public String describe() {
            StringBuilder sb = new StringBuilder();
            for (PolicySummary s : policies) {
                sb.append(String.format(Locale.ROOT, "  %-8s mean return %.3f +- %.3f (s.e.), raw %.3f +- %.3f, "
                        + "mean length %.1f steps, %d episodes%n", s.policy(), s.mean(), s.stdError(), s.rawMean(),
                        s.rawStdError(), s.meanLength(), s.episodes()));
            }
            if (welch != null) {
                PolicySummary a = policies.get(0);
                PolicySummary b = policies.get(1);
                sb.append(String.format(Locale.ROOT, "  %s - %s: raw return difference %.3f; Welch t = %.3f, df = "
                        + "%.1f, one-sided p = %.3g (paired t p = %.3g; sign test %d wins, %d losses, %d ties, "
                        + "p = %.3g)%n", a.policy(), b.policy(), a.rawMean() - b.rawMean(), welch.t(), welch.df(),
                        welch.p(), paired.p(), sign.wins(), sign.losses(), sign.ties(), sign.p()));
            }
            return sb.toString();
        }
    }

    /**
     * The environment of a bound game with observations of type {@code type}.
     *
     * @throws IllegalArgumentException if it is not a game with such observations and discrete actions
     */
    @SuppressWarnings("unchecked")
    public static <O> EnvMaker<O> game(BoundEnv<?> env, Class<O> type) {
        if (!(env.spec() instanceof GameSpec<?, ?, ?> g) || g.observationType() != type
                || g.actionType() != Integer.class) {
            throw new IllegalArgumentException(env.id() + " is not a game with " + type.getSimpleName()
                    + " observations and discrete actions");
        }
        return raw -> create((GameSpec<Object, O, Integer>) g, env.params(), raw);
    }

    private static <P, O> Env<O, Integer> create(GameSpec<P, O, Integer> g, Object params,
            UnaryOperator<Env<O, Integer>> raw) {
        return g.env(g.paramsType().cast(params), raw);
    }

    /**
     * Runs {@code settings.episodes()} episodes of every policy, writes {@code episodes.csv} and
     * {@code summary.json} into {@code outDir} (created if needed), with {@code context} (what was
     * evaluated: run, checkpoint, environment) at the top of the summary.
     */
    public static <O> Result run(EnvMaker<O> maker, List<? extends Policy<O>> policies, Settings settings,
            Path outDir, Map<String, Object> context) throws IOException {
        Objects.requireNonNull(maker, "maker");
        if (policies.isEmpty()) {
            throw new IllegalArgumentException("no policy to evaluate");
        }
        Files.createDirectories(outDir);
        if (settings.videoDir() != null) {
            Files.createDirectories(settings.videoDir());
        }
        List<Episode> rows = new ArrayList<>();
        List<Path> videos = new ArrayList<>();
        for (int k = 0; k < policies.size(); k++) {
            Policy<O> policy = policies.get(k);
            Path videoDir = k == 0 ? settings.videoDir() : null;
            RawTap<O>[] tap = newTap();
            try (Env<O, Integer> env = maker.create(raw -> {
                tap[0] = new RawTap<>(raw);
                return tap[0];
            })) {
                Recorder recorder = null;
                for (int i = 0; i < settings.episodes(); i++) {
                    long seed = settings.seed() + i;
                    Path video = videoDir == null ? null : videoDir.resolve(policy.name() + "-episode-" + i + ".mp4");
                    if (video != null && recorder == null) {
                        recorder = new Recorder(policy, settings);
                    }
                    rows.add(episode(env, tap[0], policy, i, seed, settings.greedy(), video == null ? null : recorder,
                            video, settings.maxSteps()));
                    if (video != null) {
                        videos.add(video);
                    }
                }
            }
        }
        Result result = summarise(rows, policies.stream().map(Policy::name).toList(), videos);
        AtomicFiles.writeString(outDir.resolve(EPISODES_CSV), csv(rows));
        AtomicFiles.writeString(outDir.resolve(SUMMARY_JSON), json(result, settings, context));
        return result;
    }

    @SuppressWarnings("unchecked")
    private static <O> RawTap<O>[] newTap() {
        return (RawTap<O>[]) new RawTap<?>[1];
    }

    private static <O> Episode episode(Env<O, Integer> env, RawTap<O> tap, Policy<O> policy, int index, long seed,
            boolean greedy, Recorder recorder, Path video, int maxSteps) {
        Rng rng = actionRng(seed);
        Reset<O> reset = env.reset(seed);
        O observation = reset.observation();
        policy.reset(1);
        boolean[] start = {true};
        int[] action = new int[1];
        List<O> batch = new ArrayList<>(1);
        batch.add(observation);
        double clipped = 0;
        double raw = 0;
        int length = 0;
        Mp4Writer writer = null;
        try {
            while (true) {
                batch.set(0, observation);
                policy.act(batch, start, greedy, rng, action);
                start[0] = false;
                if (recorder != null) {
                    Object screen = tap == null ? observation : tap.screen();
                    Space<?> space = (tap == null ? env : tap).observationSpace();
                    if (writer == null) {
                        writer = recorder.begin(video, screen, space);
                    }
                    recorder.frame(writer, screen, space, policy, action[0]);
                }
                Step<O> s = env.step(action[0]);
                clipped += s.reward();
                raw += s.info().getDouble(InfoKeys.RAW_REWARD, s.reward());
                length++;
                observation = s.observation();
                if (s.done() || (maxSteps > 0 && length >= maxSteps)) {
                    break;
                }
            }
            if (writer != null) {
                writer.finish();
                writer = null;
            }
        } finally {
            if (writer != null) {
                writer.close();
            }
        }
        return new Episode(policy.name(), index, seed, clipped, raw, length);
    }

    /** Draws and encodes the frames of the recorded episodes of one policy. */
    private static final class Recorder {
        private final Policy<?> policy;
        private final Settings settings;
        private GameplayRenderer renderer;

        Recorder(Policy<?> policy, Settings settings) {
            this.policy = policy;
            this.settings = settings;
        }

        Mp4Writer begin(Path video, Object screen, Space<?> space) {
            var f = GameplayRenderer.screenOf(screen, space);
            if (renderer == null) {
                renderer = new GameplayRenderer(f.height(), f.width(), policy.neurons(), policy.networkSteps(),
                        policy.actions(), settings.window());
            }
            renderer.startEpisode();
            var l = renderer.layout();
            return new Mp4Writer(video, l.width(), l.height(), settings.fps());
        }

        void frame(Mp4Writer writer, Object screen, Space<?> space, Policy<?> p, int action) {
            var f = GameplayRenderer.screenOf(screen, space);
            writer.write(renderer.render(f, p.spikes(0), p.probabilities(0), action, p.value(0)));
        }
    }

    /**
     * Keeps the last observation of the game under its preprocessing: what the video shows, unless
     * the game draws its colour screen itself ({@link RgbScreen}, e.g. an Atari game observed as gray).
     */
    private static final class RawTap<O> extends Wrapper<O, Integer> {
        Object last;

        RawTap(Env<O, Integer> env) {
            super(env);
        }

        /** What the video shows of the game now. */
        Object screen() {
            return env instanceof RgbScreen s ? s.render() : last;
        }

        @Override
        public Reset<O> reset(long seed) {
            Reset<O> r = env.reset(seed);
            last = r.observation();
            return r;
        }

        @Override
        public Reset<O> reset() {
            Reset<O> r = env.reset();
            last = r.observation();
            return r;
        }

        @Override
        public Step<O> step(Integer action) {
            Step<O> s = env.step(action);
            last = s.observation();
            return s;
        }
    }

    /**
     * The action stream of the episode of seed {@code seed}: not {@code new Rng(seed)} or one split
     * from it, whose first draw the environment's own {@code Rng(seed)} also makes (the ball of
     * catch), but a generator seeded apart from it.
     */
    static Rng actionRng(long seed) {
        return new Rng(seed ^ ACTION_SEED_MASK);
    }

    static Result summarise(List<Episode> rows, List<String> names, List<Path> videos) {
        List<PolicySummary> summaries = new ArrayList<>();
        List<double[]> raws = new ArrayList<>();
        for (String name : names) {
            List<Episode> mine = rows.stream().filter(e -> e.policy().equals(name)).toList();
            double[] clipped = mine.stream().mapToDouble(Episode::clippedReturn).toArray();
            double[] raw = mine.stream().mapToDouble(Episode::rawReturn).toArray();
            double length = mine.stream().mapToDouble(Episode::length).average().orElse(Double.NaN);
            summaries.add(new PolicySummary(name, mine.size(), Statistics.mean(clipped),
                    Statistics.standardError(clipped), Statistics.mean(raw), Statistics.standardError(raw), length));
            raws.add(raw);
        }
        if (names.size() < 2) {
            return new Result(List.copyOf(rows), summaries, null, null, null, List.copyOf(videos));
        }
        double[] a = raws.get(0);
        double[] b = raws.get(1);
        return new Result(List.copyOf(rows), summaries, Statistics.welch(a, b), Statistics.pairedT(a, b),
                Statistics.signTest(a, b), List.copyOf(videos));
    }

    static String csv(List<Episode> rows) {
        StringBuilder sb = new StringBuilder(String.join(",", COLUMNS)).append('\n');
        for (Episode e : rows) {
            sb.append(e.policy()).append(',').append(e.episode()).append(',').append(e.seed()).append(',')
                    .append(number(e.clippedReturn())).append(',').append(number(e.rawReturn())).append(',')
                    .append(e.length()).append('\n');
        }
        return sb.toString();
    }

    private static String number(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    private static String json(Result r, Settings s, Map<String, Object> context) throws IOException {
        Map<String, Object> root = new LinkedHashMap<>(context);
        root.put("episodes", s.episodes());
        root.put("seed", s.seed());
        root.put("greedy", s.greedy());
        Map<String, Object> policies = new LinkedHashMap<>();
        for (PolicySummary p : r.policies()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mean", finite(p.mean()));
            m.put("std_error", finite(p.stdError()));
            m.put("raw_mean", finite(p.rawMean()));
            m.put("raw_std_error", finite(p.rawStdError()));
            m.put("mean_length", finite(p.meanLength()));
            policies.put(p.policy(), m);
        }
        root.put("policies", policies);
        if (r.welch() != null) {
            PolicySummary a = r.policies().get(0);
            PolicySummary b = r.policies().get(1);
            root.put("compared", a.policy() + " > " + b.policy() + " (raw returns)");
            root.put("difference", finite(a.rawMean() - b.rawMean()));
            root.put("difference_std_error", finite(Math.hypot(a.rawStdError(), b.rawStdError())));
            root.put("p", finite(r.welch().p()));
            root.put("p_test", P_TEST);
            root.put("welch", test(r.welch()));
            root.put("paired_t", test(r.paired()));
            Map<String, Object> sign = new LinkedHashMap<>();
            sign.put("wins", r.sign().wins());
            sign.put("losses", r.sign().losses());
            sign.put("ties", r.sign().ties());
            sign.put("p", finite(r.sign().p()));
            root.put("sign_test", sign);
        }
        return new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(root) + "\n";
    }

    private static Map<String, Object> test(Statistics.TTest t) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("t", finite(t.t()));
        m.put("df", finite(t.df()));
        m.put("p", finite(t.p()));
        return m;
    }

    private static Object finite(double v) {
        return Double.isFinite(v) ? (Object) v : null;
    }
}
