package org.eprop.config.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.eprop.envs.ale.RomNotFoundException;
import org.eprop.envs.ale.TestRom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AleBenchmarkTest {
    @TempDir
    Path tmp;

    @Test
    void withoutARomTheMessageNamesThePlacesSearchedAndHowToPassOne() {
        Path home = tmp.resolve("home");
        RomNotFoundException e = assertThrows(RomNotFoundException.class,
                () -> AleBenchmark.findRom(null, Map.of(), home));
        String m = e.getMessage();
        assertTrue(m.contains("$EPROP_ROM_DIR"), m);
        assertTrue(m.contains(home.resolve(".eprop/roms").toString()), m);
        assertTrue(m.contains("eprop bench --ale path/to/pong.bin"), m);
        assertEquals("pong", e.game());
    }

    @Test
    void aGivenFileOrDirectoryIsSearchedFirst() throws Exception {
        Path pong = TestRom.directory().resolve("pong.bin");
        Path home = tmp.resolve("home");
        assertEquals(pong, AleBenchmark.findRom(pong, Map.of(), home));
        assertEquals(pong, AleBenchmark.findRom(pong.getParent(), Map.of(), home));
        Path other = Files.copy(pong, tmp.resolve("mygame.bin"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> AleBenchmark.findRom(other, Map.of(), home));
        assertTrue(e.getMessage().contains("name the ROM pong.bin"), e.getMessage());
    }

    @Test
    void measuresEveryLayerOnTheTestCartridge() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        AleBenchmark.Result r = new AleBenchmark(new AleBenchmark.Settings(TestRom.directory(), 0.05, 1))
                .run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        for (double fps : new double[] {r.bare(), r.env(), r.wrapped(), r.vector1(), r.vector2()}) {
            assertTrue(fps > 0, r.toString());
        }
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("bare act: ") && out.contains("vector of wrapped envs, 2 threads: "), out);
    }
}
