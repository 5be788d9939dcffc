package org.eprop.agent.run;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path tmp;

    private static List<String> names(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
        }
    }

    @Test
    void writesCreatesParentsAndLeavesNoTempFiles() throws IOException {
        Path target = tmp.resolve("a/b/c.bin");
        byte[] data = {1, 2, 3, 0, -1};
        AtomicFiles.write(target, data);
        assertArrayEquals(data, Files.readAllBytes(target));
        assertEquals(List.of("c.bin"), names(target.getParent()));
    }

    @Test
    void replacesExistingContent() throws IOException {
        Path target = tmp.resolve("config.yaml");
        AtomicFiles.writeString(target, "a much longer first version of the file\n");
        AtomicFiles.writeString(target, "short\n");
        assertEquals("short\n", Files.readString(target, StandardCharsets.UTF_8));
        AtomicFiles.writeString(target, "");
        assertEquals(0, Files.size(target));
        assertEquals(List.of("config.yaml"), names(tmp));
    }

    @Test
    void aFailedMoveRemovesTheTempFile() throws IOException {
        Path target = tmp.resolve("taken");
        Files.createDirectories(target.resolve("child")); // a non-empty directory cannot be replaced
        assertThrows(IOException.class, () -> AtomicFiles.writeString(target, "x"));
        assertEquals(List.of("taken"), names(tmp));
    }

    @Test
    void recognisesItsTempFiles() {
        assertEquals(true, AtomicFiles.isTempFileOf(".latest.1f2e.tmp", "latest"));
        assertEquals(false, AtomicFiles.isTempFileOf("latest", "latest"));
    }
}
