package org.eprop.config.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Set;
import java.util.stream.Stream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * {@code bench --agent} on the Catch config (no ROM): it reports frames/s and its split, and the
 * allocation per emulator frame of all threads over the measured iterations, which the training
 * loop keeps near zero.
 */
class AgentBenchmarkTest {

    @Test
    void reportsSpeedAndAllocationPerFrameOfTheWholeLoop() throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        Set<Path> before = benchDirectories();
        AgentBenchmark.Result r;
        PrintStream err = System.err;
        System.setErr(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            r = new AgentBenchmark(new AgentBenchmark.Settings(Path.of("catch.yaml"), List.of("agent.params.envs=8",
                    "network.lif=20", "network.alif=10"), 3, 5)).run(out);
        } finally {
            System.setErr(err);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(r.frames() == 5L * 20 * 8, "5 iterations of one unroll of 20 steps of 8 environments: " + text);
        assertTrue(r.framesPerSecond() > 0 && r.seconds() > 0, text);
        double shares = r.emulatorShare() + r.networkShare() + r.learnerShare() + r.otherShare();
        // timing.csv keeps each part to the millisecond: over 5 iterations of a few milliseconds the
        // rounding alone can move the sum by 4 parts x 0.5 ms x 5 iterations
        double rounding = 4 * 0.0005 * 5 / r.seconds();
        assertTrue(Math.abs(shares - 1) < 0.01 + rounding, "the split adds up: " + shares + " (rounding allowance "
                + rounding + ")");
        // ~8 and ~25 bytes per frame measured; the loop allocated kilobytes per frame before
        assertTrue(r.actingBytesPerFrame() >= 0 && r.actingBytesPerFrame() < 256, text);
        assertTrue(r.learnerBytesPerFrame() >= 0 && r.learnerBytesPerFrame() < 256, text);
        assertTrue(r.peakHeapBytes() > 0, text);
        assertTrue(text.contains("bytes per emulator frame while acting"), text);
        Set<Path> left = benchDirectories();
        left.removeAll(before);
        assertEquals(Set.of(), left, "the benchmark's temporary run directory (with its checkpoint) is deleted");
    }

    @Test
    void anAtariConfigIsMeasuredBesideItsEmulatorsOwnSpeed() {
        // the Pong config on the project's test cartridge: ALE's bare act on it, one core
        double pong = AgentBenchmark.emulatorReference(org.eprop.config.run.RunLauncher.prepare(
                Path.of("atari-pong.yaml"), List.of("env.id=ale/test-pong", "agent.params.envs=2")));
        assertTrue(pong > 500, "frames/s of the bare emulator: " + pong);
        assertEquals(0.0, AgentBenchmark.emulatorReference(org.eprop.config.run.RunLauncher.prepare(
                Path.of("catch.yaml"), List.of())), "no emulator reference for Catch");
    }

    /** Temporary bench directories holding a Catch run (another bench running beside would hold Pong). */
    private static Set<Path> benchDirectories() throws IOException {
        Set<Path> found = new HashSet<>();
        try (Stream<Path> dirs = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            for (Path d : dirs.filter(d -> d.getFileName().toString().startsWith("eprop-bench-agent")).toList()) {
                try (Stream<Path> runs = Files.list(d)) {
                    if (runs.anyMatch(r -> r.getFileName().toString().startsWith("catch"))) {
                        found.add(d);
                    }
                } catch (IOException e) {
                    // deleted meanwhile
                }
            }
        }
        return found;
    }
}
