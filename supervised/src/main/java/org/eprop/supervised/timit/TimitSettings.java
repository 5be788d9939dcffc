package org.eprop.supervised.timit;

/**
 * What the TIMIT data of a run is made of.
 *
 * @param features MFCC (13 per frame) or FBANK (41 per frame), computed as python_speech_features does
 * @param deltas whether deltas and delta-deltas are appended (as the original loader does: 39 or 123
 *     inputs)
 * @param phones the label classes, 61 (the {@code .PHN} symbols) or 39 (the folded scoring set)
 * @param originalLabelDrift label frames of 161 samples as in the original code (one sample of drift
 *     per frame against the 160-sample feature step) instead of 160
 */
public record TimitSettings(FeatureParams.Kind features, boolean deltas, int phones, boolean originalLabelDrift) {

    public TimitSettings {
        if (features == null) {
            throw new IllegalArgumentException("features must be MFCC or FBANK");
        }
        if (phones != 61 && phones != 39) {
            throw new IllegalArgumentException("phones = " + phones + ": expected 61 or 39");
        }
    }

    /** MFCC with deltas (39 inputs), 61 phone classes, labels aligned with the features. */
    public static TimitSettings defaults() {
        return new TimitSettings(FeatureParams.Kind.MFCC, true, 61, false);
    }

    public TimitSettings withFeatures(FeatureParams.Kind kind) {
        return new TimitSettings(kind, deltas, phones, originalLabelDrift);
    }

    public TimitSettings withDeltas(boolean on) {
        return new TimitSettings(features, on, phones, originalLabelDrift);
    }

    public TimitSettings withPhones(int classes) {
        return new TimitSettings(features, deltas, classes, originalLabelDrift);
    }

    public TimitSettings withOriginalLabelDrift(boolean on) {
        return new TimitSettings(features, deltas, phones, on);
    }

    /** The python_speech_features settings of {@link #features()}. */
    public FeatureParams featureParams() {
        return FeatureParams.of(features);
    }

    /** Inputs per frame: 13 or 41, times 3 with deltas. */
    public int inputs() {
        return featureParams().dims() * (deltas ? 3 : 1);
    }

    /** Samples per label frame: 160, or the original's 161. */
    public int labelHop() {
        return originalLabelDrift ? FrameLabels.ORIGINAL_DRIFT_HOP : FrameLabels.HOP;
    }

    public PhoneSet phoneSet() {
        return PhoneSet.of(phones);
    }
}
