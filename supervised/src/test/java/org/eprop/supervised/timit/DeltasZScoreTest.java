package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class DeltasZScoreTest {

    @Test
    void deltasAsTheOriginalLoader() {
        double[] v = {1, 10, 2, 20, 4, 40, 8, 80}; // 4 frames x 2
        double[] out = new double[4 * 6];
        Deltas.append(v, 4, 2, out);
        // by hand: d = v[t+1] - v[t-1] inside, 0 at the ends; dd the same of d
        assertArrayEquals(new double[] {
            1, 10, 0, 0, 0, 0,
            2, 20, 3, 30, 6, 60,
            4, 40, 6, 60, -3, -30,
            8, 80, 0, 0, 0, 0}, out);
        double[] one = new double[3];
        Deltas.append(new double[] {5}, 1, 1, one);
        assertArrayEquals(new double[] {5, 0, 0}, one);
        double[] two = new double[6];
        Deltas.append(new double[] {5, 7}, 2, 1, two);
        assertArrayEquals(new double[] {5, 0, 0, 7, 0, 0}, two);
    }

    /** Training statistics and the standardised features against the numpy fixture. */
    @Test
    void zScoringEqualsTheFixture() throws IOException {
        SpeechFeatures fb = new SpeechFeatures(FeatureParams.fbank41());
        ZScore.Accumulator acc = new ZScore.Accumulator(123);
        for (String train : new String[] {"mixed", "two-frames"}) {
            short[] x = Audio.read(TimitTestFiles.fixture(train + ".wav")).samples();
            acc.add(withDeltas(fb, x), fb.frames(x.length));
        }
        ZScore z = acc.finish();
        double[] mean = TimitTestFiles.readMatrix(TimitTestFiles.fixture("zscore-mean.txt"))[0];
        double[] std = TimitTestFiles.readMatrix(TimitTestFiles.fixture("zscore-std.txt"))[0];
        double meanErr = 0;
        double stdErr = 0;
        for (int k = 0; k < 123; k++) {
            // a delta column's mean is a small difference of large values: measure it against the std
            meanErr = Math.max(meanErr, Math.abs(z.mean()[k] - mean[k]) / std[k]);
            stdErr = Math.max(stdErr, Math.abs(Math.max(z.std()[k], ZScore.STD_FLOOR) - std[k]) / std[k]);
        }
        short[] x = Audio.read(TimitTestFiles.fixture("short.wav")).samples();
        double[] scored = new double[123];
        z.apply(withDeltas(fb, x), 1, scored);
        double[] expected = TimitTestFiles.readMatrix(TimitTestFiles.fixture("zscore-short.txt"))[0];
        double valueErr = 0;
        for (int k = 0; k < 123; k++) {
            valueErr = Math.max(valueErr, Math.abs(scored[k] - expected[k]) / Math.max(1, Math.abs(expected[k])));
        }
        System.out.printf("z-score: mean error %.3g std, std error %.3g relative, standardised values %.3g%n", meanErr,
                stdErr, valueErr);
        assertTrue(meanErr < 1e-12 && stdErr < 1e-12 && valueErr < 1e-12, meanErr + " " + stdErr + " " + valueErr);
        float[] single = new float[123];
        z.apply(withDeltas(fb, x), 1, single);
        for (int k = 0; k < 123; k++) {
            assertEquals((float) scored[k], single[k]);
        }
    }

    private static double[] withDeltas(SpeechFeatures f, short[] x) {
        double[] base = f.compute(x);
        int frames = f.frames(x.length);
        double[] out = new double[frames * 3 * f.dims()];
        Deltas.append(base, frames, f.dims(), out);
        return out;
    }

    @Test
    void mergedStatisticsKeepTheDigitsOfLargeColumns() {
        // 1e6 + N(0, 1) in utterances of different lengths, against exact (BigDecimal) statistics:
        // a one-pass sum of squares would keep only about 1e-3 of the variance's digits here
        Random r = new Random(7);
        int dims = 2;
        ZScore.Accumulator acc = new ZScore.Accumulator(dims);
        List<Double> all = new ArrayList<>();
        for (int u = 0; u < 10; u++) {
            int frames = 50 + 10 * u;
            double[] x = new double[frames * dims];
            for (int t = 0; t < frames; t++) {
                x[t * dims] = 1e6 + r.nextGaussian();
                x[t * dims + 1] = 5; // constant: std 0, the floor keeps the division finite
                all.add(x[t * dims]);
            }
            acc.add(x, frames);
        }
        assertEquals(all.size(), acc.count());
        MathContext mc = MathContext.DECIMAL128;
        BigDecimal n = BigDecimal.valueOf(all.size());
        BigDecimal sum = BigDecimal.ZERO;
        for (double v : all) {
            sum = sum.add(new BigDecimal(v));
        }
        BigDecimal mean = sum.divide(n, mc);
        BigDecimal ss = BigDecimal.ZERO;
        for (double v : all) {
            BigDecimal d = new BigDecimal(v).subtract(mean);
            ss = ss.add(d.multiply(d));
        }
        double std = ss.divide(n, mc).sqrt(mc).doubleValue();
        ZScore z = acc.finish();
        assertEquals(mean.doubleValue(), z.mean()[0], 1e-15 * 1e6);
        assertEquals(std, z.std()[0], 1e-12 * std);
        assertEquals(0.0, z.std()[1]);
        double[] out = new double[2];
        z.apply(new double[] {1e6 + 2, 5}, 1, out);
        assertEquals(0.0, out[1]);
        assertEquals(new BigDecimal(1e6 + 2).subtract(mean).doubleValue() / std, out[0], 1e-9);
    }
}
