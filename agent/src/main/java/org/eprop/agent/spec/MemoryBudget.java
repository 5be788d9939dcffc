package org.eprop.agent.spec;

import java.util.Locale;
import org.eprop.envs.params.Checks;
import org.eprop.learning.tensor.Precision;

/**
 * What a run will hold in memory, estimated from its sizes before anything is allocated, so that a
 * config that cannot run is refused at the config check (with the key to change) rather than
 * failing later with an OutOfMemoryError, or with a negative array size when a product of sizes
 * overflows an int. The estimate counts the arrays that grow with the sizes: the weights with their
 * gradients and optimiser moments, the recorded forward pass and the backward workspaces
 * ({@link #PER_NEURON_STEP} values per neuron, step and sequence; the inputs and outputs twice:
 * the dense-product engine keeps its own copy), and per-sequence eligibility traces where the
 * learning rule carries them. It is an estimate to within a small factor, enough to tell a run
 * that fits from one that needs ten times the memory; all arithmetic is in long (or saturates).
 */
public final class MemoryBudget {
    /** Arrays of steps x batch x neurons that a training iteration holds (forward record, backward scans). */
    static final int PER_NEURON_STEP = 12;
    /** Copies of each weight matrix: the weights, the c_in-scaled copy, the gradient, its sum, two moments. */
    static final int PER_WEIGHT = 6;

    private MemoryBudget() {
    }

    /**
     * Bytes for one network of {@code n} neurons, {@code nIn} inputs and {@code nOut} outputs trained
     * on sequences of {@code steps} steps, {@code batch} at a time; {@code tracedSequences} rows of
     * per-synapse eligibility traces ({@code traceArrays} arrays each, in double), 0 for rules that
     * carry none.
     */
    public static long bytes(Precision precision, long nIn, long n, long nOut, long steps, long batch,
            long tracedSequences, int traceArrays) {
        long value = precision == Precision.FLOAT32 ? 4 : 8;
        long weights = sat(sat(n, nIn + n + nOut), PER_WEIGHT * value);
        long perRow = sat(PER_NEURON_STEP, n) + 2 * (nIn + nOut);
        long record = sat(sat(sat(steps, batch), perRow), value);
        long traces = sat(sat(sat(tracedSequences, n), nIn + n), 8L * traceArrays);
        return add(add(weights, record), traces);
    }

    /** The heap this JVM may use. */
    public static long available() {
        return Runtime.getRuntime().maxMemory();
    }

    /**
     * Adds a problem under {@code key} when {@code bytes} exceeds what this JVM may use; the message
     * says what the run would need and what to change.
     *
     * @param what the sizes in words, e.g. "100 neurons, batch 64 of 2250 steps"
     * @param fix the keys that shrink it, e.g. "network.lif / network.alif or training.batch"
     */
    public static void check(Checks checks, String key, Object value, long bytes, String what, String fix) {
        long limit = available();
        checks.check(bytes <= limit, key, value, String.format(Locale.ROOT,
                "a run that fits in memory: %s needs about %s, the JVM may use %s; reduce %s, or give the JVM "
                        + "more memory (JAVA_OPTS=-Xmx...)", what, size(bytes), size(limit), fix));
    }

    /** Bytes in words: 512 B, 3.2 MB, 41.0 GB. */
    public static String size(long bytes) {
        if (bytes == Long.MAX_VALUE) {
            return "more than 9 EB";
        }
        if (bytes < 1000) {
            return bytes + " B";
        }
        String[] units = {"kB", "MB", "GB", "TB", "PB", "EB"};
        double v = bytes;
        int u = -1;
        while (v >= 1000 && u < units.length - 1) {
            v /= 1000;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }

    private static long sat(long a, long b) {
        if (a < 0 || b < 0) {
            return Long.MAX_VALUE;
        }
        try {
            return Math.multiplyExact(a, b);
        } catch (ArithmeticException e) {
            return Long.MAX_VALUE;
        }
    }

    private static long add(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
