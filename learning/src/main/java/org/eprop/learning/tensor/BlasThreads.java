package org.eprop.learning.tensor;

import org.bytedeco.openblas.global.openblas;

/**
 * Holds OpenBLAS to one thread (unless {@code -Deprop.blas.threads=N} says otherwise): the
 * project's parallelism is {@link BatchParallel}'s, which also runs the panels of large products
 * ({@link Dense}). OpenBLAS's own threads wait for each other by spinning and yielding; on a machine
 * shared with other processes (or with the project's own workers) a product of a few milliseconds
 * then took ten times as long, measured on a 2-core VM: the Fig. 3 iteration's weight-gradient
 * products went from 0.23 s to 1.35 s with two OpenBLAS threads beside two busy processes.
 */
public final class BlasThreads {
    /** The system property that overrides the OpenBLAS thread count. */
    public static final String PROPERTY = "eprop.blas.threads";
    private static volatile boolean set;

    private BlasThreads() {
    }

    /** Sets OpenBLAS's thread count once per JVM (CPU backend only; cuBLAS is not affected). */
    static void single() {
        if (set) {
            return;
        }
        synchronized (BlasThreads.class) {
            if (!set) {
                openblas.blas_set_num_threads(count());
                set = true;
            }
        }
    }

    /** The OpenBLAS thread count this JVM asks for. */
    public static int count() {
        String v = System.getProperty(PROPERTY);
        if (v == null || v.isBlank()) {
            return 1;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("-D" + PROPERTY + "=" + v + ": expected a whole number of threads >= 1");
    }
}
