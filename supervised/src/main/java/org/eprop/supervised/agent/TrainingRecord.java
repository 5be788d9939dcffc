package org.eprop.supervised.agent;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.eprop.agent.RunContext;
import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.run.CheckpointStore;
import org.eprop.agent.run.MetricsLog;
import org.eprop.agent.run.ProgressBar;

/**
 * The run directory's side of a training loop, kept alike by the training agents ({@link SupervisedAgent},
 * {@link TimitAgent}): metrics logs, the checkpoint store, the progress bar and the ending on a stop
 * request. A new run creates the logs; a resumed one restores the latest checkpoint and cuts every
 * log to the rows up to it, so that the tables continue without a gap or a duplicate. A checkpoint
 * first syncs every log, so that the rows it covers reach the disk before it does: after a SIGKILL
 * no log lacks a row that the checkpoint it resumes from had seen.
 */
final class TrainingRecord implements AutoCloseable {

    /** One metrics log: its two files and its columns (the first is {@code iteration}). */
    record Log(Path csv, Path jsonl, List<String> columns) {
    }

    private final CheckpointStore store;
    private final List<MetricsLog> logs;

    private TrainingRecord(CheckpointStore store, List<MetricsLog> logs) {
        this.store = store;
        this.logs = logs;
    }

    /**
     * Opens the logs of {@code ctx}'s run: created for a new run; for a resumed one, the latest
     * checkpoint (if any) goes to {@code restore} first, every log is cut to its iteration, and a line
     * says where the run resumes, followed by {@code where} (asked after the restore).
     */
    static TrainingRecord open(RunContext ctx, int keepCheckpoints, Consumer<Checkpoint> restore,
            Supplier<String> where, List<Log> files) throws IOException {
        var dir = ctx.directory();
        CheckpointStore store = new CheckpointStore(dir.checkpoints(), keepCheckpoints);
        List<MetricsLog> logs = new ArrayList<>();
        try {
            if (ctx.resume()) {
                Optional<CheckpointStore.Loaded> latest = store.latest();
                long from = 0;
                if (latest.isPresent()) {
                    restore.accept(latest.get().checkpoint());
                    from = latest.get().iteration();
                }
                for (Log f : files) {
                    logs.add(MetricsLog.resume(f.csv(), f.jsonl(), f.columns(), from));
                }
                ctx.out().println("resuming " + dir.path() + " after iteration " + from + where.get()
                        + (latest.isPresent() ? "" : " (no checkpoint yet: starting over)"));
            } else {
                for (Log f : files) {
                    logs.add(MetricsLog.create(f.csv(), f.jsonl(), f.columns()));
                }
            }
        } catch (IOException | RuntimeException e) {
            for (MetricsLog l : logs) {
                try {
                    l.close(); // the logs opened before the one that failed
                } catch (IOException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
        return new TrainingRecord(store, logs);
    }

    /** The {@code i}-th log, in the order given to {@link #open}. */
    MetricsLog log(int i) {
        return logs.get(i);
    }

    /** Appends a row; unchecked, for the training loops' listeners. */
    static void append(MetricsLog log, long iteration, double... values) {
        try {
            log.append(iteration, values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot append to " + log.csvFile(), e);
        }
    }

    /** Syncs every log, then saves {@code checkpoint} as that of {@code iteration}; unchecked. */
    void checkpoint(long iteration, Supplier<Checkpoint> checkpoint) {
        try {
            for (MetricsLog l : logs) {
                l.sync(); // the rows up to this checkpoint reach the disk before it does
            }
            store.save(iteration, checkpoint.get());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of iteration " + iteration, e);
        }
    }

    /** The training progress bar on stderr, from {@code done} of {@code total} iterations. */
    static ProgressBar progress(long done, long total) {
        return new ProgressBar(System.err, "train", done, total, ProgressBar.isInteractive(), System::nanoTime);
    }

    /**
     * Ends a run that stopped on request after {@code iteration}, its checkpoint written and its logs
     * closed: the bar's last line, the launcher told (it waits for this to print the resume command),
     * and the exit code.
     */
    static int stopped(RunContext ctx, ProgressBar progress, long iteration) {
        progress.finish("stopped on request after iteration " + iteration + " (checkpoint written)");
        ctx.stop().stopped();
        return RunContext.INTERRUPTED;
    }

    @Override
    public void close() throws IOException {
        IOException first = null;
        for (MetricsLog l : logs) {
            try {
                l.close();
            } catch (IOException e) {
                if (first == null) {
                    first = e;
                } else {
                    first.addSuppressed(e);
                }
            }
        }
        if (first != null) {
            throw first;
        }
    }
}
