package org.eprop.learning.conv;

/**
 * The LIF unit of the spiking CNN, {@code lif_dynamic} of the original code (docs/model.md
 * §1.2(f)). The state is the voltage alone; the previous spike is recomputed from it:
 *
 * <pre>
 *   z_old = H((v(t-1) - v_th) / v_th)
 *   v(t)  = d v(t-1) + i(t) - v_th z_old          d = exp(-1/tau)
 *   z(t)  = H((v(t) - v_th) / v_th)
 * </pre>
 *
 * with the pseudo-derivative {@code psi(v) = (dampening / v_th) max(0, 1 - |(v - v_th)/v_th|)} for
 * both spike evaluations (the reset is not cut from the gradient), no refractoriness, and no
 * {@code (1 - d)} factor on the current. The step fires strictly above threshold.
 *
 * @param tau       membrane time constant in network steps ({@code tau_scnn}, 1)
 * @param threshold {@code v_th} ({@code thr_scnn}, 0.1)
 * @param dampening pseudo-derivative dampening (1.0 for the spiking CNN)
 */
public record ScnnNeuron(double tau, double threshold, double dampening) {

    public ScnnNeuron {
        if (!(tau > 0) || !(threshold > 0) || !(dampening >= 0)) {
            throw new IllegalArgumentException("need tau > 0, v_th > 0, dampening >= 0: " + tau + ", " + threshold
                    + ", " + dampening);
        }
    }

    /** The original code's values: tau 1 step, v_th 0.1, dampening 1. */
    public static ScnnNeuron reference() {
        return new ScnnNeuron(1.0, 0.1, 1.0);
    }

    /** Membrane decay per step {@code d = exp(-1/tau)}. */
    public double decay() {
        return Math.exp(-1.0 / tau);
    }

    /** The spike function: {@code H((v - v_th)/v_th)}, strictly positive argument. */
    public boolean spikes(double v) {
        return v > threshold;
    }

    /** {@code psi(v) = dz/dv}, the triangular pseudo-derivative scaled by {@code 1/v_th}. */
    public double pseudoDerivative(double v) {
        return dampening / threshold * Math.max(0.0, 1.0 - Math.abs((v - threshold) / threshold));
    }
}
