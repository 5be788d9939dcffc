package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ROMs that are not known dumps (issue 10, item 3): refused before the emulator unless
 * {@code allow_unknown_rom}, and with it tried in a separate JVM first and run under a watchdog.
 * {@link RandomRomExperiment} runs the random-file checks below on 10,000 files.
 */
class UnknownRomTest {
    @TempDir
    Path tmp;

    /** The seed of the 20 random files (10 of 2 KiB, 10 of 4 KiB). */
    static final long SEED = 20261206L;

    /**
     * A 2 KiB cartridge that passes every content check and stalls ALE: its program stores 1 in RAM
     * $96 forever ({@code LDA #1; STA $96; JMP} back to the store), while ALE's Pong reset presses
     * SELECT until $96 holds the mode, 0. Filled with NOPs; reset vector $F000.
     */
    static byte[] modeJam() {
        byte[] d = new byte[2048];
        java.util.Arrays.fill(d, (byte) 0xEA);
        byte[] code = {(byte) 0xA9, 0x01, (byte) 0x85, (byte) 0x96, 0x4C, 0x02, (byte) 0xF0};
        System.arraycopy(code, 0, d, 0, code.length);
        d[2044] = 0x00;
        d[2045] = (byte) 0xF0;
        d[2046] = 0x00;
        d[2047] = (byte) 0xF0;
        return d;
    }

    /** The project's test cartridge with one padding byte changed: a working cartridge, but no known dump. */
    static byte[] alteredTestCartridge() throws IOException {
        byte[] d;
        try (InputStream in = UnknownRomTest.class.getResourceAsStream(TestRom.RESOURCE)) {
            d = in.readAllBytes();
        }
        assertEquals((byte) 0xFF, d[0xF00], "a padding byte of the cartridge");
        d[0xF00] = 0x00;
        return d;
    }

    private Path romDir(String name, byte[] content) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.write(dir.resolve("pong.bin"), content);
        return dir;
    }

    private static Set<String> listing(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return new TreeSet<>(s.map(p -> p.getFileName().toString()).toList());
        }
    }

    private static long emulatorThreads() {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith("eprop-ale-"))
                .filter(Thread::isAlive).count();
    }

    @Test
    void aPlausibleFileThatIsNoKnownDumpIsRefusedBeforeTheEmulator() throws IOException {
        byte[] jam = modeJam();
        assertNull(AleRoms.problem(jam), "the file passes every content check");
        Path dir = romDir("jam", jam);
        Path file = dir.resolve("pong.bin");
        long threads = emulatorThreads();
        for (java.util.function.Supplier<AutoCloseable> open : List.<java.util.function.Supplier<AutoCloseable>>of(
                () -> new AleEnv(AleSettings.v5("pong").withRomDir(dir)),
                () -> BareAle.open(AleSettings.v5("pong").withRomDir(dir), 0))) {
            UnknownRomException e = assertThrows(UnknownRomException.class, open::get);
            String m = e.getMessage();
            assertTrue(m.startsWith("The ROM file " + file + " for the Atari game 'pong' is not a known dump of pong: "
                    + "its MD5 " + AleRoms.md5(jam) + " is not in ALE's table of known ROM checksums (pong: "), m);
            assertTrue(m.contains("60e0ea3cbe0913d39803477945e9e5ec"), "names the known dump: " + m);
            assertTrue(m.contains("It was not given to ALE"), m);
            assertTrue(m.contains("set env.params.allow_unknown_rom: true"), "names the key and the fix: " + m);
            assertTrue(m.contains("How to get ROMs:"), m);
            assertEquals(file, e.file());
            assertEquals(AleRoms.md5(jam), e.md5());
        }
        assertEquals(threads, emulatorThreads(), "no emulator thread was started");
        assertEquals(Set.of("pong.bin"), listing(dir), "nothing written next to the ROM");
    }

    @Test
    void twentyRandomFilesNeverReachTheEmulatorWithoutTheFlag() throws IOException {
        int unknown = 0;
        for (int i = 0; i < 20; i++) {
            Path dir = romDir("random-" + i, RandomRomExperiment.image(SEED, i));
            String outcome = RandomRomExperiment.withoutFlag(dir);
            assertTrue(outcome.equals("corrupt") || outcome.equals("unknown"), "file " + i + ": " + outcome);
            if (outcome.equals("unknown")) {
                unknown++;
            }
            assertEquals(Set.of("pong.bin"), listing(dir));
        }
        // The content checks alone would have let these through to ALE, which hangs on them.
        assertTrue(unknown >= 5, unknown + " of 20 files passed the content checks and were stopped by the checksum");
    }

    @Test
    void theTestCartridgeAndTheSharedDumpsLoadWithoutTheFlag() {
        long threads = emulatorThreads();
        try (AleEnv env = new AleEnv(TestRom.settings())) {
            assertFalse(env.unknownRom(), "the project's cartridge is accepted by its checksum");
            env.reset(0);
            assertTrue(env.step(0).reward() <= 0);
        }
        assertEquals(threads, emulatorThreads(), "known dumps run on the caller's thread");
    }

    @Test
    void theSharedRealPongIsAKnownDump() {
        Path dir = TestRoms.pongDir(tmp);
        try (AleEnv env = new AleEnv(TestRoms.pong(dir))) {
            assertFalse(env.unknownRom());
        }
    }

    @Test
    void withTheFlagAStallingRomIsStoppedInASeparateJvm() throws IOException {
        Path dir = romDir("jam", modeJam());
        Path file = dir.resolve("pong.bin");
        AleSettings s = AleSettings.v5("pong").withRomDir(dir).withAllowUnknownRom(true);
        long threads = emulatorThreads();
        long t0 = System.nanoTime();
        EmulatorStalledException e = assertThrows(EmulatorStalledException.class, () -> new AleEnv(s));
        double seconds = (System.nanoTime() - t0) / 1e9;
        String m = e.getMessage();
        assertEquals("loadROM", e.operation(), m);
        assertTrue(m.startsWith("The ROM file " + file + " for the Atari game 'pong' is not a known dump of pong (MD5 "
                + AleRoms.md5(modeJam()) + "), and ALE made no progress on it: tried in a separate JVM, loadROM used "),
                m);
        assertTrue(m.contains("s of CPU time without returning"), m);
        assertTrue(m.contains("env.params.allow_unknown_rom is true, and was not loaded here"), m);
        assertTrue(m.contains("Fix: use a known dump of pong (MD5 "), m);
        assertTrue(seconds < RomProbe.WALL_LIMIT.toSeconds(), seconds + " s");
        assertEquals(threads, emulatorThreads(), "nothing of it runs in this JVM");
        assertEquals(Set.of("pong.bin"), listing(dir), "nothing written next to the ROM");

        // The verdict is kept: parallel copies of the environment do not try it again.
        long t1 = System.nanoTime();
        assertThrows(EmulatorStalledException.class, () -> BareAle.open(s, 0));
        assertTrue((System.nanoTime() - t1) / 1e9 < 1.0, "answered from the verdict of the first trial");
    }

    @Test
    void withTheFlagAWorkingUnknownCartridgeRunsUnderTheWatchdog() throws IOException {
        Path dir = romDir("altered", alteredTestCartridge());
        AleSettings s = TestRom.settings().withRomDir(dir).withAllowUnknownRom(true).withRepeatActionProbability(0);
        assertThrows(UnknownRomException.class, () -> new AleEnv(s.withAllowUnknownRom(false)));
        long threads = emulatorThreads();
        try (AleEnv env = new AleEnv(s)) {
            assertTrue(env.unknownRom());
            assertEquals(threads + 1, emulatorThreads(), "its native calls run on the watchdog's thread");
            env.reset(1);
            double total = 0;
            Step<Frame> st;
            do {
                st = env.step(0);
                total += st.reward();
            } while (!st.done());
            assertEquals(-21.0, total, "plays like the cartridge it was made from: NOOP loses 0:21");
        }
        assertEquals(threads, emulatorThreads(), "close() ends the watchdog's thread");
        assertEquals(Set.of("pong.bin"), listing(dir));
    }

    /** Runs {@link StallMain} in a child JVM (the stalled thread would spin in this one otherwise). */
    @Test
    void theInProcessWatchdogEndsAStalledCallWithAClearError() throws Exception {
        Path dir = romDir("altered", alteredTestCartridge());
        Path jam = Files.write(tmp.resolve("jam.bin"), modeJam());
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Path out = tmp.resolve("stall-out.txt");
        Process p = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), StallMain.class.getName(),
                dir.toString(), "300", jam.toString()).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the child ended within 60 s");
        String o = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), o);
        List<String> lines = new ArrayList<>(o.lines().filter(l -> l.matches("(loaded|stalled|again|closed|thread)"
                + ".*")).toList());
        assertEquals("loaded true", lines.get(0), o);
        assertTrue(lines.get(1).startsWith("stalled loadROM ALE made no progress on the ROM file " + dir.resolve(
                "pong.bin") + " for the Atari game 'pong': loadROM used "), o);
        assertTrue(lines.get(1).contains("env.params.allow_unknown_rom is true")
                && lines.get(1).contains("this environment is unusable"), o);
        assertEquals(List.of("again loadROM", "closed", "thread RUNNABLE daemon=true"), lines.subList(2, 5),
                "later calls fail the same way, close() returns, and the stuck daemon thread is left alone: " + o);
    }

    /** Two files at a time, as on a two-core machine: the trials of different ROMs run in parallel. */
    @Test
    void withTheFlagTwentyRandomFilesAreRefusedOrRunButNeverHang() throws Exception {
        long threads = emulatorThreads();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        List<Future<String>> results = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            Path dir = romDir("random-" + i, RandomRomExperiment.image(SEED, i));
            int index = i;
            results.add(pool.submit(() -> {
                long t0 = System.nanoTime();
                StringBuilder detail = new StringBuilder();
                String outcome = RandomRomExperiment.withFlag(dir, detail);
                double seconds = (System.nanoTime() - t0) / 1e9;
                assertTrue(seconds < RomProbe.WALL_LIMIT.toSeconds() + 30, "file " + index + " took " + seconds + " s");
                assertEquals(Set.of("pong.bin"), listing(dir), "file " + index);
                return outcome + " " + detail;
            }));
        }
        pool.shutdown();
        List<String> outcomes = new ArrayList<>();
        for (Future<String> f : results) {
            outcomes.add(f.get(10, TimeUnit.MINUTES));
        }
        for (String o : outcomes) {
            String kind = o.split(" ")[0];
            assertTrue(Set.of("corrupt", "probe-stalled", "probe-failed", "ran").contains(kind), outcomes.toString());
        }
        assertEquals(threads, emulatorThreads(), "no emulator thread of these files is left running: " + outcomes);
        assertTrue(outcomes.stream().anyMatch(o -> o.startsWith("probe-stalled")), outcomes.toString());
    }

    /** The watchdog gives up by CPU time: a call that sleeps (no CPU) is waited for, one that spins is not. */
    @Test
    void theWatchdogCountsCpuTimeNotWaiting() throws InterruptedException {
        long threads = emulatorThreads();
        AleWatchdog w = new AleWatchdog("pong", tmp.resolve("pong.bin"), Duration.ofMillis(200));
        java.util.concurrent.atomic.AtomicBoolean release = new java.util.concurrent.atomic.AtomicBoolean();
        try {
            assertEquals(7, w.call("sleep", () -> {
                Thread.sleep(600);
                return 7;
            }));
            EmulatorStalledException e = assertThrows(EmulatorStalledException.class, () -> w.call("spin", () -> {
                long x = 0;
                while (!release.get()) {
                    x++;
                }
                return x;
            }));
            assertEquals("spin", e.operation());
            assertTrue(e.cpuSeconds() >= 0.2 && e.cpuSeconds() < 2, "gave up after " + e.cpuSeconds() + " s of CPU");
            assertTrue(w.stalled());
            assertThrows(EmulatorStalledException.class, () -> w.call("next", () -> 1), "no call after a stall");
        } finally {
            release.set(true); // unlike a stalled native call, this one can be ended, so the thread goes
            w.close();
        }
        for (int i = 0; i < 100 && emulatorThreads() > threads; i++) {
            Thread.sleep(50);
        }
        assertEquals(threads, emulatorThreads(), "the thread ended once its call returned");
    }
}
