package org.eprop.learning.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * The project's one threading policy, and the loop that applies it. The sequences of a batch are
 * independent in every time loop of the project (forward simulation, backward scans, adjoints), so
 * a loop over them is cut into slices of consecutive sequences, run on a fork-join pool of
 * {@link #threads()} workers. Every sequence is computed by the same code in the same order whatever
 * the slicing, so results do not depend on the number of threads.
 *
 * <p>The thread count is {@code -Deprop.threads=N}, by default the number of available cores. The
 * same workers run the large dense products, cut into panels ({@link Dense}), with OpenBLAS itself
 * held to one thread: two thread pools on the same cores (OpenBLAS's spins and yields while it
 * waits for its own threads) made identical iterations swing tenfold when other processes ran
 * beside them. Environments of a vector environment are spread over the same number of threads
 * ({@code VectorEnv}). Work smaller than a few hundred thousand neuron-steps runs on the calling
 * thread.
 *
 * <p>A loop is cut into more slices than there are workers (up to four per worker): a worker that
 * the operating system deschedules holds up one small slice, while the others take the rest by
 * work stealing, instead of half the batch.
 */
public final class BatchParallel {

    /** The body of a loop over sequences {@code [from, to)}. */
    @FunctionalInterface
    public interface Slice {
        void run(int from, int to);
    }

    private static final int THREADS = Math.max(1, Integer.getInteger("eprop.threads",
            Runtime.getRuntime().availableProcessors()));
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS) : null;

    private BatchParallel() {
    }

    /** Number of worker threads. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, batch)} in slices.
     *
     * @param workPerSequence rough number of elementary updates per sequence, to keep small work serial
     */
    public static void forEachSlice(int batch, long workPerSequence, Slice body) {
        int slices = slices(batch, workPerSequence);
        if (slices < 2) {
            body.run(0, batch);
            return;
        }
        POOL.invoke(new Task(body, 0, batch, slices));
    }

    /**
     * A task run on the workers beside what the caller does next: two independent computations, each
     * with its own parallel loops, so that the idle moments of one (its serial parts, the ends of its
     * loops) go to the other. The body must share no mutable state with the caller's work; each keeps
     * its own order of operations, so results do not depend on how the two interleave. The task
     * object is kept and reinitialised, so that starting it allocates nothing (it may run every agent
     * step). Not thread-safe: one run at a time.
     */
    public static final class Side {
        private final Runnable body;
        private final RecursiveAction task;
        private boolean started;

        public Side(Runnable body) {
            this.body = body;
            this.task = new RecursiveAction() {
                private static final long serialVersionUID = 1L;

                @Override
                protected void compute() {
                    Side.this.body.run();
                }
            };
        }

        /** Starts the body on the workers (with one thread it runs in {@link #join}, on the caller). */
        public void start() {
            if (started) {
                throw new IllegalStateException("started twice without a join");
            }
            started = true;
            if (POOL != null) {
                task.reinitialize();
                POOL.execute(task);
            }
        }

        /** Waits for the body; rethrows what it threw. */
        public void join() {
            if (!started) {
                throw new IllegalStateException("join without a start");
            }
            started = false;
            if (POOL == null) {
                body.run();
            } else {
                task.join();
            }
        }
    }

    /** Below this much work a loop runs on the calling thread. */
    private static final long SERIAL_WORK = 200_000;
    /** The least work worth a slice of its own. */
    private static final long SLICE_WORK = 50_000;

    /** Slices for the work, 1 meaning "run on the calling thread". */
    static int slices(int batch, long workPerSequence) {
        long total = workPerSequence * batch;
        if (POOL == null || batch < 2 || total < SERIAL_WORK) {
            return 1;
        }
        return (int) Math.max(2, Math.min(Math.min(batch, 4L * THREADS), total / SLICE_WORK));
    }

    /**
     * A loop run again and again with the same body, e.g. every agent step: as
     * {@link #forEachSlice}, but the tree of tasks is kept and reinitialised between runs, so a run
     * allocates nothing (the pool's tasks are otherwise a few objects per run). The body reads what
     * changes from run to run from fields its owner sets before {@link #run}. Not thread-safe: one
     * run at a time.
     */
    public static final class Loop {
        private final Slice body;
        private Task root;

        public Loop(Slice body) {
            this.body = body;
        }

        /** Runs the body over {@code [0, batch)}, in slices when the work is large enough. */
        public void run(int batch, long workPerSequence) {
            int slices = slices(batch, workPerSequence);
            if (slices < 2) {
                body.run(0, batch);
                return;
            }
            if (root == null || root.to != batch || root.slices != slices) {
                root = new Task(body, 0, batch, slices);
            } else {
                root.reinitialize();
            }
            POOL.invoke(root);
        }
    }

    private static final class Task extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient Slice body;
        private final int from;
        private final int to;
        private final int slices;
        /** The two halves, made on the first run and reinitialised for later ones (see {@link Loop}). */
        private Task left;
        private Task right;

        Task(Slice body, int from, int to, int slices) {
            this.body = body;
            this.from = from;
            this.to = to;
            this.slices = slices;
        }

        @Override
        protected void compute() {
            if (slices == 1) {
                body.run(from, to);
                return;
            }
            if (left == null) {
                int half = slices / 2;
                int mid = from + (int) ((long) (to - from) * half / slices);
                left = new Task(body, from, mid, half);
                right = new Task(body, mid, to, slices - half);
            } else {
                // both completed with this task's last run
                left.reinitialize();
                right.reinitialize();
            }
            invokeAll(left, right);
        }
    }
}
