package org.eprop.example.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eprop.config.run.RunLauncher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A real run of the plugin's task, from a YAML file to a complete run directory, as {@code eprop train} does it. */
class DelayedMatchRunTest {

    @Test
    void aRunFromYamlTrainsAndWritesTheWholeRunDirectory(@TempDir Path tmp) throws IOException {
        Path yaml = tmp.resolve("tiny-delayed-match.yaml");
        Files.writeString(yaml, TinyConfig.yaml(DelayedMatch.ID, ""));
        Path runs = tmp.resolve("runs");

        RunLauncher.Prepared prepared = RunLauncher.prepare(yaml, List.of());
        assertEquals(DelayedMatch.ID, prepared.env().id());
        assertEquals(90, prepared.env().task().steps());
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        int code;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            code = RunLauncher.start(prepared, runs, List.of("eprop", "train", yaml.toString()), out);
        }
        String printed = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, printed);
        assertTrue(printed.contains(DelayedMatch.ID + ": 6 iterations"), printed);

        Path run;
        try (Stream<Path> dirs = Files.list(runs)) {
            List<Path> all = dirs.toList();
            assertEquals(1, all.size(), "run directories: " + all);
            run = all.get(0);
        }
        assertTrue(run.getFileName().toString().startsWith("tiny-delayed-match-"), run.toString());

        // The resolved config: the plugin's id and every parameter, the ones the file left out included.
        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("id: " + DelayedMatch.ID), config);
        for (String resolved : List.of("sample_ms: 20.0", "delay_ms: 30.0", "probe_ms: 20.0", "decision_ms: 20.0",
                "rate_hz: 40.0", "background_hz: 10.0", "channels_per_group: 5", "dt_ms: 1.0", "id: supervised", "keep_checkpoints: 3")) {
            assertTrue(config.contains(resolved), "'" + resolved + "' missing from\n" + config);
        }
        assertTrue(Files.readString(run.resolve("command.txt")).contains("train"));
        assertTrue(Files.readString(run.resolve("provenance.json")).contains(DelayedMatch.ID));

        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(7, csv.size(), "header and 6 rows:\n" + String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("iteration,loss"), csv.get(0));
        for (int i = 1; i <= 6; i++) {
            assertTrue(csv.get(i).startsWith(i + ","), csv.get(i));
        }
        List<String> jsonl = Files.readAllLines(run.resolve("metrics.jsonl"));
        assertEquals(6, jsonl.size(), String.join("\n", jsonl));
        assertTrue(jsonl.get(5).contains("\"iteration\""), jsonl.get(5));

        assertEquals("ckpt-000000006.bin", Files.readString(run.resolve("checkpoints/latest")).trim());
        assertTrue(Files.size(run.resolve("plots/trial.png")) > 1000);
        assertTrue(Files.size(run.resolve("plots/learning-curve.png")) > 1000);
        String summary = Files.readString(run.resolve("summary.json"));
        assertTrue(summary.contains("\"iterations\": 6"), summary);
        assertTrue(summary.contains("\"test_error\""), summary);
    }

    /** The shipped example must keep loading as the core evolves. */
    @Test
    void theExampleConfigPrepares() {
        RunLauncher.Prepared prepared = RunLauncher.prepare(Path.of("delayed-match.yaml"), List.of());
        assertEquals(DelayedMatch.ID, prepared.env().id());
        assertEquals(DelayedMatch.Params.defaults(), ((DelayedMatch) prepared.env().task()).params());
        assertEquals(20, prepared.config().network().lif());
        assertEquals(20, prepared.config().network().alif());
    }
}
