package org.eprop.config.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eprop.config.yaml.ConfigException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A bad run config fails in {@link RunLauncher#prepare}, before any work starts and before any run
 * directory exists, with a {@link ConfigException} that says which file, which line, which key and what
 * would have been accepted. Each test writes its YAML itself, so the line it expects is the line it wrote.
 * Every message is printed, so the wording can be read in the surefire report.
 */
class RunConfigErrorsTest {

    /** Known environment ids, as listed by an unknown-id error. */
    private static final List<String> ENVS = List.of("ale/<...> (77 ids)", "cue/evidence-accumulation",
            "cue/evidence-accumulation-rl", "pattern/generation", "timit/ctc", "timit/framewise", "toy/catch", "verify/factorization",
            "verify/hardcoded-vs-autodiff", "verify/unroll-carry");
    private static final List<String> RULES = List.of("bptt", "eprop", "eprop-autodiff", "eprop-online");

    @TempDir
    Path tmp;

    // ---- unknown keys ---------------------------------------------------------------------------------------

    @Test
    void misspeltTopLevelKey() throws IOException {
        ConfigException e = fails("top-typo.yaml", """
                name: typo
                env:
                  id: cue/evidence-accumulation
                trainig:
                  batch: 32
                """);
        assertAt(e, "top-typo.yaml", 4, 1, "trainig");
        assertMentions(e, "unknown key 'trainig'", "did you mean 'training'?", "Known top-level keys:");
        assertKnown(e, "Known top-level keys: ", "name, seed, agent, plugins, env, network, learning, training, output");
    }

    @Test
    void misspeltNestedKey() throws IOException {
        ConfigException e = fails("nested-typo.yaml", """
                name: typo
                env:
                  id: cue/evidence-accumulation
                training:
                  max_iterations: 100
                  bach: 32
                """);
        assertAt(e, "nested-typo.yaml", 6, 3, "training.bach");
        assertMentions(e, "unknown key 'training.bach'", "did you mean 'batch'?", "Known keys under 'training':");
        assertKnown(e, "Known keys under 'training': ", "batch, max_iterations, eval_every, early_stopping, "
                + "stop_below, eval_batches, checkpoint_every, plot_every");
    }

    // ---- what cannot run ----------------------------------------------------------------------------------

    @Test
    void infiniteValuesAreRefused() throws IOException {
        ConfigException e = fails("inf.yaml", """
                name: inf
                env:
                  id: cue/evidence-accumulation
                network:
                  v_th: .inf
                  tau_m: .inf
                learning:
                  optimizer:
                    learning_rate: .inf
                """);
        assertAt(e, "inf.yaml", 6, 3, "network.tau_m");
        assertMentions(e, "network.tau_m = Infinity is out of range: expected a finite positive number (ms)",
                "network.v_th = Infinity is out of range: expected a finite positive number",
                "learning.optimizer.learning_rate = Infinity");
    }

    @Test
    void stopBelowMustBeAnErrorRate() throws IOException {
        for (String value : List.of("1.5", "0", "-0.1")) {
            ConfigException e = fails("stop.yaml", """
                    name: stop
                    env:
                      id: cue/evidence-accumulation
                    training:
                      stop_below: %s
                    """.formatted(value));
            assertAt(e, "stop.yaml", 5, 3, "training.stop_below");
            assertMentions(e, "an error rate in (0, 1]");
        }
    }

    @Test
    void aNetworkOrBatchBeyondTheJvmsMemoryIsRefusedWithWhatItWouldNeed() throws IOException {
        ConfigException huge = fails("huge.yaml", """
                name: huge
                env:
                  id: cue/evidence-accumulation
                network:
                  lif: 100000000
                """);
        assertAt(huge, "huge.yaml", 5, 3, "network.lif");
        assertMentions(huge, "100,000,050 neurons", "needs about", "the JVM may use", "reduce network.lif / "
                + "network.alif", "JAVA_OPTS=-Xmx");

        ConfigException big = fails("big.yaml", """
                name: big
                env:
                  id: cue/evidence-accumulation
                network:
                  lif: 30000
                """);
        assertAt(big, "big.yaml", 5, 3, "network.lif");
        assertMentions(big, "30,050 neurons", "GB");

        ConfigException batch = fails("batch.yaml", """
                name: batch
                env:
                  id: cue/evidence-accumulation
                training:
                  batch: 10000
                """);
        assertAt(batch, "batch.yaml", 5, 3, "training.batch");
        assertMentions(batch, "batches of 10,000 sequences of 2,250 steps", "reduce training.batch");
    }

    @Test
    void anEmptyOutputDirIsAnError() throws IOException {
        Path configs = Files.createDirectories(tmp.resolve("configs"));
        Path file = configs.resolve("empty-dir.yaml");
        Files.writeString(file, """
                name: empty
                env:
                  id: cue/evidence-accumulation
                output:
                  dir: ''
                """);
        ConfigException e = assertThrows(ConfigException.class, () -> RunLauncher.prepare(file, List.of()));
        assertAt(e, "empty-dir.yaml", 5, 3, "output.dir");
        assertMentions(e, "output.dir = '' is invalid", "current directory");
    }

    @Test
    void anOverrideThatFailsACheckPointsAtSetNotAtTheFile() throws IOException {
        String yaml = """
                name: overridden
                env:
                  id: cue/evidence-accumulation
                  params:
                    cues: 7
                network:
                  tau_m: 20.0
                agent:
                  params:
                    keep_checkpoints: 3
                """;
        for (String[] c : new String[][] {{"network.tau_m=-5", "network.tau_m"}, {"env.params.cues=0", "env.params.cues"},
            {"agent.params.keep_checkpoints=0", "agent.params.keep_checkpoints"},
            {"training.stop_below=3", "training.stop_below"}}) {
            ConfigException e = fails("overridden.yaml", yaml, c[0]);
            assertEquals("--set", e.source(), e.getMessage());
            assertEquals(c[1], e.key(), e.getMessage());
            assertTrue(e.getMessage().startsWith("--set: "), e.getMessage());
        }
    }

    // ---- wrong types ----------------------------------------------------------------------------------------

    @Test
    void wordForAnInteger() throws IOException {
        ConfigException e = fails("batch-word.yaml", """
                name: wrong-type
                env:
                  id: cue/evidence-accumulation
                training:
                  batch: sixty-four
                """);
        assertAt(e, "batch-word.yaml", 5, 3, "training.batch");
        assertMentions(e, "expected an integer", "found 'sixty-four'");
        assertExpected(e, "an integer");
    }

    @Test
    void unknownPrecisionListsTheValidOnes() throws IOException {
        ConfigException e = fails("precision.yaml", """
                name: wrong-type
                env:
                  id: cue/evidence-accumulation
                network:
                  lif: 50
                  precision: float16
                """);
        assertAt(e, "precision.yaml", 6, 3, "network.precision");
        assertMentions(e, "expected one of: float32, float64", "found 'float16'");
        assertExpected(e, "one of: float32, float64");
    }

    // ---- missing required value -----------------------------------------------------------------------------

    @Test
    void noEnvironmentAtAll() throws IOException {
        ConfigException e = fails("no-env.yaml", """
                name: no-env
                training:
                  batch: 32
                """);
        // env is absent from the file, so the error points at the top of the document, where it must go
        assertAt(e, "no-env.yaml", 1, 1, "env.id");
        assertMentions(e, "missing required key 'env.id'");
        assertExpected(e, "a string");
    }

    @Test
    void environmentWithoutId() throws IOException {
        ConfigException e = fails("env-no-id.yaml", """
                name: no-env-id
                seed: 3
                env:
                  params:
                    cues: 5
                """);
        assertAt(e, "env-no-id.yaml", 3, 1, "env.id");
        assertMentions(e, "missing required key 'env.id'");
        assertExpected(e, "a string");
    }

    @Test
    void blankEnvironmentId() throws IOException {
        ConfigException e = fails("env-blank.yaml", """
                name: blank-env-id
                env:
                  id: ""
                """);
        assertAt(e, "env-blank.yaml", 3, 3, "env.id");
        assertMentions(e, "env.id = '' is invalid");
        assertExpected(e, "a registered environment id");
    }

    @Test
    void emptyEnvironment() throws IOException {
        ConfigException e = fails("env-empty.yaml", """
                name: empty-env
                env:
                training:
                  batch: 32
                """);
        assertAt(e, "env-empty.yaml", 2, 1, "env");
        assertMentions(e, "expected a mapping", "found nothing");
        assertExpected(e, "a mapping");
    }

    // ---- out of range ---------------------------------------------------------------------------------------

    @Test
    void negativeTimeConstant() throws IOException {
        ConfigException e = fails("tau.yaml", """
                name: out-of-range
                env:
                  id: cue/evidence-accumulation
                network:
                  lif: 50
                  alif: 50
                  tau_m: -20
                """);
        assertAt(e, "tau.yaml", 7, 3, "network.tau_m");
        assertMentions(e, "network.tau_m = -20.0 is out of range", "expected a positive number");
        assertExpected(e, "a positive number (ms)");
    }

    @Test
    void zeroBatch() throws IOException {
        ConfigException e = fails("batch-zero.yaml", """
                name: out-of-range
                env:
                  id: cue/evidence-accumulation
                training:
                  batch: 0
                """);
        assertAt(e, "batch-zero.yaml", 5, 3, "training.batch");
        assertMentions(e, "training.batch = 0 is out of range", "expected an integer >= 1");
        assertExpected(e, "an integer >= 1");
    }

    @Test
    void refractoryPeriodNotAWholeNumberOfSteps() throws IOException {
        ConfigException e = fails("refractory.yaml", """
                name: out-of-range
                env:
                  id: cue/evidence-accumulation
                network:
                  dt: 1.0
                  refractory: 2.5
                """);
        assertAt(e, "refractory.yaml", 6, 3, "network.refractory");
        assertMentions(e, "network.refractory = 2.5", "a whole number of time steps (dt = 1.0 ms)");
        assertExpected(e, "a whole number of time steps (dt = 1.0 ms)");
    }

    @Test
    void everyRangeProblemIsReportedAtOnce() throws IOException {
        ConfigException e = fails("ranges.yaml", """
                name: out-of-range
                env:
                  id: cue/evidence-accumulation
                network:
                  tau_m: -20
                training:
                  batch: 0
                """);
        assertEquals(2, e.all().size(), e.getMessage());
        assertAt(e.all().get(0), "ranges.yaml", 5, 3, "network.tau_m");
        assertAt(e.all().get(1), "ranges.yaml", 7, 3, "training.batch");
        assertEquals(2, e.getMessage().lines().count(), "one line per problem");
    }

    // ---- unknown ids ----------------------------------------------------------------------------------------

    @Test
    void unknownEnvironmentSuggestsTheClosestAndListsAll() throws IOException {
        ConfigException e = fails("env-id.yaml", """
                name: unknown-id
                env:
                  id: cue/evidence-acumulation
                """);
        assertAt(e, "env-id.yaml", 3, 3, "env.id");
        assertMentions(e, "env.id: unknown environment id 'cue/evidence-acumulation'",
                "Did you mean 'cue/evidence-accumulation'?", "(run 'eprop envs' for descriptions)");
        assertKnown(e, "Known: ", String.join(", ", ENVS));
    }

    @Test
    void unknownLearningRuleListsTheKnownRules() throws IOException {
        ConfigException e = fails("rule.yaml", """
                name: unknown-rule
                env:
                  id: cue/evidence-accumulation
                learning:
                  feedback: random
                  rule: eprop-fast
                """);
        assertAt(e, "rule.yaml", 6, 3, "learning.rule");
        assertMentions(e, "learning.rule: unknown learning rule 'eprop-fast'");
        assertKnown(e, "Known: ", String.join(", ", RULES));
    }

    // ---- agents ---------------------------------------------------------------------------------------------

    @Test
    void unknownAgentListsTheKnownAgents() throws IOException {
        ConfigException e = fails("agent-id.yaml", """
                name: unknown-agent
                agent:
                  id: supervise
                env:
                  id: cue/evidence-accumulation
                """);
        assertAt(e, "agent-id.yaml", 3, 3, "agent.id");
        assertMentions(e, "agent.id: unknown agent 'supervise'", "Did you mean 'supervised'?");
        assertKnown(e, "Known: ", "actor-critic, diagnostic, supervised, timit");
    }

    @Test
    void anAgentThatCannotRunTheEnvironmentNamesOnesThatCan() throws IOException {
        ConfigException e = fails("agent-kind.yaml", """
                name: wrong-agent
                agent:
                  id: diagnostic
                env:
                  id: cue/evidence-accumulation
                """);
        assertAt(e, "agent-kind.yaml", 3, 3, "agent.id");
        assertMentions(e, "agent 'diagnostic' cannot run the supervised task cue/evidence-accumulation",
                "agents that can: supervised");
    }

    @Test
    void aGameWithoutItsRomIsRefusedAtRomDirBeforeAnyWork() throws IOException {
        ConfigException e = fails("game.yaml", """
                name: game
                env:
                  id: ale/pong
                  params:
                    rom_dir: /nonexistent/roms
                """);
        assertAt(e, "game.yaml", 5, 5, "env.params.rom_dir");
        assertMentions(e, "No ROM for the Atari game 'pong'", "/nonexistent/roms");
    }

    /**
     * A 2 KiB image that passes the content checks but is no known dump: it stores 1 in RAM $96 for
     * ever, while ALE's Pong reset presses SELECT until $96 is 0 (ALE would hang in loadROM).
     */
    private static byte[] modeJam() {
        byte[] d = new byte[2048];
        java.util.Arrays.fill(d, (byte) 0xEA);
        byte[] code = {(byte) 0xA9, 0x01, (byte) 0x85, (byte) 0x96, 0x4C, 0x02, (byte) 0xF0};
        System.arraycopy(code, 0, d, 0, code.length);
        d[2045] = (byte) 0xF0;
        d[2047] = (byte) 0xF0;
        return d;
    }

    @Test
    void aRomThatIsNoKnownDumpIsRefusedAtAllowUnknownRomBeforeAnyWork(@TempDir Path roms) throws IOException {
        Files.write(roms.resolve("pong.bin"), modeJam());
        ConfigException e = fails("unknown-rom.yaml", """
                name: unknown-rom
                env:
                  id: ale/pong
                  params:
                    rom_dir: '%s'
                """.formatted(roms));
        assertAt(e, "unknown-rom.yaml", 5, 5, "env.params.allow_unknown_rom");
        assertMentions(e, "The ROM file " + roms.resolve("pong.bin") + " for the Atari game 'pong' is not a known "
                + "dump of pong", "It was not given to ALE", "set env.params.allow_unknown_rom: true");
        assertEquals(List.of(roms.resolve("pong.bin")), Files.list(roms).toList(), "nothing written next to the ROM");
    }

    @Test
    void withAllowUnknownRomAStallingRomIsRefusedByItsTrialBeforeAnyWork(@TempDir Path roms) throws IOException {
        Files.write(roms.resolve("pong.bin"), modeJam());
        ConfigException e = fails("stalling-rom.yaml", """
                name: stalling-rom
                env:
                  id: ale/pong
                  params:
                    rom_dir: '%s'
                    allow_unknown_rom: true
                """.formatted(roms));
        assertAt(e, "stalling-rom.yaml", 6, 5, "env.params.allow_unknown_rom");
        assertMentions(e, "is not a known dump of pong", "ALE made no progress on it: tried in a separate JVM, "
                + "loadROM used", "and was not loaded here", "Fix: use a known dump of pong");
        assertEquals(List.of(roms.resolve("pong.bin")), Files.list(roms).toList(), "nothing written next to the ROM");
    }

    @Test
    void agentParamsAreBoundToTheAgentsRecord() throws IOException {
        ConfigException e = fails("agent-params.yaml", """
                name: agent-params
                agent:
                  id: supervised
                  params:
                    keep_checkpoint: 2
                env:
                  id: cue/evidence-accumulation
                """);
        assertAt(e, "agent-params.yaml", 5, 5, "agent.params.keep_checkpoint");
        assertMentions(e, "keep_checkpoints");
    }

    @Test
    void agentParamsAreRangeChecked() throws IOException {
        ConfigException e = fails("agent-range.yaml", """
                name: agent-range
                agent:
                  params:
                    keep_checkpoints: 0
                env:
                  id: cue/evidence-accumulation
                """);
        assertAt(e, "agent-range.yaml", 4, 5, "agent.params.keep_checkpoints");
        assertMentions(e, "agent.params.keep_checkpoints = 0 is out of range", "an integer >= 1");
    }

    @Test
    void aTimeStepOtherThanTheEnvironmentsIsReportedByTheAgent() throws IOException {
        ConfigException e = fails("dt.yaml", """
                name: dt
                env:
                  id: cue/evidence-accumulation
                network:
                  dt: 0.5
                """);
        assertAt(e, "dt.yaml", 5, 3, "network.dt");
        assertMentions(e, "network.dt = 0.5", "the environment cue/evidence-accumulation steps at 1.0 ms");
        assertExpected(e, "1.0 (the environment cue/evidence-accumulation steps at 1.0 ms)");
    }

    // ---- environment parameters -----------------------------------------------------------------------------

    @Test
    void misspeltEnvironmentParameter() throws IOException {
        ConfigException e = fails("params.yaml", """
                name: params-typo
                env:
                  id: cue/evidence-accumulation
                  params:
                    cues: 7
                    cue_rate_hzz: 40
                """);
        assertAt(e, "params.yaml", 6, 5, "env.params.cue_rate_hzz");
        assertMentions(e, "unknown key 'env.params.cue_rate_hzz'", "did you mean 'cue_rate_hz'?",
                "Known keys under 'env.params':");
        assertKnown(e, "Known keys under 'env.params': ", "cues, start_ms, cue_ms, interval_ms, delay_ms, "
                + "recall_ms, cue_rate_hz, background_rate_hz, majority_probability, channels_per_group, dt_ms");
    }

    @Test
    void environmentParameterOfTheWrongType() throws IOException {
        ConfigException e = fails("params-type.yaml", """
                name: params-type
                env:
                  id: cue/evidence-accumulation
                  params:
                    cues: seven
                """);
        assertAt(e, "params-type.yaml", 5, 5, "env.params.cues");
        assertMentions(e, "env.params.cues: expected an integer", "found 'seven'");
    }

    @Test
    void environmentParametersTheTaskRejects() throws IOException {
        ConfigException e = fails("params-even.yaml", """
                name: params-even
                env:
                  id: cue/evidence-accumulation
                  params:
                    cues: 6
                """);
        // the task's own check: located at the parameter its message names, naming the rule it broke
        assertAt(e, "params-even.yaml", 5, 5, "env.params.cues");
        assertMentions(e, "cues must be a positive odd number", "got 6");
    }

    // ---- --set overrides ------------------------------------------------------------------------------------

    private static final String VALID = """
            name: overridden
            env:
              id: cue/evidence-accumulation
            training:
              batch: 32
            """;

    @Test
    void overrideWithAnUnknownKey() throws IOException {
        ConfigException e = fails("valid.yaml", VALID, "training.bach=16");
        assertAt(e, "--set", 0, 0, "training.bach");
        assertMentions(e, "--set: ", "unknown key 'training.bach'", "did you mean 'batch'?");
        assertKnown(e, "Known keys under 'training': ", "batch, max_iterations, eval_every, early_stopping, "
                + "stop_below, eval_batches, checkpoint_every, plot_every");
    }

    @Test
    void overrideWithAValueOfTheWrongType() throws IOException {
        ConfigException e = fails("valid.yaml", VALID, "training.batch=sixteen");
        assertAt(e, "--set", 0, 0, "training.batch");
        assertMentions(e, "--set: ", "training.batch: expected an integer", "found 'sixteen'");
        assertExpected(e, "an integer");
    }

    @Test
    void overrideWithAnOutOfRangeValue() throws IOException {
        ConfigException e = fails("valid.yaml", VALID, "network.tau_m=-20");
        assertAt(e, "--set", 0, 0, "network.tau_m");
        assertMentions(e, "--set: ", "network.tau_m = -20.0 is out of range", "expected a positive number");
    }

    @Test
    void overrideWithAnUnknownEnvironment() throws IOException {
        ConfigException e = fails("valid.yaml", VALID, "env.id=pattern/generaton");
        assertAt(e, "--set", 0, 0, "env.id");
        assertMentions(e, "env.id: unknown environment id 'pattern/generaton'", "Did you mean 'pattern/generation'?");
        assertKnown(e, "Known: ", String.join(", ", ENVS));
    }

    /** A reward task for the actor-critic, valid as it is. */
    private static final String CATCH = """
            env:
              id: toy/catch
            agent:
              id: actor-critic
              params:
                envs: 4
            """;

    @Test
    void unknownTracesValue() throws IOException {
        ConfigException e = fails("catch.yaml", CATCH, "agent.params.traces=truncate");
        assertAt(e, "--set", 0, 0, "agent.params.traces");
        assertMentions(e, "'truncate'", "carried", "truncated");
    }

    @Test
    void truncatedTracesWithTheOnlineRule() throws IOException {
        ConfigException e = fails("catch.yaml", CATCH, "agent.params.traces=truncated", "learning.rule=eprop-online");
        assertEquals("agent.params.traces", e.key(), e.getMessage());
        assertMentions(e, "agent.params.traces = truncated is invalid", "carried with learning.rule eprop-online",
                "eprop and eprop-autodiff");
    }

    @Test
    void malformedOverride() throws IOException {
        ConfigException e = fails("valid.yaml", VALID, "training.batch");
        assertEquals("--set", e.source());
        assertMentions(e, "malformed override 'training.batch'", "key.path=value");
    }

    // ---- helpers --------------------------------------------------------------------------------------------

    /**
     * Writes {@code yaml} to {@code name} in a fresh config folder, followed (after its own lines, so that
     * the lines a test expects are the lines it wrote) by {@code output.dir} pointing at a runs folder; runs
     * {@link RunLauncher#prepare}; checks that it failed without creating any run directory; prints the
     * message.
     */
    private ConfigException fails(String name, String yaml, String... overrides) throws IOException {
        Path configs = Files.createDirectories(tmp.resolve("configs"));
        Path runs = tmp.resolve("runs");
        Path file = configs.resolve(name);
        Files.writeString(file, yaml + "output:\n  dir: '" + runs + "'\n");
        ConfigException e = assertThrows(ConfigException.class,
                () -> RunLauncher.prepare(file, List.of(overrides)));
        System.out.println("[" + name + (overrides.length > 0 ? " --set " + String.join(" --set ", overrides) : "")
                + "]\n" + e.getMessage().replace(configs + "/", "") + "\n");
        assertFalse(Files.exists(runs), "no run directory before a valid config");
        try (Stream<Path> left = Files.list(tmp)) {
            assertEquals(List.of(configs), left.toList(), "prepare wrote nothing");
        }
        return e;
    }

    /** The exception's location, and that its message leads with it and names the key. */
    private static void assertAt(ConfigException e, String fileName, int line, int column, String key) {
        String message = e.getMessage();
        assertTrue(e.source().endsWith(fileName), e.source());
        assertEquals(line, e.line(), message);
        assertEquals(column, e.column(), message);
        assertEquals(key, e.key(), message);
        String where = line > 0 ? fileName + ":" + line + ":" + column + ": " : fileName + ": ";
        assertTrue(message.contains(where), "expected '" + where + "' in: " + message);
        assertTrue(message.contains(key), "expected the key '" + key + "' in: " + message);
    }

    private static void assertMentions(ConfigException e, String... parts) {
        for (String part : parts) {
            assertTrue(e.getMessage().contains(part), "expected '" + part + "' in: " + e.getMessage());
        }
    }

    /**
     * An unknown key or id: {@link ConfigException#expected()} is "one of: " the known names, which the message
     * lists after {@code heading}.
     */
    private static void assertKnown(ConfigException e, String heading, String known) {
        assertEquals("one of: " + known, e.expected(), e.getMessage());
        assertMentions(e, heading + known);
    }

    /** What would have been accepted: in {@link ConfigException#expected()} and in the message. */
    private static void assertExpected(ConfigException e, String expected) {
        assertNotNull(e.expected(), e.getMessage());
        assertEquals(expected, e.expected(), e.getMessage());
        assertTrue(e.getMessage().contains(expected), "expected '" + expected + "' in: " + e.getMessage());
    }
}
