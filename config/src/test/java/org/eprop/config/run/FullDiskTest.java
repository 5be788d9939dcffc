package org.eprop.config.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run on a disk that fills up (issue 10, item 4): the real {@code ENOSPC} of a small tmpfs, not a
 * simulated exception. The CLI runs in a child process inside a private mount namespace
 * ({@code unshare -rm}: as root, or as any user where unprivileged user namespaces are enabled)
 * with its runs directory on a 128 KiB tmpfs; the first checkpoint that does not fit ends it. What a
 * user must see: the file and "No space left on device" in the one error line, no half-written file,
 * and a run directory that resumes, once there is space, to exactly the metrics of a run that never
 * failed. Skipped, saying why, where no tmpfs can be mounted.
 */
class FullDiskTest {
    /** The tiny cue task of {@link ReproducibilityAndResumeTest}: a checkpoint every 7 of 60 iterations. */
    private static final String CONFIG = ReproducibilityAndResumeTest.config(9, 60);

    private static boolean canMountTmpfs(Path tmp) throws IOException, InterruptedException {
        Path probe = Files.createDirectories(tmp.resolve("probe"));
        try {
            Process p = new ProcessBuilder("unshare", "-rm", "sh", "-c", "mount -t tmpfs -o size=64k tmpfs \"$0\"",
                    probe.toString()).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false; // no unshare
        }
    }

    @Test
    void aFullDiskNamesTheFileAndTheCauseAndTheRunResumesOnceThereIsSpace(@TempDir Path tmp) throws Exception {
        assumeTrue(canMountTmpfs(tmp), "cannot mount a small tmpfs here (needs root or unprivileged user "
                + "namespaces for `unshare -rm`), so a full disk cannot be made");
        Path yaml = tmp.resolve("run.yaml");
        Files.writeString(yaml, CONFIG);
        Path disk = Files.createDirectories(tmp.resolve("disk"));
        Path copy = tmp.resolve("copy");
        Path log = tmp.resolve("child.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        // the run's files are copied out before the namespace (and its tmpfs) ends
        String script = "mount -t tmpfs -o size=128k tmpfs \"$DISK\" || exit 99\n"
                + "\"$JAVA\" -Xmx1g -cp \"$CP\" org.eprop.config.cli.EpropCli train \"$YAML\" --runs-dir \"$DISK/runs\"\n"
                + "rc=$?\ncp -a \"$DISK/runs\" \"$COPY\"\nexit $rc\n";
        ProcessBuilder pb = new ProcessBuilder("unshare", "-rm", "sh", "-c", script);
        pb.environment().putAll(Map.of("DISK", disk.toString(), "JAVA", java, "CP", cp,
                "YAML", yaml.toString(), "COPY", copy.toString()));
        Process child = pb.redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertTrue(child.waitFor(300, TimeUnit.SECONDS), "the run ends");
        String out = Files.readString(log);
        assertEquals(2, child.exitValue(), out);

        Path dir;
        try (Stream<Path> s = Files.list(copy)) {
            dir = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        String error = out.lines().filter(l -> l.startsWith("eprop: ")).findFirst().orElse("");
        assertTrue(error.contains("No space left on device"), "the cause is shown: " + out);
        assertTrue(error.contains(disk.resolve("runs").resolve(dir.getFileName()).resolve("checkpoints") + "/ckpt-"),
                "the file that could not be written is named: " + error);

        try (Stream<Path> files = Files.walk(dir)) {
            List<String> temp = files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".tmp")).toList();
            assertEquals(List.of(), temp, "no half-written file is left behind");
        }
        int rows = Files.readAllLines(dir.resolve("metrics.csv")).size() - 1;
        assertTrue(rows > 7 && rows < 60, "the disk filled mid-run, after a checkpoint: " + rows + " rows");

        // with space again (the copy sits on the ordinary disk) the run resumes and loses nothing
        PrintStream quiet = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);
        assertEquals(0, RunLauncher.resume(dir, List.of("eprop", "train", "--resume", dir.toString()), quiet));
        Path reference = Files.createDirectories(tmp.resolve("reference"));
        assertEquals(0, RunLauncher.start(RunLauncher.prepare(yaml, List.of()), reference, List.of("eprop", "train"),
                quiet));
        Path ref;
        try (Stream<Path> s = Files.list(reference)) {
            ref = s.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        assertArrayEquals(Files.readAllBytes(ref.resolve("metrics.csv")), Files.readAllBytes(dir.resolve("metrics.csv")),
                "the resumed run's metrics equal those of a run whose disk never filled");
    }
}
