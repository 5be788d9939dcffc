package org.eprop.config.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Same seed, same run; and a run killed with SIGKILL resumes without a gap or a duplicate. */
class ReproducibilityAndResumeTest {

    static String config(long seed, int maxIterations) {
        return """
                name: tiny-cue
                seed: %d
                env:
                  id: cue/evidence-accumulation
                  params: {cues: 3, start_ms: 20, cue_ms: 40, interval_ms: 60, delay_ms: 300, recall_ms: 40}
                network: {lif: 12, alif: 12}
                training:
                  batch: 8
                  max_iterations: %d
                  eval_every: 5
                  early_stopping: false
                  eval_batches: 2
                  checkpoint_every: 7
                  plot_every: 100000
                """.formatted(seed, maxIterations);
    }

    private static Path write(Path dir, String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private static Path runInProcess(Path yaml, Path runs) throws IOException {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        int code = RunLauncher.start(RunLauncher.prepare(yaml, List.of()), runs, List.of("eprop", "train"), out);
        assertEquals(0, code);
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
    }

    @Test
    void sameSeedWritesIdenticalMetrics(@TempDir Path tmp) throws IOException {
        Path yaml = write(tmp, "a.yaml", config(5, 12));
        Path first = runInProcess(yaml, Files.createDirectories(tmp.resolve("runs1")));
        Path second = runInProcess(yaml, Files.createDirectories(tmp.resolve("runs2")));
        byte[] a = Files.readAllBytes(first.resolve("metrics.csv"));
        assertEquals(13, Files.readAllLines(first.resolve("metrics.csv")).size(), "header + 12 rows");
        assertArrayEquals(a, Files.readAllBytes(second.resolve("metrics.csv")), "same config, same seed");
        Path other = runInProcess(write(tmp, "b.yaml", config(6, 12)), Files.createDirectories(tmp.resolve("runs3")));
        assertFalse(java.util.Arrays.equals(a, Files.readAllBytes(other.resolve("metrics.csv"))),
                "another seed gives another run: the comparison above is not vacuous");
    }

    @Test
    void aRunKilledWithSigkillResumesWithoutGapOrDuplicate(@TempDir Path tmp) throws Exception {
        int iterations = 120;
        Path yaml = write(tmp, "run.yaml", config(9, iterations));
        Path reference = runInProcess(yaml, Files.createDirectories(tmp.resolve("reference")));

        Path runs = Files.createDirectories(tmp.resolve("killed"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", cp, "org.eprop.config.cli.EpropCli", "train",
                yaml.toString(), "--runs-dir", runs.toString())
                .redirectErrorStream(true).redirectOutput(tmp.resolve("child.log").toFile()).start();
        Path dir = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        int rowsAtKill = 0;
        while (System.nanoTime() < deadline && child.isAlive()) {
            try (Stream<Path> s = Files.list(runs)) {
                dir = s.filter(Files::isDirectory).findFirst().orElse(null);
            }
            if (dir != null && Files.exists(dir.resolve("checkpoints/latest")) && Files.exists(dir.resolve("metrics.csv"))) {
                rowsAtKill = Files.readAllLines(dir.resolve("metrics.csv")).size() - 1;
                if (rowsAtKill >= 40) {
                    break;
                }
            }
            Thread.sleep(2);
        }
        assertTrue(child.isAlive(), "the child finished before it could be killed: " + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly(); // SIGKILL
        child.waitFor(30, TimeUnit.SECONDS);
        assertTrue(rowsAtKill >= 40 && rowsAtKill < iterations, "killed mid-run after " + rowsAtKill + " rows");

        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(0, RunLauncher.resume(dir, List.of("eprop", "train", "--resume", dir.toString()), out));

        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        assertEquals(iterations + 1, rows.size(), "header + one row per iteration");
        for (int i = 1; i <= iterations; i++) {
            assertTrue(rows.get(i).startsWith(i + ","), "row " + i + " is iteration " + i + ": " + rows.get(i));
        }
        assertArrayEquals(Files.readAllBytes(reference.resolve("metrics.csv")), Files.readAllBytes(dir.resolve("metrics.csv")),
                "the resumed run's metrics equal those of a run never interrupted");
        assertArrayEquals(Files.readAllBytes(reference.resolve("metrics.jsonl")),
                Files.readAllBytes(dir.resolve("metrics.jsonl")));
    }

    @Test
    void sigtermStopsAtAnIterationWithACheckpointAndTheResumeCommand(@TempDir Path tmp) throws Exception {
        int iterations = 1500;
        Path yaml = write(tmp, "run.yaml", config(9, iterations));
        Path runs = Files.createDirectories(tmp.resolve("stopped"));
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path log = tmp.resolve("child.log");
        Process child = new ProcessBuilder(java, "-Xmx1g", "-cp", cp, "org.eprop.config.cli.EpropCli", "train",
                yaml.toString(), "--runs-dir", runs.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        Path dir = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            try (Stream<Path> s = Files.list(runs)) {
                dir = s.filter(Files::isDirectory).findFirst().orElse(null);
            }
            if (dir != null && Files.exists(dir.resolve("metrics.csv"))
                    && Files.readAllLines(dir.resolve("metrics.csv")).size() > 20) {
                break;
            }
            Thread.sleep(2);
        }
        assertTrue(child.isAlive(), "the child finished before it could be stopped: " + Files.readString(log));

        // while it runs, the run directory is taken: a resume is refused with the holder's pid
        Path held = dir;
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        IllegalStateException busy = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> RunLauncher.resume(held, List.of("eprop", "train", "--resume", held.toString()), quiet));
        assertTrue(busy.getMessage().contains("in use by process " + child.pid()), busy.getMessage());

        child.destroy(); // SIGTERM
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends after SIGTERM");
        String out = Files.readString(log);
        assertTrue(out.contains("Resume with:") && out.contains("eprop train --resume " + dir), out);
        List<String> rows = Files.readAllLines(dir.resolve("metrics.csv"));
        int done = rows.size() - 1;
        assertTrue(done >= 20 && done < iterations, "stopped mid-run after " + done + " rows");
        // the final checkpoint is the last finished iteration: nothing is lost
        assertTrue(out.contains("stopped on request after iteration " + done), out);
        assertEquals(done + "", Files.readString(dir.resolve("checkpoints/latest")).strip().replaceAll("\\D", "")
                .replaceFirst("^0+", ""), "latest checkpoint is iteration " + done);

        // the resume appends its command line and writes its provenance, and ends the run
        assertEquals(0, RunLauncher.resume(dir, List.of("eprop", "train", "--resume", dir.toString()), quiet));
        assertEquals(iterations + 1, Files.readAllLines(dir.resolve("metrics.csv")).size());
        List<String> commands = Files.readAllLines(dir.resolve("command.txt"));
        assertEquals(2, commands.size(), commands.toString());
        assertTrue(commands.get(1).contains("--resume"), commands.toString());
        assertTrue(Files.exists(dir.resolve("provenance-resume-1.json")), "the resume's provenance");
    }
}
