package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.TestAbortedException;

/**
 * How the tests find the real ROMs (issue 10, item 6): a test that needs {@code pong.bin} runs
 * whenever the file is there, with no switch to set, and is skipped with a message naming where it
 * looked when it is not.
 */
class TestRomsTest {
    @TempDir
    Path tmp;

    /** Runs {@code body} with {@code -Deprop.shared.data} set to {@code dir}, then restores it. */
    private static void withSharedData(Path dir, Runnable body) {
        String before = System.getProperty("eprop.shared.data");
        System.setProperty("eprop.shared.data", dir.toString());
        try {
            body.run();
        } finally {
            if (before == null) {
                System.clearProperty("eprop.shared.data");
            } else {
                System.setProperty("eprop.shared.data", before);
            }
        }
    }

    @Test
    void aMissingRomSkipsTheTestSayingWhereItLooked() throws IOException {
        Files.createDirectories(tmp.resolve("roms"));
        withSharedData(tmp, () -> {
            TestAbortedException e = assertThrows(TestAbortedException.class, () -> TestRoms.shared("pong"));
            assertTrue(e.getMessage().contains("real pong ROM not found: no pong.bin in " + tmp.resolve("roms")),
                    e.getMessage());
            assertTrue(e.getMessage().contains("skipping the tests that need it"), e.getMessage());
        });
        withSharedData(tmp.resolve("nowhere"), () -> {
            TestAbortedException e = assertThrows(TestAbortedException.class, () -> TestRoms.shared("pong"));
            assertTrue(e.getMessage().contains(tmp.resolve("nowhere").resolve("roms").toString()), e.getMessage());
        });
    }

    @Test
    void aPresentRomIsUsedWithoutAnySwitch() throws IOException {
        Path roms = Files.createDirectories(tmp.resolve("roms"));
        Path pong = Files.write(roms.resolve("pong.bin"), new byte[] {1, 2, 3});
        withSharedData(tmp, () -> {
            assertEquals(pong, TestRoms.shared("pong"));
            Path copy = TestRoms.pongDir(tmp.resolve("work"));
            assertTrue(Files.isRegularFile(copy.resolve("pong.bin")), "copied for the test: " + copy);
        });
    }
}
