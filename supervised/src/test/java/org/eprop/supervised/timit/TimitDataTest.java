package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.supervised.SupervisedTask.Split;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimitDataTest {

    @TempDir
    Path tmp;
    Path root;
    Path cache;
    List<TimitCorpora.Made> made;

    @BeforeEach
    void corpus() throws IOException {
        root = tmp.resolve("corpus");
        cache = tmp.resolve("cache");
        made = TimitCorpora.write(root);
    }

    private TimitCorpora.Made made(Utterance u) {
        return made.stream().filter(m -> u.id().equals(m.speakerFolder().replace('-', '/') + "/" + m.sentence()))
                .findFirst().orElseThrow();
    }

    /** Features with deltas computed here from the samples, without the pipeline's classes past SpeechFeatures. */
    private static double[][] rows(SpeechFeatures f, short[] x, boolean deltas) {
        double[] base = f.compute(x);
        int frames = f.frames(x.length);
        int d = f.dims();
        double[][] out = new double[frames][deltas ? 3 * d : d];
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < d; k++) {
                out[t][k] = base[t * d + k];
            }
        }
        if (deltas) {
            for (int t = 1; t < frames - 1; t++) {
                for (int k = 0; k < d; k++) {
                    out[t][d + k] = out[t + 1][k] - out[t - 1][k];
                }
            }
            for (int t = 1; t < frames - 1; t++) {
                for (int k = 0; k < d; k++) {
                    out[t][2 * d + k] = out[t + 1][d + k] - out[t - 1][d + k];
                }
            }
        }
        return out;
    }

    @Test
    void standardisedWithTrainingStatistics() throws IOException {
        for (TimitSettings s : List.of(TimitSettings.defaults(),
                TimitSettings.defaults().withFeatures(FeatureParams.Kind.FBANK),
                TimitSettings.defaults().withFeatures(FeatureParams.Kind.FBANK).withDeltas(false))) {
            TimitData data = TimitData.load(root, s, cache, null);
            int inputs = s.inputs();
            assertEquals(inputs, data.inputs());
            SpeechFeatures f = new SpeechFeatures(s.featureParams());
            // the training statistics, by a plain two-pass over all training frames
            List<double[]> train = new ArrayList<>();
            for (Utterance u : data.utterances(Split.TRAIN)) {
                train.addAll(List.of(rows(f, made(u).samples(), s.deltas())));
            }
            double[] mean = new double[inputs];
            double[] std = new double[inputs];
            for (double[] r : train) {
                for (int k = 0; k < inputs; k++) {
                    mean[k] += r[k] / train.size();
                }
            }
            for (double[] r : train) {
                for (int k = 0; k < inputs; k++) {
                    std[k] += (r[k] - mean[k]) * (r[k] - mean[k]) / train.size();
                }
            }
            double maxErr = 0;
            for (Split split : Split.values()) {
                for (Utterance u : data.utterances(split)) {
                    double[][] raw = rows(f, made(u).samples(), s.deltas());
                    assertEquals(raw.length, u.frames());
                    for (int t = 0; t < u.frames(); t++) {
                        for (int k = 0; k < inputs; k++) {
                            double expected = (raw[t][k] - mean[k]) / Math.max(Math.sqrt(std[k]), 1e-10);
                            maxErr = Math.max(maxErr, Math.abs(u.feature(t, k) - expected) / Math.max(1, Math.abs(expected)));
                        }
                    }
                }
            }
            System.out.printf("%s deltas=%s: %d inputs, max error %.3g (float storage)%n", s.features(), s.deltas(),
                    inputs, maxErr);
            assertTrue(maxErr < 1e-6, "max error " + maxErr);
        }
    }

    @Test
    void labelsInEitherPhoneSetAndWithTheDrift() throws IOException {
        TimitData p61 = TimitData.load(root, TimitSettings.defaults(), cache, null);
        TimitData p39 = TimitData.load(root, TimitSettings.defaults().withPhones(39), cache, null);
        TimitData drift = TimitData.load(root, TimitSettings.defaults().withOriginalLabelDrift(true), cache, null);
        assertEquals(PhoneSet.TIMIT_39, p39.phones());
        int[] fold = PhoneSet.foldIds();
        boolean drifted = false;
        for (Split split : Split.values()) {
            assertEquals(p61.utterances(split).size(), p39.utterances(split).size());
            for (int i = 0; i < p61.utterances(split).size(); i++) {
                Utterance a = p61.utterances(split).get(i);
                Utterance b = p39.utterances(split).get(i);
                Utterance c = drift.utterances(split).get(i);
                TimitCorpora.Made m = made(a);
                // label of frame k: the phone that covers sample 160 k + 159 (161 k + 160 with the drift)
                List<Segment> segs = TimitCorpora.segments(m);
                for (int t = 0; t < a.frames(); t++) {
                    assertEquals(PhoneSet.TIMIT_61.id(covering(segs, 160 * t + 159)), a.label(t), a.id() + " " + t);
                    assertEquals(fold[a.label(t)], b.label(t), b.id() + " " + t);
                    assertEquals(PhoneSet.TIMIT_61.id(covering(segs, 161 * t + 160)), c.label(t), c.id() + " " + t);
                    drifted |= a.label(t) != c.label(t);
                }
                assertArrayEquals(a.features(), b.features());
            }
        }
        assertTrue(drifted);
    }

    /** The phone covering {@code sample}, h# past the last segment. */
    private static String covering(List<Segment> segs, int sample) {
        for (Segment s : segs) {
            if (s.start() <= sample && sample < s.end()) {
                return s.label();
            }
        }
        return "h#";
    }

    @Test
    void sizesAndTheCacheOnlyOnce() throws IOException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        PrintStream out = new PrintStream(progress, true, StandardCharsets.UTF_8);
        TimitData data = TimitData.load(root, TimitSettings.defaults(), cache, out);
        assertEquals(3, data.utterances(Split.TRAIN).size());
        assertEquals(2, data.utterances(Split.VALIDATION).size());
        assertEquals(1, data.utterances(Split.TEST).size());
        assertEquals(new SpeechFeatures(FeatureParams.mfcc()).frames(6100), data.maxFrames());
        assertEquals("dr1/faaa0/si1", data.utterances(Split.TRAIN).get(0).id());
        assertEquals("dr1/faaa0", data.utterances(Split.TRAIN).get(0).speaker());
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("timit features done"));
        progress.reset();
        TimitData again = TimitData.load(root, TimitSettings.defaults(), cache, out);
        assertEquals("", progress.toString(StandardCharsets.UTF_8));
        assertEquals(data.cacheFile(), again.cacheFile());
        assertArrayEquals(data.zscore().mean(), again.zscore().mean());
    }

    @Test
    void aDamagedCacheIsRebuilt() throws IOException {
        TimitData data = TimitData.load(root, TimitSettings.defaults(), cache, null);
        byte[] b = Files.readAllBytes(data.cacheFile());
        b[10 + 4 + 2 + 64 + 3] = 1; // the first split's ordinal: validation where train belongs
        Files.write(data.cacheFile(), b);
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        TimitData again = TimitData.load(root, TimitSettings.defaults(), cache,
                new PrintStream(progress, true, StandardCharsets.UTF_8));
        assertTrue(progress.toString(StandardCharsets.UTF_8).contains("rebuilding"), progress.toString());
        assertArrayEquals(data.utterances(Split.TEST).get(0).features(), again.utterances(Split.TEST).get(0).features());
    }

    @Test
    void anEmptyTrainingSplitIsRefused() throws IOException {
        for (String speaker : List.of("dr1-faaa0", "dr3-mbbb0")) {
            try (var files = Files.list(root.resolve(speaker))) {
                for (Path p : files.toList()) {
                    Files.delete(p);
                }
            }
            Files.delete(root.resolve(speaker));
        }
        TimitFormatException e = assertThrows(TimitFormatException.class,
                () -> TimitData.load(root, TimitSettings.defaults(), cache, null));
        assertTrue(e.getMessage().contains("the training split is empty"), e.getMessage());
        assertFalse(Files.exists(cache));
    }

    @Test
    void settingsAreChecked() {
        assertThrows(IllegalArgumentException.class, () -> TimitSettings.defaults().withPhones(48));
        assertEquals(39, TimitSettings.defaults().inputs());
        assertEquals(123, TimitSettings.defaults().withFeatures(FeatureParams.Kind.FBANK).inputs());
        assertEquals(41, TimitSettings.defaults().withFeatures(FeatureParams.Kind.FBANK).withDeltas(false).inputs());
        assertEquals(13, TimitSettings.defaults().withDeltas(false).inputs());
        assertEquals(161, TimitSettings.defaults().withOriginalLabelDrift(true).labelHop());
    }
}
