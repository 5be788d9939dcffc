package org.eprop.config.yaml;

import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ConfigLoaderTest {

    // ---- sample schema -------------------------------------------------------------------------------------

    enum Precision { FLOAT32, FLOAT64 }

    enum Init { GLOROT_UNIFORM, ZEROS }

    record Network(int neurons, double tauM, double dt, boolean recurrent, Precision precision, Init init,
                   List<Integer> layers) implements Validated {
        Network {
            if (tauM > 0 && dt > 0 && tauM < dt) {
                throw new IllegalArgumentException("tau_m (" + tauM + ") must not be shorter than dt (" + dt + ")");
            }
        }

        @Override
        public void validate(Checks checks) {
            checks.atLeast("neurons", neurons, 1).positive("tau_m", tauM, "ms").positive("dt", dt, "ms");
        }
    }

    record Training(int batch, long maxIterations, long evalEvery, double learningRate,
                    Map<String, Double> lossWeights) implements Validated {
        @Override
        public void validate(Checks checks) {
            checks.positive("batch", batch)
                    .check(evalEvery <= maxIterations, "evalEvery", evalEvery,
                            "at most max_iterations (" + maxIterations + ")");
        }
    }

    record Run(String name, long seed, Network network, Training training, JsonNode params) {
    }

    record Adam(double beta1, double beta2, double epsilon) implements Validated {
        @Override
        public void validate(Checks checks) {
            checks.range("beta1", beta1, 0, 1).range("beta2", beta2, 0, 1).positive("epsilon", epsilon);
        }
    }

    private static final Network NETWORK =
            new Network(100, 20.0, 1.0, true, Precision.FLOAT32, Init.GLOROT_UNIFORM, List.of(100));
    private static final Training TRAINING = new Training(32, 1000, 100, 1e-3, Map.of("mse", 1.0));
    /** {@code name} has no default, so it is required. */
    private static final Run DEFAULTS = new Run(null, 1, NETWORK, TRAINING, JsonNodeFactory.instance.objectNode());
    private static final Adam ADAM = new Adam(0.9, 0.999, 1e-8);

    private static Run load(String yaml, String... overrides) {
        return ConfigLoader.load(yaml, "run.yaml", Run.class, DEFAULTS, List.of(overrides));
    }

    private static ConfigException failure(String yaml, String... overrides) {
        return assertThrows(ConfigException.class, () -> load(yaml, overrides));
    }

    private static void assertAt(ConfigException e, String source, int line, int column, String key) {
        assertEquals(source, e.source(), e.getMessage());
        assertEquals(line, e.line(), e.getMessage());
        assertEquals(column, e.column(), e.getMessage());
        assertEquals(key, e.key(), e.getMessage());
    }

    // ---- defaults and binding ------------------------------------------------------------------------------

    @Test
    void fileIsMergedOverDefaults() {
        Run run = load("""
                name: demo
                network:
                  tau_m: 30
                  layers: [64, 32]
                training:
                  loss_weights: {ce: 0.5}
                """);
        assertEquals("demo", run.name());
        assertEquals(1, run.seed());
        assertEquals(new Network(100, 30.0, 1.0, true, Precision.FLOAT32, Init.GLOROT_UNIFORM, List.of(64, 32)),
                run.network());
        assertEquals(TRAINING.batch(), run.training().batch());
        assertEquals(Map.of("mse", 1.0, "ce", 0.5), run.training().lossWeights(), "maps merge key by key");
        assertTrue(run.params().isObject() && run.params().isEmpty());
    }

    @Test
    void boundValuesAreImmutable() {
        Run run = load("name: x\n");
        assertThrows(UnsupportedOperationException.class, () -> run.network().layers().add(1));
        assertThrows(UnsupportedOperationException.class, () -> run.training().lossWeights().put("a", 1.0));
    }

    @Test
    void integersAcceptWholeFloatsAndStringsAcceptPlainScalars() {
        Run run = load("name: 2024\ntraining:\n  max_iterations: 1e4\n  eval_every: 1000\n");
        assertEquals("2024", run.name());
        assertEquals(10_000, run.training().maxIterations());
    }

    @Test
    void aliasesAndMergeKeysAreResolved() {
        Run run = load("""
                name: shared
                params: {sizes: &sizes [3, 4], again: *sizes}
                network:
                  <<: {neurons: 7, dt: 0.5}
                  dt: 0.25
                  layers: *sizes
                """);
        assertEquals(List.of(3, 4), run.network().layers());
        assertEquals(run.params().get("sizes"), run.params().get("again"));
        assertEquals(7, run.network().neurons());
        assertEquals(0.25, run.network().dt(), "explicit keys win over merged ones");
    }

    @Test
    void fileIsLoadedFromPathAndNamedInErrors(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("runs.yaml");
        Files.writeString(file, "name: from-file\ntraining:\n  bach: 8\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(file, Run.class, DEFAULTS, List.of()));
        assertAt(e, file.toString(), 3, 3, "training.bach");
        assertTrue(e.getMessage().startsWith(file + ":3:3: unknown key 'training.bach'"), e.getMessage());

        Files.writeString(file, "name: from-file\n");
        assertEquals("from-file", ConfigLoader.load(file, Run.class, DEFAULTS, List.of()).name());

        ConfigException missing = assertThrows(ConfigException.class,
                () -> ConfigLoader.load(dir.resolve("nope.yaml"), Run.class, DEFAULTS, List.of()));
        assertEquals(dir.resolve("nope.yaml") + ": cannot read the config file: no such file", missing.getMessage());
    }

    // ---- hostile files ----------------------------------------------------------------------------------

    @Test
    void nestedAliasesAreRefusedBeforeTheyExpand(@TempDir Path dir) throws IOException {
        // nine levels of nine aliases: 9^9 = 387 million values if expanded
        StringBuilder y = new StringBuilder("name: laughs\nparams:\n  a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n");
        for (int level = 1; level <= 9; level++) {
            String prev = "*a" + (level - 1);
            y.append("  a").append(level).append(": &a").append(level).append(" [")
                    .append(String.join(", ", java.util.Collections.nCopies(9, prev))).append("]\n");
        }
        Path file = dir.resolve("laughs.yaml");
        Files.writeString(file, y.toString());
        ConfigException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Run.class, DEFAULTS, List.of())));
        assertEquals(file.toString(), e.source(), e.getMessage());
        assertEquals(8, e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("more than 100000 values") && e.getMessage().contains("billion laughs"),
                e.getMessage());

        // a few aliases of a small anchor stay fine
        Files.writeString(file, "name: ok\nparams:\n  a: &a {x: 1}\n  b: [*a, *a, *a]\n");
        assertEquals(3, ConfigLoader.load(file, Run.class, DEFAULTS, List.of()).params().get("b").size());
    }

    @Test
    void anOversizedFileIsRefusedBeforeParsing(@TempDir Path dir) throws IOException {
        Path file = dir.resolve("huge.yaml");
        try (var out = Files.newBufferedWriter(file)) {
            out.write("name: \"");
            char[] block = new char[1 << 16];
            java.util.Arrays.fill(block, 'x');
            for (int i = 0; i < 50 * 16; i++) { // 50 MiB of one quoted scalar
                out.write(block);
            }
            out.write("\"\n");
        }
        ConfigException e = assertTimeoutPreemptively(java.time.Duration.ofSeconds(20),
                () -> assertThrows(ConfigException.class, () -> ConfigLoader.load(file, Run.class, DEFAULTS, List.of())));
        assertEquals(file.toString(), e.source(), e.getMessage());
        assertTrue(e.getMessage().contains("52,428,809 bytes, more than the 1,048,576"), e.getMessage());
    }

    // ---- unknown keys ------------------------------------------------------------------------------------

    @Test
    void unknownKeyNamesLineKeySuggestionAndKnownKeys() {
        ConfigException e = failure("""
                name: demo
                training:
                  batch: 16
                  bach: 16
                """);
        assertAt(e, "run.yaml", 4, 3, "training.bach");
        assertEquals("run.yaml:4:3: unknown key 'training.bach' — did you mean 'batch'? Known keys under "
                + "'training': batch, max_iterations, eval_every, learning_rate, loss_weights", e.getMessage());
        assertEquals("one of: batch, max_iterations, eval_every, learning_rate, loss_weights", e.expected());
    }

    @Test
    void unknownTopLevelKeyWithoutCloseMatchListsKeysOnly() {
        ConfigException e = failure("name: demo\nzzz: 1\n");
        assertAt(e, "run.yaml", 2, 1, "zzz");
        assertEquals("run.yaml:2:1: unknown key 'zzz'. Known top-level keys: name, seed, network, training, params",
                e.getMessage());
    }

    @Test
    void suggestionsCatchTranspositionsCamelCaseAndKebabCase() {
        assertTrue(failure("name: x\ntraining: {btach: 1}\n").getMessage().contains("did you mean 'batch'?"));
        assertTrue(failure("name: x\ntraining: {maxIterations: 1}\n").getMessage()
                .contains("did you mean 'max_iterations'?"));
        assertTrue(failure("name: x\nnetwork: {tau-m: 1}\n").getMessage().contains("did you mean 'tau_m'?"));
    }

    @Test
    void freeFormSubTreesAreNotChecked() {
        Run run = load("name: x\nparams:\n  anything: [1, 2]\n  goes: {here: true}\n");
        assertTrue(run.params().get("goes").get("here").asBoolean());
    }

    // ---- wrong types ------------------------------------------------------------------------------------

    @Test
    void wrongTypeNamesKeyLineExpectedAndFound() {
        ConfigException e = failure("""
                name: demo
                training:
                  batch: sixteen
                """);
        assertAt(e, "run.yaml", 3, 3, "training.batch");
        assertEquals("an integer", e.expected());
        assertEquals("run.yaml:3:3: training.batch: expected an integer, found 'sixteen'", e.getMessage());
    }

    @Test
    void wrongTypesAreDescribedInWords() {
        assertEquals("run.yaml:3:3: network.tau_m: expected a number, found 'fast'",
                failure("name: x\nnetwork:\n  tau_m: fast\n").getMessage());
        assertEquals("run.yaml:3:3: network.recurrent: expected true or false, found 3",
                failure("name: x\nnetwork:\n  recurrent: 3\n").getMessage());
        assertEquals("run.yaml:2:1: network: expected a mapping, found 5",
                failure("name: x\nnetwork: 5\n").getMessage());
        assertEquals("run.yaml:1:11: network.layers: expected a list, found 5",
                failure("network: {layers: 5}\nname: x\n").getMessage());
        assertEquals("run.yaml:1:23: network.layers[1]: expected an integer, found 2.5",
                failure("network: {layers: [1, 2.5]}\nname: x\n").getMessage());
        assertEquals("run.yaml:3:3: training.batch: expected an integer, found '3'",
                failure("name: x\ntraining:\n  batch: '3'\n").getMessage());
        assertEquals("run.yaml:3:3: network.neurons: expected an integer from -2147483648 to 2147483647, "
                + "found 3000000000", failure("name: x\nnetwork:\n  neurons: 3000000000\n").getMessage());
        assertEquals("run.yaml:2:1: seed: expected an integer, found nothing (an empty value)",
                failure("name: x\nseed:\n").getMessage());
        assertEquals("run.yaml:1:1: the top level: expected a mapping, found a list",
                failure("- 1\n- 2\n").getMessage());
    }

    // ---- enums ------------------------------------------------------------------------------------------

    @Test
    void enumsIgnoreCaseAndSeparator() {
        Run run = load("name: x\nnetwork:\n  precision: Float64\n  init: zeros\n");
        assertEquals(Precision.FLOAT64, run.network().precision());
        assertEquals(Init.ZEROS, run.network().init());
        assertEquals(Init.GLOROT_UNIFORM, load("name: x\nnetwork: {init: glorot-uniform}\n").network().init());
        assertEquals(Init.GLOROT_UNIFORM, load("name: x\nnetwork: {init: GLOROT_UNIFORM}\n").network().init());
    }

    @Test
    void badEnumListsChoicesAndSuggests() {
        ConfigException e = failure("name: x\nnetwork:\n  precision: float16\n");
        assertAt(e, "run.yaml", 3, 3, "network.precision");
        assertEquals("one of: float32, float64", e.expected());
        assertEquals("run.yaml:3:3: network.precision: expected one of: float32, float64, found 'float16'",
                e.getMessage());
        assertTrue(failure("name: x\nnetwork:\n  init: glorot-unifrom\n").getMessage()
                .endsWith("expected one of: glorot-uniform, zeros, found 'glorot-unifrom'"
                        + " — did you mean 'glorot-uniform'?"));
    }

    // ---- missing required values -------------------------------------------------------------------------

    @Test
    void missingRequiredTopLevelKey() {
        ConfigException e = failure("seed: 3\n");
        assertAt(e, "run.yaml", 1, 1, "name");
        assertEquals("a string", e.expected());
        assertEquals("run.yaml:1:1: missing required key 'name': expected a string", e.getMessage());
    }

    @Test
    void missingRequiredNestedKeyPointsAtEnclosingMapping() {
        Run noNetworkDefaults = new Run(null, 1, null, TRAINING, JsonNodeFactory.instance.objectNode());
        ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load("""
                name: demo
                seed: 4

                network:
                  neurons: 10
                """, "run.yaml", Run.class, noNetworkDefaults, List.of()));
        assertAt(e, "run.yaml", 4, 1, "network.tau_m");
        assertEquals("run.yaml:4:1: missing required key 'network.tau_m': expected a number", e.getMessage());
    }

    // ---- validation --------------------------------------------------------------------------------------

    @Test
    void outOfRangeValueIsLocatedAtItsKey() {
        ConfigException e = failure("""
                name: demo
                seed: 3
                network:
                  neurons: 10
                  tau_m: -20.0
                """);
        assertAt(e, "run.yaml", 5, 3, "network.tau_m");
        assertEquals("a positive number (ms)", e.expected());
        assertEquals("run.yaml:5:3: network.tau_m = -20.0 is out of range: expected a positive number (ms)",
                e.getMessage());
    }

    @Test
    void allValidationProblemsAreReportedFirstOneFirst() {
        ConfigException e = failure("""
                name: demo
                network:
                  neurons: 0
                training:
                  batch: 0
                  eval_every: 5000
                """);
        assertEquals(3, e.all().size(), e.getMessage());
        assertEquals("run.yaml:3:3: network.neurons = 0 is out of range: expected an integer >= 1",
                e.all().get(0).getMessage());
        assertEquals("run.yaml:5:3: training.batch = 0 is out of range: expected a positive integer",
                e.all().get(1).getMessage());
        assertEquals("run.yaml:6:3: training.eval_every = 5000 is invalid: expected at most max_iterations (1000)",
                e.all().get(2).getMessage());
        assertEquals(String.join("\n", e.all().stream().map(ConfigException::getMessage).toList()), e.getMessage());
        assertAt(e, "run.yaml", 3, 3, "network.neurons");
    }

    @Test
    void problemWithADefaultValueIsLocatedAtTheNearestWrittenKey() {
        ConfigException e = failure("name: demo\ntraining:\n  max_iterations: 10\n");
        assertAt(e, "run.yaml", 2, 1, "training.eval_every");
        assertEquals("run.yaml:2:1: training.eval_every = 100 is invalid: expected at most max_iterations (10)",
                e.getMessage());
    }

    @Test
    void constructorRejectionBecomesLocatedConfigException() {
        ConfigException e = failure("""
                name: demo
                network:
                  dt: 5.0
                  tau_m: 2.0
                """);
        // located at the first key the constructor's message names
        assertAt(e, "run.yaml", 4, 3, "network.tau_m");
        assertNull(e.expected());
        assertEquals("run.yaml:4:3: network.tau_m: tau_m (2.0) must not be shorter than dt (5.0)", e.getMessage());
    }

    // ---- YAML syntax -------------------------------------------------------------------------------------

    @Test
    void badIndentationIsReportedWithParserPosition() {
        ConfigException e = failure("""
                name: demo
                network:
                  neurons: 10
                 tau_m: 3
                """);
        assertAt(e, "run.yaml", 4, 2, "");
        assertEquals("valid YAML", e.expected());
        assertTrue(e.getMessage().startsWith("run.yaml:4:2: invalid YAML: "), e.getMessage());
        assertTrue(e.getMessage().contains("check the indentation"), e.getMessage());
    }

    @Test
    void tabIndentationIsReportedWithParserPosition() {
        ConfigException e = failure("name: demo\nnetwork:\n\tneurons: 10\n");
        assertEquals(3, e.line(), e.getMessage());
        assertEquals(1, e.column(), e.getMessage());
        assertTrue(e.getMessage().startsWith("run.yaml:3:1: invalid YAML: "), e.getMessage());
        assertTrue(e.getMessage().contains("TAB"), e.getMessage());
    }

    @Test
    void duplicateKeysAndSecondDocumentsAreRejected() {
        ConfigException duplicate = failure("name: a\nseed: 1\nname: b\n");
        assertAt(duplicate, "run.yaml", 3, 1, "name");
        assertEquals("run.yaml:3:1: duplicate key 'name' (first written at line 1)", duplicate.getMessage());
        ConfigException twoDocs = failure("name: a\n---\nname: b\n");
        assertEquals("run.yaml:2:1: a second YAML document follows; a config file holds exactly one",
                twoDocs.getMessage());
        ConfigException scalarAlias = failure("name: &n a\nparams: {x: *n}\n");
        assertAt(scalarAlias, "run.yaml", 2, 13, "params.x");
        assertTrue(scalarAlias.getMessage().contains("unknown alias '*n'"), scalarAlias.getMessage());
    }

    // ---- overrides ---------------------------------------------------------------------------------------

    @Test
    void overridesApplyOverFileAndDefaults() {
        Run run = load("name: demo\ntraining:\n  batch: 16\n",
                "training.batch=64", "training.learning_rate=1e-3", "seed=7", "network.layers=[1,2]",
                "network.layers[1]=5", "params={x: 1}", "params.mode=random", "name=random",
                "network.precision=float64", "network.recurrent=false");
        assertEquals(64, run.training().batch());
        assertEquals(1e-3, run.training().learningRate());
        assertEquals(7, run.seed());
        assertEquals(List.of(1, 5), run.network().layers());
        assertEquals(1, run.params().get("x").asInt());
        assertEquals("random", run.params().get("mode").asText());
        assertEquals("random", run.name());
        assertEquals(Precision.FLOAT64, run.network().precision());
        assertFalse(run.network().recurrent());
        assertEquals(3, load("name: x\nnetwork:\n  layers: [1, 2]\n", "network.layers.0=3").network().layers().get(0));
    }

    @Test
    void malformedOverrideIsAClearError() {
        ConfigException e = failure("name: demo\n", "training.batch");
        assertEquals("--set", e.source());
        assertEquals(0, e.line());
        assertEquals("key.path=value", e.expected());
        assertEquals("--set: malformed override 'training.batch': expected key.path=value, e.g. training.batch=32",
                e.getMessage());
        assertEquals("--set", failure("name: demo\n", "=3").source());
        assertEquals("--set", failure("name: demo\n", "training..batch=3").source());
    }

    @Test
    void overrideWithUnknownKeyGetsSuggestion() {
        ConfigException e = failure("name: demo\n", "training.bach=3");
        assertAt(e, "--set", 0, 0, "training.bach");
        assertEquals("--set: unknown key 'training.bach' — did you mean 'batch'? Known keys under 'training': "
                + "batch, max_iterations, eval_every, learning_rate, loss_weights", e.getMessage());
    }

    @Test
    void overrideWithWrongTypeOrRangeNamesTheOverride() {
        assertEquals("--set: training.batch: expected an integer, found 'abc'",
                failure("name: demo\ntraining:\n  batch: 16\n", "training.batch=abc").getMessage());
        assertEquals("--set: network.tau_m = -1.0 is out of range: expected a positive number (ms)",
                failure("name: demo\n", "network.tau_m=-1.0").getMessage());
        assertEquals("--set: network.layers[3]: index out of range, the list has 1 item(s)",
                failure("name: demo\n", "network.layers[3]=1").getMessage());
        assertTrue(failure("name: demo\n", "network.layers=[1,").getMessage()
                .startsWith("--set: override 'network.layers=[1,': invalid YAML: "));
    }

    @Test
    void overrideMappingMergesAndIsLocatedAtTheOverride() {
        Run run = load("name: demo\nnetwork:\n  neurons: 10\n  dt: 0.5\n", "network={neurons: 20}");
        assertEquals(20, run.network().neurons());
        assertEquals(0.5, run.network().dt());
        ConfigException e = failure("name: demo\nnetwork:\n  neurons: 10\n  dt: -1\n", "network={neurons: 0}");
        assertAt(e, "--set", 0, 0, "network.neurons");
        assertAt(e.all().get(1), "run.yaml", 4, 3, "network.dt");
    }

    // ---- dumping -----------------------------------------------------------------------------------------

    @Test
    void dumpLoadsBackToAnEqualRecord() {
        ObjectNode params = JsonNodeFactory.instance.objectNode();
        params.put("lr", 0.5).put("label", "yes").putArray("sizes").add(1).add(2);
        Run run = new Run("1e-3", 42,
                new Network(8, 25.5, 0.5, false, Precision.FLOAT64, Init.GLOROT_UNIFORM, List.of(3, 4)),
                new Training(4, 3_000_000_000L, 10, 1e-10, Map.of("null", 0.25, "true", 2.0)), params);
        String yaml = ConfigLoader.toYaml(run);
        assertTrue(yaml.contains("tau_m: 25.5"), yaml);
        assertTrue(yaml.contains("max_iterations: 3000000000"), yaml);
        assertTrue(yaml.contains("precision: float64"), yaml);
        assertTrue(yaml.contains("init: glorot-uniform"), yaml);
        assertEquals(run, ConfigLoader.load(yaml, "dump.yaml", Run.class, null, List.of()), yaml);
    }

    @Test
    void dumpOfLoadedConfigIsStable() {
        Run run = load("name: demo\nnetwork: {init: zeros}\n");
        String yaml = ConfigLoader.toYaml(run);
        assertEquals(yaml, ConfigLoader.toYaml(ConfigLoader.load(yaml, "dump.yaml", Run.class, null, List.of())));
    }

    // ---- binding sub-trees later -------------------------------------------------------------------------

    private static final String WITH_PARAMS = """
            name: demo
            seed: 5
            params:
              beta1: 1.5
              epsilon: 1e-6
            """;

    @Test
    void subTreeBindsWithDefaults() {
        ConfigLoader.Loaded<Run> loaded = ConfigLoader.loadWithSource(
                "name: demo\nparams:\n  epsilon: 1e-6\n", "run.yaml", Run.class, DEFAULTS, List.of());
        Adam adam = ConfigLoader.bind(loaded.config().params(), Adam.class, ADAM, "params", loaded.sourceMap());
        assertEquals(new Adam(0.9, 0.999, 1e-6), adam);
        assertEquals(ADAM, ConfigLoader.bind(null, Adam.class, ADAM, "params", loaded.sourceMap()));
    }

    @Test
    void subTreeErrorsCarryFullKeyAndOriginalLine() {
        ConfigLoader.Loaded<Run> loaded = ConfigLoader.loadWithSource(
                WITH_PARAMS, "run.yaml", Run.class, DEFAULTS, List.of());
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.bind(loaded.tree().get("params"), Adam.class, ADAM, "params", loaded.sourceMap()));
        assertAt(e, "run.yaml", 4, 3, "params.beta1");
        assertEquals("run.yaml:4:3: params.beta1 = 1.5 is out of range: expected a number from 0.0 to 1.0",
                e.getMessage());
    }

    @Test
    void subTreeUnknownAndMissingKeys() {
        ConfigLoader.Loaded<Run> loaded = ConfigLoader.loadWithSource(
                "name: demo\nparams:\n  beta1: 0.9\n  bta2: 0.9\n", "run.yaml", Run.class, DEFAULTS, List.of());
        ConfigException unknown = assertThrows(ConfigException.class,
                () -> ConfigLoader.bind(loaded.config().params(), Adam.class, ADAM, "params", loaded.sourceMap()));
        assertEquals("run.yaml:4:3: unknown key 'params.bta2' — did you mean 'beta2'? Known keys under 'params': "
                + "beta1, beta2, epsilon", unknown.getMessage());
        ConfigException missing = assertThrows(ConfigException.class,
                () -> ConfigLoader.bind(((ObjectNode) loaded.config().params().deepCopy()).without("bta2"),
                        Adam.class, null, "params", loaded.sourceMap()));
        assertAt(missing, "run.yaml", 2, 1, "params.beta2");
        assertEquals("run.yaml:2:1: missing required key 'params.beta2': expected a number", missing.getMessage());
    }

    @Test
    void subTreeSetFromOverrideIsLocatedAtTheOverride() {
        ConfigLoader.Loaded<Run> loaded = ConfigLoader.loadWithSource(
                "name: demo\n", "run.yaml", Run.class, DEFAULTS, List.of("params.beta2=2"));
        ConfigException e = assertThrows(ConfigException.class,
                () -> ConfigLoader.bind(loaded.config().params(), Adam.class, ADAM, "params", loaded.sourceMap()));
        assertEquals("--set: params.beta2 = 2.0 is out of range: expected a number from 0.0 to 1.0", e.getMessage());
    }

    // ---- pieces ------------------------------------------------------------------------------------------

    @Test
    void namesAndSpelling() {
        assertEquals("max_iterations", Naming.snake("maxIterations"));
        assertEquals("tau_m", Naming.snake("tauM"));
        assertEquals("tau_m", Naming.snake("tau_m"));
        assertEquals("use_gpu", Naming.snake("useGPU"));
        assertEquals("l2_reg", Naming.snake("l2Reg"));
        assertEquals("glorot-uniform", Naming.kebab(Init.GLOROT_UNIFORM));
        assertEquals(1, Spelling.distance("btach", "batch"));
        assertEquals("batch", Spelling.closest("bach", List.of("batch", "max_iterations")).orElseThrow());
        assertTrue(Spelling.closest("lr", List.of("batch", "seed")).isEmpty());
    }
}
