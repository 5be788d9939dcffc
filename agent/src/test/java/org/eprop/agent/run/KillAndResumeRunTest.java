package org.eprop.agent.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The standard the package is held to: a run killed with SIGKILL at random moments and resumed
 * each time ends with exactly the files of a run that was never interrupted.
 */
class KillAndResumeRunTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2024-01-01T00:00:00Z"), ZoneOffset.UTC);
    private static final String ITERATIONS = "400";
    private static final String EVERY = "7";

    @TempDir
    Path tmp;

    private static RunDirectory newRun(Path root, String name) throws IOException {
        RunDirectory run = RunDirectory.create(root, name, CLOCK);
        run.writeConfig("iterations: " + ITERATIONS + "\n");
        return run;
    }

    private static Process start(Path dir, String sleepMillis) throws IOException {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return new ProcessBuilder(java.toString(), "-Xmx256m", "-XX:TieredStopAtLevel=1", "-cp", cp,
                FakeTrainer.class.getName(), dir.toString(), ITERATIONS, EVERY, sleepMillis)
                .redirectErrorStream(true).redirectOutput(dir.resolve("child.log").toFile()).start();
    }

    @Test
    void aRunKilledAtRandomMomentsEndsWithTheFilesOfAnUninterruptedRun() throws Exception {
        RunDirectory reference = newRun(tmp, "reference");
        FakeTrainer.main(new String[] {reference.path().toString(), ITERATIONS, EVERY, "0"});

        RunDirectory run = newRun(tmp, "killed");
        Random random = new Random(7);
        int kills = 0;
        for (int rows : new int[] {1, 45, 120, 121, 200, 290, 380}) {
            Process p = start(run.path(), "1");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (p.isAlive() && lines(run.metricsCsv()) < rows + 1 && System.nanoTime() < deadline) {
                Thread.sleep(1);
            }
            Thread.sleep(random.nextInt(3)); // land anywhere in an iteration
            assertTrue(p.isAlive(), () -> "the child ended before row " + rows + ": " + log(run));
            p.destroyForcibly(); // SIGKILL on Unix
            p.waitFor();
            kills++;
        }
        Process p = start(run.path(), "0");
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), () -> log(run));
        assertEquals(7, kills);

        assertArrayEquals(Files.readAllBytes(reference.metricsCsv()), Files.readAllBytes(run.metricsCsv()));
        assertArrayEquals(Files.readAllBytes(reference.metricsJsonl()), Files.readAllBytes(run.metricsJsonl()));
        assertEquals(Long.parseLong(ITERATIONS) + 1, Files.readAllLines(run.metricsCsv()).size());
        CheckpointStore.Loaded a = new CheckpointStore(reference.checkpoints(), 2).latest().orElseThrow();
        CheckpointStore.Loaded b = new CheckpointStore(run.checkpoints(), 2).latest().orElseThrow();
        assertEquals(a.iteration(), b.iteration());
        assertArrayEquals(CheckpointFormat.encode(a.checkpoint()), CheckpointFormat.encode(b.checkpoint()));
        assertEquals(List.of(399L, 398L), new CheckpointStore(run.checkpoints(), 2).iterations());
    }

    /** The number of complete lines in a file that may be missing or being replaced. */
    private static long lines(Path file) {
        try {
            byte[] b = Files.readAllBytes(file);
            long n = 0;
            for (byte x : b) {
                n += x == '\n' ? 1 : 0;
            }
            return n;
        } catch (IOException e) {
            return 0;
        }
    }

    private static String log(RunDirectory run) {
        try {
            return Files.readString(run.path().resolve("child.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
