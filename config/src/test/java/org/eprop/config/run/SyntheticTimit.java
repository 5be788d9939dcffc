package org.eprop.config.run;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

/**
 * A tiny synthetic TIMIT corpus in the NLTK sample's layout ({@code dr<N>-<speaker>/<sentence>.wav}
 * and {@code .phn}), so that a TIMIT run can be tested end to end without the corpus. The supervised
 * module's TIMIT fixtures (TimitCorpora, TimitTestFiles) are test classes of that module and not on
 * this module's classpath; this is the least of them that a run needs: 16-bit mono RIFF audio and
 * phone segments. The NLTK split is by dialect region: dr1-dr6 train, dr7 validates, dr8 tests.
 */
final class SyntheticTimit {
    private SyntheticTimit() {
    }

    /**
     * Writes {@code train} training utterances (two per speaker) and one validation and one test
     * utterance, each 0.2 to 0.3 s long, into {@code root}; returns {@code root}.
     */
    static Path write(Path root, int train) throws IOException {
        String[] phones = {"sh", "iy", "hh", "ae", "dcl", "d", "ix", "s", "ah", "n"};
        for (int i = 0; i < train + 2; i++) {
            String speaker = i < train ? "dr" + (1 + (i / 2) % 6) + "-spk" + (i / 2) + "0"
                    : i == train ? "dr7-fval0" : "dr8-mtst0";
            int n = 3200 + 331 * (i % 5); // 200 to 283 ms: batches mix lengths
            Random r = new Random(100 + i);
            short[] x = new short[n];
            for (int k = 0; k < n; k++) {
                double t = k / 16000.0;
                x[k] = (short) Math.round(3000 * Math.sin(2 * Math.PI * (200 + 40 * i) * t)
                        + 1200 * Math.sin(2 * Math.PI * 2100 * t) + 500 * r.nextGaussian());
            }
            Path dir = Files.createDirectories(root.resolve(speaker));
            String sentence = "si" + (10 + i);
            Files.write(dir.resolve(sentence + ".wav"), riff(x));
            // h# then contiguous phones of 40 to 80 ms, ending with h#
            StringBuilder phn = new StringBuilder("0 800 h#\n");
            int start = 800;
            for (int p = i; start < n - 800; p++) {
                int end = Math.min(n - 800, start + 640 + 160 * (p % 3));
                phn.append(start).append(' ').append(end).append(' ').append(phones[p % phones.length]).append('\n');
                start = end;
            }
            phn.append(start).append(' ').append(n).append(" h#\n");
            Files.writeString(dir.resolve(sentence + ".phn"), phn);
        }
        return root;
    }

    /** A 16 kHz mono 16-bit RIFF file. */
    private static byte[] riff(short[] samples) {
        ByteBuffer b = ByteBuffer.allocate(44 + 2 * samples.length).order(ByteOrder.LITTLE_ENDIAN);
        b.put("RIFF".getBytes(StandardCharsets.US_ASCII)).putInt(b.capacity() - 8)
                .put("WAVE".getBytes(StandardCharsets.US_ASCII));
        b.put("fmt ".getBytes(StandardCharsets.US_ASCII)).putInt(16).putShort((short) 1).putShort((short) 1)
                .putInt(16000).putInt(32000).putShort((short) 2).putShort((short) 16);
        b.put("data".getBytes(StandardCharsets.US_ASCII)).putInt(2 * samples.length);
        for (short s : samples) {
            b.putShort(s);
        }
        return b.array();
    }
}
