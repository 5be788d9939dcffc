package org.eprop.config.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.agent.spec.TrainingSpec;
import org.eprop.config.plugin.EpropPlugin;
import org.eprop.config.yaml.ConfigException;
import org.eprop.config.yaml.ConfigLoader;
import org.eprop.envs.cue.EvidenceAccumulation;
import org.eprop.envs.pattern.PatternGeneration;
import org.eprop.envs.verify.VerificationDiagnostic;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.tensor.Precision;
import org.eprop.supervised.agent.DiagnosticAgent;
import org.eprop.supervised.agent.SupervisedAgent;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The run config's defaults and its full YAML key mapping: what {@link RunConfig#defaults()} holds, which
 * snake_case key sets which record component, that {@link ConfigLoader#toYaml} reads back to an equal
 * record, and that every example config of the repository loads and passes {@link RunLauncher#prepare}.
 */
public class RunConfigMappingTest {

    /** A plugin that adds nothing, so that {@code plugins:} can be set to a loadable class. */
    public static final class NoOpPlugin implements EpropPlugin {
        public NoOpPlugin() {
        }

        @Override
        public String name() {
            return "no-op";
        }

        @Override
        public Module module() {
            return new AbstractModule() {
            };
        }
    }

    /** Every key of a run config, each set to something other than its default. */
    static final String EVERY_KEY = """
            name: full-mapping
            seed: 12345
            agent:
              id: supervised
              params:
                keep_checkpoints: 5
            plugins:
              - org.eprop.config.run.RunConfigMappingTest$NoOpPlugin
            env:
              id: pattern/generation
              params:
                inputs: 20
                rate_hz: 30.5
                duration_ms: 500
                periods_ms: [400, 250]
                dt_ms: 0.5
                pattern_seed: 7
            network:
              precision: float64
              lif: 30
              alif: 10
              dt: 0.5
              tau_m: 25.0
              tau_a: 1500.0
              v_th: 0.5
              beta: 0.07
              refractory: 2.0
              gamma: 0.5
              input: leaky
              readout:
                tau_out: 15.0
                convention: plain
                bias: true
                init: normal
            learning:
              rule: eprop-online
              feedback: adaptive
              feedback_scaled: true
              adaptive_decay: 0.02
              optimizer:
                id: sgd
                learning_rate: 0.001
                beta1: 0.8
                beta2: 0.99
                epsilon: 1.0e-6
              rate_regularization:
                strength: 2.5
                target_hz: 12.0
            training:
              batch: 16
              max_iterations: 300
              eval_every: 5
              early_stopping: false
              stop_below: 0.1
              eval_batches: 4
              checkpoint_every: 20
              plot_every: 40
            output:
              dir: my-runs
            """;

    /** The configs of reward tasks, run by the actor-critic. */
    private static final List<String> REWARD_CONFIGS = List.of("catch.yaml", "evidence-accumulation-rl.yaml",
            "atari-pong.yaml", "atari-fishing-derby.yaml");

    /** The example configs that the README and the CLI help point to; they must keep working. */
    private static final List<String> DOCUMENTED_EXAMPLES = List.of("evidence-accumulation.yaml",
            "pattern-generation.yaml", "verify-factorization.yaml", "verify-hardcoded-vs-autodiff.yaml",
            "verify-unroll-carry.yaml");

    @TempDir
    Path tmp;

    // ---- defaults --------------------------------------------------------------------------------------------

    @Test
    void defaultsAreTheReferenceFig3Run() {
        RunConfig d = RunConfig.defaults();
        assertEquals("run", d.name());
        assertEquals(1L, d.seed());
        assertEquals("", d.agent().id(), "empty agent: chosen from the environment");
        assertTrue(d.agent().params().isObject() && d.agent().params().isEmpty(), "no params: the agent's defaults");
        assertEquals(List.of(), d.plugins());
        assertNull(d.env().id(), "env.id has no default: it is the one required key");
        assertTrue(d.env().params().isObject() && d.env().params().isEmpty(), "no params: the task's reference");

        NetworkSpec n = d.network();
        assertEquals(Precision.FLOAT32, n.precision());
        assertEquals(50, n.lif());
        assertEquals(50, n.alif());
        assertEquals(1.0, n.dt());
        assertEquals(20.0, n.tauM());
        assertEquals(2000.0, n.tauA());
        assertEquals(0.6, n.vTh());
        assertEquals(0.017424, n.beta(), 1e-6);
        assertEquals(1.7 * (1 - Math.exp(-1.0 / 2000)) / (1 - Math.exp(-1.0 / 20)), n.beta(), 1e-15);
        assertEquals(5.0, n.refractory());
        assertEquals(0.3, n.gamma());
        assertEquals(InputConvention.CURRENT, n.input());
        assertEquals(20.0, n.readout().tauOut());
        assertEquals(ReadoutConvention.NORMALISED, n.readout().convention());
        assertEquals(false, n.readout().bias());
        assertEquals(ReadoutInit.GLOROT_UNIFORM, n.readout().init());

        LearningSpec l = d.learning();
        assertEquals("eprop", l.rule());
        assertEquals(Feedback.Mode.RANDOM, l.feedback());
        assertEquals(false, l.feedbackScaled());
        assertEquals(0.01, l.adaptiveDecay());
        assertEquals("adam", l.optimizer().id());
        assertEquals(0.005, l.optimizer().learningRate());
        assertEquals(0.9, l.optimizer().beta1());
        assertEquals(0.999, l.optimizer().beta2());
        assertEquals(1e-8, l.optimizer().epsilon());
        assertEquals(1.0, l.rateRegularization().strength());
        assertEquals(10.0, l.rateRegularization().targetHz());

        TrainingSpec t = d.training();
        assertEquals(64, t.batch());
        assertEquals(2000, t.maxIterations());
        assertEquals(10, t.evalEvery());
        assertEquals(true, t.earlyStopping());
        assertEquals(0.07, t.stopBelow());
        assertEquals(8, t.evalBatches());
        assertEquals(50, t.checkpointEvery());
        assertEquals(100, t.plotEvery());

        assertEquals("runs", d.output().dir());
    }

    @Test
    void aFileWithOnlyTheEnvironmentGetsEveryDefault() {
        RunConfig loaded = load("env:\n  id: cue/evidence-accumulation\n", "minimal.yaml");
        RunConfig d = RunConfig.defaults();
        assertEquals(new RunConfig(d.name(), d.seed(), d.agent(), d.plugins(),
                new RunConfig.Env(EvidenceAccumulation.ID, d.env().params()), d.network(), d.learning(),
                d.training(), d.output()), loaded);
    }

    // ---- the full key mapping ------------------------------------------------------------------------------

    @Test
    void everyKeyMapsToItsComponent() {
        RunConfig c = load(EVERY_KEY, "every-key.yaml");

        assertEquals("full-mapping", c.name());
        assertEquals(12345L, c.seed());
        assertEquals("supervised", c.agent().id());
        assertEquals(5, c.agent().params().get("keep_checkpoints").intValue());
        assertEquals(List.of(NoOpPlugin.class.getName()), c.plugins());

        assertEquals(PatternGeneration.ID, c.env().id());
        JsonNode p = c.env().params();
        assertEquals(6, p.size(), p.toString());
        assertEquals(20, p.get("inputs").intValue());
        assertEquals(30.5, p.get("rate_hz").doubleValue());
        assertEquals(500, p.get("duration_ms").intValue());
        assertEquals(2, p.get("periods_ms").size());
        assertEquals(400, p.get("periods_ms").get(0).intValue());
        assertEquals(250, p.get("periods_ms").get(1).intValue());
        assertEquals(0.5, p.get("dt_ms").doubleValue());
        assertEquals(7, p.get("pattern_seed").intValue());

        NetworkSpec n = c.network();
        assertEquals(Precision.FLOAT64, n.precision());
        assertEquals(30, n.lif());
        assertEquals(10, n.alif());
        assertEquals(0.5, n.dt());
        assertEquals(25.0, n.tauM());
        assertEquals(1500.0, n.tauA());
        assertEquals(0.5, n.vTh());
        assertEquals(0.07, n.beta());
        assertEquals(2.0, n.refractory());
        assertEquals(0.5, n.gamma());
        assertEquals(InputConvention.LEAKY, n.input());
        assertEquals(15.0, n.readout().tauOut());
        assertEquals(ReadoutConvention.PLAIN, n.readout().convention());
        assertEquals(true, n.readout().bias());
        assertEquals(ReadoutInit.NORMAL, n.readout().init());

        LearningSpec l = c.learning();
        assertEquals("eprop-online", l.rule());
        assertEquals(Feedback.Mode.ADAPTIVE, l.feedback());
        assertEquals(true, l.feedbackScaled());
        assertEquals(0.02, l.adaptiveDecay());
        assertEquals("sgd", l.optimizer().id());
        assertEquals(0.001, l.optimizer().learningRate());
        assertEquals(0.8, l.optimizer().beta1());
        assertEquals(0.99, l.optimizer().beta2());
        assertEquals(1e-6, l.optimizer().epsilon());
        assertEquals(2.5, l.rateRegularization().strength());
        assertEquals(12.0, l.rateRegularization().targetHz());

        TrainingSpec t = c.training();
        assertEquals(16, t.batch());
        assertEquals(300, t.maxIterations());
        assertEquals(5, t.evalEvery());
        assertEquals(false, t.earlyStopping());
        assertEquals(0.1, t.stopBelow());
        assertEquals(4, t.evalBatches());
        assertEquals(20, t.checkpointEvery());
        assertEquals(40, t.plotEvery());

        assertEquals("my-runs", c.output().dir());
    }

    @Test
    void theEveryKeyFileReallySetsEveryComponentToANonDefault() {
        RunConfig c = load(EVERY_KEY, "every-key.yaml");
        assertAllDiffer(RunConfig.defaults(), c, "");
    }

    /** Every leaf component of {@code actual} differs from that of {@code defaults}: none was left out. */
    private static void assertAllDiffer(Record defaults, Record actual, String path) {
        for (var component : actual.getClass().getRecordComponents()) {
            try {
                Object d = component.getAccessor().invoke(defaults);
                Object a = component.getAccessor().invoke(actual);
                String key = path + component.getName();
                if (a instanceof Record r) {
                    assertAllDiffer((Record) d, r, key + ".");
                } else {
                    assertFalse(a.equals(d), key + " is still its default " + d);
                }
            } catch (ReflectiveOperationException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void everyKeyFilePassesPrepareWithTheNamedPluginAgentAndRule() throws IOException {
        Path file = write("every-key.yaml", EVERY_KEY);
        RunLauncher.Prepared p = RunLauncher.prepare(file, List.of("output.dir=" + tmp.resolve("runs")));
        assertEquals(SupervisedAgent.ID, p.agent().id());
        assertEquals(PatternGeneration.ID, p.env().id());
        assertEquals(new SupervisedAgent.Params(5), p.agentParams());
        assertTrue(p.registry().rules().containsKey("eprop-online"));
        // the resolved params: what the file set, and every other key of the task filled in
        JsonNode params = p.config().env().params();
        assertEquals(20, params.get("inputs").intValue());
        assertEquals(0.5, params.get("dt_ms").doubleValue());
        assertEquals(7, params.get("pattern_seed").intValue());
        assertFalse(Files.exists(tmp.resolve("runs")), "prepare creates no run directory");
    }

    // ---- toYaml round trip ---------------------------------------------------------------------------------

    @Test
    void toYamlOfEveryKeyReadsBackToAnEqualRecord() {
        RunConfig c = load(EVERY_KEY, "every-key.yaml");
        String yaml = ConfigLoader.toYaml(c);
        System.out.println("toYaml of every-key.yaml:\n" + yaml);
        // read back with no defaults at all: toYaml must write every key
        RunConfig back = ConfigLoader.load(yaml, "dumped.yaml", RunConfig.class, null, List.of());
        assertEquals(c, back);
        assertEquals(c.env().params(), back.env().params(), "JsonNode params compare as trees");
        assertEquals(yaml, ConfigLoader.toYaml(back));
    }

    @Test
    void toYamlOfTheDefaultsReadsBackToAnEqualRecord() {
        RunConfig d = RunConfig.defaults();
        RunConfig withEnv = new RunConfig(d.name(), d.seed(), d.agent(), d.plugins(),
                new RunConfig.Env(EvidenceAccumulation.ID, d.env().params()), d.network(), d.learning(),
                d.training(), d.output());
        String yaml = ConfigLoader.toYaml(withEnv);
        RunConfig back = ConfigLoader.load(yaml, "dumped.yaml", RunConfig.class, null, List.of());
        assertEquals(withEnv, back);
        assertEquals(d.network().beta(), back.network().beta(), 0.0, "beta is written with every digit");
    }

    // ---- the repository's example configs ------------------------------------------------------------------

    static List<Path> exampleConfigs() throws IOException {
        try (Stream<Path> files = Files.list(Path.of("."))) {
            return files.filter(f -> f.getFileName().toString().endsWith(".yaml")).sorted().toList();
        }
    }

    @Test
    void theExampleConfigsAreFound() throws IOException {
        List<String> names = exampleConfigs().stream().map(f -> f.getFileName().toString()).toList();
        System.out.println("example configs: " + names);
        assertFalse(names.isEmpty(), "no example configs in " + Path.of(".").toAbsolutePath());
        assertTrue(names.containsAll(DOCUMENTED_EXAMPLES), names.toString());
    }

    @ParameterizedTest
    @MethodSource("exampleConfigs")
    void exampleConfigLoadsAndPasses(Path file) throws IOException {
        Path runs = tmp.resolve("runs");
        List<String> overrides = new java.util.ArrayList<>(List.of("output.dir=" + runs));
        if (file.getFileName().toString().startsWith("atari-")) {
            // The Atari configs need their game's ROM, which is data the repository does not ship.
            Path roms = Path.of("../../shared/data/roms").toAbsolutePath().normalize();
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(roms), "skipped " + file.getFileName()
                    + ": no ROMs at " + roms + " (the test reads the ROMs of ../shared/data/roms where present)");
            overrides.add("env.params.rom_dir=" + roms);
        }
        String name = file.getFileName().toString();
        if ((name.equals("timit-framewise.yaml") || name.equals("timit-ctc.yaml")) && System.getenv("TIMIT_DIR") == null) {
            // The full-corpus configs need the LDC corpus, which no test machine has: without it the
            // error names the places searched and the key to set; with the shared sample in its place
            // the rest of the config loads.
            ConfigException missing = assertThrows(ConfigException.class, () -> RunLauncher.prepare(file, overrides));
            assertTrue(missing.getMessage().contains("no TIMIT corpus") && missing.getMessage().contains("TIMIT_DIR")
                    && missing.getMessage().contains("env.params.corpus"), missing.getMessage());
            Path sample = Path.of("../../shared/data/timit-sample").toAbsolutePath().normalize();
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sample), "skipped the rest of " + name
                    + ": no TIMIT corpus (TIMIT_DIR) and no sample at " + sample);
            overrides.add("env.params.corpus=" + sample);
        }
        if (name.equals("timit-sample.yaml")) {
            Path sample = Path.of("../../shared/data/timit-sample").toAbsolutePath().normalize();
            org.junit.jupiter.api.Assumptions.assumeTrue(Files.isDirectory(sample), "skipped " + name
                    + ": no sample at " + sample);
            // the config names the sample from the repository root, where ./eprop runs; tests run in config/
            overrides.add("env.params.corpus=" + sample);
        }
        RunLauncher.Prepared p = RunLauncher.prepare(file, overrides);
        RunConfig c = p.config();

        assertEquals(name.replace(".yaml", ""), c.name(), "the run is named after its file");
        assertEquals(c.env().id(), p.env().id());
        assertTrue(p.registry().rules().containsKey(c.learning().rule()));
        String expectedAgent = name.startsWith("verify-") ? DiagnosticAgent.ID
                : name.startsWith("timit-") ? org.eprop.supervised.agent.TimitAgent.ID
                : REWARD_CONFIGS.contains(name) ? org.eprop.agent.actorcritic.ActorCriticAgent.ID : SupervisedAgent.ID;
        assertEquals(expectedAgent, p.agent().id());
        assertEquals(expectedAgent, c.agent().id(), "the resolved config names the agent");
        assertTrue(c.agent().params().size() > 0, "the resolved config holds the agent's parameters");
        if (name.startsWith("verify-")) {
            assertTrue(p.env().task() instanceof VerificationDiagnostic);
            assertEquals(Precision.FLOAT64, c.network().precision());
        }
        if (p.agentParams() instanceof org.eprop.agent.actorcritic.ActorCriticParams ac) {
            // the Atari configs truncate at unroll boundaries as the original's learner; the others
            // carry (the cue task's credit spans unrolls); the resolved config spells it out
            var traces = name.startsWith("atari-") ? org.eprop.agent.actorcritic.ActorCriticParams.Traces.TRUNCATED
                    : org.eprop.agent.actorcritic.ActorCriticParams.Traces.CARRIED;
            assertEquals(traces, ac.traces(), name);
            assertEquals(traces.name().toLowerCase(java.util.Locale.ROOT),
                    c.agent().params().path("traces").asText(), "traces in the resolved config");
        }
        // the resolved config, as start() saves it and resume() reads it back, is the same run
        RunConfig saved = ConfigLoader.load(ConfigLoader.toYaml(c), "config.yaml", RunConfig.class,
                RunConfig.defaults(), List.of());
        assertEquals(c, saved);
        assertFalse(Files.exists(runs), "prepare creates no run directory");
    }

    // ---- helpers -------------------------------------------------------------------------------------------

    private static RunConfig load(String yaml, String name) {
        return ConfigLoader.load(yaml, name, RunConfig.class, RunConfig.defaults(), List.of());
    }

    private Path write(String name, String yaml) throws IOException {
        Path file = tmp.resolve(name);
        Files.writeString(file, yaml);
        return file;
    }
}
