package org.eprop.agent.actorcritic;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.eprop.agent.Agent;
import org.eprop.agent.RunContext;
import org.eprop.agent.RunSetup;
import org.eprop.agent.run.AtomicFiles;
import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.run.CheckpointStore;
import org.eprop.agent.run.MetricsLog;
import org.eprop.agent.run.ProgressBar;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSkipping;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.GameSpec;
import org.eprop.envs.vector.VectorEnv;
import org.eprop.envs.wrappers.TimeLimit;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.optim.Optimizer;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.train.LearnerState;

/**
 * The spiking actor-critic trained by reward-based e-prop (Bellec et al. 2020, Figs. 4-5): an
 * LSNN with policy and value readouts acts in N parallel environments and learns from their
 * rewards ({@link ActorCriticTrainer}). This agent runs games whose observations are vectors
 * ({@code float[]}) and whose actions are discrete; the spiking convolutional front end for
 * screen frames joins it later.
 *
 * <p>The run directory holds, per iteration (one optimiser step), a row of {@code metrics.csv}
 * (frames, episodes, returns, lengths, every loss term, entropy, firing rate, and for games whose
 * final info has {@link org.eprop.envs.api.InfoKeys#CORRECT} the fraction of correct decisions:
 * {@code correct} over the iteration's episodes, {@code correct_recent} over the last 1000 that
 * report it; empty for games that do not); the wall-clock figures (frames per second, the time
 * split between emulator, network and learner) and the heap allocation of the acting and of the
 * learning go to {@code timing.csv}, so that two runs of the same seed write the same
 * {@code metrics.csv}. Checkpoints hold the weights, the optimiser, the network states
 * with their eligibility traces, the random streams and the frame count; every environment is
 * reseeded at the start of each iteration, so a resumed run continues exactly.
 */
public final class ActorCriticAgent implements Agent<ActorCriticParams> {
    public static final String ID = "actor-critic";
    static final List<String> COLUMNS = List.of("iteration", "frames", "episodes", "return_mean", "return_std",
            "raw_return_mean", "episode_length", "policy_loss", "value_loss", "entropy_loss", "entropy",
            "rate_loss", "rate", "unrolls", "cap", "return_recent", "correct", "correct_recent");
    /**
     * The columns of runs started before {@code correct} and {@code correct_recent} were logged:
     * such a run resumes with them, so that its metrics.csv keeps one header.
     */
    static final List<String> COLUMNS_WITHOUT_CORRECT = COLUMNS.subList(0, COLUMNS.indexOf("correct"));
    /** Training episodes averaged in the {@code return_recent} column. */
    static final int RECENT = 1000;
    private static final int KEEP_CHECKPOINTS = 3;

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "spiking actor-critic trained by reward-based e-prop (Figs. 4-5); a spiking CNN reads screens";
    }

    @Override
    public Class<ActorCriticParams> paramsType() {
        return ActorCriticParams.class;
    }

    @Override
    public ActorCriticParams defaultParams() {
        return ActorCriticParams.reference();
    }

    @Override
    public boolean accepts(EnvSpec<?> env) {
        return env instanceof GameSpec<?, ?, ?> g && (g.observationType() == float[].class
                || g.observationType() == Frame.class) && g.actionType() == Integer.class;
    }

    @Override
    public boolean isDefaultFor(EnvSpec<?> env) {
        return accepts(env);
    }

    /**
     * Refuses, before any run directory exists, an LSNN that cannot fit in this JVM: the weights and
     * the recorded unroll of all environments (the inputs are not known before the game is made,
     * so they are left out: a lower bound).
     */
    @Override
    public void check(RunSetup setup, ActorCriticParams params, org.eprop.envs.params.Checks checks) {
        long n = (long) setup.network().lif() + setup.network().alif();
        long steps = (long) params.unroll() * params.stepsPerAction();
        boolean online = setup.rule().id().equals(ActorCriticTrainer.ONLINE);
        checks.check(!online || params.traces() != ActorCriticParams.Traces.TRUNCATED, "agent.params.traces", "truncated",
                "carried with learning.rule " + ActorCriticTrainer.ONLINE + " (its traces run on through every step; "
                        + "truncated is for the unroll-wise rules eprop and eprop-autodiff)");
        long traced = online ? params.envs() : 0;
        long bytes = org.eprop.agent.spec.MemoryBudget.bytes(setup.network().precision(), 0, n, 2, steps,
                params.envs(), traced, 7);
        org.eprop.agent.spec.MemoryBudget.check(checks, "network.lif", setup.network().lif(), bytes,
                String.format(Locale.ROOT, "%,d neurons, %d environments, unrolls of %,d network steps (%s)", n,
                        params.envs(), steps, setup.rule().id()), "network.lif / network.alif, agent.params.envs or "
                        + "agent.params.unroll");
    }

    @Override
    public int run(RunContext ctx, ActorCriticParams params) throws IOException {
        GameSpec<?, ?, ?> game = (GameSpec<?, ?, ?>) ctx.setup().env().spec();
        if (game.observationType() == Frame.class) {
            return runGame(ctx, params, cast(game, Frame.class), true, (probe, rows, outputs, rng) -> {
                if (!(probe.observationSpace() instanceof FrameSpace screen)) {
                    throw new IllegalArgumentException(probe.id() + " has observations " + probe.observationSpace()
                            + "; the CNN front end needs screen frames");
                }
                return new CnnFrontEnd(params.cnn().config(screen, params.stepsPerAction()),
                        params.cnn().training(), rows, outputs, ctx.setup().network().precision(), rng);
            });
        }
        return runGame(ctx, params, cast(game, float[].class), false, (probe, rows, outputs, rng) -> {
            if (!(probe.observationSpace() instanceof Box box)) {
                throw new IllegalArgumentException(probe.id() + " has observations " + probe.observationSpace()
                        + "; the actor-critic needs a Box of values or screen frames");
            }
            return new DenseFrontEnd(box.size(), params.stepsPerAction());
        });
    }

    /** Makes the front end once the game's spaces are known. */
    private interface FrontEnds<O> {
        FrontEnd<O> make(Env<O, Integer> probe, int rows, int outputs, Rng rng);
    }

    /**
     * One run on a game with observations {@code O}: the game's spaces from a probe instance, the
     * network, feedback and optimisers, N environments (on the vector environment's threads when {@code threaded},
     * each confined to one: emulators want that; vector games step in microseconds, faster all on one thread), the trainer.
     */
    private <O> int runGame(RunContext ctx, ActorCriticParams params, GameSpec<?, O, Integer> game, boolean threaded,
            FrontEnds<O> frontEnds) throws IOException {
        RunSetup setup = ctx.setup();
        Rng root = new Rng(setup.seed());
        int actions;
        int framesPerStep;
        FrontEnd<O> frontEnd;
        try (Env<O, Integer> probe = makeEnv(setup.env(), game)) {
            if (!(probe.actionSpace() instanceof Discrete d)) {
                throw new IllegalArgumentException(setup.env().id() + " has actions " + probe.actionSpace()
                        + "; the actor-critic needs a Discrete action space");
            }
            actions = d.n();
            framesPerStep = FrameSkipping.total(probe);
            frontEnd = frontEnds.make(probe, params.envs(), actions + 1, root.split(5));
        }
        int inputs = frontEnd.outputs() + (params.doneInput() ? 1 : 0);
        SpikingNetwork net = network(setup.network(), inputs, actions + 1, root.split(1));
        LearningSpec l = setup.learning();
        Feedback feedback = switch (l.feedback()) {
            case SYMMETRIC -> Feedback.symmetric();
            case RANDOM -> Feedback.random(net, root.split(2), l.feedbackScaled());
            case ADAPTIVE -> Feedback.adaptive(net, root.split(2), l.adaptiveDecay());
        };
        Optimizer optimizer = l.optimizer().create();
        Optimizer feedbackOptimizer = l.optimizer().create();
        ActorCriticParams.Curriculum c = params.curriculum();
        EpisodeCurriculum curriculum = new EpisodeCurriculum(new EpisodeCurriculum.Settings(
                Boolean.TRUE.equals(c.enabled()) ? c.maxEpisodeLength() : Integer.MAX_VALUE, c.growEveryFrames(),
                // disabled: no growth (a run of more than grow_every_frames frames used to overflow the cap)
                Boolean.TRUE.equals(c.enabled()) ? 1 : 0,
                Boolean.TRUE.equals(c.enabled()) ? c.jitter() : 0, true), root.split(3));
        java.util.function.IntFunction<Env<O, Integer>> make =
                i -> new TimeLimit<>(makeEnv(setup.env(), game), curriculum::cap);
        VectorEnv<O, Integer> envs = threaded
                ? new VectorEnv<>(params.envs(), make, VectorEnv.AutoresetMode.SAME_STEP, null)
                : VectorEnv.synchronous(params.envs(), make, VectorEnv.AutoresetMode.SAME_STEP, null);
        try (envs) {
            ActorCriticTrainer<O> trainer = new ActorCriticTrainer<>(net, actions, envs, frontEnd, framesPerStep,
                    params, setup.rule().create(new org.eprop.learning.tensor.Dense(net.precision())), feedback,
                    optimizer, feedbackOptimizer, curriculum, root.split(4));
            return train(ctx, params, net, feedback, optimizer, feedbackOptimizer, trainer, curriculum);
        }
    }

    @SuppressWarnings("unchecked")
    private static <O> GameSpec<?, O, Integer> cast(GameSpec<?, ?, ?> game, Class<O> observations) {
        if (game.observationType() != observations || game.actionType() != Integer.class) {
            throw new IllegalArgumentException(game.id() + " is not a game with " + observations.getSimpleName()
                    + " observations and discrete actions");
        }
        return (GameSpec<?, O, Integer>) game;
    }

    private int train(RunContext ctx, ActorCriticParams params, SpikingNetwork net, Feedback feedback,
            Optimizer optimizer, Optimizer feedbackOptimizer, ActorCriticTrainer<?> trainer, EpisodeCurriculum curriculum)
            throws IOException {
        var dir = ctx.directory();
        CheckpointStore store = new CheckpointStore(dir.checkpoints(), KEEP_CHECKPOINTS);
        Path timing = dir.path().resolve("timing.csv");
        long iteration = 0;
        StringBuilder timingRows = new StringBuilder();
        List<Double> recent = new ArrayList<>();
        // 1 or 0 per recent episode that reported InfoKeys.CORRECT
        List<Double> recentCorrect = new ArrayList<>();
        List<String> columns = COLUMNS;
        MetricsLog metrics;
        if (ctx.resume()) {
            Optional<CheckpointStore.Loaded> latest = store.latest();
            if (latest.isPresent()) {
                Checkpoint c = latest.get().checkpoint();
                restore(c, net, feedback, optimizer, feedbackOptimizer, trainer, curriculum);
                for (double v : c.doubles("episodes.recent_returns")) {
                    recent.add(v);
                }
                if (c.names().contains("episodes.recent_correct")) {
                    for (double v : c.doubles("episodes.recent_correct")) {
                        recentCorrect.add(v);
                    }
                }
                iteration = latest.get().iteration();
            }
            if (java.nio.file.Files.exists(dir.metricsCsv()) && java.nio.file.Files.readAllLines(dir.metricsCsv())
                    .stream().findFirst().orElse("").equals(String.join(",", COLUMNS_WITHOUT_CORRECT))) {
                columns = COLUMNS_WITHOUT_CORRECT;
            }
            metrics = MetricsLog.resume(dir.metricsCsv(), dir.metricsJsonl(), columns, iteration);
            // the timing rows up to the checkpoint carry on; those after it are measured again
            if (java.nio.file.Files.exists(timing)) {
                for (String row : java.nio.file.Files.readAllLines(timing)) {
                    int comma = row.indexOf(',');
                    if (comma > 0 && !row.startsWith("iteration") && Long.parseLong(row.substring(0, comma)) <= iteration) {
                        timingRows.append(row).append('\n');
                    }
                }
            }
            ctx.out().println("resuming " + dir.path() + " after iteration " + iteration);
        } else {
            metrics = MetricsLog.create(dir.metricsCsv(), dir.metricsJsonl(), COLUMNS);
        }
        long maxIterations = ctx.setup().training().maxIterations();
        ProgressBar progress = new ProgressBar(System.err, "train", iteration, maxIterations,
                ProgressBar.isInteractive(), System::nanoTime);
        // the frame budget usually ends an Atari run long before max_iterations: the ETA takes the sooner
        progress.budget(trainer.frames(), params.maxFrames());
        long started = System.nanoTime();
        double[] lastSplit = trainer.secondsSplit();
        long[] lastBytes = trainer.allocatedBytes();
        try (metrics) {
            while (iteration < maxIterations && trainer.frames() < params.maxFrames()) {
                long t0 = System.nanoTime();
                ActorCriticTrainer.Report r = trainer.iteration();
                iteration++;
                double seconds = (System.nanoTime() - t0) / 1e9;
                double[] stats = episodeStats(r.episodes());
                for (double[] e : r.episodes()) {
                    recent.add(e[0]);
                    if (!Double.isNaN(e[3])) {
                        recentCorrect.add(e[3]);
                    }
                }
                while (recent.size() > RECENT) {
                    recent.remove(0);
                }
                while (recentCorrect.size() > RECENT) {
                    recentCorrect.remove(0);
                }
                double window = recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
                double correctWindow = recentCorrect.stream().mapToDouble(Double::doubleValue).average()
                        .orElse(Double.NaN);
                double[] row = {r.frames(), r.episodes().size(), stats[0], stats[1], stats[2], stats[3],
                        r.policyLoss(), r.valueLoss(), r.entropyLoss(), r.entropy(), r.rateLoss(), r.rate(),
                        r.unrolls(), r.cap(), window, stats[4], correctWindow};
                metrics.append(iteration, java.util.Arrays.copyOf(row, columns.size() - 1));
                double fps = seconds > 0 ? r.framesThisIteration() / seconds : 0;
                double[] split = trainer.secondsSplit();
                long[] bytes = trainer.allocatedBytes();
                timingRows.append(String.format(Locale.ROOT, "%d,%.3f,%.1f,%.3f,%.3f,%.3f,%.3f,%d,%d%n", iteration,
                        seconds, fps, split[0] - lastSplit[0], split[1] - lastSplit[1], split[2] - lastSplit[2],
                        optimizerSeconds(seconds, split, lastSplit), bytes[0] - lastBytes[0], bytes[1] - lastBytes[1]));
                lastSplit = split;
                lastBytes = bytes;
                progress.update(iteration, trainer.frames(), String.format(Locale.ROOT, "%.2fM frames  %.0f frames/s  "
                        + "return %.3f (last %d: %.3f)%s  H %.2f", r.frames() / 1e6, fps, stats[0], recent.size(), window,
                        Double.isNaN(correctWindow) ? "" : String.format(Locale.ROOT, "  correct %.1f%%",
                                100 * correctWindow), r.entropy()));
                if (iteration % ctx.setup().training().plotEvery() == 0) {
                    metrics.sync();
                    plot(ctx);
                }
                boolean last = iteration == maxIterations || trainer.frames() >= params.maxFrames();
                boolean interrupt = !last && ctx.stop().requested();
                if (iteration % ctx.setup().training().checkpointEvery() == 0 || last || interrupt) {
                    metrics.sync();
                    AtomicFiles.writeString(timing, timingHeader() + timingRows);
                    Checkpoint.Builder b = snapshot(net, feedback, optimizer, feedbackOptimizer, trainer, curriculum);
                    b.put("episodes.recent_returns", recent.stream().mapToDouble(Double::doubleValue).toArray());
                    b.put("episodes.recent_correct", recentCorrect.stream().mapToDouble(Double::doubleValue).toArray());
                    store.save(iteration, b.build());
                    // Environments cannot be checkpointed; all of them start new episodes from a
                    // seeded reset after a checkpoint, in this run as in one resumed from it.
                    trainer.startNewEpisodes();
                }
                if (interrupt) {
                    break;
                }
            }
        }
        if (ctx.stop().requested() && iteration < maxIterations && trainer.frames() < params.maxFrames()) {
            AtomicFiles.writeString(timing, timingHeader() + timingRows);
            progress.finish("stopped on request after iteration " + iteration + " (checkpoint written)");
            ctx.stop().stopped();
            return RunContext.INTERRUPTED;
        }
        AtomicFiles.writeString(timing, timingHeader() + timingRows);
        plot(ctx);
        double seconds = (System.nanoTime() - started) / 1e9;
        double window = recent.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        double correctWindow = recentCorrect.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN);
        String line = String.format(Locale.ROOT, "%s: %d iterations, %d frames, mean return over the last %d "
                + "training episodes %.3f%s, %.1f s", ctx.setup().env().id(), iteration, trainer.frames(),
                recent.size(), window, recentCorrect.isEmpty() ? "" : String.format(Locale.ROOT,
                        ", correct decisions over the last %d %.1f %%", recentCorrect.size(), 100 * correctWindow),
                seconds);
        progress.finish(null);
        AtomicFiles.writeString(dir.path().resolve("summary.json"), String.format(Locale.ROOT,
                "{\"iterations\": %d, \"frames\": %d, \"recent_episodes\": %d, \"recent_return_mean\": %s, "
                        + "\"recent_correct_episodes\": %d, \"recent_correct\": %s, \"seconds\": %.3f}%n",
                iteration, trainer.frames(), recent.size(), Double.isNaN(window) ? "null" : Double.toString(window),
                recentCorrect.size(), Double.isNaN(correctWindow) ? "null" : Double.toString(correctWindow),
                seconds));
        ctx.out().println(line);
        return 0;
    }

    /**
     * {@code plots/learning-curve.png}: the training returns against emulator frames (each
     * iteration's mean, and the mean over the last 1000 episodes), drawn from metrics.csv so that a
     * resumed run's curve is whole. A failed plot is reported, not fatal.
     */
    static void plot(RunContext ctx) {
        try {
            List<String> lines = java.nio.file.Files.readAllLines(ctx.directory().metricsCsv());
            if (lines.size() < 2) {
                return;
            }
            List<String> header = List.of(lines.get(0).split(","));
            int rows = lines.size() - 1;
            double[] frames = new double[rows];
            double[] mean = new double[rows];
            double[] recent = new double[rows];
            for (int r = 0; r < rows; r++) {
                String[] c = lines.get(r + 1).split(",", -1);
                frames[r] = number(c[header.indexOf("frames")]);
                mean[r] = number(c[header.indexOf("return_mean")]);
                recent[r] = number(c[header.indexOf("return_recent")]);
            }
            org.eprop.agent.plot.LearningCurvePlot.write(ctx.directory().plots().resolve("learning-curve.png"),
                    ctx.setup().name() + ": " + ctx.setup().env().id() + ", training episodes", "emulator frames",
                    "return", List.of(new org.eprop.agent.plot.LearningCurvePlot.Series("mean of the iteration",
                            frames, mean), new org.eprop.agent.plot.LearningCurvePlot.Series("mean of the last "
                                    + RECENT + " episodes", frames, recent)), false);
        } catch (IOException | RuntimeException e) {
            ctx.out().println("warning: plotting failed: " + e.getMessage());
        }
    }

    private static double number(String s) {
        try {
            return s.isEmpty() ? Double.NaN : Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    private static String timingHeader() {
        return "iteration,seconds,frames_per_second,emulator_seconds,network_seconds,learner_seconds,"
                + "other_seconds,acting_bytes,learner_bytes\n";
    }

    /** The iteration's time outside the three measured parts (optimiser step, bookkeeping). */
    private static double optimizerSeconds(double seconds, double[] split, double[] last) {
        return seconds - (split[0] - last[0]) - (split[1] - last[1]) - (split[2] - last[2]);
    }

    /**
     * {mean, std, raw mean, mean length, fraction correct} of the finished episodes (returns
     * clipped); the fraction over those that report {@link org.eprop.envs.api.InfoKeys#CORRECT},
     * NaN if none does.
     */
    static double[] episodeStats(List<double[]> episodes) {
        if (episodes.isEmpty()) {
            return new double[] {Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN};
        }
        double sum = 0;
        double raw = 0;
        double len = 0;
        double correct = 0;
        int reporting = 0;
        for (double[] e : episodes) {
            sum += e[0];
            raw += e[1];
            len += e[2];
            if (!Double.isNaN(e[3])) {
                correct += e[3];
                reporting++;
            }
        }
        double mean = sum / episodes.size();
        double var = 0;
        for (double[] e : episodes) {
            var += (e[0] - mean) * (e[0] - mean);
        }
        return new double[] {mean, Math.sqrt(var / episodes.size()), raw / episodes.size(), len / episodes.size(),
                reporting == 0 ? Double.NaN : correct / reporting};
    }

    private static Checkpoint.Builder snapshot(SpikingNetwork net, Feedback feedback, Optimizer optimizer,
            Optimizer feedbackOptimizer, ActorCriticTrainer<?> trainer, EpisodeCurriculum curriculum) {
        Checkpoint.Builder b = Checkpoint.builder();
        trainer.parameters().entries().forEach(e -> b.put("net." + e.name(), e.array().toDoubleArray()));
        if (feedback.mode() != Feedback.Mode.SYMMETRIC) {
            b.put("feedback.b", feedback.matrix(net).toDoubleArray());
        }
        optimizer.state().forEach((k, v) -> b.put("optimizer." + k, v));
        if (feedback.mode() == Feedback.Mode.ADAPTIVE) {
            feedbackOptimizer.state().forEach((k, v) -> b.put("feedback_optimizer." + k, v));
        }
        trainer.state().forEach(b::put);
        b.put("rng.actions", trainer.randomState("actions"));
        b.put("rng.env_seeds", trainer.randomState("env_seeds"));
        b.put("curriculum", trainer.randomState("curriculum"));
        return b;
    }

    private static void restore(Checkpoint c, SpikingNetwork net, Feedback feedback, Optimizer optimizer,
            Optimizer feedbackOptimizer, ActorCriticTrainer<?> trainer, EpisodeCurriculum curriculum) {
        Map<String, double[]> doubles = new LinkedHashMap<>();
        for (String name : c.names()) {
            if (c.type(name) == Checkpoint.Type.DOUBLES) {
                doubles.put(name, c.doubles(name));
            }
        }
        for (var e : trainer.parameters().entries()) {
            copy(doubles, "net." + e.name(), e.array());
        }
        if (feedback.mode() != Feedback.Mode.SYMMETRIC) {
            copy(doubles, "feedback.b", feedback.matrix(net));
        }
        optimizer.restore(LearnerState.prefixed(doubles, "optimizer."), trainer.parameters());
        if (feedback.mode() == Feedback.Mode.ADAPTIVE) {
            feedbackOptimizer.restore(LearnerState.prefixed(doubles, "feedback_optimizer."),
                    new org.eprop.learning.tensor.RealArray[] {feedback.matrix(net)});
        }
        trainer.restore(doubles, c.longs("rng.actions"), c.longs("rng.env_seeds"), c.longs("curriculum"));
    }

    private static void copy(Map<String, double[]> s, String name, org.eprop.learning.tensor.RealArray target) {
        double[] v = s.get(name);
        if (v == null || v.length != target.length()) {
            throw new IllegalArgumentException("checkpoint '" + name + "' has " + (v == null ? "no values" : v.length
                    + " values") + ", the network " + target.length() + ": was it written with another network "
                    + "size or action count?");
        }
        for (int i = 0; i < v.length; i++) {
            target.set(i, v[i]);
        }
    }

    @SuppressWarnings("unchecked")
    private static <P, O> Env<O, Integer> makeEnv(BoundEnv<?> env, GameSpec<?, O, Integer> game) {
        return ((GameSpec<P, O, Integer>) game).env((P) env.params());
    }

    /** The LSNN of the {@code network} section, sized for the game (training and evaluation build the same). */
    public static SpikingNetwork network(NetworkSpec c, int inputs, int outputs, Rng rng) {
        NeuronLayer layer = new NeuronLayer(inputs, c.lif(), c.alif(), c.dt(), c.tauM(), c.tauA(), c.vTh(), c.beta(),
                c.refractory(), c.gamma(), c.input());
        Readout readout = new Readout(outputs, c.readout().tauOut(), c.readout().convention(), c.readout().bias());
        return new SpikingNetwork(layer, readout, c.precision()).initialise(rng, c.readout().init());
    }
}
