package org.eprop.agent.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointStoreTest {
    @TempDir
    Path tmp;

    private static Checkpoint at(long iteration) {
        return Checkpoint.builder().put("w", new double[] {iteration, iteration * 0.5}).put("it", new long[] {iteration})
                .build();
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(tmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    private static void flipByte(Path file, int index) throws IOException {
        byte[] b = Files.readAllBytes(file);
        b[index] ^= 0x10;
        Files.write(file, b);
    }

    @Test
    void namesFilesWithNineDigits() {
        assertEquals("ckpt-000000120.bin", CheckpointStore.fileName(120));
        assertEquals("ckpt-1234567890.bin", CheckpointStore.fileName(1234567890L));
    }

    @Test
    void keepsTheMostRecentAndPointsToTheNewest() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 3);
        assertEquals(Optional.empty(), store.latest());
        for (long it = 10; it <= 70; it += 10) {
            store.save(it, at(it));
        }
        assertEquals(List.of("ckpt-000000050.bin", "ckpt-000000060.bin", "ckpt-000000070.bin", "latest"), files());
        assertEquals("ckpt-000000070.bin\n", Files.readString(tmp.resolve("latest")));
        assertEquals(List.of(70L, 60L, 50L), store.iterations());
        CheckpointStore.Loaded l = store.latest().orElseThrow();
        assertEquals(70, l.iteration());
        assertArrayEquals(new long[] {70}, l.checkpoint().longs("it"));
        assertEquals(tmp.resolve("ckpt-000000070.bin"), l.file());
        assertFalse(l.fellBack());
    }

    @Test
    void fallsBackToThePreviousValidCheckpointWhenTheLatestIsCorrupt() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 3);
        for (long it = 1; it <= 3; it++) {
            store.save(it, at(it));
        }
        flipByte(tmp.resolve("ckpt-000000003.bin"), 30);
        CheckpointStore.Loaded l = store.latest().orElseThrow();
        assertEquals(2, l.iteration());
        assertArrayEquals(new long[] {2}, l.checkpoint().longs("it"));
        assertTrue(l.fellBack());
        assertTrue(l.skipped().get(0).contains("ckpt-000000003.bin"), l.skipped().toString());

        // truncation of the fallback too: goes one further back
        Path second = tmp.resolve("ckpt-000000002.bin");
        Files.write(second, Arrays.copyOf(Files.readAllBytes(second), 10));
        l = store.latest().orElseThrow();
        assertEquals(1, l.iteration());
        assertEquals(2, l.skipped().size());

        // the resumed run saves its next checkpoint: the abandoned, newer files go
        store.save(2, at(2));
        assertEquals(List.of("ckpt-000000001.bin", "ckpt-000000002.bin", "latest"), files());
        assertEquals(2, store.latest().orElseThrow().iteration());
    }

    @Test
    void findsTheNewestWhenThePointerIsMissingOrGarbled() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        store.save(4, at(4));
        store.save(8, at(8));
        Files.delete(tmp.resolve("latest"));
        assertEquals(8, store.latest().orElseThrow().iteration());
        Files.writeString(tmp.resolve("latest"), "../../etc/passwd\n");
        CheckpointStore.Loaded l = store.latest().orElseThrow();
        assertEquals(8, l.iteration());
        assertTrue(l.fellBack());
        Files.writeString(tmp.resolve("latest"), "ckpt-000000099.bin\n");
        assertEquals(8, store.latest().orElseThrow().iteration());
    }

    @Test
    void failsRatherThanStartingOverWhenNoCheckpointIsReadable() throws IOException {
        CheckpointStore store = new CheckpointStore(tmp, 2);
        store.save(4, at(4));
        store.save(8, at(8));
        flipByte(tmp.resolve("ckpt-000000004.bin"), 20);
        flipByte(tmp.resolve("ckpt-000000008.bin"), 20);
        IOException e = assertThrows(IOException.class, store::latest);
        assertTrue(e.getMessage().contains("ckpt-000000004.bin") && e.getMessage().contains("ckpt-000000008.bin"),
                e.getMessage());
    }

    @Test
    void sweepsTempFilesLeftByAKill() throws IOException {
        Files.writeString(tmp.resolve(".ckpt-000000005.bin.abc123.tmp"), "half");
        Files.writeString(tmp.resolve(".latest.9f.tmp"), "ckpt");
        Files.writeString(tmp.resolve("notes.txt"), "mine");
        new CheckpointStore(tmp, 1).save(5, at(5));
        assertEquals(List.of("ckpt-000000005.bin", "latest", "notes.txt"), files());
    }

    @Test
    void aMissingDirectoryHasNoCheckpoint() throws IOException {
        assertEquals(Optional.empty(), new CheckpointStore(tmp.resolve("none"), 1).latest());
        assertThrows(IllegalArgumentException.class, () -> new CheckpointStore(tmp, 0));
    }
}
