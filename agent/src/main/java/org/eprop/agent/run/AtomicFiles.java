package org.eprop.agent.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Whole-file writes that are atomic: a reader (or a run resumed after a kill) sees either the old
 * content or the new content of the file, never a half-written one.
 *
 * <p>Why: a training run can be killed at any moment, and a checkpoint or a config that is cut off
 * half way would make the run impossible to resume. So the bytes go to a temporary file in the
 * same directory (same file system, so the rename below cannot turn into a copy), are forced to
 * the disk with {@link FileChannel#force(boolean)}, and the temporary file is then renamed over the
 * target with {@link StandardCopyOption#ATOMIC_MOVE}. The directory is forced afterwards (where
 * the platform allows it) so that the rename itself survives a power cut.
 *
 * <p>The temporary file is named {@code .<target name>.<random>.tmp}; it is deleted if anything
 * fails. A SIGKILL between creating it and the rename can still leave one behind: it is never
 * mistaken for the target, and {@link CheckpointStore} sweeps its own.
 */
public final class AtomicFiles {
    /** Suffix of the temporary files; see {@link #isTempFileOf(String, String)}. */
    static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** Writes {@code data} to {@code target} atomically, creating the parent directories. */
    public static void write(Path target, byte[] data) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Files.createDirectories(dir);
        String name = absolute.getFileName().toString();
        Path tmp = null;
        boolean moved = false;
        try {
            FileChannel ch = null;
            while (ch == null) {
                tmp = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong())
                        + TEMP_SUFFIX);
                try {
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    ch = null; // astronomically unlikely: draw another name
                }
            }
            try (FileChannel c = ch) {
                ByteBuffer buf = ByteBuffer.wrap(data);
                while (buf.hasRemaining()) {
                    c.write(buf);
                }
                c.force(true);
            }
            Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            moved = true;
        } catch (FileSystemException e) {
            throw e;
        } catch (IOException e) {
            // a failed write or force says only why ("No space left on device"), not where
            FileSystemException named = new FileSystemException(absolute.toString(), null, e.getMessage());
            named.initCause(e);
            throw named;
        } finally {
            if (!moved && tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException suppressed) {
                    // the original failure is the one worth reporting
                }
            }
        }
        forceDirectory(dir);
    }

    /** Writes {@code text} as UTF-8 to {@code target} atomically, creating the parent directories. */
    public static void writeString(Path target, String text) throws IOException {
        write(target, text.getBytes(StandardCharsets.UTF_8));
    }

    /** Whether {@code fileName} is a temporary file left by a write to {@code targetName}. */
    static boolean isTempFileOf(String fileName, String targetName) {
        return fileName.startsWith("." + targetName + ".") && fileName.endsWith(TEMP_SUFFIX);
    }

    /**
     * Forces a directory's entries (the rename) to the disk. Best effort: opening a directory for
     * reading works on Linux and macOS, not on Windows, where the move is durable on its own.
     */
    private static void forceDirectory(Path dir) {
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException e) {
            // not supported here; nothing more can be done
        }
    }
}
