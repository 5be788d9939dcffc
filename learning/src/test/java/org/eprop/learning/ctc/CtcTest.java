package org.eprop.learning.ctc;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * CTC against brute force: every alignment of a tiny case enumerated. The loss is minus the log of
 * the summed path probabilities, its gradient {@code p(t,k) - sum_{pi: pi_t = k} P(pi) / p} from the
 * same enumeration; the beam search with a full beam must find the label sequence of highest
 * summed probability among all that the paths produce.
 */
class CtcTest {
    static final double BOUND = 1e-9;

    /** B(pi): repeats merged, then blanks removed. */
    static int[] collapse(int[] path, int blank) {
        List<Integer> out = new ArrayList<>();
        int last = -1;
        for (int k : path) {
            if (k != blank && k != last) {
                out.add(k);
            }
            last = k;
        }
        return out.stream().mapToInt(Integer::intValue).toArray();
    }

    static double[][] softmax(double[][] y) {
        double[][] p = new double[y.length][];
        for (int t = 0; t < y.length; t++) {
            double sum = 0;
            p[t] = new double[y[t].length];
            for (int k = 0; k < y[t].length; k++) {
                p[t][k] = Math.exp(y[t][k]);
                sum += p[t][k];
            }
            for (int k = 0; k < y[t].length; k++) {
                p[t][k] /= sum;
            }
        }
        return p;
    }

    /** Every path of T frames over K classes, as arrays. */
    static List<int[]> paths(int frames, int classes) {
        List<int[]> out = new ArrayList<>();
        int total = (int) Math.pow(classes, frames);
        for (int c = 0; c < total; c++) {
            int[] p = new int[frames];
            int v = c;
            for (int t = 0; t < frames; t++) {
                p[t] = v % classes;
                v /= classes;
            }
            out.add(p);
        }
        return out;
    }

    static double pathProbability(int[] path, double[][] p) {
        double prob = 1;
        for (int t = 0; t < path.length; t++) {
            prob *= p[t][path[t]];
        }
        return prob;
    }

    private static double[][] randomLogits(Rng rng, int frames, int classes, double scale) {
        double[][] y = new double[frames][classes];
        for (double[] row : y) {
            for (int k = 0; k < classes; k++) {
                row[k] = scale * rng.nextGaussian();
            }
        }
        return y;
    }

    @Test
    void lossAndGradientEqualEnumerationOfAllAlignments() {
        Rng rng = new Rng(5);
        int[][] labelSets = {{}, {0}, {1, 0}, {0, 0}, {1, 2, 1}, {2, 2, 0}, {0, 1}};
        for (int classes : new int[] {3, 4}) {
            int blank = classes - 1;
            for (int frames = 1; frames <= 6; frames++) {
                for (int[] labels : labelSets) {
                    boolean fits = true;
                    int needed = labels.length;
                    for (int i = 0; i < labels.length; i++) {
                        fits &= labels[i] < blank;
                        needed += i > 0 && labels[i] == labels[i - 1] ? 1 : 0;
                    }
                    if (!fits || needed > frames) {
                        continue;
                    }
                    double[][] y = randomLogits(rng, frames, classes, 2.0);
                    check(y, labels, blank);
                }
            }
        }
    }

    /** One sequence, in the middle of a padded batch of three, against the enumeration. */
    private static void check(double[][] y, int[] labels, int blank) {
        int frames = y.length;
        int classes = y[0].length;
        double[][] p = softmax(y);
        double total = 0;
        double[][] occupancy = new double[frames][classes];
        for (int[] path : paths(frames, classes)) {
            if (Arrays.equals(collapse(path, blank), labels)) {
                double pp = pathProbability(path, p);
                total += pp;
                for (int t = 0; t < frames; t++) {
                    occupancy[t][path[t]] += pp;
                }
            }
        }
        double weight = 0.37;
        int batch = 3;
        int steps = frames + 2;
        Targets targets = new Targets().resize(steps, batch, classes);
        RealArray yb = Precision.FLOAT64.zeros(steps * batch * classes);
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < classes; k++) {
                yb.set((t * batch + 1) * classes + k, t < frames ? y[t][k] : 1e3); // padding never read
            }
        }
        for (int t = 0; t < frames; t++) {
            targets.setWeight(t, 1, weight);
            targets.setLabel(t, 1, t < labels.length ? labels[t] : blank);
        }
        RealArray dy = Precision.FLOAT64.zeros(yb.length());
        double loss = new CtcLoss(blank).evaluate(yb, targets, dy);
        double expected = -weight * Math.log(total);
        assertEquals(expected, loss, BOUND * Math.max(1, Math.abs(expected)), "loss of " + Arrays.toString(labels));
        for (int t = 0; t < steps; t++) {
            for (int k = 0; k < classes; k++) {
                double g = t < frames ? weight * (p[t][k] - occupancy[t][k] / total) : 0.0;
                assertEquals(g, dy.get((t * batch + 1) * classes + k), BOUND, "dE/dy(" + t + ", " + k + ")");
                assertEquals(0.0, dy.get((t * batch) * classes + k), 0.0, "other sequences have no weight");
            }
        }
    }

    @Test
    void fullBeamEqualsExhaustiveSearch() {
        Rng rng = new Rng(9);
        for (int trial = 0; trial < 40; trial++) {
            int classes = 3 + trial % 2;
            int frames = 2 + trial % 5;
            int blank = trial % 3 == 0 ? 0 : classes - 1;
            double[][] y = randomLogits(rng, frames, classes, 1.5);
            double[][] p = softmax(y);
            Map<String, Double> bySequence = new HashMap<>();
            Map<String, int[]> sequences = new HashMap<>();
            for (int[] path : paths(frames, classes)) {
                int[] l = collapse(path, blank);
                bySequence.merge(Arrays.toString(l), pathProbability(path, p), Double::sum);
                sequences.put(Arrays.toString(l), l);
            }
            String best = null;
            for (var e : bySequence.entrySet()) {
                if (best == null || e.getValue() > bySequence.get(best)) {
                    best = e.getKey();
                }
            }
            RealArray yb = Precision.FLOAT64.zeros(frames * classes);
            for (int t = 0; t < frames; t++) {
                for (int k = 0; k < classes; k++) {
                    yb.set(t * classes + k, y[t][k]);
                }
            }
            int full = 1;
            for (int t = 0; t < frames; t++) {
                full *= classes; // more than the number of distinct prefixes
            }
            int[] found = new CtcDecoder(blank, full).beamSearch(yb, 0, 1, classes, frames);
            assertArrayEquals(sequences.get(best), found, "trial " + trial);
            int[] greedy = new CtcDecoder(blank, 1).greedy(yb, 0, 1, classes, frames);
            int[] bestPath = null;
            double bestP = -1;
            for (int[] path : paths(frames, classes)) {
                double pp = pathProbability(path, p);
                if (pp > bestP) {
                    bestP = pp;
                    bestPath = path;
                }
            }
            assertArrayEquals(collapse(bestPath, blank), greedy, "greedy is the best path, trial " + trial);
        }
    }

    @Test
    void editDistanceByHand() {
        assertEquals(0, CtcDecoder.editDistance(new int[] {1, 2, 3}, new int[] {1, 2, 3}));
        assertEquals(3, CtcDecoder.editDistance(new int[] {}, new int[] {1, 2, 3}));
        assertEquals(1, CtcDecoder.editDistance(new int[] {1, 3}, new int[] {1, 2, 3}));
        assertEquals(2, CtcDecoder.editDistance(new int[] {2, 1}, new int[] {1, 2}));
        assertEquals(3, CtcDecoder.editDistance(new int[] {7, 8, 9}, new int[] {1, 2, 3}));
    }

    @Test
    void impossibleAlignmentIsRefusedWithTheSequenceNamed() {
        Targets targets = new Targets().resize(2, 1, 3);
        targets.setWeight(0, 0, 1);
        targets.setWeight(1, 0, 1);
        targets.setLabel(0, 0, 1);
        targets.setLabel(1, 0, 1); // "1 1" needs 3 frames
        var e = assertThrows(IllegalArgumentException.class,
                () -> new CtcLoss(2).evaluate(Precision.FLOAT64.zeros(6), targets, Precision.FLOAT64.zeros(6)));
        assertTrue(e.getMessage().contains("sequence 0"), e.getMessage());
    }
}
