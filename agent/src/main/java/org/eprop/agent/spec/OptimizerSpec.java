package org.eprop.agent.spec;

import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.learning.optim.Adam;
import org.eprop.learning.optim.Optimizer;
import org.eprop.learning.optim.Sgd;

/** The optimiser: {@code adam} (TF1's formulation, the reference's) or {@code sgd}. */
public record OptimizerSpec(String id, Double learningRate, Double beta1, Double beta2, Double epsilon)
        implements Validated {
    @Override
    public void validate(Checks c) {
        c.check(id.equals("adam") || id.equals("sgd"), "id", id, "one of: adam, sgd");
        c.positive("learning_rate", learningRate);
        c.range("beta1", beta1, 0, 0.999999);
        c.range("beta2", beta2, 0, 0.999999);
        c.positive("epsilon", epsilon);
    }

    /** A new optimiser with fresh state. */
    public Optimizer create() {
        return switch (id) {
            case "adam" -> new Adam(learningRate, beta1, beta2, epsilon);
            case "sgd" -> new Sgd(learningRate);
            default -> throw new IllegalArgumentException("unknown optimizer '" + id + "'; known: adam, sgd");
        };
    }
}
