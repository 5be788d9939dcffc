/**
 * The file side of a training run: the run directory, its provenance, the metrics log, checkpoints
 * and the console progress bar.
 *
 * <p>The standard every class here is held to: a run can be killed with SIGKILL at any moment and
 * resumed from its last checkpoint without losing anything. Whole files are only ever replaced
 * atomically ({@link org.eprop.agent.run.AtomicFiles}); the only files that grow in place are
 * the metrics files, and {@link org.eprop.agent.run.MetricsLog#resume} cuts them back to the
 * last checkpoint (dropping a torn last line), so the resumed run continues them without a gap or a
 * duplicate row.
 *
 * <p>The order a trainer keeps for each checkpointed iteration {@code i}:
 * {@code metrics.append(i, ...)}, {@code metrics.sync()}, {@code store.save(i, checkpoint)}. On
 * resume: {@code store.latest()} gives {@code i}, then {@code MetricsLog.resume(..., i)}.
 */
package org.eprop.agent.run;
