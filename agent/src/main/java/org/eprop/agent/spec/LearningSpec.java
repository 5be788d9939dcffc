package org.eprop.agent.spec;

import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.learning.gradient.Feedback;

/**
 * Learning rule, learning signal, optimiser and regularisation: the {@code learning} section.
 *
 * @param rule a registered learning rule id ({@code eprop}, {@code bptt}, ...)
 * @param feedback how the learning signal reaches the neurons (paper: symmetric, random, adaptive)
 * @param feedbackScaled random feedback scaled by 1/sqrt(n) (the pattern-generation reference)
 * @param adaptiveDecay the decay of B and W_out per step under adaptive feedback
 */
public record LearningSpec(String rule, Feedback.Mode feedback, Boolean feedbackScaled, Double adaptiveDecay,
        OptimizerSpec optimizer, RateRegularizationSpec rateRegularization) implements Validated {
    @Override
    public void validate(Checks c) {
        c.range("adaptive_decay", adaptiveDecay, 0, 0.999999);
    }

    /** The reference's Fig. 3 setting: e-prop with random feedback, Adam 5e-3, rate regularisation at 10 Hz. */
    public static LearningSpec fig3() {
        return new LearningSpec("eprop", Feedback.Mode.RANDOM, false, 0.01,
                new OptimizerSpec("adam", 5e-3, 0.9, 0.999, 1e-8), new RateRegularizationSpec(1.0, 10.0));
    }
}
