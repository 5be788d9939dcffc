package org.eprop.agent.spec;

import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;

/**
 * The training loop's budget and cadence: the {@code training} section.
 *
 * @param batch sequences per learning step
 * @param maxIterations the iteration budget
 * @param evalEvery validate every this many iterations
 * @param earlyStopping stop once the test metric is below {@code stopBelow}
 * @param stopBelow the early-stopping threshold (the reference's 7 % for Fig. 3)
 * @param evalBatches fresh batches averaged for the test metric
 * @param checkpointEvery write a checkpoint every this many iterations
 * @param plotEvery draw the plots every this many iterations
 */
public record TrainingSpec(Integer batch, Integer maxIterations, Integer evalEvery, Boolean earlyStopping,
        Double stopBelow, Integer evalBatches, Integer checkpointEvery, Integer plotEvery) implements Validated {
    @Override
    public void validate(Checks c) {
        c.atLeast("batch", batch, 1);
        c.atLeast("max_iterations", maxIterations, 1);
        c.atLeast("eval_every", evalEvery, 1);
        c.check(stopBelow > 0 && stopBelow <= 1, "stop_below", stopBelow,
                "an error rate in (0, 1]: training stops once the error is below it");
        c.atLeast("eval_batches", evalBatches, 1);
        c.atLeast("checkpoint_every", checkpointEvery, 1);
        c.atLeast("plot_every", plotEvery, 1);
    }

    /** The reference's Fig. 3 loop: batch 64, up to 2000 iterations, stop below 7 % over 8 batches. */
    public static TrainingSpec fig3() {
        return new TrainingSpec(64, 2000, 10, true, 0.07, 8, 50, 100);
    }
}
