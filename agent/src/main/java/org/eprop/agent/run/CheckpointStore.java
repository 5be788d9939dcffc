package org.eprop.agent.run;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The checkpoints of a run: {@code ckpt-<iteration, 9 digits>.bin} files in one directory, a
 * {@code latest} file naming the newest one, and at most {@code keep} of them kept.
 *
 * <p>Why this order of steps in {@link #save}: the checkpoint file is written atomically first,
 * then the {@code latest} pointer is replaced atomically, and only then are old checkpoints
 * deleted. A kill between any two steps leaves a complete, loadable checkpoint that
 * {@link #latest()} finds, so a run never has to start over.
 *
 * <p>Why a fallback in {@link #latest()}: if the file that {@code latest} names is damaged or gone
 * (or {@code latest} itself is missing or garbled), the run is resumed from the newest checkpoint
 * that still reads correctly, and the files that were passed over are logged and reported in
 * {@link Loaded#skipped()}. Only when checkpoints exist and none of them can be read does it fail,
 * rather than silently starting the run over.
 */
public final class CheckpointStore {
    /** The name of the pointer file. */
    public static final String LATEST = "latest";

    private static final Logger LOG = LoggerFactory.getLogger(CheckpointStore.class);
    private static final Pattern CHECKPOINT = Pattern.compile("ckpt-(\\d{9,18})\\.bin");

    /**
     * A checkpoint read back: its iteration, contents and file, and the files passed over before
     * it was found (each "file: reason"), empty when {@code latest} pointed to a valid file.
     */
    public record Loaded(long iteration, Checkpoint checkpoint, Path file, List<String> skipped) {
        public Loaded {
            skipped = List.copyOf(skipped);
        }

        /** Whether this is not the checkpoint {@code latest} pointed to. */
        public boolean fellBack() {
            return !skipped.isEmpty();
        }
    }

    private final Path dir;
    private final int keep;

    /**
     * @param dir the directory of the checkpoints; created on the first {@link #save}
     * @param keep how many of the most recent checkpoints to keep, at least 1
     */
    public CheckpointStore(Path dir, int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("keep must be at least 1, got " + keep);
        }
        this.dir = dir;
        this.keep = keep;
    }

    public Path dir() {
        return dir;
    }

    public int keep() {
        return keep;
    }

    /** {@code ckpt-000000120.bin} for iteration 120. */
    public static String fileName(long iteration) {
        if (iteration < 0) {
            throw new IllegalArgumentException("checkpoint iterations are non-negative, got " + iteration);
        }
        return String.format(Locale.ROOT, "ckpt-%09d.bin", iteration);
    }

    /**
     * Saves the checkpoint of {@code iteration}: writes its file atomically, points {@code latest}
     * to it, then deletes all but the {@code keep} most recent checkpoints. Checkpoints of later
     * iterations than this one are deleted too: they belong to the interrupted run that this one
     * resumed (from an earlier checkpoint) and replaces. Stale temporary files of earlier kills are
     * swept. Returns the checkpoint file.
     */
    public Path save(long iteration, Checkpoint checkpoint) throws IOException {
        String name = fileName(iteration);
        Path file = dir.resolve(name);
        CheckpointFormat.write(file, checkpoint);
        AtomicFiles.writeString(dir.resolve(LATEST), name + "\n");
        prune(iteration);
        return file;
    }

    /**
     * The checkpoint to resume from: the one {@code latest} names, or, if that cannot be read, the
     * newest one that can. Empty when the directory holds no checkpoint and no pointer.
     *
     * @throws IOException if checkpoints (or a pointer) exist but none can be read
     */
    public Optional<Loaded> latest() throws IOException {
        if (!Files.isDirectory(dir)) {
            return Optional.empty();
        }
        List<String> skipped = new ArrayList<>();
        Path pointer = dir.resolve(LATEST);
        Path tried = null;
        boolean hadPointer = Files.exists(pointer);
        if (hadPointer) {
            String target = Files.readString(pointer, StandardCharsets.UTF_8).strip();
            Matcher m = CHECKPOINT.matcher(target);
            if (!m.matches()) {
                skipped.add(pointer + ": does not name a checkpoint file ('" + abbreviate(target) + "')");
            } else {
                tried = dir.resolve(target);
                Optional<Loaded> loaded = tryLoad(tried, Long.parseLong(m.group(1)), skipped);
                if (loaded.isPresent()) {
                    return loaded;
                }
            }
        }
        List<Path> files = checkpointFiles();
        if (!hadPointer && !files.isEmpty()) {
            skipped.add(pointer + ": missing (killed before the first pointer was written?)");
        }
        for (Path f : files) {
            if (f.equals(tried)) {
                continue;
            }
            Optional<Loaded> loaded = tryLoad(f, iterationOf(f), skipped);
            if (loaded.isPresent()) {
                LOG.warn("resuming from {} instead of the checkpoint named by {}: {}", f, pointer,
                        String.join("; ", skipped));
                return loaded;
            }
        }
        if (!hadPointer && files.isEmpty()) {
            return Optional.empty();
        }
        throw new IOException("no readable checkpoint in " + dir + ": " + String.join("; ", skipped));
    }

    /** The iterations of the checkpoint files present, newest first. */
    public List<Long> iterations() throws IOException {
        List<Long> its = new ArrayList<>();
        for (Path f : checkpointFiles()) {
            its.add(iterationOf(f));
        }
        return its;
    }

    private Optional<Loaded> tryLoad(Path file, long iteration, List<String> skipped) {
        try {
            return Optional.of(new Loaded(iteration, CheckpointFormat.read(file), file, skipped));
        } catch (NoSuchFileException e) {
            skipped.add(file + ": missing");
        } catch (CorruptCheckpointException e) {
            skipped.add(e.getMessage());
        } catch (IOException e) {
            skipped.add(file + ": unreadable (" + e + ")");
        }
        return Optional.empty();
    }

    private void prune(long saved) throws IOException {
        List<Path> files = checkpointFiles();
        int kept = 0;
        for (Path f : files) {
            long it = iterationOf(f);
            if (it > saved) {
                LOG.info("deleting {}: it is newer than the checkpoint just saved (iteration {}) and belongs to "
                        + "the interrupted run this one replaces", f, saved);
                Files.deleteIfExists(f);
            } else if (kept < keep) {
                kept++;
            } else {
                Files.deleteIfExists(f);
            }
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            for (Path f : all) {
                String n = f.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(AtomicFiles.TEMP_SUFFIX)
                        && (n.startsWith(".ckpt-") || AtomicFiles.isTempFileOf(n, LATEST))) {
                    Files.deleteIfExists(f); // left by a write that a kill interrupted
                }
            }
        }
    }

    /** The checkpoint files in the directory, newest iteration first. */
    private List<Path> checkpointFiles() throws IOException {
        List<Path> files = new ArrayList<>();
        if (!Files.isDirectory(dir)) {
            return files;
        }
        try (DirectoryStream<Path> all = Files.newDirectoryStream(dir)) {
            for (Path f : all) {
                if (CHECKPOINT.matcher(f.getFileName().toString()).matches() && Files.isRegularFile(f)) {
                    files.add(f);
                }
            }
        }
        files.sort(Comparator.comparingLong(CheckpointStore::iterationOf).reversed());
        return files;
    }

    private static long iterationOf(Path file) {
        Matcher m = CHECKPOINT.matcher(file.getFileName().toString());
        if (!m.matches()) {
            throw new IllegalArgumentException("not a checkpoint file name: " + file);
        }
        return Long.parseLong(m.group(1));
    }

    private static String abbreviate(String s) {
        return s.length() <= 60 ? s : s.substring(0, 60) + "...";
    }
}
