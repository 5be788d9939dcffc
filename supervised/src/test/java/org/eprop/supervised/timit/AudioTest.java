package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AudioTest {

    @TempDir
    Path tmp;

    @Test
    void readsSphereInBothByteOrders() throws IOException {
        short[] x = {0, 1, -1, 32767, -32768, 1234, -4321};
        for (ByteOrder order : new ByteOrder[] {ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN}) {
            Path f = tmp.resolve("SI1027-" + order + ".WAV");
            TimitTestFiles.writeSphere(f, x, 16000, order);
            assertEquals(1024 + 2 * x.length, Files.size(f));
            Audio a = Audio.read(f);
            assertEquals(Audio.Format.SPHERE, a.format());
            assertEquals(16000, a.sampleRate());
            assertArrayEquals(x, a.samples(), order.toString());
        }
    }

    @Test
    void sphereSampleCountLimitsTheSamples() throws IOException {
        // trailing bytes after the announced samples (padding) are not audio
        Path f = tmp.resolve("pad.wav");
        TimitTestFiles.writeSphere(f, new short[] {5, 6, 7}, 16000, ByteOrder.LITTLE_ENDIAN);
        byte[] b = Files.readAllBytes(f);
        Files.write(f, Arrays.copyOf(b, b.length + 4));
        assertArrayEquals(new short[] {5, 6, 7}, Audio.read(f).samples());
    }

    @Test
    void readsRiffPastOtherChunks() throws IOException {
        short[] x = TimitTestFiles.signal(1001, 1);
        Path f = tmp.resolve("sx116.wav");
        TimitTestFiles.writeRiff(f, x, 16000);
        Audio a = Audio.read(f);
        assertEquals(Audio.Format.RIFF, a.format());
        assertEquals(16000, a.sampleRate());
        assertArrayEquals(x, a.samples());
    }

    @Test
    void theSameSamplesGiveTheSameFeaturesInEitherContainer() throws IOException {
        short[] x = Audio.read(TimitTestFiles.fixture("mixed.wav")).samples();
        Path sph = tmp.resolve("mixed.sph");
        TimitTestFiles.writeSphere(sph, x, 16000, ByteOrder.BIG_ENDIAN);
        SpeechFeatures f = new SpeechFeatures(FeatureParams.mfcc());
        assertArrayEquals(f.compute(x), f.compute(Audio.read(sph).samples()));
    }

    @Test
    void badFilesNameTheFileAndTheFix() throws IOException {
        Path text = tmp.resolve("notes.wav");
        Files.writeString(text, "hello");
        assertMessage(text, "neither a NIST SPHERE file", "notes.wav");

        Path shorten = tmp.resolve("SA1.WAV");
        TimitTestFiles.writeSphere(shorten, new short[10], 16000, ByteOrder.LITTLE_ENDIAN,
                "sample_coding -s26 pcm,embedded-shorten-v2.00");
        assertMessage(shorten, "compressed NIST SPHERE", "sph2pipe");

        Path stereo = tmp.resolve("stereo.wav");
        TimitTestFiles.writeSphere(stereo, new short[10], 16000, ByteOrder.LITTLE_ENDIAN, "channel_count -i 2");
        assertMessage(stereo, "2 channel(s)", "mono 16-bit");

        Path truncated = tmp.resolve("cut.wav");
        TimitTestFiles.writeSphere(truncated, new short[100], 16000, ByteOrder.LITTLE_ENDIAN);
        byte[] b = Files.readAllBytes(truncated);
        Files.write(truncated, Arrays.copyOf(b, b.length - 10));
        assertMessage(truncated, "announces 100 samples but the file holds 95", "truncated");

        Path riffCut = tmp.resolve("cut-riff.wav");
        TimitTestFiles.writeRiff(riffCut, new short[100], 16000);
        b = Files.readAllBytes(riffCut);
        Files.write(riffCut, Arrays.copyOf(b, b.length - 10));
        assertMessage(riffCut, "'data' chunk announces 200 bytes", "truncated");

        Path eightBit = tmp.resolve("8bit.wav");
        ByteBuffer h = ByteBuffer.allocate(44).order(ByteOrder.LITTLE_ENDIAN);
        h.put("RIFF".getBytes()).putInt(36).put("WAVE".getBytes()).put("fmt ".getBytes()).putInt(16)
                .putShort((short) 1).putShort((short) 1).putInt(16000).putInt(16000).putShort((short) 1)
                .putShort((short) 8).put("data".getBytes()).putInt(0);
        Files.write(eightBit, h.array());
        assertMessage(eightBit, "8 bits", "only mono 16-bit PCM");
    }

    private static void assertMessage(Path file, String... parts) {
        TimitFormatException e = assertThrows(TimitFormatException.class, () -> Audio.read(file));
        assertEquals(file, e.file());
        for (String p : parts) {
            assertTrue(e.getMessage().contains(p), e.getMessage());
        }
        assertTrue(e.getMessage().startsWith(file.toString()), e.getMessage());
    }

    /** Every audio file of the NLTK sample: RIFF, 16 kHz, 44-byte header, phones ending near the end. */
    @Test
    void readsTheNltkSample() throws IOException {
        Path sample = TimitTestFiles.sample();
        List<Path> wavs;
        try (Stream<Path> s = Files.walk(sample)) {
            wavs = s.filter(p -> p.toString().endsWith(".wav")).sorted().toList();
        }
        assertEquals(160, wavs.size());
        int maxUnlabelled = 0;
        for (Path w : wavs) {
            Audio a = Audio.read(w);
            assertEquals(Audio.Format.RIFF, a.format(), w.toString());
            assertEquals(16000, a.sampleRate(), w.toString());
            assertEquals((Files.size(w) - 44) / 2, a.samples().length, w.toString());
            List<Segment> phones = Transcripts.readSegments(Path.of(w.toString().replace(".wav", ".phn")));
            int end = phones.get(phones.size() - 1).end();
            assertTrue(end <= a.samples().length + 1, w + ": phones end at " + end);
            maxUnlabelled = Math.max(maxUnlabelled, a.samples().length - end);
        }
        assertEquals(2802, maxUnlabelled); // dr3-madc0/si1367, as the sample's README says
    }
}
