package org.eprop.supervised.timit;

/**
 * One utterance ready for a network: {@code frames x inputs} standardised features (one row per
 * 10 ms frame) and one class label per frame.
 *
 * <p>Features are kept in float: the three splits of the full corpus are about 1.3 million frames,
 * with filter banks and deltas 123 values each, 0.64 GB in float against 1.3 GB in double; they are
 * computed and standardised in double before this one rounding.
 */
public final class Utterance {
    private final String id;
    private final String speaker;
    private final int frames;
    private final int inputs;
    private final float[] features;
    private final int[] labels;

    /**
     * @param features {@code frames x inputs}, row-major; kept, not copied
     * @param labels {@code frames} class ids; kept, not copied
     */
    public Utterance(String id, String speaker, int frames, int inputs, float[] features, int[] labels) {
        if (frames <= 0 || inputs <= 0 || features.length != frames * inputs || labels.length != frames) {
            throw new IllegalArgumentException(id + ": " + features.length + " features and " + labels.length
                    + " labels for " + frames + " frames of " + inputs + " inputs");
        }
        this.id = id;
        this.speaker = speaker;
        this.frames = frames;
        this.inputs = inputs;
        this.features = features;
        this.labels = labels;
    }

    /** {@code <dialect>/<speaker>/<sentence>}, e.g. {@code dr1/fcjf0/si1027}. */
    public String id() {
        return id;
    }

    /** {@code <dialect>/<speaker>}. */
    public String speaker() {
        return speaker;
    }

    public int frames() {
        return frames;
    }

    public int inputs() {
        return inputs;
    }

    /** Feature {@code k} of frame {@code t}. */
    public float feature(int t, int k) {
        return features[t * inputs + k];
    }

    /** The class of frame {@code t}. */
    public int label(int t) {
        return labels[t];
    }

    /** Copies frame {@code t}'s features into {@code dst} from {@code offset}. */
    public void copyFrame(int t, float[] dst, int offset) {
        System.arraycopy(features, t * inputs, dst, offset, inputs);
    }

    /** A copy of all features, {@code frames x inputs} row-major. */
    public float[] features() {
        return features.clone();
    }

    /** A copy of the labels. */
    public int[] labels() {
        return labels.clone();
    }

    @Override
    public String toString() {
        return id + " (" + frames + " frames)";
    }
}
