package org.eprop.supervised.timit;

import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Locale;

/**
 * The settings of python_speech_features' {@code mfcc} and {@code fbank} (version 0.6), the library
 * the original e-prop TIMIT code computes its features with. Frames are cut from the pre-emphasised
 * signal with a rectangular window, zero-padded at the end, transformed with an {@code nfft}-point
 * FFT, and their power spectrum {@code |X|^2 / nfft} goes through triangular mel filters.
 *
 * @param kind MFCC (cepstra, c0 replaced by the log frame energy) or FBANK (the linear filter-bank
 *     energies followed by the frame energy)
 * @param sampleRate samples per second
 * @param frameLength samples per frame (the 25 ms window: 400 at 16 kHz)
 * @param frameStep samples between frame starts (10 ms: 160)
 * @param nfft FFT length, at least {@code frameLength}
 * @param filters number of mel filters
 * @param cepstra number of cepstral coefficients kept (MFCC; 0 for FBANK)
 * @param preemphasis coefficient of {@code y[n] = x[n] - a x[n-1]}
 * @param lifter the sinusoidal lifter's L (MFCC; 0 disables it)
 */
public record FeatureParams(Kind kind, int sampleRate, int frameLength, int frameStep, int nfft, int filters,
        int cepstra, double preemphasis, int lifter) {

    /** The two feature types of the original code. */
    public enum Kind {
        /** 13 MFCCs (python_speech_features' defaults). */
        MFCC,
        /** 40 filter-bank energies and the frame energy: 41 values, linear. */
        FBANK
    }

    public FeatureParams {
        if (kind == null) {
            throw new IllegalArgumentException("kind must be MFCC or FBANK");
        }
        if (sampleRate <= 0 || frameLength <= 0 || frameStep <= 0 || filters <= 0) {
            throw new IllegalArgumentException("sample_rate, frame_length, frame_step and filters must be positive");
        }
        if (Integer.bitCount(nfft) != 1 || nfft < frameLength) {
            throw new IllegalArgumentException("nfft " + nfft + " must be a power of two of at least the frame length "
                    + frameLength + " (python_speech_features would truncate the frames)");
        }
        if (kind == Kind.MFCC && (cepstra <= 0 || cepstra > filters)) {
            throw new IllegalArgumentException("cepstra " + cepstra + " must be in [1, filters = " + filters + "]");
        }
        if (kind == Kind.FBANK && (cepstra != 0 || lifter != 0)) {
            throw new IllegalArgumentException("filter-bank features have no cepstra or lifter (set both to 0)");
        }
        if (lifter < 0 || !(preemphasis >= 0 && preemphasis < 1)) {
            throw new IllegalArgumentException("lifter must be >= 0 and preemphasis in [0, 1)");
        }
    }

    /**
     * {@code mfcc(signal, 16000, winlen=0.025, winstep=0.01)}: 13 cepstra from 26 filters, 512-point
     * FFT, pre-emphasis 0.97, lifter 22, c0 replaced by the log frame energy.
     */
    public static FeatureParams mfcc() {
        return new FeatureParams(Kind.MFCC, 16000, samples(0.025, 16000), samples(0.01, 16000), 512, 26, 13, 0.97,
                22);
    }

    /**
     * {@code fbank(signal, 16000, nfilt=40, winlen=0.025, winstep=0.01)} with the frame energy
     * appended: 41 values per frame, not logged (the original stores them so).
     */
    public static FeatureParams fbank41() {
        return new FeatureParams(Kind.FBANK, 16000, samples(0.025, 16000), samples(0.01, 16000), 512, 40, 0, 0.97, 0);
    }

    /** The defaults of {@code kind}: {@link #mfcc()} or {@link #fbank41()}. */
    public static FeatureParams of(Kind kind) {
        return kind == Kind.MFCC ? mfcc() : fbank41();
    }

    /**
     * A duration in samples as python_speech_features rounds it ({@code round_half_up(seconds * rate)},
     * on the double product: 0.025 * 16000 is 400.00000000000006 and gives 400).
     */
    public static int samples(double seconds, int rate) {
        return new BigDecimal(seconds * rate).setScale(0, RoundingMode.HALF_UP).intValueExact();
    }

    /** Values per frame: the cepstra, or the filters plus the frame energy. */
    public int dims() {
        return kind == Kind.MFCC ? cepstra : filters + 1;
    }

    /** Frames of a signal of {@code samples} samples: 1 up to one window, then one per started step. */
    public int frames(int samples) {
        if (samples <= frameLength) {
            return 1;
        }
        return 1 + (samples - frameLength + frameStep - 1) / frameStep;
    }

    /** Every setting, for cache keys. */
    public String key() {
        return String.format(Locale.ROOT, "%s rate=%d frame=%d step=%d nfft=%d filters=%d cepstra=%d preemph=%s "
                + "lifter=%d", kind, sampleRate, frameLength, frameStep, nfft, filters, cepstra,
                Double.toString(preemphasis), lifter);
    }
}
