package org.eprop.learning.conv;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * Where the learning signals of the conv units come from in {@link CnnTraining#EPROP} mode.
 *
 * <ul>
 *   <li>{@link Source#SHORTCUT}: the layer's own pooled-spike connection to the heads,
 *       {@code L_j(t) = avgpool^T(dE/d pooled)(t)_j}. This is e-prop's learning signal proper
 *       ({@code dE/dz_j(t)} along the direct path to the outputs, docs/model.md §2.1), with symmetric
 *       feedback: the shortcut is each conv unit's only direct path to the outputs.</li>
 *   <li>{@link Source#RANDOM}: a fixed random matrix {@code B [units][nOut]} with N(0,1) entries
 *       (unscaled, as the random feedback of Fig. 3), {@code L_j(t) = sum_k B_jk err_k(t)}.</li>
 * </ul>
 *
 * <p>{@link #paperDefault}: conv2, whose spikes drive the LSNN, gets random feedback from the outputs
 * (the error "sent back to the spiking CNN"), and conv1 its shortcut's symmetric signal, which needs
 * no 6400 x nOut matrix and is the exact direct-path derivative.
 */
public final class CnnFeedback {

    /** The origin of a conv layer's learning signal. */
    public enum Source {
        SHORTCUT,
        RANDOM
    }

    private final Source conv1Source;
    private final Source conv2Source;
    private final RealArray b1;
    private final RealArray b2;
    private final int outputs;
    private final double[] b1d;
    private final double[] b2d;

    /**
     * Explicit matrices (copied to double for the products; the arrays themselves are kept for
     * checkpoints). A {@code RANDOM} layer needs its matrix {@code [units * outputs]}; a
     * {@code SHORTCUT} layer takes null.
     */
    public CnnFeedback(Source conv1Source, RealArray b1, Source conv2Source, RealArray b2, int outputs,
            SpikingCnnConfig config) {
        this.conv1Source = conv1Source;
        this.conv2Source = conv2Source;
        this.outputs = outputs;
        this.b1 = check(conv1Source, b1, config.conv1().outputSize(), outputs, "conv1");
        this.b2 = check(conv2Source, b2, config.conv2().outputSize(), outputs, "conv2");
        this.b1d = b1 == null ? null : b1.toDoubleArray();
        this.b2d = b2 == null ? null : b2.toDoubleArray();
    }

    private static RealArray check(Source source, RealArray b, int units, int outputs, String layer) {
        if (source == Source.RANDOM && (b == null || b.length() != units * outputs)) {
            throw new IllegalArgumentException(layer + ": random feedback needs a [" + units + " x " + outputs
                    + "] matrix");
        }
        return source == Source.RANDOM ? b : null;
    }

    /** Feedback of the given sources; every RANDOM layer's matrix is drawn N(0,1) from {@code rng}. */
    public static CnnFeedback of(Source conv1, Source conv2, SpikingCnnConfig config, int outputs, Precision precision,
            Rng rng) {
        return new CnnFeedback(conv1, conv1 == Source.RANDOM ? gaussian(config.conv1().outputSize() * outputs,
                precision, rng) : null, conv2, conv2 == Source.RANDOM ? gaussian(config.conv2().outputSize() * outputs,
                precision, rng) : null, outputs, config);
    }

    /** conv1 through its shortcut, conv2 random (see the class comment). */
    public static CnnFeedback paperDefault(SpikingCnnConfig config, int outputs, Precision precision, Rng rng) {
        return of(Source.SHORTCUT, Source.RANDOM, config, outputs, precision, rng);
    }

    private static RealArray gaussian(int n, Precision precision, Rng rng) {
        RealArray a = precision.zeros(n);
        for (int i = 0; i < n; i++) {
            a.set(i, rng.nextGaussian());
        }
        return a;
    }

    public Source conv1Source() {
        return conv1Source;
    }

    public Source conv2Source() {
        return conv2Source;
    }

    /** conv1's B {@code [units][nOut]}, or null for SHORTCUT. */
    public RealArray conv1Matrix() {
        return b1;
    }

    /** conv2's B {@code [units][nOut]}, or null for SHORTCUT. */
    public RealArray conv2Matrix() {
        return b2;
    }

    public int outputs() {
        return outputs;
    }

    Source source(int layer) {
        return layer == 0 ? conv1Source : conv2Source;
    }

    double[] matrix(int layer) {
        return layer == 0 ? b1d : b2d;
    }
}
