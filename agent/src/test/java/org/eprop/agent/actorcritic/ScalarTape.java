package org.eprop.agent.actorcritic;

import java.util.Arrays;

/**
 * A scalar computation graph for the whole-agent oracles: every value is a node with at most two
 * parents and the local partial derivatives towards them, so the same recorded graph can be
 * differentiated by a reverse sweep ({@link #gradient}) and by forward (tangent) sweeps
 * ({@link #tangent}). It knows nothing of spiking networks beyond two primitives:
 * <ul>
 *   <li>{@link #spike}: the Heaviside step of a scaled voltage, strictly positive argument, whose
 *       derivative is the triangular pseudo-derivative {@code gamma max(0, 1 - |vs|)}
 *       (docs/model.md §1.1);</li>
 *   <li>{@link #stop}: a stop-gradient, the construction of the original code
 *       (IGITUGraz/eligibility_propagation; docs/model.md §2.5), and {@link #gradScale}, a node whose
 *       value passes unchanged and whose derivative is scaled.</li>
 * </ul>
 *
 * <p><b>Frozen replay</b> ({@link #frozen}): a tape built again with different parameters, whose
 * stop-gradients return the values of a reference tape (in call order) and whose spikes are
 * {@code H(vs_ref) + S(vs) - S(vs_ref)} with {@code S' = gamma max(0, 1 - |vs|)}. At the reference
 * parameters it is the reference graph; its ordinary derivative is the graph's surrogate gradient,
 * so central finite differences of frozen replays check the local partials of this class (and the
 * way a graph is built on it) independently of the sweeps.
 */
final class ScalarTape {
    private static final int NONE = -1;

    private double[] value = new double[1 << 12];
    private int[] parentA = new int[1 << 12];
    private int[] parentB = new int[1 << 12];
    private double[] partialA = new double[1 << 12];
    private double[] partialB = new double[1 << 12];
    private int size;

    // The values every stop and every spike's scaled voltage took, in call order: a frozen replay reads them.
    private double[] stopLog = new double[1 << 10];
    private int stops;
    private double[] spikeLog = new double[1 << 10];
    private int spikes;
    private final ScalarTape reference;

    ScalarTape() {
        this.reference = null;
    }

    private ScalarTape(ScalarTape reference) {
        this.reference = reference;
    }

    /** A tape that replays {@code reference}'s stop values and spike decisions (see the class comment). */
    static ScalarTape frozen(ScalarTape reference) {
        return new ScalarTape(reference);
    }

    int size() {
        return size;
    }

    double value(int node) {
        return value[node];
    }

    private int node(double v, int a, double da, int b, double db) {
        if (size == value.length) {
            int n = size * 2;
            value = Arrays.copyOf(value, n);
            parentA = Arrays.copyOf(parentA, n);
            parentB = Arrays.copyOf(parentB, n);
            partialA = Arrays.copyOf(partialA, n);
            partialB = Arrays.copyOf(partialB, n);
        }
        value[size] = v;
        parentA[size] = a;
        partialA[size] = da;
        parentB[size] = b;
        partialB[size] = db;
        return size++;
    }

    /** A leaf: a constant or a parameter (which one is up to the caller's seeds). */
    int leaf(double v) {
        return node(v, NONE, 0, NONE, 0);
    }

    int add(int a, int b) {
        return node(value[a] + value[b], a, 1, b, 1);
    }

    int sub(int a, int b) {
        return node(value[a] - value[b], a, 1, b, -1);
    }

    int mul(int a, int b) {
        return node(value[a] * value[b], a, value[b], b, value[a]);
    }

    /** {@code s * a}. */
    int scale(int a, double s) {
        return node(s * value[a], a, s, NONE, 0);
    }

    /** {@code a + c}. */
    int offset(int a, double c) {
        return node(value[a] + c, a, 1, NONE, 0);
    }

    /** {@code sa * a + sb * b}. */
    int combine(int a, double sa, int b, double sb) {
        return node(sa * value[a] + sb * value[b], a, sa, b, sb);
    }

    int square(int a) {
        return node(value[a] * value[a], a, 2 * value[a], NONE, 0);
    }

    int exp(int a) {
        double e = Math.exp(value[a]);
        return node(e, a, e, NONE, 0);
    }

    int log(int a) {
        return node(Math.log(value[a]), a, 1 / value[a], NONE, 0);
    }

    /** {@code max(0, a)}, derivative 0 at 0. */
    int relu(int a) {
        double v = value[a];
        return v > 0 ? node(v, a, 1, NONE, 0) : node(0.0, NONE, 0, NONE, 0);
    }

    /** The value of {@code a}, as a constant. */
    int stop(int a) {
        double v;
        if (reference != null) {
            v = reference.stopLog[stops++];
        } else {
            v = value[a];
            if (stops == stopLog.length) {
                stopLog = Arrays.copyOf(stopLog, stops * 2);
            }
            stopLog[stops++] = v;
        }
        return node(v, NONE, 0, NONE, 0);
    }

    /** The value of {@code a} read as a number that no derivative passes: {@code value(stop(a))}. */
    double constant(int a) {
        return value[stop(a)];
    }

    /**
     * The value of {@code a}, with the derivative multiplied by {@code s}: {@code stop(a) + s (a -
     * stop(a))}, whose value is exactly {@code a}'s and whose frozen replays change by {@code s}
     * times the change of {@code a}, so finite differences see the scaled derivative too.
     */
    int gradScale(int a, double s) {
        int fixed = stop(a);
        return combine(fixed, 1.0, sub(a, fixed), s);
    }

    /** {@code H(vs)} (strictly positive) with derivative {@code gamma max(0, 1 - |vs|)}. */
    int spike(int vs, double gamma) {
        double x = value[vs];
        double d = gamma * Math.max(0.0, 1.0 - Math.abs(x));
        if (reference != null) {
            double ref = reference.spikeLog[spikes++];
            double v = (ref > 0 ? 1.0 : 0.0) + smooth(x, gamma) - smooth(ref, gamma);
            return node(v, vs, d, NONE, 0);
        }
        if (spikes == spikeLog.length) {
            spikeLog = Arrays.copyOf(spikeLog, spikes * 2);
        }
        spikeLog[spikes++] = x;
        return node(x > 0 ? 1.0 : 0.0, vs, d, NONE, 0);
    }

    /** Whether a spike node fired (in a frozen replay: whether the reference's did). */
    boolean fired(int spikeNode) {
        return value[spikeNode] > 0.5;
    }

    /** The antiderivative of the pseudo-derivative, {@code S' = gamma max(0, 1 - |x|)}, S(-1) = 0. */
    private static double smooth(double x, double gamma) {
        if (x <= -1) {
            return 0;
        }
        if (x <= 0) {
            return gamma * 0.5 * (1 + x) * (1 + x);
        }
        if (x < 1) {
            return gamma * (1 - 0.5 * (1 - x) * (1 - x));
        }
        return gamma;
    }

    /** The smallest distance of any spike's scaled voltage to a kink of the pseudo-derivative (-1, 0, 1). */
    double spikeMargin() {
        double m = Double.POSITIVE_INFINITY;
        for (int i = 0; i < spikes; i++) {
            double x = spikeLog[i];
            m = Math.min(m, Math.min(Math.abs(x), Math.min(Math.abs(x - 1), Math.abs(x + 1))));
        }
        return m;
    }

    /** d out / d node for every node: the reverse sweep. */
    double[] gradient(int out) {
        double[] adj = new double[size];
        adj[out] = 1;
        for (int i = out; i >= 0; i--) {
            double g = adj[i];
            if (g == 0) {
                continue;
            }
            if (parentA[i] != NONE) {
                adj[parentA[i]] += partialA[i] * g;
            }
            if (parentB[i] != NONE) {
                adj[parentB[i]] += partialB[i] * g;
            }
        }
        return adj;
    }

    /**
     * d out / d seed for every leaf in {@code seeds} by forward (tangent) sweeps, a few seeds per
     * sweep, each carrying its own tangent lane.
     */
    double[] tangents(int[] seeds, int out) {
        final int lanes = 16;
        double[] result = new double[seeds.length];
        double[] work = new double[(out + 1) * lanes];
        for (int first = 0; first < seeds.length; first += lanes) {
            int count = Math.min(lanes, seeds.length - first);
            int from = Integer.MAX_VALUE;
            for (int l = 0; l < count; l++) {
                from = Math.min(from, seeds[first + l]);
            }
            for (int i = from; i <= out; i++) {
                int a = parentA[i];
                int b = parentB[i];
                double da = partialA[i];
                double db = partialB[i];
                int w = i * lanes;
                for (int l = 0; l < lanes; l++) {
                    double t = 0;
                    if (a >= from) {
                        t = da * work[a * lanes + l];
                    }
                    if (b >= from) {
                        t += db * work[b * lanes + l];
                    }
                    work[w + l] = t;
                }
                for (int l = 0; l < count; l++) {
                    if (seeds[first + l] == i) {
                        work[w + l] = 1;
                    }
                }
            }
            for (int l = 0; l < count; l++) {
                result[first + l] = work[out * lanes + l];
            }
        }
        return result;
    }
}
