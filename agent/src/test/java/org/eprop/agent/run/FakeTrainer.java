package org.eprop.agent.run;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.eprop.learning.rng.Rng;

/**
 * A stand-in for the trainer, used by {@link KillAndResumeRunTest} in a child JVM that is killed
 * with SIGKILL: it keeps the order a real trainer must keep (metrics row, sync, checkpoint) and
 * resumes from the last checkpoint. Its "training" is deterministic, so an interrupted and
 * resumed run must write exactly the files of an uninterrupted one.
 *
 * <p>Arguments: run directory (with config.yaml), iterations, checkpoint interval, sleep in ms.
 */
public final class FakeTrainer {
    static final List<String> COLUMNS = List.of("iteration", "loss", "err", "noise");

    private FakeTrainer() {
    }

    public static void main(String[] args) throws Exception {
        RunDirectory run = RunDirectory.open(Path.of(args[0]));
        long iterations = Long.parseLong(args[1]);
        long every = Long.parseLong(args[2]);
        long sleepMillis = Long.parseLong(args[3]);

        CheckpointStore store = new CheckpointStore(run.checkpoints(), 2);
        Optional<CheckpointStore.Loaded> loaded = store.latest();
        Rng rng = new Rng(1234);
        double[] w = {1.0, -0.5, 0.25};
        long first = 0;
        MetricsLog log;
        if (loaded.isPresent()) {
            Checkpoint c = loaded.get().checkpoint();
            w = c.doubles("w");
            rng.restore(c.longs("rng"));
            first = loaded.get().iteration() + 1;
            log = MetricsLog.resume(run.metricsCsv(), run.metricsJsonl(), COLUMNS, loaded.get().iteration());
        } else {
            log = MetricsLog.create(run.metricsCsv(), run.metricsJsonl(), COLUMNS);
        }
        try (MetricsLog l = log) {
            for (long it = first; it < iterations; it++) {
                double loss = 0;
                for (int i = 0; i < w.length; i++) {
                    w[i] = 0.97 * w[i] + 0.01 * rng.nextGaussian();
                    loss += w[i] * w[i];
                }
                l.append(it, loss, Math.sqrt(loss) / 3, it % 5 == 0 ? Double.NaN : rng.nextDouble());
                if ((it + 1) % every == 0 || it == iterations - 1) {
                    l.sync();
                    store.save(it, Checkpoint.builder().put("w", w).put("rng", rng.state())
                            .put("note", "iteration " + it).build());
                }
                if (sleepMillis > 0) {
                    Thread.sleep(sleepMillis);
                }
            }
        }
    }
}
