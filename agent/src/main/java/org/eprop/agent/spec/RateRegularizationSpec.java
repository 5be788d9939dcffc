package org.eprop.agent.spec;

import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;

/** Firing-rate regularisation {@code strength * sum_j (f_j - target)^2}. */
public record RateRegularizationSpec(Double strength, Double targetHz) implements Validated {
    @Override
    public void validate(Checks c) {
        c.nonNegative("strength", strength);
        c.nonNegative("target_hz", targetHz);
    }
}
