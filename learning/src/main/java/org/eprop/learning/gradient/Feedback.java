package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * The feedback weights B that turn output errors into learning signals,
 * {@code L_j(t) = sum_k B_jk dE/dy_k(t)} (docs/model.md §2.4). B has the layout of W_out,
 * {@code [n x nOut]}.
 *
 * <ul>
 *   <li>{@link Mode#SYMMETRIC}: B = W_out, the exact partial derivative (Fig. 3 autodiff default).</li>
 *   <li>{@link Mode#RANDOM}: a fixed random B ("random e-prop", Fig. 3 {@code -feedback random}).</li>
 *   <li>{@link Mode#ADAPTIVE}: B starts random and receives the gradient of W_out; after every
 *       optimiser step both are multiplied by {@code 1 - decay} (Kolen-Pollack, TIMIT).</li>
 * </ul>
 */
public final class Feedback {

    /** The feedback variants of the paper. */
    public enum Mode { SYMMETRIC, RANDOM, ADAPTIVE }

    private final Mode mode;
    private final RealArray matrix;
    private final double decay;

    private Feedback(Mode mode, RealArray matrix, double decay) {
        this.mode = mode;
        this.matrix = matrix;
        this.decay = decay;
    }

    /** B = W_out. */
    public static Feedback symmetric() {
        return new Feedback(Mode.SYMMETRIC, null, 0.0);
    }

    /**
     * A fixed random B with entries N(0,1), divided by sqrt(n) when {@code scaled} (Fig. S7);
     * unscaled in Fig. 3 and TIMIT.
     */
    public static Feedback random(SpikingNetwork net, Rng rng, boolean scaled) {
        RealArray b = net.precision().zeros(net.wOut().length());
        double s = scaled ? 1.0 / Math.sqrt(net.neurons()) : 1.0;
        for (int i = 0; i < b.length(); i++) {
            b.set(i, rng.nextGaussian() * s);
        }
        return new Feedback(Mode.RANDOM, b, 0.0);
    }

    /** Adaptive B, initialised N(0,1)/sqrt(nOut), decayed by {@code decay} per step (TIMIT: 1e-2). */
    public static Feedback adaptive(SpikingNetwork net, Rng rng, double decay) {
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("adaptive feedback decay must lie in [0, 1), got " + decay);
        }
        RealArray b = net.precision().zeros(net.wOut().length());
        double s = 1.0 / Math.sqrt(net.outputs());
        for (int i = 0; i < b.length(); i++) {
            b.set(i, rng.nextGaussian() * s);
        }
        return new Feedback(Mode.ADAPTIVE, b, decay);
    }

    /** A feedback of the given mode with an explicit matrix (copied), e.g. restored from a checkpoint. */
    public static Feedback of(Mode mode, RealArray matrix, double decay) {
        return mode == Mode.SYMMETRIC ? symmetric() : new Feedback(mode, matrix.copy(), decay);
    }

    public Mode mode() {
        return mode;
    }

    /** Decay per optimiser step of the adaptive variant (0 otherwise). */
    public double decay() {
        return decay;
    }

    /** The B used for {@code net}: W_out itself when symmetric. */
    public RealArray matrix(SpikingNetwork net) {
        return mode == Mode.SYMMETRIC ? net.wOut() : matrix;
    }
}
