package org.eprop.learning.neuron;

/**
 * Leaky readout neurons: {@code y_k(t) = sum_j W_out[j,k] zbar_j(t) + b_k} with the filtered spikes
 * {@code zbar(t) = kappa zbar(t-1) + c z(t)}, {@code kappa = exp(-dt/tauOut)} and
 * {@code c} from the {@link ReadoutConvention}.
 *
 * <table>
 *   <caption>Readout parameters (defaults: Fig. 3)</caption>
 *   <tr><th>name</th><th>unit</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>nOut</td><td>-</td><td>2</td><td>number of readout neurons</td></tr>
 *   <tr><td>tauOut</td><td>ms</td><td>20</td><td>readout (and trace filter) time constant</td></tr>
 *   <tr><td>convention</td><td>-</td><td>NORMALISED</td><td>(1 - kappa) factor or not</td></tr>
 *   <tr><td>bias</td><td>-</td><td>false</td><td>whether a trainable bias b_k is added</td></tr>
 * </table>
 */
public record Readout(int nOut, double tauOut, ReadoutConvention convention, boolean bias) {
    public Readout {
        if (nOut <= 0) {
            throw new IllegalArgumentException("nOut must be > 0, got " + nOut);
        }
        if (!(tauOut > 0) || Double.isInfinite(tauOut)) {
            throw new IllegalArgumentException("tauOut must be a positive finite number of ms, got " + tauOut);
        }
        if (convention == null) {
            throw new IllegalArgumentException("readout convention must be given (NORMALISED or PLAIN)");
        }
    }

    /** The Fig. 3 readout: 2 outputs, tau 20 ms, (1 - kappa), no bias. */
    public static Readout fig3() {
        return new Readout(2, 20.0, ReadoutConvention.NORMALISED, false);
    }

    /**
     * Readouts without memory, {@code y(t) = W_out^T z(t)}: kappa = 0 (the decay
     * {@code exp(-dt/tau)} of the smallest positive tau underflows to exactly 0), plain convention,
     * no bias. For networks whose readout is applied outside, e.g. the two halves of a bidirectional
     * network that share one frame-rate readout: the gradient methods then receive dE/dz through
     * W_out (or the feedback B) step by step, unfiltered.
     */
    public static Readout passThrough(int nOut) {
        return new Readout(nOut, Double.MIN_VALUE, ReadoutConvention.PLAIN, false);
    }

    /** Readout decay per step of {@code dt} ms. */
    public double kappa(double dt) {
        return Math.exp(-dt / tauOut);
    }
}
