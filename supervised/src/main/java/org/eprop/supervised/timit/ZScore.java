package org.eprop.supervised.timit;

import java.util.Arrays;

/**
 * Per-column standardisation {@code (x - mean) / max(std, 1e-10)} with the statistics of the training
 * split: population mean and standard deviation over all of its frames (numpy's {@code mean} and
 * {@code std}), the floor the original loader uses.
 */
public final class ZScore {

    /** The smallest standard deviation divided by (the original loader's epsilon). */
    public static final double STD_FLOOR = 1e-10;

    private final double[] mean;
    private final double[] std;

    public ZScore(double[] mean, double[] std) {
        if (mean.length != std.length) {
            throw new IllegalArgumentException("mean and std have different lengths");
        }
        this.mean = mean.clone();
        this.std = std.clone();
    }

    /** Number of columns. */
    public int dims() {
        return mean.length;
    }

    public double[] mean() {
        return mean.clone();
    }

    /** The standard deviations, before the floor. */
    public double[] std() {
        return std.clone();
    }

    /** Standardises the {@code frames x dims} row-major {@code in} into {@code out}. */
    public void apply(double[] in, int frames, float[] out) {
        int d = mean.length;
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < d; k++) {
                out[t * d + k] = (float) ((in[t * d + k] - mean[k]) / Math.max(std[k], STD_FLOOR));
            }
        }
    }

    /** As {@link #apply(double[], int, float[])}, in double precision. */
    public void apply(double[] in, int frames, double[] out) {
        int d = mean.length;
        for (int t = 0; t < frames; t++) {
            for (int k = 0; k < d; k++) {
                out[t * d + k] = (in[t * d + k] - mean[k]) / Math.max(std[k], STD_FLOOR);
            }
        }
    }

    /**
     * Gathers the statistics utterance by utterance. Each utterance's mean and sum of squared
     * deviations are computed in two passes and merged into the running ones by Chan et al.'s
     * pairwise update, all on values shifted by the first frame: a one-pass sum of squares would lose
     * the digits of columns whose mean is large against their spread (the linear filter-bank
     * energies), and the shift keeps the merge's mean differences at the scale of the spread too.
     */
    public static final class Accumulator {
        private final int dims;
        private final double[] shift;
        private final double[] mean;
        private final double[] m2;
        private final double[] uttMean;
        private long count;

        public Accumulator(int dims) {
            this.dims = dims;
            this.shift = new double[dims];
            this.mean = new double[dims];
            this.m2 = new double[dims];
            this.uttMean = new double[dims];
        }

        /** Adds the {@code frames x dims} row-major rows of {@code x}. */
        public void add(double[] x, int frames) {
            if (frames <= 0) {
                return;
            }
            if (count == 0) {
                System.arraycopy(x, 0, shift, 0, dims);
            }
            Arrays.fill(uttMean, 0);
            for (int t = 0; t < frames; t++) {
                for (int k = 0; k < dims; k++) {
                    uttMean[k] += x[t * dims + k] - shift[k];
                }
            }
            for (int k = 0; k < dims; k++) {
                uttMean[k] /= frames;
            }
            long n = count + frames;
            for (int k = 0; k < dims; k++) {
                double ss = 0;
                for (int t = 0; t < frames; t++) {
                    double dev = (x[t * dims + k] - shift[k]) - uttMean[k];
                    ss += dev * dev;
                }
                double delta = uttMean[k] - mean[k];
                mean[k] += delta * frames / n;
                m2[k] += ss + delta * delta * ((double) count * frames / n);
            }
            count = n;
        }

        /** Frames added so far. */
        public long count() {
            return count;
        }

        /** The statistics of everything added. */
        public ZScore finish() {
            if (count == 0) {
                throw new IllegalStateException("no frames to take statistics from (an empty training split)");
            }
            double[] m = new double[dims];
            double[] std = new double[dims];
            for (int k = 0; k < dims; k++) {
                m[k] = shift[k] + mean[k];
                std[k] = Math.sqrt(m2[k] / count);
            }
            return new ZScore(m, std);
        }
    }
}
