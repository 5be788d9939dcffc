package org.eprop.agent.run;

import java.lang.management.ManagementFactory;

/**
 * Bytes allocated on the Java heap by all live threads of the JVM so far, as the JVM counts them per
 * thread ({@code com.sun.management.ThreadMXBean#getThreadAllocatedBytes}): the difference of two
 * readings is what the threads allocated in between, the environments' threads and the pool's
 * workers included, which a reading of the calling thread alone would miss. A thread that ends
 * between two readings takes its count with it (the difference then comes out lower).
 *
 * <p>A reading enumerates the threads into a kept array and adds up their counters one by one, so
 * it allocates (almost) nothing itself and can bracket short stretches of a hot loop. Not
 * thread-safe: one meter per reading thread.
 */
public final class AllocationMeter {
    private static final com.sun.management.ThreadMXBean THREADS = threads();
    private Thread[] threads = new Thread[64];

    private static com.sun.management.ThreadMXBean threads() {
        if (ManagementFactory.getThreadMXBean() instanceof com.sun.management.ThreadMXBean t
                && t.isThreadAllocatedMemorySupported()) {
            if (!t.isThreadAllocatedMemoryEnabled()) {
                t.setThreadAllocatedMemoryEnabled(true);
            }
            return t;
        }
        return null;
    }

    /** Whether this JVM counts allocations per thread; without it every reading is 0. */
    public static boolean supported() {
        return THREADS != null;
    }

    /** The sum of the allocation counters of all live threads now. */
    public long allocatedBytes() {
        if (THREADS == null) {
            return 0;
        }
        ThreadGroup root = Thread.currentThread().getThreadGroup();
        while (root.getParent() != null) {
            root = root.getParent();
        }
        int n;
        while ((n = root.enumerate(threads, true)) == threads.length) {
            threads = new Thread[2 * threads.length];
        }
        long sum = 0;
        for (int i = 0; i < n; i++) {
            long bytes = THREADS.getThreadAllocatedBytes(threads[i].getId());
            if (bytes > 0) {
                sum += bytes;
            }
            threads[i] = null;
        }
        return sum;
    }
}
