package org.eprop.learning.tensor;

import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.RecursiveAction;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.concurrent.locks.LockSupport;

/**
 * The project's one threading policy, and the loop that applies it. The sequences of a batch are
 * independent in every time loop of the project (forward simulation, backward scans, adjoints), so
 * a loop over them is cut into slices of consecutive sequences, run by {@link #threads()} threads:
 * the thread that runs the loop and helpers from a fork-join pool of {@code threads() - 1} workers.
 * Every sequence is computed by the same code in the same order whatever the slicing and whoever
 * runs it, so results do not depend on the number of threads.
 *
 * <p>The thread count is {@code -Deprop.threads=N}, by default the number of available cores. The
 * same threads run the large dense products, cut into panels ({@link Dense}), with OpenBLAS itself
 * held to one thread: two thread pools on the same cores (OpenBLAS's spins and yields while it
 * waits for its own threads) made identical iterations swing tenfold when other processes ran
 * beside them. Environments of a vector environment are spread over the same number of threads
 * ({@code VectorEnv}). Work smaller than a few hundred thousand neuron-steps runs on the calling
 * thread.
 *
 * <p>A loop is cut into more slices than there are threads (up to four per thread; the forward
 * time loop and the loops that read its rows right after, {@link #forEachThreadSlice}, one per
 * thread), which the threads take in turn from a shared counter: a thread that the operating system
 * deschedules holds up one small slice while the others take the rest, and a helper that starts late (a parked pool
 * worker can take a millisecond to wake on a virtual machine) simply takes fewer. The calling thread
 * works on the loop from its start instead of waiting for workers to wake, and waits for the
 * helpers' last slices by spinning and yielding rather than parking, for the same reason (on the
 * project's 2-core VM a parked thread woke up to 1.7 ms late; a Fig. 3 iteration starts and ends
 * eight loops). For the same reason a helper that has finished its slices stays on its core for
 * {@code -Deprop.lingerMicros} (default 1000; 0: it returns to the pool at once), yielding the core
 * to any other runnable thread, and takes slices of the loops that start meanwhile: a parked pool
 * worker took 30-400 us to start on the VM (a virtual CPU that has halted waits for the host), and
 * the loops of an iteration start a few tenths of a millisecond apart. It returns to the pool as
 * soon as a task waits there. While a {@link Side} task holds the pool's workers, a loop's helpers
 * wait in the pool and the calling thread does the slices itself: never more runnable threads than
 * {@link #threads()}.
 */
public final class BatchParallel {

    /** The body of a loop over sequences {@code [from, to)}. */
    @FunctionalInterface
    public interface Slice {
        void run(int from, int to);
    }

    private static final int THREADS = Math.max(1, Integer.getInteger("eprop.threads",
            Runtime.getRuntime().availableProcessors()));
    /** The helpers' workers: one fewer than {@link #THREADS}, the thread that runs a loop being the other. */
    private static final ForkJoinPool POOL = THREADS > 1 ? new ForkJoinPool(THREADS - 1) : null;

    private BatchParallel() {
    }

    /** Number of threads that run a loop. */
    public static int threads() {
        return THREADS;
    }

    /**
     * Runs {@code body} over {@code [0, batch)} in slices.
     *
     * @param workPerSequence rough number of elementary updates per sequence, to keep small work serial
     */
    public static void forEachSlice(int batch, long workPerSequence, Slice body) {
        run(batch, slices(batch, workPerSequence), body);
    }

    /**
     * {@link #forEachSlice} with one slice per thread (at most one per sequence): for a time-step
     * loop, whose every slice runs all the steps over its sequences, with costs per step and slice
     * (the update's calls and its vector loop's ends, the listing of each step's spikes, the rows of
     * memory that each step writes in a slice's part only). At the Fig. 3 sizes (batch 64, two
     * threads) four slices per thread took the forward loop 18-20 ms where one per thread took 15-17
     * ms, and on one thread eight slices of 8 sequences 15 % longer than the whole batch at once. Under
     * load (two busy processes beside a two-thread bench) the slowest iteration stayed at 1.18-1.19x
     * the median either way: a thread that is descheduled mid-slice holds it up, but the other
     * threads of the process are as likely to be.
     */
    public static void forEachThreadSlice(int batch, long workPerSequence, Slice body) {
        run(batch, slices(batch, workPerSequence) < 2 ? 1 : threadSlices(batch), body);
    }

    /**
     * How many slices {@link #forEachThreadSlice} cuts a batch into when it runs in parallel: one per
     * thread, at most one per sequence. Slice q is {@code [threadSliceStart(batch, q),
     * threadSliceStart(batch, q + 1))}; run serially, the one slice is the whole batch, the union of
     * these. A loop body that keeps per-slice workspaces apart in memory (so that no cache line is
     * written by two threads: {@code ForwardPass}) lays them out by these slices.
     */
    public static int threadSlices(int batch) {
        return POOL == null || batch < 2 ? 1 : Math.min(batch, THREADS);
    }

    /** The first sequence of thread slice {@code q} of a batch ({@link #threadSlices}); q may be the count. */
    public static int threadSliceStart(int batch, int q) {
        return (int) ((long) batch * q / threadSlices(batch));
    }

    /** The body over {@code [0, batch)} in {@code slices} slices, on the calling thread alone for one. */
    private static void run(int batch, int slices, Slice body) {
        if (slices < 2) {
            body.run(0, batch);
            return;
        }
        new Run(body).run(batch, slices);
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
        /** The last task submitted, null before the first. */
        private Task task;
        private boolean started;
        private boolean inline;

        /** The body on a worker, noting that it has begun. */
        private final class Task extends RecursiveAction {
            private static final long serialVersionUID = 1L;
            volatile boolean begun;

            @Override
            protected void compute() {
                begun = true;
                body.run();
            }
        }

        public Side(Runnable body) {
            this.body = body;
        }

        /**
         * Starts the body on the workers (with one thread, or when started on one of the workers
         * itself, e.g. inside a loop's slice, it runs in {@link #join}, on the caller: a worker that
         * waits for a task queued behind itself would wait for ever).
         */
        public void start() {
            if (started) {
                throw new IllegalStateException("started twice without a join");
            }
            started = true;
            inline = POOL == null || Thread.currentThread() instanceof ForkJoinWorkerThread w && w.getPool() == POOL;
            if (!inline) {
                if (task == null || !task.isDone()) {
                    // the first, or the last left queued by joinIfBegun (it runs, and finds nothing to
                    // do, when a worker is free)
                    task = new Task();
                } else {
                    task.reinitialize();
                    task.begun = false;
                }
                POOL.execute(task);
            }
        }

        /**
         * {@link #join} where a worker has begun the body; where none has yet (on a virtual machine a
         * worker can be off its core for milliseconds), returns at once and leaves the task queued, to
         * run when a worker is free. For a body that shares its work with the caller through claims
         * (pieces taken from a counter), all of which the caller has taken by now: the body then finds
         * nothing to do, and the caller knows from the pieces' own count when the claimed ones are
         * done. With one thread the body runs here, as in join.
         */
        public void joinIfBegun() {
            if (!started) {
                throw new IllegalStateException("join without a start");
            }
            if (inline || task.begun) {
                join();
                return;
            }
            started = false;
        }

        /**
         * Waits for the body, working meanwhile on the slices of its loops (whose helpers wait in the
         * pool while the body holds a worker); rethrows what it threw.
         */
        public void join() {
            if (!started) {
                throw new IllegalStateException("join without a start");
            }
            started = false;
            if (inline) {
                body.run();
                return;
            }
            for (int i = 0; !task.isDone(); i++) {
                if (helpOpenRuns()) {
                    i = 0;
                } else {
                    Run.pause(i);
                }
            }
            task.join();
        }
    }

    /**
     * Values (of up to 8 bytes) between two slices' rows in a workspace that each slice reads back
     * step after step, as a recursion's running values: a cache line, so that neither worker's next
     * step has to take the line back from the other (index {@code row + SLICE_GAP * from} for the
     * slice that starts at sequence {@code from}).
     */
    public static final int SLICE_GAP = 16;

    /** Below this much work a loop runs on the calling thread. */
    private static final long SERIAL_WORK = 200_000;
    /** The least work worth a slice of its own. */
    private static final long SLICE_WORK = 50_000;

    /**
     * The order in which a loop of n slices hands them out, {@code ORDERS[n][s]} the slice taken s-th:
     * the slices read as a grid of {@link #THREADS} rows of consecutive slices, column by column, so
     * that the slices that threads work on at the same time lie far apart in the batch. Neighbouring
     * sequences share cache lines at their boundaries in the arrays of a step (the trajectory's
     * rows, the spike counts): two threads on neighbouring slices write the same lines at every step
     * (the forward loop's input sums took 12-13 ms against 16 in alternate runs, 2026-12-07).
     */
    static final int[][] ORDERS = orders(4 * THREADS, THREADS);

    static int[][] orders(int most, int threads) {
        int[][] orders = new int[most + 1][];
        for (int n = 1; n <= most; n++) {
            int per = (n + threads - 1) / threads;
            int[] order = new int[n];
            int c = 0;
            for (int j = 0; j < per; j++) {
                for (int t = 0; t < threads; t++) {
                    int q = t * per + j;
                    if (q < n) {
                        order[c++] = q;
                    }
                }
            }
            orders[n] = order;
        }
        return orders;
    }

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
     * {@link #forEachSlice}, but its helper tasks are kept and reinitialised between runs, so a run
     * allocates nothing. The body reads what changes from run to run from fields its owner sets
     * before {@link #run}. Not thread-safe: one run at a time.
     */
    public static final class Loop {
        private final Slice body;
        private final Run run;

        public Loop(Slice body) {
            this.body = body;
            this.run = new Run(body);
        }

        /** Runs the body over {@code [0, batch)}, in slices when the work is large enough. */
        public void run(int batch, long workPerSequence) {
            int slices = slices(batch, workPerSequence);
            if (slices < 2) {
                body.run(0, batch);
                return;
            }
            run.run(batch, slices);
        }

        /** As {@link #run}, in the slices of {@link #forEachThreadSlice}: one per thread. */
        public void runThreadSlices(int batch, long workPerSequence) {
            if (slices(batch, workPerSequence) < 2) {
                body.run(0, batch);
                return;
            }
            run.run(batch, threadSlices(batch));
        }
    }

    /** The runs in progress, which a thread waiting for a {@link Side} helps with; null slots are free. */
    private static final AtomicReferenceArray<Run> OPEN = new AtomicReferenceArray<>(8 * THREADS + 8);

    /** Takes slices of the runs in progress; whether there were any. */
    private static boolean helpOpenRuns() {
        boolean helped = false;
        for (int i = 0; i < OPEN.length(); i++) {
            Run r = OPEN.get(i);
            if (r != null && r.next.get() < r.slices) {
                r.help();
                helped = true;
            }
        }
        return helped;
    }

    /**
     * One loop's slices, taken in turn from {@link #next} by the calling thread and by helpers on the
     * pool. A helper counts itself in {@link #active} before it takes a slice, so that the caller,
     * once the counter is past the last slice, knows that every slice taken is done when no helper
     * is active. A helper that starts after the run has ended finds no slice (or, if the same loop
     * runs again meanwhile, takes slices of that run, counted the same way) and returns.
     */
    private static final class Run {
        /** Past every slice: what a failure sets {@link #next} to, so that no one takes another. */
        private static final int STOP = Integer.MAX_VALUE / 2;
        /** Spins, then yields, then short parks while the caller waits for the helpers' last slices. */
        private static final int SPINS = 1 << 10;
        private static final int YIELDS = 1 << 14;

        private final Slice body;
        private final AtomicInteger next = new AtomicInteger(STOP);
        private final AtomicInteger active = new AtomicInteger();
        private final AtomicReference<Throwable> failure = new AtomicReference<>();
        private volatile int batch;
        private volatile int slices;
        private final Helper[] helpers = new Helper[THREADS - 1];

        Run(Slice body) {
            this.body = body;
        }

        void run(int batch, int slices) {
            this.batch = batch;
            this.slices = slices;
            failure.set(null);
            next.set(0); // publishes batch and slices to the helpers, which read them after taking a slice
            int wanted = Math.min(helpers.length, slices - 1);
            for (int i = 0; i < wanted; i++) {
                Helper h = helpers[i];
                if (h == null) {
                    h = helpers[i] = new Helper(this);
                } else if (!h.isDone()) {
                    // still queued from an earlier run (it helps with this one when it starts), lingering
                    // after one (it finds this one open), or just returning from one: then it is done in
                    // an instant
                    for (int k = 0; k < SPINS && h.started && !h.lingering && !h.isDone(); k++) {
                        Thread.onSpinWait();
                    }
                    if (!h.isDone()) {
                        continue;
                    }
                }
                if (h.isDone()) {
                    h.reinitialize();
                }
                h.started = false;
                POOL.execute(h);
            }
            int slot = -1;
            for (int i = 0; i < OPEN.length() && slot < 0; i++) {
                if (OPEN.get(i) == null && OPEN.compareAndSet(i, null, this)) {
                    slot = i;
                }
            }
            work();
            if (slot >= 0) {
                OPEN.set(slot, null);
            }
            awaitHelpers();
            // Until the next run has set its fields, a helper that starts late must find no slice: a
            // counter left just past this run's slices could fall below the next run's count.
            next.set(STOP);
            Throwable f = failure.get();
            if (f != null) {
                if (f instanceof RuntimeException e) {
                    throw e;
                }
                if (f instanceof Error e) {
                    throw e;
                }
                throw new IllegalStateException(f);
            }
        }

        /** Takes slices until there are none left. */
        void work() {
            try {
                int s;
                while ((s = next.getAndIncrement()) < slices) {
                    long b = batch;
                    int n = slices;
                    int q = ORDERS[n][s];
                    body.run((int) (b * q / n), (int) (b * (q + 1) / n));
                }
            } catch (Throwable t) {
                failure.compareAndSet(null, t);
                next.set(STOP);
            }
        }

        /** Takes slices as a helper does: counted in {@link #active} while it may hold one. */
        void help() {
            active.incrementAndGet();
            try {
                work();
            } finally {
                active.decrementAndGet();
            }
        }

        private void awaitHelpers() {
            for (int i = 0; active.get() != 0; i++) {
                pause(i);
            }
        }

        /** The i-th wait of a polling loop: spins, then yields, then short parks. */
        static void pause(int i) {
            if (i < SPINS) {
                Thread.onSpinWait();
            } else if (i < SPINS + YIELDS) {
                Thread.yield();
            } else {
                LockSupport.parkNanos(50_000);
            }
        }
    }

    /** How long a helper stays on its core after its slices, in nanoseconds ({@code -Deprop.lingerMicros}). */
    static final long LINGER_NANOS = 1000L * Math.max(0, Long.getLong("eprop.lingerMicros", 1000));

    /** A pool task that takes slices of its {@link Run}, then lingers ({@link #LINGER_NANOS}). */
    private static final class Helper extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient Run run;
        volatile boolean started;
        /** Set while it lingers: a run of its loop that starts then finds it through {@link #OPEN}. */
        volatile boolean lingering;

        Helper(Run run) {
            this.run = run;
        }

        @Override
        protected void compute() {
            started = true;
            run.help();
            if (LINGER_NANOS > 0) {
                lingering = true;
                try {
                    linger();
                } finally {
                    lingering = false;
                }
                helpOpenRuns(); // a run that started as the lingering ended, trusting it to help
            }
        }

        /** Takes slices of the runs that start within {@link #LINGER_NANOS} of the last, until a pool task waits. */
        private static void linger() {
            long until = System.nanoTime() + LINGER_NANOS;
            while (System.nanoTime() < until && !POOL.hasQueuedSubmissions()) {
                if (helpOpenRuns()) {
                    until = System.nanoTime() + LINGER_NANOS;
                } else {
                    Thread.yield();
                }
            }
        }
    }
}
