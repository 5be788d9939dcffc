package org.eprop.supervised.train;

/**
 * How a supervised run proceeds (docs/model.md §4.1 for the defaults of the cue task).
 *
 * @param batch sequences per iteration
 * @param maxIterations iteration budget
 * @param evalEvery validate on a fresh batch every this many iterations
 * @param stopBelow early stopping: when the validation error falls below this, evaluate
 *     {@code evalBatches} fresh batches and stop if their mean is below it too; NaN disables
 * @param evalBatches fresh batches for the early-stopping check and for the final test
 * @param checkpointEvery write a checkpoint every this many iterations (and at the end)
 * @param plotEvery redraw the plots every this many iterations (and at the end)
 */
public record TrainingSettings(int batch, int maxIterations, int evalEvery, double stopBelow, int evalBatches,
        int checkpointEvery, int plotEvery) {

    public TrainingSettings {
        if (batch <= 0 || maxIterations <= 0 || evalEvery <= 0 || evalBatches <= 0 || checkpointEvery <= 0
                || plotEvery <= 0) {
            throw new IllegalArgumentException("batch, max_iterations, eval_every, eval_batches, checkpoint_every and "
                    + "plot_every must be positive");
        }
    }

    /** The Fig. 3 protocol: batch 64, up to 2000 iterations, validate every 10, stop below 7 %. */
    public static TrainingSettings fig3() {
        return new TrainingSettings(64, 2000, 10, 0.07, 8, 50, 100);
    }
}
