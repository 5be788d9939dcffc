package org.eprop.example.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.eprop.config.run.RunLauncher;
import org.eprop.config.yaml.ConfigException;
import org.eprop.envs.cue.EvidenceAccumulation;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Mistakes in a config that uses the plugin are reported like mistakes in the core's own keys. */
class ConfigErrorsTest {

    private static ConfigException prepareFails(Path file, String yaml) throws IOException {
        Files.writeString(file, yaml);
        return assertThrows(ConfigException.class, () -> RunLauncher.prepare(file, List.of()));
    }

    @Test
    void anUnknownEnvironmentIdNamesFileAndLineSuggestsTheIdAndListsAllKnown(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("typo.yaml");
        String yaml = TinyConfig.yaml("example/delayed-matc", "");
        ConfigException e = prepareFails(file, yaml);
        int line = TinyConfig.lineOf(yaml, "id: example/delayed-matc");
        String message = e.getMessage();
        assertEquals("env.id", e.key());
        assertEquals(line, e.line());
        assertTrue(message.startsWith(file + ":" + line + ":"), message);
        assertTrue(message.contains("unknown environment id 'example/delayed-matc'"), message);
        assertTrue(message.contains("Did you mean '" + DelayedMatch.ID + "'?"), message);
        assertTrue(message.contains("Known: "), message);
        assertTrue(message.contains(DelayedMatch.ID + ","), message);
        assertTrue(message.contains(EvidenceAccumulation.ID), message);
        assertTrue(message.contains("eprop envs"), message);
    }

    @Test
    void aMisspeltParameterKeyNamesItsLineAndTheRightSpelling(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("params.yaml");
        String yaml = TinyConfig.yaml(DelayedMatch.ID, "backgruond_hz: 5");
        ConfigException e = prepareFails(file, yaml);
        int line = TinyConfig.lineOf(yaml, "backgruond_hz");
        String message = e.getMessage();
        assertEquals("env.params.backgruond_hz", e.key());
        assertEquals(line, e.line());
        assertTrue(message.startsWith(file + ":" + line + ":"), message);
        assertTrue(message.contains("unknown key 'env.params.backgruond_hz'"), message);
        assertTrue(message.contains("did you mean 'background_hz'?"), message);
        assertTrue(message.contains("channels_per_group"), "lists the known keys: " + message);
    }

    @Test
    void aParameterOfTheWrongTypeIsReportedWithItsLine(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("type.yaml");
        String yaml = TinyConfig.yaml(DelayedMatch.ID, "channels_per_group: five");
        ConfigException e = prepareFails(file, yaml);
        assertEquals(TinyConfig.lineOf(yaml, "channels_per_group: five"), e.line());
        assertTrue(e.getMessage().contains("env.params.channels_per_group"), e.getMessage());
    }

    @Test
    void anImpossibleParameterIsReportedWithTheTasksOwnReason(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("value.yaml");
        String yaml = TinyConfig.yaml(DelayedMatch.ID, "rate_hz: 0");
        ConfigException e = prepareFails(file, yaml);
        assertTrue(e.getMessage().startsWith(file.toString() + ":"), e.getMessage());
        // at the line of the parameter the task's own check names
        assertEquals(TinyConfig.lineOf(yaml, "rate_hz: 0"), e.line(), e.getMessage());
        assertTrue(e.getMessage().contains("env.params.rate_hz: rate_hz must lie in (0, 1000.0]"), e.getMessage());
    }

    @Test
    void aPluginClassThatIsNotOnTheClasspathIsNamed(@TempDir Path tmp) throws IOException {
        Path file = tmp.resolve("plugins.yaml");
        String yaml = TinyConfig.yaml(DelayedMatch.ID, "").replace("DelayedMatchPlugin", "NoSuchPlugin");
        ConfigException e = prepareFails(file, yaml);
        assertEquals("plugins", e.key());
        assertTrue(e.getMessage().contains("org.eprop.example.plugin.NoSuchPlugin' is not on the classpath"),
                e.getMessage());
    }
}
