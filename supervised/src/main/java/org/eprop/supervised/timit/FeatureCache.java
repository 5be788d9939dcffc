package org.eprop.supervised.timit;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import org.eprop.agent.run.ProgressBar;
import org.eprop.envs.supervised.SupervisedTask.Split;

/**
 * The features and frame labels of a corpus, computed once and kept on disk.
 *
 * <p>A cache file holds, for every utterance of the three splits, the raw features of
 * {@link SpeechFeatures} (double, before deltas and standardisation, which are cheap and done when
 * loading) and the 61-phone id of every frame. It is keyed by a SHA-256 of everything its contents
 * depend on: the format version, the corpus layout, every setting of the features, the label step,
 * and each utterance's split, id, relative file paths, sizes and modification times. The key's
 * first 16 hex digits name the file ({@code timit-<layout>-<kind>-<key>.bin}) and the whole key is
 * stored in it, so changed settings or a changed corpus find no file with their key and build a new
 * one; files of other settings stay (delete the folder to reclaim the space).
 *
 * <p>A file is written under a temporary name in the same folder and renamed into place once
 * complete and flushed to disk, so a crash or a concurrent reader never sees half a file; a file
 * that still fails to read (a damaged disk) is reported as {@link CorruptCacheException}.
 */
public final class FeatureCache {

    static final int FORMAT = 1;
    private static final byte[] MAGIC = "EPROPTIMIT".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] END = "END!".getBytes(StandardCharsets.US_ASCII);

    /** A cache file and whether this call built it. */
    public record Entry(Path file, boolean built) {
    }

    /** Receives the utterances of a cache file, in split and id order. */
    public interface Visitor {
        /**
         * One utterance. {@code features} ({@code frames x dims} row-major, in the first
         * {@code frames * dims} elements) and {@code labels} (61-phone ids, the first {@code frames})
         * are buffers reused for the next utterance: copy what must outlive the call.
         *
         * @return false to stop reading
         */
        boolean visit(Split split, String id, String speaker, int frames, int dims, double[] features, int[] labels)
                throws IOException;
    }

    /** A cache file that does not read back as this class wrote it. */
    public static final class CorruptCacheException extends TimitFormatException {
        private static final long serialVersionUID = 1L;

        CorruptCacheException(Path file, String message) {
            super(file, message + "; delete the file and it will be rebuilt");
        }
    }

    private FeatureCache() {
    }

    /** {@code ~/.eprop/cache/timit}: where the features are cached unless a run says otherwise. */
    public static Path defaultDirectory() {
        return Path.of(System.getProperty("user.home"), ".eprop", "cache", "timit");
    }

    /**
     * The cache file of {@code corpus} with these settings, built first if there is none.
     *
     * @param progress where the progress bar of a build is drawn; null for none
     */
    public static Entry ensure(TimitCorpus corpus, FeatureParams params, int labelHop, Path dir, PrintStream progress)
            throws IOException {
        String key = key(corpus, params, labelHop);
        Path file = dir.resolve("timit-" + corpus.layout().name().toLowerCase(Locale.ROOT).replace('_', '-') + "-"
                + params.kind().name().toLowerCase(Locale.ROOT) + "-" + key.substring(0, 16) + ".bin");
        if (isComplete(file, key)) {
            return new Entry(file, false);
        }
        build(corpus, params, labelHop, key, file, progress);
        return new Entry(file, true);
    }

    /** Streams the utterances of {@code file} to {@code visitor}: the train split first, then validation, then test. */
    public static void read(Path file, Visitor visitor) throws IOException {
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
            readHeader(file, in);
            double[] features = new double[0];
            int[] labels = new int[0];
            byte[] raw = new byte[0];
            int total = 0;
            for (Split expected : Split.values()) {
                int ordinal = in.readInt();
                int count = in.readInt();
                if (ordinal != expected.ordinal() || count < 0) {
                    throw new CorruptCacheException(file, "split " + ordinal + " with " + count
                            + " utterances where " + expected.id() + " was expected");
                }
                for (int u = 0; u < count; u++) {
                    String id = in.readUTF();
                    String speaker = in.readUTF();
                    int frames = in.readInt();
                    int dims = in.readInt();
                    if (frames <= 0 || dims <= 0 || (long) frames * dims > Integer.MAX_VALUE / 8) {
                        throw new CorruptCacheException(file, id + ": " + frames + " frames of " + dims + " values");
                    }
                    int n = frames * dims;
                    if (features.length < n) {
                        features = new double[n];
                        raw = new byte[8 * n];
                    }
                    if (labels.length < frames) {
                        labels = new int[frames];
                    }
                    in.readFully(raw, 0, 8 * n);
                    ByteBuffer.wrap(raw, 0, 8 * n).asDoubleBuffer().get(features, 0, n);
                    for (int t = 0; t < frames; t++) {
                        labels[t] = in.readUnsignedByte();
                        if (labels[t] >= PhoneSet.TIMIT_61.size()) {
                            throw new CorruptCacheException(file, id + ": label " + labels[t] + " is no phone id");
                        }
                    }
                    if (!visitor.visit(expected, id, speaker, frames, dims, features, labels)) {
                        return;
                    }
                    total++;
                }
            }
            if (in.readInt() != total || !matches(in, END)) {
                throw new CorruptCacheException(file, "no end marker after " + total + " utterances");
            }
        } catch (EOFException e) {
            throw new CorruptCacheException(file, "ends early");
        }
    }

    /**
     * The key: a SHA-256 over the format, the layout, the settings and every utterance's split, id,
     * files, sizes and modification times.
     */
    static String key(TimitCorpus corpus, FeatureParams params, int labelHop) throws IOException {
        StringBuilder sb = new StringBuilder();
        sb.append("eprop TIMIT feature cache, format ").append(FORMAT).append('\n');
        sb.append("layout ").append(corpus.layout()).append('\n');
        sb.append("features ").append(params.key()).append('\n');
        sb.append("label_hop ").append(labelHop).append('\n');
        for (Split s : Split.values()) {
            for (TimitCorpus.UtteranceFiles u : corpus.utterances(s)) {
                sb.append(s.id()).append(' ').append(u.id());
                for (Path f : new Path[] {u.audio(), u.phones()}) {
                    sb.append(' ').append(corpus.root().relativize(f).toString().replace('\\', '/')).append(' ')
                            .append(Files.size(f)).append(' ').append(Files.getLastModifiedTime(f).toMillis());
                }
                sb.append('\n');
            }
        }
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(sb.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK lacks SHA-256", e);
        }
    }

    private static boolean isComplete(Path file, String key) throws IOException {
        if (!Files.isRegularFile(file) || Files.size(file) < MAGIC.length + 8 + END.length) {
            return false;
        }
        try (DataInputStream in = new DataInputStream(new BufferedInputStream(Files.newInputStream(file)))) {
            if (!key.equals(readHeader(file, in))) {
                return false;
            }
        } catch (CorruptCacheException | EOFException e) {
            return false;
        }
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer tail = ByteBuffer.allocate(END.length);
            ch.read(tail, ch.size() - END.length);
            return java.util.Arrays.equals(tail.array(), END);
        }
    }

    /** Checks the magic and the format; returns the key. */
    private static String readHeader(Path file, DataInputStream in) throws IOException {
        if (!matches(in, MAGIC)) {
            throw new CorruptCacheException(file, "not an eprop TIMIT feature cache");
        }
        int format = in.readInt();
        if (format != FORMAT) {
            throw new CorruptCacheException(file, "cache format " + format + ", this version reads " + FORMAT);
        }
        return in.readUTF();
    }

    private static boolean matches(InputStream in, byte[] expected) throws IOException {
        byte[] b = in.readNBytes(expected.length);
        return java.util.Arrays.equals(b, expected);
    }

    private static void build(TimitCorpus corpus, FeatureParams params, int labelHop, String key, Path file,
            PrintStream progress) throws IOException {
        Files.createDirectories(file.getParent());
        Path tmp = Files.createTempFile(file.getParent(), file.getFileName() + ".", ".tmp");
        int total = 0;
        for (Split s : Split.values()) {
            total += corpus.utterances(s).size();
        }
        ProgressBar bar = progress == null ? null
                : new ProgressBar(progress, "timit features", 0, total, ProgressBar.isInteractive(), System::nanoTime);
        SpeechFeatures extractor = new SpeechFeatures(params);
        boolean done = false;
        try (FileOutputStream fos = new FileOutputStream(tmp.toFile());
                DataOutputStream out = new DataOutputStream(new BufferedOutputStream(fos, 1 << 16))) {
            out.write(MAGIC);
            out.writeInt(FORMAT);
            out.writeUTF(key);
            int written = 0;
            long frameCount = 0;
            ByteBuffer raw = ByteBuffer.allocate(0);
            for (Split s : Split.values()) {
                out.writeInt(s.ordinal());
                out.writeInt(corpus.utterances(s).size());
                for (TimitCorpus.UtteranceFiles u : corpus.utterances(s)) {
                    TimitCorpus.Recording r = TimitCorpus.read(u);
                    if (r.audio().sampleRate() != params.sampleRate()) {
                        throw new TimitFormatException(u.audio(), "sampled at " + r.audio().sampleRate()
                                + " Hz; the features are defined at " + params.sampleRate() + " Hz (TIMIT's rate)");
                    }
                    if (r.audio().samples().length == 0) {
                        throw new TimitFormatException(u.audio(), "holds no samples");
                    }
                    double[] f = extractor.compute(r.audio().samples());
                    int frames = extractor.frames(r.audio().samples().length);
                    int[] labels = FrameLabels.phones61(r.phones(), frames, labelHop, u.phones());
                    out.writeUTF(u.id());
                    out.writeUTF(u.dialect() + "/" + u.speaker());
                    out.writeInt(frames);
                    out.writeInt(extractor.dims());
                    if (raw.capacity() < 8 * f.length) {
                        raw = ByteBuffer.allocate(8 * f.length);
                    }
                    raw.clear();
                    raw.asDoubleBuffer().put(f);
                    out.write(raw.array(), 0, 8 * f.length);
                    for (int label : labels) {
                        out.writeByte(label);
                    }
                    written++;
                    frameCount += frames;
                    if (bar != null) {
                        bar.update(written, u.id());
                    }
                }
            }
            out.writeInt(written);
            out.write(END);
            out.flush();
            fos.getChannel().force(true);
            done = true;
            if (bar != null) {
                bar.finish(written + " utterances, " + frameCount + " frames -> " + file);
            }
        } finally {
            if (!done) {
                Files.deleteIfExists(tmp);
            }
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
