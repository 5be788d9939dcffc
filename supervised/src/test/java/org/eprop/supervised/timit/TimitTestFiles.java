package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Files for the TIMIT tests: the fixtures made by src/test/python/make_timit_fixtures.py, writers of
 * synthetic RIFF and SPHERE audio and {@code .PHN} files, and the NLTK TIMIT sample where present.
 *
 * <p>The sample is not part of the repository. It is looked for in {@code timit-sample} under the
 * folder named by the system property {@code eprop.shared.data} or the environment variable
 * {@code EPROP_SHARED_DATA}, else under {@code shared/data} in the module folder (surefire's working
 * folder) or any folder above it, which finds {@code ../shared/data} next to the repository root.
 * Tests that need it are skipped, saying where it was looked for, when it is absent.
 */
final class TimitTestFiles {

    private TimitTestFiles() {
    }

    /** A fixture file of the Python script. */
    static Path fixture(String name) {
        try {
            var url = TimitTestFiles.class.getResource("fixtures/" + name);
            if (url == null) {
                throw new IllegalStateException("fixture " + name + " is missing; run "
                        + "python3 supervised/src/test/python/make_timit_fixtures.py");
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    /** A whitespace-separated matrix, one row per line, '#' lines skipped. */
    static double[][] readMatrix(Path file) {
        try {
            List<double[]> rows = new ArrayList<>();
            for (String line : Files.readAllLines(file)) {
                if (line.isBlank() || line.startsWith("#")) {
                    continue;
                }
                String[] f = line.trim().split("\\s+");
                double[] row = new double[f.length];
                for (int i = 0; i < f.length; i++) {
                    row[i] = Double.parseDouble(f[i]);
                }
                rows.add(row);
            }
            return rows.toArray(new double[0][]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The NLTK TIMIT sample, or a skipped test. */
    static Path sample() {
        List<Path> tried = new ArrayList<>();
        String configured = System.getProperty("eprop.shared.data", System.getenv("EPROP_SHARED_DATA"));
        if (configured != null && !configured.isBlank()) {
            tried.add(Path.of(configured).resolve("timit-sample"));
        } else {
            for (Path d = Path.of("").toAbsolutePath(); d != null; d = d.getParent()) {
                tried.add(d.resolve("shared").resolve("data").resolve("timit-sample"));
            }
        }
        for (Path p : tried) {
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        assumeTrue(false, "TIMIT sample not found (looked in " + tried + "); set EPROP_SHARED_DATA or "
                + "-Deprop.shared.data to the folder holding timit-sample/ to run the tests on real speech");
        return null;
    }

    /** A mono 16-bit RIFF file with a LIST chunk before the data, as some converters write. */
    static void writeRiff(Path file, short[] samples, int rate) throws IOException {
        byte[] list = "LIST\u0005\u0000\u0000\u0000INFOx\u0000".getBytes(StandardCharsets.ISO_8859_1); // odd size, padded
        ByteBuffer b = ByteBuffer.allocate(12 + 24 + list.length + 8 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(b.capacity() - 8).put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(rate).putInt(2 * rate).putShort((short) 2).putShort((short) 16);
        b.put(list);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples.length);
        for (short s : samples) {
            b.putShort(s);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
    }

    /** A NIST SPHERE file as the LDC distributes TIMIT: a 1,024-byte header, then the samples. */
    static void writeSphere(Path file, short[] samples, int rate, ByteOrder order, String... extraFields)
            throws IOException {
        StringBuilder h = new StringBuilder("NIST_1A\n   1024\n");
        h.append("database_id -s5 TIMIT\n");
        h.append("utterance_id -s8 aks0_sa1\n");
        h.append("channel_count -i 1\n");
        h.append("sample_count -i ").append(samples.length).append('\n');
        h.append("sample_rate -i ").append(rate).append('\n');
        h.append("sample_min -i -2191\nsample_max -i 2790\n");
        h.append("sample_n_bytes -i 2\n");
        h.append("sample_byte_format -s2 ").append(order == ByteOrder.LITTLE_ENDIAN ? "01" : "10").append('\n');
        h.append("sample_sig_bits -i 16\n");
        for (String f : extraFields) {
            h.append(f).append('\n');
        }
        h.append("end_head\n");
        byte[] header = new byte[1024];
        java.util.Arrays.fill(header, (byte) ' ');
        byte[] text = h.toString().getBytes(StandardCharsets.US_ASCII);
        System.arraycopy(text, 0, header, 0, text.length);
        ByteBuffer b = ByteBuffer.allocate(1024 + 2 * samples.length).order(order);
        b.put(header);
        for (short s : samples) {
            b.putShort(s);
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, b.array());
    }

    /** A {@code .PHN} (or {@code .WRD}) file: {@code start end label} lines. */
    static void writeSegments(Path file, Object... startEndLabel) throws IOException {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < startEndLabel.length; i += 3) {
            sb.append(startEndLabel[i]).append(' ').append(startEndLabel[i + 1]).append(' ')
                    .append(startEndLabel[i + 2]).append('\n');
        }
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.writeString(file, sb.toString());
    }

    /** A deterministic test signal: a few sines and a pseudo-random part, {@code n} samples. */
    static short[] signal(int n, long seed) {
        short[] s = new short[n];
        java.util.Random r = new java.util.Random(seed);
        for (int i = 0; i < n; i++) {
            double t = i / 16000.0;
            s[i] = (short) Math.round(3000 * Math.sin(2 * Math.PI * 300 * t) + 1200 * Math.sin(2 * Math.PI * 2100 * t)
                    + 500 * r.nextGaussian());
        }
        return s;
    }
}
