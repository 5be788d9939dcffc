package org.eprop.agent.spec;

import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.neuron.ReadoutConvention;

/** The leaky readout: its time constant (ms), filter convention, bias and initialisation. */
public record ReadoutSpec(Double tauOut, ReadoutConvention convention, Boolean bias, ReadoutInit init)
        implements Validated {
    @Override
    public void validate(Checks c) {
        c.positive("tau_out", tauOut, "ms");
    }
}
