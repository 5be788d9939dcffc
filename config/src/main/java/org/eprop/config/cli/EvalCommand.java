package org.eprop.config.cli;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.eprop.agent.actorcritic.ActorCriticAgent;
import org.eprop.agent.actorcritic.ActorCriticParams;
import org.eprop.agent.eval.ActorCriticPolicy;
import org.eprop.agent.eval.Evaluation;
import org.eprop.agent.eval.Policy;
import org.eprop.agent.eval.RandomPolicy;
import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.run.CheckpointFormat;
import org.eprop.agent.run.CheckpointStore;
import org.eprop.agent.run.RunDirectory;
import org.eprop.config.run.RunLauncher;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "eval", mixinStandardHelpOptions = true,
        description = {"Evaluate a trained agent on full episodes against the random policy on the same seeds.",
            "Writes RUN_DIR/eval-<checkpoint>-<time>/episodes.csv and summary.json (mean, standard error, "
                    + "one-sided Welch p-value).",
            "  eprop eval runs/catch-20261128-120000",
            "  eprop eval runs/catch-20261128-120000 --checkpoint 2000 --episodes 200 --greedy --video videos"})
final class EvalCommand implements Callable<Integer> {
    private static final DateTimeFormatter STAMP = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss");

    @Parameters(index = "0", paramLabel = "RUN_DIR", description = "a run directory written by eprop train")
    Path runDir;

    @Option(names = "--checkpoint", paramLabel = "N", description = "the checkpoint of iteration N (default: the latest)")
    Long checkpoint;

    @Option(names = "--episodes", defaultValue = "100", description = "episodes per policy (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--greedy", description = "take the most probable action (default: sample from the policy)")
    boolean greedy;

    @Option(names = "--video", paramLabel = "DIR", description = "write an MP4 of every episode of the agent into DIR: "
            + "the screen, the LSNN's spike raster, the action probabilities and the value")
    Path video;

    @Option(names = "--seed", defaultValue = "0", description = "episode i uses seed S+i, for both policies "
            + "(default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--max-steps", paramLabel = "N", defaultValue = "0", description = "end every episode after N agent "
            + "steps, for both policies (default: 0, whole episodes; the training curriculum starts at 200)")
    int maxSteps;

    @Override
    public Integer call() throws Exception {
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        if (maxSteps < 0) {
            throw new IllegalArgumentException("--max-steps must be >= 0 (0: whole episodes), got " + maxSteps);
        }
        if (!Files.isDirectory(runDir)) {
            throw new IllegalArgumentException("no run directory " + runDir + " (give the directory eprop train "
                    + "created, e.g. runs/catch-20261128-120000)");
        }
        if (!Files.isRegularFile(runDir.resolve(RunDirectory.CONFIG))) {
            throw new IllegalArgumentException(runDir + " is not a run directory: it has no " + RunDirectory.CONFIG);
        }
        CheckpointStore store = new CheckpointStore(runDir.resolve(RunDirectory.CHECKPOINTS), 1);
        List<Long> present = store.iterations();
        if (present.isEmpty()) {
            throw new IllegalArgumentException("no checkpoint in " + store.dir() + ": the run has not reached its "
                    + "first checkpoint (training.checkpoint_every); train it longer or resume it");
        }
        long iteration;
        Checkpoint ckpt;
        Path file;
        if (checkpoint == null) {
            CheckpointStore.Loaded latest = store.latest().orElseThrow();
            iteration = latest.iteration();
            ckpt = latest.checkpoint();
            file = latest.file();
        } else {
            if (!present.contains(checkpoint)) {
                throw new IllegalArgumentException("no checkpoint " + checkpoint + " in " + store.dir() + "; there are: "
                        + present.stream().sorted().map(String::valueOf).collect(Collectors.joining(", ")));
            }
            iteration = checkpoint;
            file = store.dir().resolve(CheckpointStore.fileName(iteration));
            ckpt = CheckpointFormat.read(file);
        }
        RunLauncher.Prepared prepared = RunLauncher.prepare(runDir.resolve(RunDirectory.CONFIG), List.of());
        if (!(prepared.agentParams() instanceof ActorCriticParams params)) {
            throw new IllegalArgumentException("eprop eval evaluates " + ActorCriticAgent.ID + " runs; " + runDir
                    + " was trained by '" + prepared.agent().id() + "'");
        }
        ActorCriticPolicy<?> agent = ActorCriticPolicy.load(prepared.setup(), params, ckpt, file.toString());
        Path out = outputDir(iteration);
        Map<String, Object> context = new LinkedHashMap<>();
        context.put("run", runDir.toAbsolutePath().normalize().toString());
        context.put("checkpoint", iteration);
        context.put("env", prepared.env().id());
        context.put("agent", prepared.agent().id());
        System.out.printf(Locale.ROOT, "evaluating %s checkpoint %d on %s: %d episodes per policy, seeds %d..%d, %s "
                + "actions%n", runDir, iteration, prepared.env().id(), episodes, seed, seed + episodes - 1,
                greedy ? "greedy" : "sampled");
        Evaluation.Result r = evaluate(agent, prepared, new Evaluation.Settings(episodes, seed, greedy, video)
                .withMaxSteps(maxSteps), out, context);
        System.out.print(r.describe());
        System.out.println("p = " + String.format(Locale.ROOT, "%.3g", r.p()) + " (one-sided Welch t-test on raw "
                + "returns that the agent scores higher than the random policy)");
        System.out.println("results: " + out);
        if (video != null) {
            System.out.println("videos: " + video.toAbsolutePath());
        }
        return 0;
    }

    /** The agent against the random policy on the same seeds, for the agent's observation type. */
    private static <O> Evaluation.Result evaluate(ActorCriticPolicy<O> agent, RunLauncher.Prepared prepared,
            Evaluation.Settings settings, Path out, Map<String, Object> context) throws IOException {
        List<Policy<O>> policies = List.of(agent, new RandomPolicy<>(agent.actions()));
        @SuppressWarnings("unchecked")
        Class<O> type = (Class<O>) ((org.eprop.envs.registry.GameSpec<?, ?, ?>) prepared.env().spec())
                .observationType();
        return Evaluation.run(Evaluation.game(prepared.env(), type), policies, settings, out, context);
    }

    private Path outputDir(long iteration) throws IOException {
        String base = "eval-" + iteration + "-" + LocalDateTime.now().format(STAMP);
        Path dir = runDir.resolve(base);
        for (int suffix = 2; ; suffix++) {
            try {
                return Files.createDirectory(dir);
            } catch (FileAlreadyExistsException e) {
                dir = runDir.resolve(base + "-" + suffix);
            }
        }
    }
}
