package org.eprop.agent.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {
    private static final List<String> COLS = List.of("iteration", "loss", "err");

    @TempDir
    Path tmp;

    private Path csv() {
        return tmp.resolve("metrics.csv");
    }

    private Path jsonl() {
        return tmp.resolve("metrics.jsonl");
    }

    private static String read(Path p) throws IOException {
        return Files.readString(p, StandardCharsets.UTF_8);
    }

    /** The same sequence of rows every time: iteration i has loss 1/(i+1) and err i/7. */
    private static void appendRows(MetricsLog log, int from, int to) throws IOException {
        for (int i = from; i < to; i++) {
            log.append(i, 1.0 / (i + 1), i / 7.0);
        }
    }

    private static void appendRaw(Path file, String text) throws IOException {
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    }

    @Test
    void writesExactCsvAndJsonl() throws IOException {
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            log.append(0, 0.1, 1.0 / 3);
            log.append(5, 1e-10, Double.NaN);
            log.append(12, -0.0, Double.POSITIVE_INFINITY);
            log.append(13, 123456789.0, Double.NEGATIVE_INFINITY);
        }
        assertEquals("iteration,loss,err\n"
                + "0,0.1,0.3333333333333333\n"
                + "5,1.0E-10,\n"
                + "12,-0.0,Infinity\n"
                + "13,1.23456789E8,-Infinity\n", read(csv()));
        assertEquals("{\"iteration\":0,\"loss\":0.1,\"err\":0.3333333333333333}\n"
                + "{\"iteration\":5,\"loss\":1.0E-10,\"err\":null}\n"
                + "{\"iteration\":12,\"loss\":-0.0,\"err\":null}\n"
                + "{\"iteration\":13,\"loss\":1.23456789E8,\"err\":null}\n", read(jsonl()));
        // every line of the JSONL is valid JSON with the right numbers
        var mapper = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(1e-10, mapper.readTree(read(jsonl()).split("\n")[1]).get("loss").doubleValue());
    }

    @Test
    void eachAppendReachesTheFilesImmediately() throws IOException {
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            log.append(1, 2.0, 3.0);
            assertEquals("iteration,loss,err\n1,2.0,3.0\n", read(csv()));
            assertEquals("{\"iteration\":1,\"loss\":2.0,\"err\":3.0}\n", read(jsonl()));
            log.sync();
        }
    }

    @Test
    void rejectsBadInput() throws IOException {
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.create(csv(), jsonl(), List.of("loss", "iteration")));
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.create(csv(), jsonl(), List.of("iteration", "a,b")));
        assertThrows(IllegalArgumentException.class, () -> MetricsLog.create(csv(), jsonl(), List.of("iteration", "a", "a")));
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            log.append(3, 1, 2);
            assertThrows(IllegalStateException.class, () -> log.append(3, 1, 2));
            assertThrows(IllegalStateException.class, () -> log.append(2, 1, 2));
            assertThrows(IllegalArgumentException.class, () -> log.append(4, 1));
            log.append(4, 1, 2);
            assertEquals(OptionalLong.of(4), log.lastIteration());
        }
    }

    @Test
    void identicalAppendsGiveByteIdenticalFiles() throws IOException {
        Path a = tmp.resolve("a");
        Path b = tmp.resolve("b");
        for (Path dir : List.of(a, b)) {
            try (MetricsLog log = MetricsLog.create(dir.resolve("m.csv"), dir.resolve("m.jsonl"), COLS)) {
                appendRows(log, 0, 200);
                log.append(200, Math.PI, Double.NaN);
            }
        }
        assertArrayEquals(Files.readAllBytes(a.resolve("m.csv")), Files.readAllBytes(b.resolve("m.csv")));
        assertArrayEquals(Files.readAllBytes(a.resolve("m.jsonl")), Files.readAllBytes(b.resolve("m.jsonl")));
    }

    @Test
    void resumeDropsRowsAfterTheCheckpointAndATornLineThenContinuesWithoutGapOrDuplicate() throws IOException {
        // the uninterrupted reference
        Path ref = tmp.resolve("ref");
        try (MetricsLog log = MetricsLog.create(ref.resolve("m.csv"), ref.resolve("m.jsonl"), COLS)) {
            appendRows(log, 0, 20);
        }
        // the interrupted run: checkpoint at 7, rows up to 11 written, then killed mid-row
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            appendRows(log, 0, 12);
        }
        appendRaw(csv(), "12,0.0769");
        appendRaw(jsonl(), "{\"iteration\":12,\"lo");

        try (MetricsLog log = MetricsLog.resume(csv(), jsonl(), COLS, 7)) {
            assertEquals(OptionalLong.of(7), log.lastIteration());
            assertTrue(read(csv()).endsWith("\n7," + 1.0 / 8 + "," + 7 / 7.0 + "\n"), read(csv()));
            assertThrows(IllegalStateException.class, () -> log.append(7, 0, 0));
            appendRows(log, 8, 20);
        }
        assertEquals(read(ref.resolve("m.csv")), read(csv()));
        assertEquals(read(ref.resolve("m.jsonl")), read(jsonl()));
    }

    @Test
    void resumeKeepsAllCompleteRowsWhenTheCheckpointIsNewer() throws IOException {
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            appendRows(log, 0, 5);
        }
        String csvBefore = read(csv());
        String jsonBefore = read(jsonl());
        appendRaw(csv(), "5,"); // torn
        try (MetricsLog log = MetricsLog.resume(csv(), jsonl(), COLS, 100)) {
            assertEquals(OptionalLong.of(4), log.lastIteration());
        }
        assertEquals(csvBefore, read(csv()));
        assertEquals(jsonBefore, read(jsonl()));
    }

    @Test
    void resumeBeforeTheFirstRowKeepsOnlyTheHeader() throws IOException {
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            appendRows(log, 0, 5);
        }
        try (MetricsLog log = MetricsLog.resume(csv(), jsonl(), COLS, -1)) {
            assertEquals(OptionalLong.empty(), log.lastIteration());
            log.append(0, 1, 2);
        }
        assertEquals("iteration,loss,err\n0,1.0,2.0\n", read(csv()));
        assertEquals("{\"iteration\":0,\"loss\":1.0,\"err\":2.0}\n", read(jsonl()));
    }

    @Test
    void resumeRejectsADifferentHeader() throws IOException {
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            appendRows(log, 0, 3);
        }
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> MetricsLog.resume(csv(), jsonl(), List.of("iteration", "loss", "acc"), 2));
        assertTrue(e.getMessage().contains(csv().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("iteration,loss,err"), e.getMessage());
        assertTrue(e.getMessage().contains("iteration,loss,acc"), e.getMessage());
    }

    @Test
    void resumeRejectsFilesThatDisagree() throws IOException {
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            appendRows(log, 0, 3);
        }
        // a lost JSONL row (as after a power cut without sync)
        String json = read(jsonl());
        Files.writeString(jsonl(), json.substring(0, json.lastIndexOf("{")));
        IOException e = assertThrows(IOException.class, () -> MetricsLog.resume(csv(), jsonl(), COLS, 2));
        assertTrue(e.getMessage().contains("disagree"), e.getMessage());
    }

    @Test
    void resumeReportsAMissingFile() throws IOException {
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            appendRows(log, 0, 3);
        }
        Files.delete(jsonl());
        IOException e = assertThrows(IOException.class, () -> MetricsLog.resume(csv(), jsonl(), COLS, 2));
        assertTrue(e.getMessage().contains("metrics.jsonl"), e.getMessage());
    }

    @Test
    void createReplacesTheFilesOfARunThatNeverCheckpointed() throws IOException {
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            appendRows(log, 0, 3);
        }
        try (MetricsLog log = MetricsLog.create(csv(), jsonl(), COLS)) {
            log.append(0, 1, 2);
        }
        assertEquals("iteration,loss,err\n0,1.0,2.0\n", read(csv()));
    }
}
