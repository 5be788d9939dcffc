package org.eprop.agent.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;

/**
 * The binary form of a {@link Checkpoint}, with a checksum so that a damaged file is never loaded.
 *
 * <p>Why a checksum: a resumed run must either continue from exactly the state that was saved or
 * refuse to start; a silently damaged weight matrix would make it diverge without telling anyone.
 * Atomic writes already rule out half-written files from kills; the CRC also catches truncation by
 * other means (a copy cut short, a full disk) and bit flips.
 *
 * <p>Layout, all integers big-endian:
 * <pre>
 *   magic    8 bytes  "EPROPCKP"
 *   version  int32    1
 *   count    int32    number of entries
 *   count times:
 *     nameLen  int32    length of the name in UTF-8 bytes
 *     name     nameLen bytes, UTF-8
 *     type     int8     1 double[], 2 float[], 3 long[], 4 int[], 5 String
 *     length   int32    number of elements (String: number of UTF-8 bytes)
 *     data     length elements of 8/4/8/4/1 bytes; floating point as raw IEEE 754 bits
 *   crc      int32    CRC-32 of every byte before it
 * </pre>
 * A file is at most 2 GiB (one Java array).
 */
public final class CheckpointFormat {
    static final byte[] MAGIC = "EPROPCKP".getBytes(StandardCharsets.US_ASCII);
    static final int VERSION = 1;
    private static final int MIN_SIZE = MAGIC.length + 4 + 4 + 4;

    private CheckpointFormat() {
    }

    /** Writes {@code checkpoint} to {@code file} atomically (see {@link AtomicFiles}). */
    public static void write(Path file, Checkpoint checkpoint) throws IOException {
        AtomicFiles.write(file, encode(checkpoint));
    }

    /**
     * Reads a checkpoint file.
     *
     * @throws CorruptCheckpointException naming the file if it is truncated, corrupted or not a checkpoint
     * @throws java.nio.file.NoSuchFileException if it does not exist
     */
    public static Checkpoint read(Path file) throws IOException {
        return decode(Files.readAllBytes(file), file);
    }

    public static byte[] encode(Checkpoint checkpoint) {
        long size = MIN_SIZE;
        for (String name : checkpoint.names()) {
            Object v = checkpoint.raw(name);
            size += 4 + name.getBytes(StandardCharsets.UTF_8).length + 1 + 4 + dataBytes(v);
        }
        if (size > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("checkpoint of " + size + " bytes is larger than the 2 GiB a file may hold");
        }
        byte[] out = new byte[(int) size];
        ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.BIG_ENDIAN);
        b.put(MAGIC).putInt(VERSION).putInt(checkpoint.names().size());
        for (String name : checkpoint.names()) {
            Object v = checkpoint.raw(name);
            byte[] nameBytes = name.getBytes(StandardCharsets.UTF_8);
            b.putInt(nameBytes.length).put(nameBytes).put(Checkpoint.typeOf(v).code);
            if (v instanceof double[]) {
                double[] a = (double[]) v;
                b.putInt(a.length);
                b.asDoubleBuffer().put(a);
                b.position(b.position() + 8 * a.length);
            } else if (v instanceof float[]) {
                float[] a = (float[]) v;
                b.putInt(a.length);
                b.asFloatBuffer().put(a);
                b.position(b.position() + 4 * a.length);
            } else if (v instanceof long[]) {
                long[] a = (long[]) v;
                b.putInt(a.length);
                b.asLongBuffer().put(a);
                b.position(b.position() + 8 * a.length);
            } else if (v instanceof int[]) {
                int[] a = (int[]) v;
                b.putInt(a.length);
                b.asIntBuffer().put(a);
                b.position(b.position() + 4 * a.length);
            } else {
                byte[] s = ((String) v).getBytes(StandardCharsets.UTF_8);
                b.putInt(s.length).put(s);
            }
        }
        CRC32 crc = new CRC32();
        crc.update(out, 0, b.position());
        b.putInt((int) crc.getValue());
        return out;
    }

    /**
     * Decodes the bytes of a checkpoint file; {@code file} only names the source in errors.
     *
     * @throws CorruptCheckpointException if the bytes are truncated, corrupted or not a checkpoint
     */
    public static Checkpoint decode(byte[] data, Path file) throws CorruptCheckpointException {
        for (int i = 0; i < Math.min(data.length, MAGIC.length); i++) {
            if (data[i] != MAGIC[i]) {
                throw new CorruptCheckpointException(file, "not a checkpoint file (bad magic bytes)");
            }
        }
        if (data.length < MIN_SIZE) {
            throw new CorruptCheckpointException(file, "truncated: " + data.length + " bytes, fewer than the "
                    + MIN_SIZE + " of an empty checkpoint");
        }
        ByteBuffer b = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        int body = data.length - 4;
        CRC32 crc = new CRC32();
        crc.update(data, 0, body);
        int stored = b.getInt(body);
        if (stored != (int) crc.getValue()) {
            throw new CorruptCheckpointException(file, String.format(
                    "CRC mismatch (stored %08x, computed %08x): the file is truncated or corrupted (%d bytes)",
                    stored, (int) crc.getValue(), data.length));
        }
        b.limit(body);
        b.position(MAGIC.length);
        int version = b.getInt();
        if (version != VERSION) {
            throw new CorruptCheckpointException(file, "format version " + version + ", this reader knows " + VERSION);
        }
        int count = b.getInt();
        if (count < 0) {
            throw new CorruptCheckpointException(file, "negative entry count " + count);
        }
        Checkpoint.Builder builder = Checkpoint.builder();
        for (int e = 0; e < count; e++) {
            int nameLen = length(b, 1, file, "name of entry " + e);
            byte[] nameBytes = new byte[nameLen];
            b.get(nameBytes);
            String name = new String(nameBytes, StandardCharsets.UTF_8);
            need(b, 1, file, "type of entry '" + name + "'");
            byte code = b.get();
            Checkpoint.Type type = Checkpoint.Type.ofCode(code);
            if (type == null) {
                throw new CorruptCheckpointException(file, "unknown type " + code + " of entry '" + name + "'");
            }
            Object value;
            switch (type) {
                case DOUBLES -> {
                    double[] a = new double[length(b, 8, file, "entry '" + name + "'")];
                    b.asDoubleBuffer().get(a);
                    b.position(b.position() + 8 * a.length);
                    value = a;
                }
                case FLOATS -> {
                    float[] a = new float[length(b, 4, file, "entry '" + name + "'")];
                    b.asFloatBuffer().get(a);
                    b.position(b.position() + 4 * a.length);
                    value = a;
                }
                case LONGS -> {
                    long[] a = new long[length(b, 8, file, "entry '" + name + "'")];
                    b.asLongBuffer().get(a);
                    b.position(b.position() + 8 * a.length);
                    value = a;
                }
                case INTS -> {
                    int[] a = new int[length(b, 4, file, "entry '" + name + "'")];
                    b.asIntBuffer().get(a);
                    b.position(b.position() + 4 * a.length);
                    value = a;
                }
                default -> {
                    byte[] s = new byte[length(b, 1, file, "entry '" + name + "'")];
                    b.get(s);
                    value = new String(s, StandardCharsets.UTF_8);
                }
            }
            try {
                builder.add(name, value);
            } catch (IllegalArgumentException ex) {
                throw new CorruptCheckpointException(file, ex.getMessage());
            }
        }
        if (b.hasRemaining()) {
            throw new CorruptCheckpointException(file, b.remaining() + " unexpected bytes after the last entry");
        }
        return builder.build();
    }

    /** Reads an element count and checks that that many elements of {@code width} bytes follow. */
    private static int length(ByteBuffer b, int width, Path file, String what) throws CorruptCheckpointException {
        need(b, 4, file, "length of " + what);
        int n = b.getInt();
        if (n < 0 || (long) n * width > b.remaining()) {
            throw new CorruptCheckpointException(file, "length " + n + " of " + what + " runs past the end of the data");
        }
        return n;
    }

    private static void need(ByteBuffer b, int bytes, Path file, String what) throws CorruptCheckpointException {
        if (b.remaining() < bytes) {
            throw new CorruptCheckpointException(file, "data ends inside the " + what);
        }
    }

    private static long dataBytes(Object v) {
        if (v instanceof double[]) {
            return 8L * ((double[]) v).length;
        } else if (v instanceof float[]) {
            return 4L * ((float[]) v).length;
        } else if (v instanceof long[]) {
            return 8L * ((long[]) v).length;
        } else if (v instanceof int[]) {
            return 4L * ((int[]) v).length;
        }
        return ((String) v).getBytes(StandardCharsets.UTF_8).length;
    }
}
