package org.eprop.learning.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Runs a loop over the sequences of a batch on several cores. The sequences of a batch are
 * independent in every time loop of the project (forward simulation, backward scans, adjoints),
 * so each worker takes a contiguous slice of the batch for the whole sequence. Every sequence is
 * computed by the same code in the same order whatever the slicing, so results do not depend on
 * the number of threads.
 *
 * <p>The thread count is {@code -Deprop.threads=N}, by default the number of available cores.
 * Work smaller than a few thousand neuron-steps per slice runs on the calling thread.
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

    /** Slices for the work, 1 meaning "run on the calling thread". */
    private static int slices(int batch, long workPerSequence) {
        int slices = (int) Math.min(THREADS, batch);
        return POOL == null || slices < 2 || workPerSequence * batch < 200_000 ? 1 : slices;
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
