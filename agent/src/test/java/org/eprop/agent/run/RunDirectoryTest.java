package org.eprop.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RunDirectoryTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-03-05T14:07:09Z"), ZoneOffset.UTC);

    @TempDir
    Path tmp;

    @Test
    void namesTheDirectoryByTimeAndSuffixesCollisions() throws IOException {
        Path root = tmp.resolve("runs");
        RunDirectory a = RunDirectory.create(root, "timit", CLOCK);
        RunDirectory b = RunDirectory.create(root, "timit", CLOCK);
        RunDirectory c = RunDirectory.create(root, "timit", CLOCK);
        assertEquals(root.resolve("timit-20240305-140709"), a.path());
        assertEquals(root.resolve("timit-20240305-140709-2"), b.path());
        assertEquals(root.resolve("timit-20240305-140709-3"), c.path());
        assertTrue(Files.isDirectory(a.checkpoints()));
        assertTrue(Files.isDirectory(a.plots()));
        assertEquals(a.path().resolve("config.yaml"), a.configFile());
        assertEquals(a.path().resolve("metrics.csv"), a.metricsCsv());
        assertEquals(a.path().resolve("metrics.jsonl"), a.metricsJsonl());
        assertEquals(Instant.parse("2024-03-05T14:07:09Z"), a.startTime());
        assertFalse(a.isResumed());
    }

    @Test
    void usesTheClocksZone() throws IOException {
        Clock paris = Clock.fixed(Instant.parse("2024-03-05T23:30:00Z"), ZoneId.of("Europe/Paris"));
        assertEquals("x-20240306-003000", RunDirectory.create(tmp, "x", paris).path().getFileName().toString());
    }

    @Test
    void rejectsNamesThatAreNotPlainFileNames() {
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(tmp, "a/b", CLOCK));
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.create(tmp, " ", CLOCK));
    }

    @Test
    void openRequiresAConfig() throws IOException {
        RunDirectory run = RunDirectory.create(tmp, "r", CLOCK);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(run.path()));
        assertTrue(e.getMessage().contains("config.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains(run.path().toString()), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RunDirectory.open(tmp.resolve("nope")));

        run.writeConfig("seed: 1");
        assertEquals("seed: 1\n", Files.readString(run.configFile()));
        RunDirectory again = RunDirectory.open(run.path());
        assertEquals(run.path(), again.path());
        assertTrue(again.isResumed());
    }

    @Test
    void writesTheCommandLineShellQuoted() throws IOException {
        RunDirectory run = RunDirectory.create(tmp, "r", CLOCK);
        run.writeCommandLine(List.of("java", "-jar", "eprop.jar", "--out=runs/x", "my run", "it's", "", "a\nb"));
        assertEquals("java -jar eprop.jar --out=runs/x 'my run' 'it'\\''s' '' $'a\\nb'\n",
                Files.readString(run.path().resolve("command.txt"), StandardCharsets.UTF_8));
    }

    @Test
    void resumingKeepsTheOriginalCommandAndProvenance() throws IOException {
        RunDirectory run = RunDirectory.create(tmp, "r", CLOCK);
        run.writeConfig("a: 1\n");
        run.writeCommandLine(List.of("train", "--config", "c.yaml"));
        assertEquals(run.provenanceFile(), run.writeProvenance(Map.of()));

        RunDirectory resumed = RunDirectory.open(run.path(), CLOCK);
        resumed.writeCommandLine(List.of("train", "--resume", run.path().toString()));
        assertEquals("train --config c.yaml\ntrain --resume " + run.path() + "\n",
                Files.readString(run.commandFile()));
        assertEquals(run.path().resolve("provenance-resume-1.json"), resumed.writeProvenance(Map.of()));
        assertEquals(run.path().resolve("provenance-resume-2.json"), resumed.writeProvenance(Map.of()));
        assertTrue(Files.exists(run.provenanceFile()));
    }

    @Test
    void provenanceIsJsonWithTheExpectedKeys() throws IOException {
        RunDirectory run = RunDirectory.create(tmp, "r", CLOCK);
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("backend", "CpuBackend");
        extra.put("seed", "42");
        run.writeProvenance(extra);
        JsonNode p = new ObjectMapper().readTree(run.provenanceFile().toFile());

        List<String> keys = new ArrayList<>();
        p.fieldNames().forEachRemaining(keys::add);
        assertEquals(List.of("git_commit", "git_dirty", "java_version", "java_vendor", "os", "available_processors",
                "start_time", "libraries", "extra"), keys);
        String commit = p.get("git_commit").asText();
        assertTrue(commit.equals("unknown") || commit.matches("[0-9a-f]{40,64}"), commit);
        assertTrue(p.get("git_dirty").isBoolean() || p.get("git_dirty").isNull());
        assertEquals(System.getProperty("java.version"), p.get("java_version").asText());
        assertEquals(Runtime.getRuntime().availableProcessors(), p.get("available_processors").asInt());
        assertEquals("2024-03-05T14:07:09Z", p.get("start_time").asText());
        assertEquals(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString(),
                p.get("libraries").get("com.fasterxml.jackson.core:jackson-databind").asText());
        p.get("libraries").fieldNames().forEachRemaining(
                lib -> assertTrue(RunDirectory.LIBRARIES.contains(lib), lib));
        assertEquals("CpuBackend", p.get("extra").get("backend").asText());
        assertEquals("42", p.get("extra").get("seed").asText());
    }

    @Test
    void aFailingGitCommandGivesNull() {
        assertEquals(null, RunDirectory.git("--no-such-option-for-git-xyz"));
    }
}
