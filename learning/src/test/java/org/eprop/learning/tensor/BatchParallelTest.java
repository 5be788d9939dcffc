package org.eprop.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** {@link BatchParallel}: slices cover the batch once; a side task runs beside the caller's loops. */
class BatchParallelTest {

    @Test
    void slicesCoverEverySequenceOnce() {
        int batch = 37;
        int[] seen = new int[batch];
        BatchParallel.forEachSlice(batch, 1_000_000, (from, to) -> {
            for (int b = from; b < to; b++) {
                synchronized (seen) {
                    seen[b]++;
                }
            }
        });
        int[] once = new int[batch];
        java.util.Arrays.fill(once, 1);
        assertArrayEquals(once, seen);
    }

    /**
     * The time loop's slicing: one slice per thread (at most one per sequence), covering every
     * sequence once; small work runs as one slice.
     */
    @Test
    void threadSlicesAreOnePerThreadAndCoverEverySequenceOnce() {
        for (int batch : new int[] {64, 37, 1}) {
            int[] seen = new int[batch];
            java.util.List<int[]> slices = new java.util.ArrayList<>();
            BatchParallel.forEachThreadSlice(batch, 1_000_000, (from, to) -> {
                synchronized (seen) {
                    slices.add(new int[] {from, to});
                    for (int b = from; b < to; b++) {
                        seen[b]++;
                    }
                }
            });
            int[] once = new int[batch];
            java.util.Arrays.fill(once, 1);
            assertArrayEquals(once, seen, "batch " + batch);
            int expected = batch < 2 || BatchParallel.threads() < 2 ? 1 : Math.min(batch, BatchParallel.threads());
            assertEquals(expected, slices.size(), "batch " + batch + ": slices");
        }
        java.util.List<int[]> small = new java.util.ArrayList<>();
        BatchParallel.forEachThreadSlice(64, 1, (from, to) -> small.add(new int[] {from, to}));
        assertEquals(1, small.size(), "small work: one slice on the calling thread");
        assertArrayEquals(new int[] {0, 64}, small.get(0));
    }

    @Test
    void theSlicesAreHandedOutFarApartAndEachOnce() {
        for (int n = 1; n < BatchParallel.ORDERS.length; n++) {
            int[] order = BatchParallel.ORDERS[n];
            boolean[] seen = new boolean[n];
            for (int q : order) {
                assertTrue(!seen[q], "n " + n + ": slice " + q + " twice");
                seen[q] = true;
            }
        }
        assertArrayEquals(new int[] {0, 4, 1, 5, 2, 6, 3, 7}, BatchParallel.orders(8, 2)[8]);
        assertArrayEquals(new int[] {0, 4, 1, 5, 2, 6, 3}, BatchParallel.orders(8, 2)[7]);
        assertArrayEquals(new int[] {0, 2, 4, 1, 3}, BatchParallel.orders(8, 4)[5]);
        assertArrayEquals(new int[] {0, 1, 2}, BatchParallel.orders(8, 1)[3]);
    }

    @Test
    void aLoopRunAgainAndAgainCoversEverySequenceOnceEachTime() {
        int batch = 64;
        AtomicInteger[] seen = new AtomicInteger[batch];
        for (int b = 0; b < batch; b++) {
            seen[b] = new AtomicInteger();
        }
        BatchParallel.Loop loop = new BatchParallel.Loop((from, to) -> {
            for (int b = from; b < to; b++) {
                seen[b].incrementAndGet();
            }
        });
        int runs = 500;
        for (int r = 0; r < runs; r++) {
            loop.run(r % 2 == 0 ? batch : batch / 2, 1_000_000); // two sizes: a late helper must not mix them up
        }
        for (int b = 0; b < batch; b++) {
            assertEquals(b < batch / 2 ? runs : runs / 2, seen[b].get(), "sequence " + b);
        }
    }

    @Test
    void aSliceThatThrowsFailsTheLoopOnlyOnceNoSliceIsStillRunning() {
        AtomicInteger running = new AtomicInteger();
        AtomicInteger afterReturn = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> BatchParallel.forEachSlice(64, 1_000_000, (from, to) -> {
                    running.incrementAndGet();
                    try {
                        long until = System.nanoTime() + 200_000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        if (from <= 5 && 5 < to) {
                            throw new IllegalStateException("slice with sequence 5");
                        }
                    } finally {
                        running.decrementAndGet();
                    }
                }));
        afterReturn.set(running.get());
        assertEquals("slice with sequence 5", e.getMessage());
        assertEquals(0, afterReturn.get(), "slices still running after the loop returned");
    }

    @Test
    void aSideTaskRunsBesideTheCallersLoopsAndGivesTheSameNumbers() {
        // the same two computations one after the other and side by side
        double[] a = new double[64];
        double[] b = new double[64];
        Runnable left = () -> BatchParallel.forEachSlice(a.length, 1_000_000, (from, to) -> {
            for (int i = from; i < to; i++) {
                double s = 0;
                for (int k = 0; k < 20_000; k++) {
                    s += Math.sin(i + k * 1e-3);
                }
                a[i] = s;
            }
        });
        Runnable right = () -> BatchParallel.forEachSlice(b.length, 1_000_000, (from, to) -> {
            for (int i = from; i < to; i++) {
                double s = 0;
                for (int k = 0; k < 20_000; k++) {
                    s += Math.cos(i - k * 1e-3);
                }
                b[i] = s;
            }
        });
        left.run();
        right.run();
        double[] a0 = a.clone();
        double[] b0 = b.clone();
        java.util.Arrays.fill(a, 0);
        java.util.Arrays.fill(b, 0);
        BatchParallel.Side side = new BatchParallel.Side(left);
        for (int rep = 0; rep < 3; rep++) {
            java.util.Arrays.fill(a, 0);
            java.util.Arrays.fill(b, 0);
            side.start();
            right.run();
            side.join();
            assertArrayEquals(a0, a, "run " + rep);
            assertArrayEquals(b0, b, "run " + rep);
        }
    }

    @Test
    void joinRethrowsWhatTheTaskThrew() {
        AtomicInteger runs = new AtomicInteger();
        BatchParallel.Side t = new BatchParallel.Side(() -> {
            runs.incrementAndGet();
            throw new IllegalStateException("boom");
        });
        t.start();
        RuntimeException e = assertThrows(RuntimeException.class, t::join);
        assertEquals(1, runs.get());
        // the pool may wrap the task's exception in one of the same type: the original is the root
        Throwable c = e;
        while (c.getCause() != null) {
            c = c.getCause();
        }
        assertEquals(IllegalStateException.class, c.getClass());
        assertEquals("boom", c.getMessage());
    }

    /**
     * joinIfBegun waits for a body that a worker has begun, and leaves one that no worker has begun
     * (every worker busy) queued: it runs once a worker is free, and the next start runs the body
     * again. With one thread it runs the body, as join does.
     */
    @Test
    void joinIfBegunWaitsOnlyForABodyAWorkerHasBegun() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        BatchParallel.Side side = new BatchParallel.Side(runs::incrementAndGet);
        if (BatchParallel.threads() == 1) {
            side.start();
            side.joinIfBegun();
            assertEquals(1, runs.get(), "one thread: the body runs in joinIfBegun");
            return;
        }
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            // every worker held by a task of its own
            java.util.concurrent.CountDownLatch release = new java.util.concurrent.CountDownLatch(1);
            AtomicInteger holding = new AtomicInteger();
            int workers = BatchParallel.threads() - 1;
            BatchParallel.Side[] holds = new BatchParallel.Side[workers];
            for (int i = 0; i < workers; i++) {
                holds[i] = new BatchParallel.Side(() -> {
                    holding.incrementAndGet();
                    try {
                        release.await();
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                });
                holds[i].start();
            }
            while (holding.get() < workers) {
                Thread.onSpinWait();
            }
            side.start();
            side.joinIfBegun();
            assertEquals(0, runs.get(), "returned without waiting for a body no worker had begun");
            release.countDown();
            for (BatchParallel.Side h : holds) {
                h.join();
            }
            while (runs.get() < 1) {
                Thread.onSpinWait(); // the queued task runs once a worker is free
            }
            side.start();
            side.join();
            assertEquals(2, runs.get(), "started again after the queued task");
            // a body that a worker has begun is waited for
            AtomicInteger begun = new AtomicInteger();
            AtomicInteger done = new AtomicInteger();
            BatchParallel.Side slow = new BatchParallel.Side(() -> {
                begun.incrementAndGet();
                long until = System.nanoTime() + 50_000_000;
                while (System.nanoTime() < until) {
                    Thread.onSpinWait();
                }
                done.incrementAndGet();
            });
            slow.start();
            while (begun.get() < 1) {
                Thread.onSpinWait();
            }
            slow.joinIfBegun();
            assertEquals(1, done.get(), "joinIfBegun returned before the begun body ended");
        });
    }

    @Test
    void aSideTaskStartedInsideALoopsSliceRunsThere() {
        // A slice that a pool worker runs starts and joins a side task: queued behind the worker
        // itself it would never run (on two threads the pool has that one worker), so it runs in join.
        java.util.Set<String> threads = java.util.concurrent.ConcurrentHashMap.newKeySet();
        AtomicInteger sides = new AtomicInteger();
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(20), () -> {
            for (int rep = 0; rep < 50; rep++) {
                BatchParallel.forEachSlice(16, 1_000_000, (from, to) -> {
                    threads.add(Thread.currentThread().getName());
                    for (int b = from; b < to; b++) {
                        BatchParallel.Side side = new BatchParallel.Side(sides::incrementAndGet);
                        side.start();
                        long until = System.nanoTime() + 20_000;
                        while (System.nanoTime() < until) {
                            Thread.onSpinWait();
                        }
                        side.join();
                    }
                });
            }
        });
        assertEquals(50 * 16, sides.get());
        if (BatchParallel.threads() > 1) {
            assertTrue(threads.size() > 1, "the workers took slices too: " + threads);
        }
    }
}
