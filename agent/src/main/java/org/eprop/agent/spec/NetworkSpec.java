package org.eprop.agent.spec;

import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.tensor.Precision;

/**
 * The recurrent layer, in physical units (ms), and its readout: the {@code network} section of a run
 * config. The equations and the meaning of each parameter are in {@link NeuronLayer}.
 */
public record NetworkSpec(Precision precision, Integer lif, Integer alif, Double dt, Double tauM, Double tauA,
        Double vTh, Double beta, Double refractory, Double gamma, InputConvention input, ReadoutSpec readout)
        implements Validated {

    @Override
    public void validate(Checks c) {
        c.atLeast("lif", lif, 0);
        c.atLeast("alif", alif, 0);
        c.check(lif + alif > 0, "alif", alif, "at least one neuron in lif + alif");
        c.positive("dt", dt, "ms");
        c.positive("tau_m", tauM, "ms");
        c.positive("tau_a", tauA, "ms");
        c.positive("v_th", vTh);
        c.nonNegative("beta", beta);
        c.nonNegative("refractory", refractory);
        c.check(Math.abs(refractory / dt - Math.rint(refractory / dt)) < 1e-9, "refractory", refractory,
                "a whole number of time steps (dt = " + dt + " ms)");
        c.nonNegative("gamma", gamma);
    }

    /** The reference's Fig. 3 network: 50 LIF + 50 ALIF, float32, current input, glorot readout. */
    public static NetworkSpec fig3() {
        NeuronLayer fig3 = NeuronLayer.fig3();
        return new NetworkSpec(Precision.FLOAT32, fig3.nLif(), fig3.nAlif(), fig3.dt(), fig3.tauM(), fig3.tauA(),
                fig3.vTh(), fig3.beta(), fig3.tRef(), fig3.gamma(), InputConvention.CURRENT,
                new ReadoutSpec(20.0, ReadoutConvention.NORMALISED, false, ReadoutInit.GLOROT_UNIFORM));
    }
}
