package org.eprop.learning.neuron;

/**
 * One recurrent layer of leaky integrate-and-fire neurons, LIF and ALIF, as in Bellec et al. 2020
 * (docs/model.md §1.2(a), the {@code EligALIF} cell). Neurons {@code 0 .. nLif-1} are LIF,
 * {@code nLif .. nLif+nAlif-1} are ALIF.
 *
 * <h2>Equations</h2>
 * For neuron j at step t (dt per step), with inputs x(t), spikes z(t-1) of the previous step, and
 * zero initial state:
 * <pre>
 *   b_j(t)  = rho b_j(t-1) + z_j(t-1)                                   adaptation
 *   I_j(t)  = sum_i W_in[i,j] x_i(t) + sum_{i != j} W_rec[i,j] z_i(t-1)   input current
 *   v_j(t)  = alpha v_j(t-1) + c_in I_j(t) - v_th z_j(t-1)              membrane, reset by subtraction
 *   A_j(t)  = v_th + beta_j b_j(t)                                      adaptive threshold
 *   z_j(t)  = H((v_j(t) - A_j(t)) / v_th)   unless refractory, then 0    spike (fires when strictly above)
 *   r_j(t)  = clip(r_j(t-1) + n_ref z_j(t) - 1, 0, n_ref)               refractory count; refractory iff r_j(t-1) > 0
 *   psi_j(t) = gamma / v_th * max(0, 1 - |(v_j(t) - A_j(t)) / v_th|),   0 while refractory
 * </pre>
 * with {@code alpha = exp(-dt/tau_m)}, {@code rho = exp(-dt/tau_a)}, {@code n_ref = t_ref/dt},
 * {@code c_in = 1} ({@link InputConvention#CURRENT}) or {@code 1 - alpha}
 * ({@link InputConvention#LEAKY}); {@code beta_j = 0} for LIF neurons. psi is the
 * pseudo-derivative dz/dv used by every gradient method. After a spike the next
 * {@code n_ref - 1} steps are blocked, so the minimum inter-spike interval is {@code n_ref} steps.
 * Recurrent self-connections are absent (the diagonal of W_rec is held at zero).
 *
 * <h2>Parameters</h2>
 * <table>
 *   <caption>Neuron parameters (defaults: the Fig. 3 evidence-accumulation network)</caption>
 *   <tr><th>name</th><th>unit</th><th>default</th><th>meaning</th></tr>
 *   <tr><td>nIn</td><td>-</td><td>40</td><td>number of input channels</td></tr>
 *   <tr><td>nLif</td><td>-</td><td>50</td><td>number of LIF neurons</td></tr>
 *   <tr><td>nAlif</td><td>-</td><td>50</td><td>number of ALIF neurons</td></tr>
 *   <tr><td>dt</td><td>ms</td><td>1</td><td>simulation time step</td></tr>
 *   <tr><td>tauM</td><td>ms</td><td>20</td><td>membrane time constant</td></tr>
 *   <tr><td>tauA</td><td>ms</td><td>2000</td><td>adaptation time constant (ALIF)</td></tr>
 *   <tr><td>vTh</td><td>-</td><td>0.6</td><td>baseline threshold; also the reset step and the voltage scale of psi</td></tr>
 *   <tr><td>beta</td><td>-</td><td>0.017424</td><td>adaptation strength of ALIF neurons (LIF: 0)</td></tr>
 *   <tr><td>tRef</td><td>ms</td><td>5</td><td>refractory period, a whole number of steps (0: none)</td></tr>
 *   <tr><td>gamma</td><td>-</td><td>0.3</td><td>dampening of the pseudo-derivative</td></tr>
 *   <tr><td>input</td><td>-</td><td>CURRENT</td><td>{@link InputConvention}</td></tr>
 * </table>
 */
public record NeuronLayer(
        int nIn,
        int nLif,
        int nAlif,
        double dt,
        double tauM,
        double tauA,
        double vTh,
        double beta,
        double tRef,
        double gamma,
        InputConvention input) {

    /** beta of the Fig. 3 network: 1.7 (1 - e^{-1/2000}) / (1 - e^{-1/20}). */
    public static final double FIG3_BETA = 1.7 * (1 - Math.exp(-1.0 / 2000)) / (1 - Math.exp(-1.0 / 20));

    public NeuronLayer {
        requirePositiveCount("nIn", nIn, true);
        requirePositiveCount("nLif", nLif, true);
        requirePositiveCount("nAlif", nAlif, true);
        if (nLif + nAlif == 0) {
            throw new IllegalArgumentException("nLif + nAlif must be at least 1 (got 0 neurons)");
        }
        requirePositive("dt", dt);
        requirePositive("tauM", tauM);
        requirePositive("tauA", tauA);
        requirePositive("vTh", vTh);
        if (!(beta >= 0) || Double.isInfinite(beta)) {
            throw new IllegalArgumentException("beta must be >= 0 (LIF neurons use 0), got " + beta);
        }
        if (!(tRef >= 0) || Double.isInfinite(tRef)) {
            throw new IllegalArgumentException("tRef must be >= 0 ms, got " + tRef);
        }
        double steps = tRef / dt;
        if (Math.abs(steps - Math.rint(steps)) > 1e-9) {
            throw new IllegalArgumentException("tRef (" + tRef + " ms) must be a whole number of time steps of dt = "
                    + dt + " ms");
        }
        if (!(gamma >= 0) || Double.isInfinite(gamma)) {
            throw new IllegalArgumentException("gamma (pseudo-derivative dampening) must be >= 0, got " + gamma);
        }
        if (input == null) {
            throw new IllegalArgumentException("input convention must be given (CURRENT or LEAKY)");
        }
    }

    private static void requirePositive(String name, double value) {
        if (!(value > 0) || Double.isInfinite(value)) {
            throw new IllegalArgumentException(name + " must be a positive finite number, got " + value);
        }
    }

    private static void requirePositiveCount(String name, int value, boolean zeroAllowed) {
        if (value < 0 || (!zeroAllowed && value == 0)) {
            throw new IllegalArgumentException(name + " must be " + (zeroAllowed ? ">= 0" : "> 0") + ", got " + value);
        }
    }

    /** The Fig. 3 evidence-accumulation network: 40 inputs, 50 LIF + 50 ALIF. */
    public static NeuronLayer fig3() {
        return new NeuronLayer(40, 50, 50, 1.0, 20.0, 2000.0, 0.6, FIG3_BETA, 5.0, 0.3, InputConvention.CURRENT);
    }

    /** Number of recurrent neurons. */
    public int size() {
        return nLif + nAlif;
    }

    /** Membrane decay per step, {@code exp(-dt/tauM)}. */
    public double alpha() {
        return Math.exp(-dt / tauM);
    }

    /** Adaptation decay per step, {@code exp(-dt/tauA)}. */
    public double rho() {
        return Math.exp(-dt / tauA);
    }

    /** Refractory period in steps. */
    public int refractorySteps() {
        return (int) Math.rint(tRef / dt);
    }

    /** Adaptation strength of neuron {@code j}: 0 for LIF, {@link #beta()} for ALIF. */
    public double betaOf(int j) {
        return j < nLif ? 0.0 : beta;
    }

    public NeuronLayer withSizes(int nIn, int nLif, int nAlif) {
        return new NeuronLayer(nIn, nLif, nAlif, dt, tauM, tauA, vTh, beta, tRef, gamma, input);
    }
}
