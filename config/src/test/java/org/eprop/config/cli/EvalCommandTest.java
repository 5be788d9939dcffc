package org.eprop.config.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eprop.agent.actorcritic.ActorCriticParams;
import org.eprop.agent.eval.ActorCriticPolicy;
import org.eprop.agent.eval.Evaluation;
import org.eprop.agent.eval.GameplayRenderer;
import org.eprop.agent.eval.Statistics;
import org.eprop.agent.run.CheckpointFormat;
import org.eprop.agent.run.CheckpointStore;
import org.eprop.config.run.RunLauncher;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Step;
import org.eprop.envs.toy.Catch;
import org.eprop.envs.wrappers.VideoFiles;
import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eprop eval} on a tiny actor-critic run on {@code toy/catch}. */
class EvalCommandTest {
    private static final String TINY = """
            name: tiny-catch
            seed: 2
            env:
              id: toy/catch
            agent:
              id: actor-critic
              params:
                envs: 4
                unroll: 9
                steps_per_action: 2
                entropy_cost: 0.01
                rate_cost: 0.0
                done_input: true
                apply_after_end: false
                curriculum:
                  enabled: false
            network:
              lif: 8
              alif: 4
              dt: 1.0
              readout:
                tau_out: 2.0
                convention: normalised
                bias: true
                init: normal-scaled
            learning:
              rule: eprop
              feedback: random
              optimizer:
                id: adam
                learning_rate: 0.003
            training:
              max_iterations: 4
              checkpoint_every: 2
            """;

    @TempDir
    static Path tmp;
    static Path run;

    @BeforeAll
    static void train() throws IOException {
        Path yaml = tmp.resolve("tiny-catch.yaml");
        Files.writeString(yaml, TINY);
        RunLauncher.Prepared prepared = RunLauncher.prepare(yaml, List.of());
        try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(0, RunLauncher.start(prepared, tmp.resolve("runs"), List.of("eprop", "train"), out));
        }
        try (Stream<Path> dirs = Files.list(tmp.resolve("runs"))) {
            run = dirs.findFirst().orElseThrow();
        }
    }

    /** Exit code, standard output and standard error of the command line. */
    private record Outcome(int code, String out, String err) {
    }

    private static Outcome eprop(String... args) {
        PrintStream oldOut = System.out;
        PrintStream oldErr = System.err;
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            int code = EpropCli.run(args);
            return new Outcome(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        } finally {
            System.setOut(oldOut);
            System.setErr(oldErr);
        }
    }

    private static Path evalDir(String out) {
        for (String line : out.lines().toList()) {
            if (line.startsWith("results: ")) {
                return Path.of(line.substring("results: ".length()));
            }
        }
        throw new AssertionError("no results line in\n" + out);
    }

    @Test
    void evaluatesTheLatestCheckpointAgainstTheRandomPolicyOnTheSameSeeds() throws IOException {
        Outcome o = eprop("eval", run.toString(), "--episodes", "200", "--seed", "5");
        assertEquals(0, o.code(), o.out() + o.err());
        Path dir = evalDir(o.out());
        assertTrue(dir.getFileName().toString().startsWith("eval-4-") && dir.getParent().equals(run), dir.toString());
        assertTrue(o.out().contains("p = ") && o.out().contains("Welch"), o.out());

        List<String> csv = Files.readAllLines(dir.resolve("episodes.csv"));
        assertEquals(String.join(",", Evaluation.COLUMNS), csv.get(0));
        assertEquals(401, csv.size());
        double[][] raw = new double[2][200];
        for (int i = 0; i < 400; i++) {
            String[] f = csv.get(i + 1).split(",");
            int policy = i / 200;
            int episode = i % 200;
            assertEquals(policy == 0 ? "agent" : "random", f[0]);
            assertEquals(episode, Integer.parseInt(f[1]));
            assertEquals(5 + episode, Long.parseLong(f[2]), "episode i of both policies has seed S + i");
            assertEquals(Double.parseDouble(f[3]), Double.parseDouble(f[4]), "catch has no reward clipping");
            assertTrue(f[3].equals("1") || f[3].equals("-1"), f[3]);
            assertEquals(9, Integer.parseInt(f[5]), "full catch episodes");
            raw[policy][episode] = Double.parseDouble(f[4]);
        }

        JsonNode s = new ObjectMapper().readTree(dir.resolve("summary.json").toFile());
        assertEquals(4, s.get("checkpoint").asLong());
        assertEquals("toy/catch", s.get("env").asText());
        assertEquals(200, s.get("episodes").asInt());
        assertEquals(5, s.get("seed").asLong());
        assertEquals(false, s.get("greedy").asBoolean());
        for (int k = 0; k < 2; k++) {
            JsonNode p = s.get("policies").get(k == 0 ? "agent" : "random");
            assertEquals(Statistics.mean(raw[k]), p.get("mean").asDouble(), 1e-12);
            assertEquals(Statistics.standardError(raw[k]), p.get("std_error").asDouble(), 1e-12);
            assertEquals(9.0, p.get("mean_length").asDouble());
        }
        // the random paddle catches about one ball in five: mean -0.6
        double random = s.get("policies").get("random").get("mean").asDouble();
        assertEquals(-0.6, random, 0.15, "random policy on catch");
        assertEquals(Statistics.mean(raw[0]) - Statistics.mean(raw[1]), s.get("difference").asDouble(), 1e-12);
        assertEquals("welch_one_sided", s.get("p_test").asText());
        assertEquals(Statistics.welch(raw[0], raw[1]).p(), s.get("p").asDouble(), 1e-12);
        assertEquals(s.get("p").asDouble(), s.get("welch").get("p").asDouble());
        assertEquals(Statistics.pairedT(raw[0], raw[1]).p(), s.get("paired_t").get("p").asDouble(), 1e-12);
        Statistics.SignTest sign = Statistics.signTest(raw[0], raw[1]);
        assertEquals(sign.wins(), s.get("sign_test").get("wins").asInt());
        assertEquals(sign.p(), s.get("sign_test").get("p").asDouble(), 1e-12);

        // the same command again gives the same episodes (a new directory)
        Outcome again = eprop("eval", run.toString(), "--episodes", "200", "--seed", "5");
        assertEquals(0, again.code());
        Path second = evalDir(again.out());
        assertTrue(!second.equals(dir));
        assertEquals(csv, Files.readAllLines(second.resolve("episodes.csv")));
    }

    @Test
    void greedyVideosShowTheObservationInEveryFrame() throws IOException {
        Path videos = tmp.resolve("videos");
        Outcome o = eprop("eval", run.toString(), "--checkpoint", "2", "--episodes", "2", "--greedy", "--seed", "11",
                "--video", videos.toString());
        assertEquals(0, o.code(), o.out() + o.err());

        // replay the greedy episodes to know what the agent saw
        RunLauncher.Prepared prepared = RunLauncher.prepare(run.resolve("config.yaml"), List.of());
        ActorCriticPolicy policy = ActorCriticPolicy.load(prepared.setup(), (ActorCriticParams) prepared.agentParams(),
                CheckpointFormat.read(run.resolve("checkpoints").resolve(CheckpointStore.fileName(2))), "ckpt 2");
        GameplayRenderer.Layout l = new GameplayRenderer(10, 5, policy.neurons(), policy.networkSteps(), 3,
                GameplayRenderer.DEFAULT_WINDOW).layout();
        assertEquals(21, l.scale());
        for (int e = 0; e < 2; e++) {
            List<float[]> seen = new ArrayList<>();
            Catch game = new Catch();
            Reset<float[]> r = game.reset(11 + e);
            float[] obs = r.observation();
            policy.reset(1);
            int[] a = new int[1];
            boolean start = true;
            Step<float[]> step;
            do {
                seen.add(obs.clone()); // Catch refills one observation array at every step
                policy.act(List.of(obs), new boolean[] {start}, true, new Rng(0), a);
                start = false;
                step = game.step(a[0]);
                obs = step.observation();
            } while (!step.done());

            Path video = videos.resolve("agent-episode-" + e + ".mp4");
            assertEquals(seen.size(), VideoFiles.countFrames(video), "one frame per agent step");
            assertEquals(new VideoFiles.Dimensions(l.width(), l.height()), VideoFiles.dimensions(video));
            for (int t = 0; t < seen.size(); t++) {
                var decoded = VideoFiles.frame(video, t);
                for (int row = 0; row < 10; row++) {
                    for (int col = 0; col < 5; col++) {
                        int y = row * 21 + 10;
                        int x = col * 21 + 10;
                        int level = (decoded.get(y, x, 0) + decoded.get(y, x, 1) + decoded.get(y, x, 2)) / 3;
                        boolean lit = seen.get(t)[row * 5 + col] == 1f;
                        assertTrue(lit ? level > 200 : level < 55, "episode " + e + " frame " + t + " cell (" + row
                                + ", " + col + "): " + level + ", observation " + Arrays.toString(seen.get(t)));
                    }
                }
            }
        }
        try (Stream<Path> files = Files.list(videos)) {
            assertEquals(List.of("agent-episode-0.mp4", "agent-episode-1.mp4"),
                    files.map(p -> p.getFileName().toString()).sorted().toList(), "the agent's episodes only");
        }
    }

    @Test
    void badInputIsRefusedBeforeAnyWork() throws IOException {
        Outcome o = eprop("eval", tmp.resolve("nope").toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no run directory"), o.err());

        o = eprop("eval", run.toString(), "--checkpoint", "3");
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no checkpoint 3") && o.err().contains("there are: 2, 4"), o.err());

        Path empty = tmp.resolve("empty-run");
        Files.createDirectories(empty.resolve("checkpoints"));
        Files.copy(run.resolve("config.yaml"), empty.resolve("config.yaml"));
        o = eprop("eval", empty.toString());
        assertEquals(2, o.code());
        assertTrue(o.err().contains("no checkpoint in"), o.err());

        // a config that no longer matches the checkpoint: more neurons, a wider grid
        for (String[] edit : new String[][] {{"lif: 8", "lif: 9", "its LSNN has 12 neurons"},
                {"columns: 5", "columns: 6", "inputs"}}) {
            Path bad = tmp.resolve("bad-" + edit[1].replace(": ", ""));
            Files.createDirectories(bad.resolve("checkpoints"));
            String config = Files.readString(run.resolve("config.yaml"));
            assertTrue(config.contains(edit[0]), config);
            Files.writeString(bad.resolve("config.yaml"), config.replace(edit[0], edit[1]));
            Path ckpt = run.resolve("checkpoints").resolve(CheckpointStore.fileName(4));
            Files.copy(ckpt, bad.resolve("checkpoints").resolve(ckpt.getFileName()));
            o = eprop("eval", bad.toString(), "--video", bad.resolve("videos").toString());
            assertEquals(2, o.code(), o.out());
            assertTrue(o.err().contains(ckpt.getFileName().toString()) && o.err().contains(edit[2])
                    && o.err().contains("Fix:"), o.err());
            try (Stream<Path> files = Files.list(bad)) {
                assertEquals(List.of("checkpoints", "config.yaml"), files.map(p -> p.getFileName().toString())
                        .sorted().toList(), "nothing written");
            }
        }
    }
}
