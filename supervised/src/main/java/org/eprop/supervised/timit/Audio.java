package org.eprop.supervised.timit;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Mono 16-bit PCM audio, read from a NIST SPHERE file (the LDC distribution of TIMIT) or a RIFF/WAVE
 * file (distributions that converted the audio, and the NLTK sample). The format is recognised from
 * the first bytes, not from the file name: TIMIT's converted copies keep the {@code .WAV} name.
 *
 * @param samples the raw 16-bit sample values (the features are computed on them, unscaled)
 * @param sampleRate samples per second
 * @param format the container the samples came from
 */
public record Audio(short[] samples, int sampleRate, Format format) {

    /** The container of an audio file. */
    public enum Format {
        /** NIST SPHERE ({@code NIST_1A} header, 1,024 bytes in TIMIT). */
        SPHERE,
        /** RIFF/WAVE with a PCM {@code fmt } chunk. */
        RIFF
    }

    /** Reads {@code file}, whichever of the two formats it is in. */
    public static Audio read(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        if (startsWith(bytes, 0, "NIST_1A")) {
            return readSphere(file, bytes);
        }
        if (startsWith(bytes, 0, "RIFF") && startsWith(bytes, 8, "WAVE")) {
            return readRiff(file, bytes);
        }
        throw new TimitFormatException(file, "neither a NIST SPHERE file (header 'NIST_1A') nor a RIFF/WAVE file "
                + "(header 'RIFF....WAVE'); TIMIT audio must be one of the two (16-bit PCM, mono)");
    }

    /** The duration in seconds. */
    public double seconds() {
        return samples.length / (double) sampleRate;
    }

    private static Audio readSphere(Path file, byte[] bytes) throws IOException {
        // The header is ASCII: "NIST_1A\n", the header size in bytes, then "name -type value" lines
        // up to "end_head". Types: -i integer, -r real, -sN a string of N characters.
        int firstNewline = indexOf(bytes, (byte) '\n', 0, Math.min(bytes.length, 64));
        int secondNewline = firstNewline < 0 ? -1 : indexOf(bytes, (byte) '\n', firstNewline + 1,
                Math.min(bytes.length, 64));
        if (secondNewline < 0) {
            throw new TimitFormatException(file, "truncated NIST SPHERE header (no header size on the second line)");
        }
        int headerSize;
        try {
            headerSize = Integer.parseInt(new String(bytes, firstNewline + 1, secondNewline - firstNewline - 1,
                    StandardCharsets.US_ASCII).trim());
        } catch (NumberFormatException e) {
            throw new TimitFormatException(file, "NIST SPHERE header size is not a number");
        }
        if (headerSize < secondNewline + 1 || headerSize > bytes.length) {
            throw new TimitFormatException(file, "NIST SPHERE header size " + headerSize + " does not fit a file of "
                    + bytes.length + " bytes");
        }
        Map<String, String> fields = new HashMap<>();
        String header = new String(bytes, secondNewline + 1, headerSize - secondNewline - 1, StandardCharsets.US_ASCII);
        boolean ended = false;
        for (String line : header.split("\n")) {
            String l = line.strip();
            if (l.equals("end_head")) {
                ended = true;
                break;
            }
            if (l.isEmpty() || l.startsWith(";")) {
                continue;
            }
            String[] parts = l.split("\\s+", 3);
            if (parts.length < 3 || !parts[1].startsWith("-")) {
                throw new TimitFormatException(file, "malformed NIST SPHERE header line '" + l
                        + "' (expected 'name -type value')");
            }
            fields.put(parts[0], parts[2]);
        }
        if (!ended) {
            throw new TimitFormatException(file, "NIST SPHERE header has no 'end_head' within its " + headerSize
                    + " bytes");
        }
        String coding = fields.getOrDefault("sample_coding", "pcm").toLowerCase(Locale.ROOT);
        if (coding.contains("shorten") || coding.contains("wavpack") || coding.contains("shortpack")) {
            throw new TimitFormatException(file, "compressed NIST SPHERE audio (sample_coding " + coding
                    + "); decompress the corpus first, e.g. 'sph2pipe -f sph IN OUT' for each file, or convert to "
                    + "RIFF with 'sph2pipe -f wav'");
        }
        if (!coding.equals("pcm")) {
            throw new TimitFormatException(file, "NIST SPHERE sample_coding '" + coding
                    + "' is not supported (only 16-bit PCM)");
        }
        int channels = intField(file, fields, "channel_count", 1);
        int bytesPerSample = intField(file, fields, "sample_n_bytes", 2);
        if (channels != 1 || bytesPerSample != 2) {
            throw new TimitFormatException(file, "NIST SPHERE audio with " + channels + " channel(s) of "
                    + bytesPerSample + "-byte samples; only mono 16-bit PCM is supported");
        }
        int rate = intField(file, fields, "sample_rate", -1);
        if (rate <= 0) {
            throw new TimitFormatException(file, "NIST SPHERE header has no positive sample_rate");
        }
        String byteFormat = fields.getOrDefault("sample_byte_format", "01");
        ByteOrder order = switch (byteFormat) {
            case "01" -> ByteOrder.LITTLE_ENDIAN;
            case "10" -> ByteOrder.BIG_ENDIAN;
            default -> throw new TimitFormatException(file, "NIST SPHERE sample_byte_format '" + byteFormat
                    + "' is not 16-bit little ('01') or big ('10') endian");
        };
        int available = (bytes.length - headerSize) / 2;
        int count = intField(file, fields, "sample_count", available);
        if (count < 0 || count > available) {
            throw new TimitFormatException(file, "NIST SPHERE header announces " + count + " samples but the file "
                    + "holds " + available + " after its " + headerSize + "-byte header (truncated copy?)");
        }
        return new Audio(samples(bytes, headerSize, count, order), rate, Format.SPHERE);
    }

    private static int intField(Path file, Map<String, String> fields, String name, int fallback)
            throws TimitFormatException {
        String v = fields.get(name);
        if (v == null) {
            return fallback;
        }
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new TimitFormatException(file, "NIST SPHERE field " + name + " = '" + v + "' is not an integer");
        }
    }

    private static Audio readRiff(Path file, byte[] bytes) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int pos = 12;
        int rate = -1;
        boolean fmt = false;
        while (pos + 8 <= bytes.length) {
            String id = new String(bytes, pos, 4, StandardCharsets.US_ASCII);
            long size = Integer.toUnsignedLong(b.getInt(pos + 4));
            int body = pos + 8;
            if (id.equals("fmt ")) {
                if (size < 16 || body + 16 > bytes.length) {
                    throw new TimitFormatException(file, "RIFF 'fmt ' chunk too short");
                }
                int tag = Short.toUnsignedInt(b.getShort(body));
                int channels = Short.toUnsignedInt(b.getShort(body + 2));
                rate = b.getInt(body + 4);
                int bits = Short.toUnsignedInt(b.getShort(body + 14));
                // 0xFFFE (WAVE_FORMAT_EXTENSIBLE) carries PCM in its sub-format GUID, whose first two bytes are 1
                boolean pcm = tag == 1 || (tag == 0xFFFE && size >= 26 && body + 26 <= bytes.length
                        && b.getShort(body + 24) == 1);
                if (!pcm || channels != 1 || bits != 16) {
                    throw new TimitFormatException(file, "RIFF audio with format tag " + tag + ", " + channels
                            + " channel(s), " + bits + " bits; only mono 16-bit PCM is supported");
                }
                fmt = true;
            } else if (id.equals("data")) {
                if (!fmt) {
                    throw new TimitFormatException(file, "RIFF 'data' chunk before the 'fmt ' chunk");
                }
                long available = bytes.length - (long) body;
                if (size > available) {
                    throw new TimitFormatException(file, "RIFF 'data' chunk announces " + size + " bytes but the "
                            + "file holds " + available + " after it (truncated copy?)");
                }
                if (rate <= 0) {
                    throw new TimitFormatException(file, "RIFF sample rate " + rate + " is not positive");
                }
                return new Audio(samples(bytes, body, (int) (size / 2), ByteOrder.LITTLE_ENDIAN), rate, Format.RIFF);
            }
            pos = (int) Math.min(Integer.MAX_VALUE, body + size + (size & 1)); // chunks are padded to even sizes
        }
        throw new TimitFormatException(file, fmt ? "RIFF file without a 'data' chunk" : "RIFF file without a 'fmt ' chunk");
    }

    private static short[] samples(byte[] bytes, int offset, int count, ByteOrder order) {
        short[] s = new short[count];
        ByteBuffer.wrap(bytes, offset, count * 2).order(order).asShortBuffer().get(s);
        return s;
    }

    private static boolean startsWith(byte[] bytes, int offset, String magic) {
        if (bytes.length < offset + magic.length()) {
            return false;
        }
        for (int i = 0; i < magic.length(); i++) {
            if (bytes[offset + i] != (byte) magic.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    private static int indexOf(byte[] bytes, byte value, int from, int to) {
        for (int i = from; i < to; i++) {
            if (bytes[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
