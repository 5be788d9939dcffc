package org.eprop.config.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the command line prints for file-system errors: the path and the cause, never only one of them. */
class ErrorMessagesTest {

    @Test
    void aCauseIsNeverHiddenBehindItsWrapper() {
        IOException disk = new IOException("No space left on device");
        String line = EpropCli.describe(new UncheckedIOException("cannot append to runs/x/metrics.csv", disk));
        assertEquals("cannot append to runs/x/metrics.csv: No space left on device", line);
    }

    @Test
    void fileSystemErrorsNameThePathAndWhatIsWrong() {
        assertEquals("/data/runs: already exists", EpropCli.describe(new FileAlreadyExistsException("/data/runs")));
        assertEquals("cannot write the checkpoint: /r/ckpt.bin: permission denied", EpropCli.describe(
                new UncheckedIOException("cannot write the checkpoint", new AccessDeniedException("/r/ckpt.bin"))));
    }

    @Test
    void anOutputDirThatIsAFileIsNamedWithWhatToDo(@TempDir Path tmp) throws IOException {
        Path notADir = Files.writeString(tmp.resolve("runs"), "a file");
        Path config = Files.writeString(tmp.resolve("run.yaml"), """
                name: file-dir
                env:
                  id: cue/evidence-accumulation
                training: {max_iterations: 1}
                output:
                  dir: '%s'
                """.formatted(notADir));
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        PrintStream old = System.err;
        int code;
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            code = EpropCli.run("train", config.toString());
        } finally {
            System.setErr(old);
        }
        String printed = err.toString(StandardCharsets.UTF_8);
        assertEquals(2, code, printed);
        assertTrue(printed.contains("eprop: " + notADir + ": the runs directory (output.dir or --runs-dir) is a file, "
                + "not a directory"), printed);
        assertEquals("a file", Files.readString(notADir), "the file is left as it was");
        try (var left = Files.list(tmp)) {
            assertFalse(left.anyMatch(p -> p.getFileName().toString().startsWith("file-dir")), "no run directory");
        }
    }
}
