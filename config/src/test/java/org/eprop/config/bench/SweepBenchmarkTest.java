package org.eprop.config.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eprop.learning.tensor.Precision;
import org.junit.jupiter.api.Test;

class SweepBenchmarkTest {

    @Test
    void oneRowPerSizeWithConsistentFigures() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<SweepBenchmark.Row> rows;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            rows = new SweepBenchmark(new SweepBenchmark.Settings(List.of(4, 8), List.of(2, 3), List.of(225),
                    "eprop", Precision.FLOAT32, 0, 2, 1)).run(out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertEquals(4, rows.size(), text);
        assertEquals(4 + 2, text.lines().filter(l -> l.startsWith("|")).count(), "header, rule and a row per size");
        for (SweepBenchmark.Row r : rows) {
            Fig3Benchmark.Result f = r.result();
            assertNotNull(f, text);
            assertEquals(225, f.steps(), "T = 225 is the reference trial at a tenth of every duration");
            assertEquals(r.batch(), f.batch());
            assertTrue(f.medianForwardSeconds() > 0 && f.medianBackwardSeconds() > 0, text);
            // the forward and backward parts are parts of the iteration (medians, so with a little slack)
            assertTrue(f.medianForwardSeconds() + f.medianBackwardSeconds() <= 1.5 * f.medianSeconds(), text);
            assertTrue(f.spikesPerSecond() >= 0, text);
            // every recurrent spike alone reaches n neurons and 2 readouts
            assertTrue(f.synapticEventsPerSecond() >= f.spikesPerSecond() * (r.neurons() + 2), text);
            assertTrue(f.synapticEventsPerSecond() > 0, "the Poisson inputs spike: " + text);
        }
    }

    @Test
    void aSizeBeyondTheHeapIsSkippedSayingWhatItNeeds() {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<SweepBenchmark.Row> rows;
        try (PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8)) {
            rows = new SweepBenchmark(new SweepBenchmark.Settings(List.of(200_000), List.of(256), List.of(4500),
                    "eprop", Precision.FLOAT32, 0, 1, 1)).run(out);
        }
        String text = bytes.toString(StandardCharsets.UTF_8);
        assertNull(rows.get(0).result());
        assertTrue(rows.get(0).neededBytes() > Runtime.getRuntime().maxMemory());
        assertTrue(text.contains("skipped: needs about") && text.contains("JAVA_OPTS"), text);
    }

    @Test
    void rejectsSizesItCannotBuild() {
        IllegalArgumentException odd = assertThrows(IllegalArgumentException.class, () -> new SweepBenchmark.Settings(
                List.of(101), List.of(16), List.of(2250), "eprop", Precision.FLOAT32, 0, 1, 1));
        assertTrue(odd.getMessage().contains("--neurons: 101"), odd.getMessage());
        IllegalArgumentException t = assertThrows(IllegalArgumentException.class, () -> new SweepBenchmark.Settings(
                List.of(100), List.of(16), List.of(1000), "eprop", Precision.FLOAT32, 0, 1, 1));
        assertTrue(t.getMessage().contains("--steps: 1000") && t.getMessage().contains("1125"), t.getMessage());
    }
}
