package org.eprop.supervised.timit;

import org.jtransforms.fft.DoubleFFT_1D;

/**
 * MFCC and filter-bank features computed as python_speech_features 0.6 computes them (its
 * {@code mfcc} and {@code fbank}, with the settings of a {@link FeatureParams}), in double precision.
 *
 * <p>Per frame: pre-emphasis {@code y[n] = x[n] - a x[n-1]} (with {@code y[0] = x[0]}) of the raw
 * 16-bit values, the frame's {@code frameLength} samples (zeros past the end of the signal) padded
 * to {@code nfft}, the power spectrum {@code |rfft|^2 / nfft}, the frame energy (its sum) and the
 * triangular mel filters on the bins {@code floor((nfft + 1) mel2hz(m) / rate)} of {@code filters + 2}
 * points equally spaced in mel from 0 to {@code rate / 2}. Zero energies become the double epsilon, as
 * in the library. MFCC: the log filter energies, an orthonormal DCT-II, the first {@code cepstra}
 * coefficients, the lifter {@code 1 + (L/2) sin(pi n / L)}, and c0 replaced by the log frame
 * energy. FBANK: the filter energies and then the frame energy, linear.
 *
 * <p>One instance holds the FFT plan and the frame buffers, so {@link #compute(short[], int, double[])}
 * allocates nothing; it is not thread-safe (use one per thread).
 */
public final class SpeechFeatures {

    /** What python_speech_features substitutes for a zero energy before taking logs ({@code numpy.finfo(float).eps}). */
    static final double EPS = Math.ulp(1.0);

    private final FeatureParams p;
    private final DoubleFFT_1D fft;
    private final double[] frame;
    private final double[] power;
    private final double[] filterOut;
    private final int[] binStart;
    private final double[][] weights;
    private final double[] dct;
    private final double[] lift;

    public SpeechFeatures(FeatureParams params) {
        this.p = params;
        this.fft = new DoubleFFT_1D(p.nfft());
        this.frame = new double[p.nfft()];
        this.power = new double[p.nfft() / 2 + 1];
        this.filterOut = new double[p.filters()];
        int[] bins = filterBins(p.filters(), p.nfft(), p.sampleRate());
        this.binStart = new int[p.filters()];
        this.weights = new double[p.filters()][];
        for (int j = 0; j < p.filters(); j++) {
            int lo = bins[j];
            int mid = bins[j + 1];
            int hi = bins[j + 2];
            binStart[j] = lo;
            double[] w = new double[Math.max(0, hi - lo)];
            for (int i = lo; i < mid; i++) {
                w[i - lo] = (i - lo) / (double) (mid - lo);
            }
            for (int i = mid; i < hi; i++) {
                w[i - lo] = (hi - i) / (double) (hi - mid);
            }
            weights[j] = w;
        }
        if (p.kind() == FeatureParams.Kind.MFCC) {
            int n = p.filters();
            dct = new double[p.cepstra() * n];
            for (int k = 0; k < p.cepstra(); k++) {
                double scale = Math.sqrt((k == 0 ? 1.0 : 2.0) / n);
                for (int i = 0; i < n; i++) {
                    dct[k * n + i] = scale * Math.cos(Math.PI * k * (2 * i + 1) / (2.0 * n));
                }
            }
            lift = new double[p.cepstra()];
            for (int k = 0; k < lift.length; k++) {
                lift[k] = p.lifter() > 0 ? 1 + (p.lifter() / 2.0) * Math.sin(Math.PI * k / p.lifter()) : 1;
            }
        } else {
            dct = null;
            lift = null;
        }
    }

    public FeatureParams params() {
        return p;
    }

    /** Values per frame. */
    public int dims() {
        return p.dims();
    }

    /** Frames of a signal of {@code samples} samples. */
    public int frames(int samples) {
        return p.frames(samples);
    }

    /** The features of {@code samples}, {@code frames x dims} row-major, in a new array. */
    public double[] compute(short[] samples) {
        double[] out = new double[frames(samples.length) * dims()];
        compute(samples, samples.length, out);
        return out;
    }

    /**
     * The features of the first {@code length} samples into {@code out} ({@code frames(length) x dims},
     * row-major, from index 0).
     */
    public void compute(short[] samples, int length, double[] out) {
        if (length <= 0) {
            throw new IllegalArgumentException("no samples to compute features of");
        }
        if (length > samples.length) {
            throw new IllegalArgumentException("length " + length + " exceeds the " + samples.length + " samples");
        }
        int frames = frames(length);
        int dims = dims();
        if (out.length < frames * dims) {
            throw new IllegalArgumentException("output holds " + out.length + " values, " + frames + " x " + dims
                    + " needed");
        }
        double a = p.preemphasis();
        int nfft = p.nfft();
        for (int t = 0; t < frames; t++) {
            int first = t * p.frameStep();
            for (int i = 0; i < p.frameLength(); i++) {
                int n = first + i;
                // the library pads the pre-emphasised signal, so samples past the end are zero
                frame[i] = n >= length ? 0 : n == 0 ? samples[0] : samples[n] - a * samples[n - 1];
            }
            java.util.Arrays.fill(frame, p.frameLength(), nfft, 0.0);
            fft.realForward(frame);
            // realForward packs Re[0], Re[n/2], then Re[k], Im[k] for 0 < k < n/2
            power[0] = frame[0] * frame[0] / nfft;
            power[nfft / 2] = frame[1] * frame[1] / nfft;
            for (int k = 1; k < nfft / 2; k++) {
                double re = frame[2 * k];
                double im = frame[2 * k + 1];
                power[k] = (re * re + im * im) / nfft;
            }
            double energy = 0;
            for (double v : power) {
                energy += v;
            }
            if (energy == 0) {
                energy = EPS;
            }
            for (int j = 0; j < filterOut.length; j++) {
                double[] w = weights[j];
                int lo = binStart[j];
                double s = 0;
                for (int i = 0; i < w.length; i++) {
                    s += w[i] * power[lo + i];
                }
                filterOut[j] = s == 0 ? EPS : s;
            }
            int row = t * dims;
            if (dct == null) {
                System.arraycopy(filterOut, 0, out, row, filterOut.length);
                out[row + filterOut.length] = energy;
            } else {
                for (int j = 0; j < filterOut.length; j++) {
                    filterOut[j] = Math.log(filterOut[j]);
                }
                int n = filterOut.length;
                for (int k = 0; k < p.cepstra(); k++) {
                    double c = 0;
                    for (int i = 0; i < n; i++) {
                        c += dct[k * n + i] * filterOut[i];
                    }
                    out[row + k] = c * lift[k];
                }
                out[row] = Math.log(energy); // appendEnergy: c0 is the log frame energy
            }
        }
    }

    /**
     * The {@code nfilt + 2} FFT-bin edges of the mel filters: {@code floor((nfft + 1) hz / rate)} of
     * points equally spaced in mel ({@code 2595 log10(1 + hz / 700)}) from 0 Hz to {@code rate / 2},
     * spaced as {@code numpy.linspace} spaces them.
     */
    static int[] filterBins(int nfilt, int nfft, int rate) {
        double low = hzToMel(0);
        double high = hzToMel(rate / 2.0);
        int n = nfilt + 2;
        double step = (high - low) / (n - 1);
        int[] bins = new int[n];
        for (int i = 0; i < n; i++) {
            double mel = i == n - 1 ? high : i * step + low; // linspace sets the last point to the end exactly
            bins[i] = (int) Math.floor((nfft + 1) * melToHz(mel) / rate);
        }
        return bins;
    }

    static double hzToMel(double hz) {
        return 2595 * Math.log10(1 + hz / 700.0);
    }

    static double melToHz(double mel) {
        return 700 * (Math.pow(10, mel / 2595.0) - 1);
    }
}
