package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.eprop.agent.RunContext;
import org.eprop.agent.RunSetup;
import org.eprop.agent.run.CheckpointStore;
import org.eprop.agent.run.RunDirectory;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.agent.spec.OptimizerSpec;
import org.eprop.agent.spec.RateRegularizationSpec;
import org.eprop.agent.spec.ReadoutSpec;
import org.eprop.agent.spec.TrainingSpec;
import org.eprop.envs.api.Box;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.InfoKeys;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.envs.registry.GameSpec;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.LearningRule;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

/**
 * The actor-critic end to end on a game it must learn from reward alone: a two-armed contextual
 * bandit (the observation says which arm pays +1; the other pays -1; one step per episode).
 */
class ActorCriticAgentTest {

    /** The observation is one-hot in the paying arm; the episode ends after one action. */
    static final class Bandit implements Env<float[], Integer> {
        /** Whether observations claim (falsely) that the action is ignored: the policy then gets no gradient. */
        private final boolean claimIgnored;
        private Rng rng = new Rng(0);
        private int arm;

        Bandit(boolean claimIgnored) {
            this.claimIgnored = claimIgnored;
        }

        @Override
        public String id() {
            return "test/bandit";
        }

        @Override
        public Space<float[]> observationSpace() {
            return Box.of(2, 0f, 1f);
        }

        @Override
        public Space<Integer> actionSpace() {
            return new Discrete(2);
        }

        @Override
        public Reset<float[]> reset(long seed) {
            rng = new Rng(seed);
            return reset();
        }

        @Override
        public Reset<float[]> reset() {
            arm = rng.nextInt(2);
            return new Reset<>(observation(), Info.builder().put(InfoKeys.ACTION_IGNORED, claimIgnored).build());
        }

        private float[] observation() {
            float[] o = new float[2];
            o[arm] = 1f;
            return o;
        }

        @Override
        public Step<float[]> step(Integer action) {
            // The final info says whether the arm was right, and a "raw" reward ten times the reward,
            // as reward clipping would, to see both reach the metrics from the ending step's own info.
            double reward = action == arm ? 1.0 : -1.0;
            return new Step<>(observation(), reward, true, false, Info.builder().put(InfoKeys.CORRECT, action == arm)
                    .put(InfoKeys.RAW_REWARD, 10 * reward).put(InfoKeys.ACTION_IGNORED, claimIgnored).build());
        }
    }

    private static final GameSpec<Integer, float[], Integer> BANDIT = new GameSpec<>("test/bandit", "a bandit",
            Integer.class, 0, float[].class, Integer.class, (p, raw) -> raw.apply(new Bandit(p == 1)));

    private static RunSetup setup(long seed, int iterations, int checkpointEvery) {
        return setup(seed, iterations, checkpointEvery, "eprop", 0);
    }

    /** {@code rule}: eprop (the unroll-wise backward scans) or eprop-online (the online learner). */
    private static RunSetup setup(long seed, int iterations, int checkpointEvery, String rule) {
        return setup(seed, iterations, checkpointEvery, rule, 0);
    }

    /** {@code bandit} 1: every observation claims that its action is ignored. */
    private static RunSetup setup(long seed, int iterations, int checkpointEvery, int bandit) {
        return setup(seed, iterations, checkpointEvery, "eprop", bandit);
    }

    private static RunSetup setup(long seed, int iterations, int checkpointEvery, String rule, int bandit) {
        NetworkSpec network = new NetworkSpec(Precision.FLOAT32, 20, 10, 1.0, 15.0, 70.0, 0.5, 0.1, 2.0, 0.3,
                InputConvention.CURRENT, new ReadoutSpec(2.0, ReadoutConvention.NORMALISED, false,
                        ReadoutInit.NORMAL_SCALED));
        LearningSpec learning = new LearningSpec(rule, Feedback.Mode.RANDOM, false, 0.0,
                new OptimizerSpec("adam", 0.01, 0.9, 0.999, 1e-8), new RateRegularizationSpec(0.0, 10.0));
        return new RunSetup("bandit", seed, new BoundEnv<>(BANDIT, bandit), network, learning,
                rule.equals("eprop") ? new LearningRule("eprop", "e-prop", FastEprop::new)
                        : new LearningRule(rule, "online e-prop", d -> new OnlineEprop(d.precision())),
                new TrainingSpec(8, iterations, 10, false, 0.07, 1, checkpointEvery, 1000));
    }

    private static ActorCriticParams params() {
        return new ActorCriticParams(16, 8, 5, 0.99, 1.0, 0.001, 0.0, 0.02, 1e-4, true, false, 1_000_000L,
                new ActorCriticParams.Curriculum(false, 200, 0, 70_000_000L), ActorCriticParams.reference().cnn(),
                ActorCriticParams.Traces.CARRIED);
    }

    private static Path run(Path root, RunSetup setup, boolean resume, Path existing) throws IOException {
        RunDirectory dir;
        if (resume) {
            dir = RunDirectory.open(existing);
        } else {
            dir = RunDirectory.create(root, "bandit", Clock.systemUTC());
            dir.writeConfig("name: bandit\n");
        }
        try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(0, new ActorCriticAgent().run(new RunContext(setup, dir, out, resume), params()));
        }
        return dir.path();
    }

    private static double column(List<String> csv, int row, String name) {
        int c = List.of(csv.get(0).split(",")).indexOf(name);
        return Double.parseDouble(csv.get(row).split(",", -1)[c]);
    }

    @ParameterizedTest
    @ValueSource(strings = {"eprop", "eprop-online"})
    void learnsFromRewardAlone(String rule, @TempDir Path tmp) throws IOException {
        Path run = run(tmp, setup(3, 60, 1000, rule), false, null);
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(61, csv.size());
        double early = 0;
        double late = 0;
        for (int i = 1; i <= 5; i++) {
            early += column(csv, i, "return_mean") / 5;
            late += column(csv, 60 - 5 + i, "return_mean") / 5;
        }
        System.out.printf("bandit (%s): mean return %.3f in the first 5 iterations, %.3f in the last 5%n", rule, early,
                late);
        assertTrue(Math.abs(early) < 0.5, "chance at first: " + early);
        assertTrue(late > 0.8, "learned: " + late);
        assertTrue(column(csv, 60, "frames") == 60 * 8 * 16, "frames = iterations x unroll x envs");
        assertTrue(Files.size(run.resolve("plots").resolve("learning-curve.png")) > 1000, "the learning curve");
        assertEquals(61, Files.readAllLines(run.resolve("timing.csv")).size(), "a timing row per iteration");
    }

    @Test
    void stepsWhoseActionTheGameIgnoresTeachThePolicyNothing(@TempDir Path tmp) throws IOException {
        // The bandit of learnsFromRewardAlone, same seed, but every observation says its action is
        // ignored: the policy and entropy terms vanish and the policy stays at chance.
        Path run = run(tmp, setup(3, 60, 1000, 1), false, null);
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        double late = 0;
        for (int i = 1; i <= 5; i++) {
            late += column(csv, 60 - 5 + i, "return_mean") / 5;
            assertEquals(0.0, column(csv, 60 - 5 + i, "policy_loss"), 0.0);
            assertEquals(0.0, column(csv, 60 - 5 + i, "entropy_loss"), 0.0);
        }
        assertTrue(Math.abs(late) < 0.3, "nothing learnt: " + late);
        assertTrue(column(csv, 60, "value_loss") > 0, "the value is still learnt");
        int entropy = List.of(csv.get(0).split(",")).indexOf("entropy");
        assertEquals("", csv.get(60).split(",", -1)[entropy], "no step counted: no mean entropy (not 0)");
    }

    @Test
    void correctDecisionsAndRawReturnsComeFromTheEndingStepsInfo(@TempDir Path tmp) throws IOException {
        Path run = run(tmp, setup(3, 7, 1000), false, null);
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(ActorCriticAgent.COLUMNS, List.of(csv.get(0).split(",")));
        double correct = 0;
        double episodes = 0;
        for (int i = 1; i <= 7; i++) {
            double mean = column(csv, i, "return_mean");
            // Rewards are +1 (correct) or -1 per episode, so the fraction correct is (mean + 1)/2.
            assertEquals((mean + 1) / 2, column(csv, i, "correct"), 1e-12, "row " + i);
            assertEquals(10 * mean, column(csv, i, "raw_return_mean"), 1e-12, "row " + i);
            correct += column(csv, i, "correct") * column(csv, i, "episodes");
            episodes += column(csv, i, "episodes");
        }
        // 7 iterations of 16 environments x 8 one-step episodes: the window holds them all.
        assertEquals(7 * 16 * 8, episodes);
        assertEquals(correct / episodes, column(csv, 7, "correct_recent"), 1e-12);
        String summary = Files.readString(run.resolve("summary.json"));
        assertTrue(summary.contains("\"recent_correct_episodes\": " + (int) episodes), summary);
    }

    @Test
    void aRunLoggedWithoutTheCorrectColumnsResumesWithItsOwnHeader(@TempDir Path tmp) throws IOException {
        Path run = run(tmp, setup(5, 6, 3), false, null);
        // What a run started before the correct columns existed left behind.
        List<String> legacy = ActorCriticAgent.COLUMNS_WITHOUT_CORRECT;
        List<String> rows = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.csv"))) {
            rows.add(String.join(",", java.util.Arrays.copyOf(line.split(",", -1), legacy.size())));
        }
        Files.write(run.resolve("metrics.csv"), rows);
        List<String> json = new java.util.ArrayList<>();
        for (String line : Files.readAllLines(run.resolve("metrics.jsonl"))) {
            json.add(line.substring(0, line.indexOf(",\"correct\":")) + "}");
        }
        Files.write(run.resolve("metrics.jsonl"), json);
        Files.delete(run.resolve("checkpoints").resolve(CheckpointStore.fileName(6)));
        run(null, setup(5, 6, 3), true, run);
        assertEquals(rows, Files.readAllLines(run.resolve("metrics.csv")), "the same rows, in the old columns");
        assertEquals(json, Files.readAllLines(run.resolve("metrics.jsonl")));
    }

    @ParameterizedTest
    @ValueSource(strings = {"eprop", "eprop-online"})
    void aResumedRunWritesTheSameTableAsAnUninterruptedOne(String rule, @TempDir Path tmp) throws IOException {
        Path run = run(tmp.resolve("a"), setup(5, 6, 3, rule), false, null);
        byte[] whole = Files.readAllBytes(run.resolve("metrics.csv"));
        Files.delete(run.resolve("checkpoints").resolve(CheckpointStore.fileName(6)));
        run(null, setup(5, 6, 3, rule), true, run);
        assertEquals(new String(whole, StandardCharsets.UTF_8), Files.readString(run.resolve("metrics.csv")));
        assertEquals(7, Files.readAllLines(run.resolve("timing.csv")).size(), "timing rows kept across the resume");

        Path again = run(tmp.resolve("b"), setup(5, 6, 3, rule), false, null);
        assertEquals(new String(whole, StandardCharsets.UTF_8), Files.readString(again.resolve("metrics.csv")),
                "the same seed gives the same run");
    }
}
