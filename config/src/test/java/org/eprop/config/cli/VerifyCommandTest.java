package org.eprop.config.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VerifyCommandTest {

    private static String runCapturing(int expectedExit, String... args) {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = EpropCli.run(args);
        } finally {
            System.setOut(old);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(expectedExit, code, out);
        return out;
    }

    @Test
    void everyDiagnosticPassesInBothPrecisionsAndWritesHeatMaps(@TempDir Path tmp) throws Exception {
        String out = runCapturing(0, "verify", "--runs-dir", tmp.toString());
        for (String d : List.of("verify/factorization", "verify/hardcoded-vs-autodiff", "verify/unroll-carry")) {
            for (String p : List.of("float64", "float32")) {
                assertTrue(out.contains("== " + d + ", " + p), "section " + d + " " + p + " in\n" + out);
            }
        }
        assertTrue(out.contains("all diagnostics passed"));
        assertTrue(out.contains("max relative difference"));
        try (Stream<Path> s = Files.walk(tmp)) {
            List<Path> png = s.filter(f -> f.toString().endsWith(".png")).toList();
            long comparisons = out.lines().filter(l -> l.startsWith("max relative difference")).count();
            // eq. (1) and hard-coded vs autodiff: 2 precisions x 2 weight matrices each; unroll-carry:
            // 4 methods x 3 cases x 3 weight matrices per precision (the RTRL-backed BPTT cases in
            // double only)
            assertTrue(comparisons > 8, out);
            assertEquals(comparisons, png.size(), "one heat map per comparison: " + png);
            assertEquals(comparisons, out.lines().filter(l -> l.startsWith("heat map: ")).count());
        }
    }

    @Test
    void exitsNonZeroWhenADifferenceExceedsItsBound(@TempDir Path tmp) {
        // No float32 computation agrees with double to 1e-30: the float32 comparisons must fail.
        String out = runCapturing(1, "verify", "--runs-dir", tmp.toString(), "--float-bound", "1e-30");
        assertTrue(out.contains("FAIL"), out);
        assertTrue(out.contains("a diagnostic FAILED"), out);
    }
}
