package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/**
 * The features against an independent numpy implementation of python_speech_features' algorithm
 * (src/test/python/make_timit_fixtures.py, which wrote the fixtures: rerun it from the repository
 * root to regenerate them).
 */
class SpeechFeaturesTest {

    /**
     * The largest error of {@code actual} against {@code expected}, relative to each expected value
     * but never to less than {@code floor} times its column's largest magnitude: the cepstra of the
     * silent frames are the DCT of a constant (log eps), 0 in exact arithmetic and ~1e-14 of
     * rounding in either implementation, and only their size against the column's matters.
     */
    static double maxError(double[][] expected, double[] actual, int dims, double floor) {
        double[] colMax = new double[dims];
        for (double[] row : expected) {
            for (int k = 0; k < dims; k++) {
                colMax[k] = Math.max(colMax[k], Math.abs(row[k]));
            }
        }
        double max = 0;
        for (int t = 0; t < expected.length; t++) {
            for (int k = 0; k < dims; k++) {
                double e = expected[t][k];
                double err = Math.abs(actual[t * dims + k] - e) / Math.max(Math.abs(e), floor * colMax[k]);
                max = Math.max(max, err);
            }
        }
        return max;
    }

    @ParameterizedTest
    @ValueSource(strings = {"mixed", "short", "two-frames"})
    void mfccAndFilterBanksEqualThePythonFixtures(String name) throws IOException {
        Audio audio = Audio.read(TimitTestFiles.fixture(name + ".wav"));
        assertEquals(16000, audio.sampleRate());
        for (FeatureParams p : new FeatureParams[] {FeatureParams.mfcc(), FeatureParams.fbank41()}) {
            String suffix = p.kind() == FeatureParams.Kind.MFCC ? ".mfcc.txt" : ".fbank41.txt";
            double[][] expected = TimitTestFiles.readMatrix(TimitTestFiles.fixture(name + suffix));
            SpeechFeatures f = new SpeechFeatures(p);
            double[] actual = f.compute(audio.samples());
            assertEquals(expected.length, f.frames(audio.samples().length), name + suffix + " frames");
            assertEquals(expected.length * p.dims(), actual.length);
            double relative = maxError(expected, actual, p.dims(), 1e-6);
            double againstScale = maxError(expected, actual, p.dims(), 1.0);
            System.out.printf("%s%s: %d frames, max relative error %.3g, max error / column scale %.3g%n", name,
                    suffix, expected.length, relative, againstScale);
            assertTrue(relative < 1e-8, name + suffix + ": max relative error " + relative);
        }
    }

    @Test
    void silentFramesTakeTheEpsilonBranchAsTheLibraryDoes() throws IOException {
        // mixed.wav is 0 at samples 4000-4999, so its pre-emphasised signal is 0 at 4001-4999:
        // frames 26-28 ([4160, 4560) to [4480, 4880)) lie inside, frames 25 and 29 do not
        double[] fb = new SpeechFeatures(FeatureParams.fbank41()).compute(
                Audio.read(TimitTestFiles.fixture("mixed.wav")).samples());
        for (int t = 25; t <= 29; t++) {
            for (int k = 0; k < 41; k++) {
                if (t == 25 || t == 29) {
                    assertTrue(fb[t * 41 + k] > SpeechFeatures.EPS, "frame " + t + " value " + k);
                } else {
                    assertEquals(SpeechFeatures.EPS, fb[t * 41 + k], "frame " + t + " value " + k);
                }
            }
        }
        assertEquals(2.220446049250313e-16, SpeechFeatures.EPS); // numpy.finfo(float).eps
    }

    @Test
    void filterEdgesEqualThePythonFixture() throws IOException {
        for (String line : Files.readAllLines(TimitTestFiles.fixture("filterbank-bins.txt"))) {
            if (line.startsWith("#")) {
                continue;
            }
            String[] parts = line.split(":");
            int nfilt = Integer.parseInt(parts[0].trim());
            int[] expected = Arrays.stream(parts[1].trim().split(" ")).mapToInt(Integer::parseInt).toArray();
            assertArrayEquals(expected, SpeechFeatures.filterBins(nfilt, 512, 16000), "nfilt " + nfilt);
        }
    }

    @Test
    void framingFollowsTheLibrary() {
        FeatureParams p = FeatureParams.mfcc();
        assertEquals(400, p.frameLength());
        assertEquals(160, p.frameStep());
        assertEquals(1, p.frames(1));
        assertEquals(1, p.frames(400));
        assertEquals(2, p.frames(401));
        assertEquals(2, p.frames(560));
        assertEquals(3, p.frames(561));
        // 1 + ceil((n - 400) / 160) for a TIMIT-length utterance
        assertEquals(1 + (int) Math.ceil((46797 - 400) / 160.0), p.frames(46797));
        assertEquals(400, FeatureParams.samples(0.025, 16000));
        assertEquals(3, FeatureParams.samples(2.5, 1)); // half up, not half even
    }

    @Test
    void theFrameEnergyIsTheOneSidedPowerSpectrumOfADirectDft() {
        // a check of the FFT packing independent of numpy: the 41st value is the sum over the 257
        // bins of |X_k|^2 / nfft, here with X_k from a direct DFT of the zero-padded frame
        short[] x = new short[400];
        for (int i = 0; i < x.length; i++) {
            x[i] = (short) Math.round(1000 * Math.cos(2 * Math.PI * 64 * i / 512.0));
        }
        FeatureParams p = new FeatureParams(FeatureParams.Kind.FBANK, 16000, 400, 160, 512, 40, 0, 0.0, 0);
        double[] f = new SpeechFeatures(p).compute(x);
        double parseval = 0;
        for (int k = 0; k <= 256; k++) {
            double re = 0;
            double im = 0;
            for (int n = 0; n < 400; n++) {
                re += x[n] * Math.cos(2 * Math.PI * k * n / 512.0);
                im -= x[n] * Math.sin(2 * Math.PI * k * n / 512.0);
            }
            parseval += (re * re + im * im) / 512;
        }
        assertEquals(parseval, f[40], 1e-9 * parseval);
    }

    @Test
    void computingAllocatesNothing() {
        short[] x = TimitTestFiles.signal(16000, 3);
        for (FeatureParams p : new FeatureParams[] {FeatureParams.mfcc(), FeatureParams.fbank41()}) {
            SpeechFeatures f = new SpeechFeatures(p);
            double[] out = new double[f.frames(x.length) * f.dims()];
            var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long least = Long.MAX_VALUE;
            for (int round = 0; round < 5; round++) { // warm up; take the least noisy round
                long a = threads.getCurrentThreadAllocatedBytes();
                f.compute(x, x.length, out);
                least = Math.min(least, threads.getCurrentThreadAllocatedBytes() - a);
            }
            assertTrue(least < 256, p.kind() + ": one second of audio allocated " + least + " bytes");
        }
    }

    @Test
    void badSettingsAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureParams(FeatureParams.Kind.MFCC, 16000, 400, 160, 256, 26, 13, 0.97, 22));
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureParams(FeatureParams.Kind.MFCC, 16000, 400, 160, 512, 26, 27, 0.97, 22));
        assertThrows(IllegalArgumentException.class,
                () -> new FeatureParams(FeatureParams.Kind.FBANK, 16000, 400, 160, 512, 40, 13, 0.97, 0));
        SpeechFeatures f = new SpeechFeatures(FeatureParams.mfcc());
        assertThrows(IllegalArgumentException.class, () -> f.compute(new short[0]));
        assertThrows(IllegalArgumentException.class, () -> f.compute(new short[1000], 1000, new double[13]));
    }
}
