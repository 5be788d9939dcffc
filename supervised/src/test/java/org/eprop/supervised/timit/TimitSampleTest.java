package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.eprop.envs.supervised.SupervisedTask.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The pipeline on the NLTK TIMIT sample (skipped without it; see {@link TimitTestFiles#sample()}). */
class TimitSampleTest {

    @TempDir
    Path tmp;

    @Test
    void loadsTheSample() throws IOException {
        Path sample = TimitTestFiles.sample();
        TimitData data = TimitData.load(sample, TimitSettings.defaults(), tmp, null);
        assertEquals(96, data.utterances(Split.TRAIN).size());
        assertEquals(16, data.utterances(Split.VALIDATION).size());
        assertEquals(16, data.utterances(Split.TEST).size());
        assertEquals(39, data.inputs());
        // the training split is standardised by its own statistics: every column has mean 0, std 1
        double[] sum = new double[39];
        double[] sq = new double[39];
        long frames = 0;
        for (Utterance u : data.utterances(Split.TRAIN)) {
            for (int t = 0; t < u.frames(); t++) {
                for (int k = 0; k < 39; k++) {
                    sum[k] += u.feature(t, k);
                    sq[k] += (double) u.feature(t, k) * u.feature(t, k);
                }
            }
            frames += u.frames();
        }
        for (int k = 0; k < 39; k++) {
            assertEquals(0, sum[k] / frames, 1e-5, "column " + k);
            assertEquals(1, Math.sqrt(sq[k] / frames), 1e-5, "column " + k);
        }
        // labels against the phone covering each frame's last sample, read here from the .phn files
        TimitCorpus corpus = data.corpus();
        for (Split s : Split.values()) {
            for (int i = 0; i < corpus.utterances(s).size(); i++) {
                TimitCorpus.UtteranceFiles f = corpus.utterances(s).get(i);
                Utterance u = data.utterances(s).get(i);
                assertEquals(f.id(), u.id());
                List<Segment> segs = Transcripts.readSegments(f.phones());
                for (int t = 0; t < u.frames(); t++) {
                    String expected = "h#";
                    for (Segment seg : segs) {
                        if (seg.start() <= 160 * t + 159 && 160 * t + 159 < seg.end()) {
                            expected = seg.label();
                        }
                    }
                    assertEquals(expected, PhoneSet.TIMIT_61.name(u.label(t)), u.id() + " frame " + t);
                }
            }
        }
    }

    /** Real speech through the Java features and the independent numpy implementation. */
    @Test
    void featuresOfRealSpeechEqualTheNumpyImplementation() throws Exception {
        Path sample = TimitTestFiles.sample();
        assumeTrue(pythonWithNumpy(), "python3 with numpy not found; skipping the comparison on real speech");
        TimitCorpus corpus = TimitCorpus.open(sample);
        List<TimitCorpus.UtteranceFiles> picked = List.of(corpus.utterances(Split.TRAIN).get(0),
                corpus.utterances(Split.VALIDATION).get(5), corpus.utterances(Split.TEST).get(15));
        List<String> cmd = new ArrayList<>(List.of("python3", Path.of("src/test/python/make_timit_fixtures.py")
                .toAbsolutePath().toString(), "--out", tmp.toString(), "--wav"));
        for (TimitCorpus.UtteranceFiles u : picked) {
            cmd.add(u.audio().toString());
        }
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, output);
        for (TimitCorpus.UtteranceFiles u : picked) {
            short[] x = Audio.read(u.audio()).samples();
            for (FeatureParams params : new FeatureParams[] {FeatureParams.mfcc(), FeatureParams.fbank41()}) {
                String suffix = params.kind() == FeatureParams.Kind.MFCC ? ".mfcc.txt" : ".fbank41.txt";
                double[][] expected = TimitTestFiles.readMatrix(tmp.resolve(u.sentence() + suffix));
                double[] actual = new SpeechFeatures(params).compute(x);
                assertEquals(expected.length * params.dims(), actual.length, u.id());
                double err = SpeechFeaturesTest.maxError(expected, actual, params.dims(), 1e-6);
                System.out.printf("%s%s: %d frames, max relative error %.3g%n", u.id(), suffix, expected.length, err);
                assertTrue(err < 1e-8, u.id() + suffix + ": " + err);
            }
        }
    }

    private static boolean pythonWithNumpy() {
        try {
            Process p = new ProcessBuilder("python3", "-c", "import numpy").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
