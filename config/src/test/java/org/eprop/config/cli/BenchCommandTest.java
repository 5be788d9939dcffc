package org.eprop.config.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BenchCommandTest {

    @Test
    void theFig3BenchWarmsUpLongerThanTheOtherModesUnlessToldAndRefusesANegativeWarmUp() {
        assertEquals(20, BenchCommand.warmup(null, true));
        assertEquals(3, BenchCommand.warmup(null, false));
        assertEquals(0, BenchCommand.warmup(0, true));
        assertEquals(7, BenchCommand.warmup(7, false));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> BenchCommand.warmup(-1, true));
        assertTrue(e.getMessage().contains("--warmup must be >= 0, got -1"), e.getMessage());
    }

    @Test
    void aleWithAWronglyNamedRomFailsAsBadInputWithTheReason(@TempDir Path tmp) throws Exception {
        Path rom = Files.write(tmp.resolve("mygame.bin"), new byte[4096]);
        PrintStream old = System.err;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = EpropCli.run("bench", "--ale", rom.toString());
        } finally {
            System.setErr(old);
        }
        String err = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, err);
        assertTrue(err.contains("name the ROM pong.bin"), err);
    }
}
