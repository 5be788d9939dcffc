package org.eprop.config.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The timit agent's runs resume exactly: a run killed with SIGKILL, or stopped with SIGTERM inside an
 * epoch, and resumed with {@code --resume} writes the same {@code iterations.csv}/{@code .jsonl}
 * (one row per iteration) and {@code metrics.csv}/{@code .jsonl} (one row per epoch) as a run of the
 * same config never interrupted. The agent checkpoints only at epoch ends and on a stop request, so
 * the SIGKILL lands after some epoch's checkpoint with later rows to drop, and the SIGTERM
 * checkpoint is inside an epoch: the resume must continue that epoch's permutation, loss sums and
 * optimiser state.
 *
 * <p>{@code metrics.csv}'s last column, {@code seconds}, is the run's wall-clock training time and
 * differs between any two runs; it is the one thing left out of the comparison, and only from the
 * epoch files.
 *
 * <p>The corpus is synthetic ({@link SyntheticTimit}): eight training utterances in batches of two
 * (four iterations an epoch), one validation and one test utterance, and a network of
 * 2 x (8 LIF + 4 ALIF) at one step per frame, so a run takes well under a second after the JVM's start.
 */
class TimitResumeTest {
    private static final int TRAIN = 8;
    private static final int BATCH = 2;
    private static final int PER_EPOCH = TRAIN / BATCH;

    private static String config(Path corpus, Path cache, String env, String feedback, int epochs) {
        return """
                name: tiny-timit
                seed: 11
                env:
                  id: %s
                  params: {corpus: '%s', cache_dir: '%s', features: mfcc, deltas: false, phones: 61}
                agent:
                  id: timit
                  params: {steps_per_frame: 2, readout_tau_frames: 3.0, warmup: 3, l2: 1.0e-5, epochs: %d,
                           beam_width: 2, keep_checkpoints: 2}
                network: {lif: 8, alif: 4, dt: 1.0, tau_a: 200.0}
                learning:
                  rule: eprop
                  feedback: %s
                  optimizer: {id: adam, learning_rate: 0.01, epsilon: 1.0e-5}
                  rate_regularization: {strength: 1.0, target_hz: 20.0}
                training: {batch: %d}
                """.formatted(env, corpus, cache, epochs, feedback, BATCH);
    }

    private static Path runInProcess(Path yaml, Path runs) throws IOException {
        PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(0, RunLauncher.start(RunLauncher.prepare(yaml, List.of()), runs, List.of("eprop", "train"), out));
        return runDirectory(runs);
    }

    private static Path runDirectory(Path runs) throws IOException {
        try (Stream<Path> s = Files.list(runs)) {
            return s.filter(Files::isDirectory).findFirst().orElse(null);
        }
    }

    private static Process child(Path yaml, Path runs, Path log) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new ProcessBuilder(java, "-Xmx1g", "-cp", cp, "org.eprop.config.cli.EpropCli", "train",
                yaml.toString(), "--runs-dir", runs.toString())
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
    }

    /** A condition on a run directory. */
    private interface Ready {
        boolean test(Path dir) throws IOException;
    }

    /** The child's run directory once {@code ready} holds, or as it is when the child ended or two minutes passed. */
    private static Path awaitRun(Process child, Path runs, Ready ready) throws IOException, InterruptedException {
        Path dir = null;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline && child.isAlive()) {
            dir = dir != null ? dir : runDirectory(runs);
            if (dir != null && ready.test(dir)) {
                break;
            }
            Thread.sleep(1);
        }
        return dir;
    }

    private static int rows(Path csv) throws IOException {
        return Files.exists(csv) ? Files.readAllLines(csv).size() - 1 : 0;
    }

    private static String latestCheckpoint(Path dir) throws IOException {
        return Files.readString(dir.resolve("checkpoints/latest")).strip().replaceAll("\\D", "")
                .replaceFirst("^0+", "");
    }

    /** Every byte of the iteration files; the epoch files without their wall-clock column. */
    private static void assertSameRun(Path reference, Path resumed, int epochs) throws IOException {
        List<String> its = Files.readAllLines(resumed.resolve("iterations.csv"));
        assertEquals(epochs * PER_EPOCH + 1, its.size(), "header + one row per iteration");
        for (int i = 1; i < its.size(); i++) {
            assertTrue(its.get(i).startsWith(i + ","), "row " + i + " is iteration " + i + ": " + its.get(i));
        }
        assertArrayEquals(Files.readAllBytes(reference.resolve("iterations.csv")),
                Files.readAllBytes(resumed.resolve("iterations.csv")), "iterations.csv");
        assertArrayEquals(Files.readAllBytes(reference.resolve("iterations.jsonl")),
                Files.readAllBytes(resumed.resolve("iterations.jsonl")), "iterations.jsonl");

        List<String> expected = Files.readAllLines(reference.resolve("metrics.csv"));
        List<String> actual = Files.readAllLines(resumed.resolve("metrics.csv"));
        assertTrue(expected.get(0).endsWith(",seconds"), "seconds is the last column: " + expected.get(0));
        assertEquals(epochs + 1, actual.size(), "header + one row per epoch: " + actual);
        assertEquals(withoutSeconds(expected, ","), withoutSeconds(actual, ","), "metrics.csv but its seconds");
        assertEquals(withoutSeconds(Files.readAllLines(reference.resolve("metrics.jsonl")), ",\"seconds\":"),
                withoutSeconds(Files.readAllLines(resumed.resolve("metrics.jsonl")), ",\"seconds\":"),
                "metrics.jsonl but its seconds");
        assertTrue(Files.exists(resumed.resolve("summary.json")), "the resumed run ends like any other");
    }

    private static List<String> withoutSeconds(List<String> lines, String lastField) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            int at = line.lastIndexOf(lastField);
            assertTrue(at > 0, "no '" + lastField + "' in " + line);
            out.add(line.substring(0, at));
        }
        return out;
    }

    @Test
    void aFramewiseRunKilledWithSigkillAfterAnEpochResumesToTheUninterruptedRun(@TempDir Path tmp) throws Exception {
        int epochs = 6;
        Path corpus = SyntheticTimit.write(tmp.resolve("corpus"), TRAIN);
        Path yaml = Files.writeString(tmp.resolve("run.yaml"),
                config(corpus, tmp.resolve("cache"), "timit/framewise", "random", epochs));
        Path reference = runInProcess(yaml, Files.createDirectories(tmp.resolve("reference")));

        Path runs = Files.createDirectories(tmp.resolve("killed"));
        Process child = child(yaml, runs, tmp.resolve("child.log"));
        // killed once two epochs are checkpointed and some of the third is logged past the checkpoint
        Path dir = awaitRun(child, runs, d -> Files.exists(d.resolve("checkpoints/latest"))
                && rows(d.resolve("iterations.csv")) > 2 * PER_EPOCH);
        assertTrue(child.isAlive(), "the child ended before it could be killed: "
                + Files.readString(tmp.resolve("child.log")));
        child.destroyForcibly(); // SIGKILL
        assertTrue(child.waitFor(30, TimeUnit.SECONDS));
        int itsAtKill = rows(dir.resolve("iterations.csv"));
        int checkpointed = Integer.parseInt(latestCheckpoint(dir));
        assertTrue(checkpointed % PER_EPOCH == 0 && checkpointed < epochs * PER_EPOCH,
                "killed mid-run, after the checkpoint of an epoch: iteration " + checkpointed);
        assertTrue(itsAtKill > 2 * PER_EPOCH && itsAtKill < epochs * PER_EPOCH, "killed after " + itsAtKill
                + " iterations");

        ByteArrayOutputStream said = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(said, true, StandardCharsets.UTF_8);
        assertEquals(0, RunLauncher.resume(dir, List.of("eprop", "train", "--resume", dir.toString()), out));
        assertTrue(said.toString(StandardCharsets.UTF_8).contains("resuming " + dir + " after iteration "
                + checkpointed), said.toString(StandardCharsets.UTF_8));
        assertSameRun(reference, dir, epochs);
    }

    @Test
    void aCtcRunStoppedWithSigtermInsideAnEpochResumesToTheUninterruptedRun(@TempDir Path tmp) throws Exception {
        int epochs = 5;
        Path corpus = SyntheticTimit.write(tmp.resolve("corpus"), TRAIN);
        // adaptive feedback: the checkpoint must carry the feedback matrices and their optimiser too
        Path yaml = Files.writeString(tmp.resolve("run.yaml"),
                config(corpus, tmp.resolve("cache"), "timit/ctc", "adaptive", epochs));
        Path reference = runInProcess(yaml, Files.createDirectories(tmp.resolve("reference")));

        Path runs = Files.createDirectories(tmp.resolve("stopped"));
        Path log = tmp.resolve("child.log");
        Process child = child(yaml, runs, log);
        Path dir = awaitRun(child, runs, d -> rows(d.resolve("iterations.csv")) > PER_EPOCH + 1);
        assertTrue(child.isAlive(), "the child ended before it could be stopped: " + Files.readString(log));
        child.destroy(); // SIGTERM: the shutdown hook asks the loop to stop after the iteration in progress
        assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child ends after SIGTERM");
        String said = Files.readString(log);
        int done = rows(dir.resolve("iterations.csv"));
        assertTrue(done > PER_EPOCH + 1 && done < epochs * PER_EPOCH, "stopped mid-run after " + done + ": " + said);
        assertTrue(said.contains("stopped on request after iteration " + done), said);
        assertEquals(done + "", latestCheckpoint(dir), "the stop's checkpoint is the last finished iteration");
        // a stop is checked after every iteration, before the epoch's evaluation: the epochs whose
        // evaluation was written are those before the one the stop is in
        int epochsDone = (done - 1) / PER_EPOCH;
        assertEquals(epochsDone, rows(dir.resolve("metrics.csv")), "the stop is inside epoch " + (epochsDone + 1));

        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(0, RunLauncher.resume(dir, List.of("eprop", "train", "--resume", dir.toString()), quiet));
        assertSameRun(reference, dir, epochs);
    }
}
