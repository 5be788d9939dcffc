package org.eprop.learning.ctc;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eprop.learning.tensor.RealArray;

/**
 * Decoders of CTC outputs ({@link CtcLoss}): from the outputs of one sequence's valid frames to a
 * label sequence.
 * <ul>
 *   <li>{@link #greedy}: the argmax of every frame, repeats merged, blanks removed (best path).</li>
 *   <li>{@link #beamSearch}: prefix beam search in log space. Every prefix in the beam keeps two
 *       probabilities, of its alignments so far ending in a blank and ending in its last label;
 *       extending by a label that equals the last one continues the label from a non-blank ending
 *       and starts a new label only from a blank ending. After every frame the {@code width} most
 *       probable prefixes survive. With a beam at least as wide as the number of distinct prefixes
 *       no prefix is ever dropped, the probabilities are the exact sums over alignments, and the
 *       result is the most probable label sequence (what an exhaustive search finds). The TIMIT
 *       scripts use a width of 100.</li>
 * </ul>
 */
public final class CtcDecoder {
    private final int blank;
    private final int width;

    /**
     * @param width the beam width of {@link #beamSearch}, at least 1
     */
    public CtcDecoder(int blank, int width) {
        if (blank < 0) {
            throw new IllegalArgumentException("the blank class must be >= 0, got " + blank);
        }
        if (width < 1) {
            throw new IllegalArgumentException("the beam width must be >= 1, got " + width);
        }
        this.blank = blank;
        this.width = width;
    }

    public int width() {
        return width;
    }

    /**
     * The best path of sequence b of a time-major batch {@code y [steps x batch x nOut]}.
     *
     * @param frames the sequence's valid frames
     */
    public int[] greedy(RealArray y, int b, int batch, int nOut, int frames) {
        int[] out = new int[frames];
        int n = 0;
        int last = -1;
        for (int t = 0; t < frames; t++) {
            int row = (t * batch + b) * nOut;
            int best = 0;
            for (int k = 1; k < nOut; k++) {
                if (y.get(row + k) > y.get(row + best)) {
                    best = k;
                }
            }
            if (best != blank && best != last) {
                out[n++] = best;
            }
            last = best;
        }
        return Arrays.copyOf(out, n);
    }

    /** A prefix in the beam: log probabilities of its alignments ending in blank and in its last label. */
    private static final class Beam {
        final int[] prefix;
        double blankEnd = Double.NEGATIVE_INFINITY;
        double labelEnd = Double.NEGATIVE_INFINITY;

        Beam(int[] prefix) {
            this.prefix = prefix;
        }

        double total() {
            return CtcLoss.logAdd(blankEnd, labelEnd);
        }
    }

    /** Prefix beam search over sequence b (see the class comment); the most probable label sequence. */
    public int[] beamSearch(RealArray y, int b, int batch, int nOut, int frames) {
        double[] lp = new double[nOut];
        List<Beam> beams = new ArrayList<>();
        Beam empty = new Beam(new int[0]);
        empty.blankEnd = 0.0;
        beams.add(empty);
        for (int t = 0; t < frames; t++) {
            CtcLoss.logSoftmax(y, (t * batch + b) * nOut, nOut, lp, 0);
            Map<Key, Beam> next = new HashMap<>();
            for (Beam beam : beams) {
                double total = beam.total();
                Beam same = next.computeIfAbsent(new Key(beam.prefix), key -> new Beam(beam.prefix));
                same.blankEnd = CtcLoss.logAdd(same.blankEnd, total + lp[blank]);
                int last = beam.prefix.length == 0 ? -1 : beam.prefix[beam.prefix.length - 1];
                if (last >= 0) {
                    same.labelEnd = CtcLoss.logAdd(same.labelEnd, beam.labelEnd + lp[last]);
                }
                for (int k = 0; k < nOut; k++) {
                    if (k == blank) {
                        continue;
                    }
                    int[] longer = Arrays.copyOf(beam.prefix, beam.prefix.length + 1);
                    longer[beam.prefix.length] = k;
                    Beam ext = next.computeIfAbsent(new Key(longer), key -> new Beam(longer));
                    double from = k == last ? beam.blankEnd : total;
                    ext.labelEnd = CtcLoss.logAdd(ext.labelEnd, from + lp[k]);
                }
            }
            beams = new ArrayList<>(next.values());
            // most probable first; ties by the prefix itself so that the result does not depend on hashing
            beams.sort((p, q) -> {
                int c = Double.compare(q.total(), p.total());
                return c != 0 ? c : Arrays.compare(p.prefix, q.prefix);
            });
            if (beams.size() > width) {
                beams = new ArrayList<>(beams.subList(0, width));
            }
        }
        return beams.get(0).prefix;
    }

    /** A prefix as a map key (arrays compare by identity). */
    private record Key(int[] prefix) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && Arrays.equals(prefix, k.prefix);
        }

        @Override
        public int hashCode() {
            return Arrays.hashCode(prefix);
        }
    }

    /**
     * Levenshtein distance between two sequences (substitutions, insertions and deletions cost 1),
     * the numerator of the phone error rate.
     */
    public static int editDistance(int[] a, int[] b) {
        int[] prev = new int[b.length + 1];
        int[] cur = new int[b.length + 1];
        for (int j = 0; j <= b.length; j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length; i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length; j++) {
                int sub = prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[b.length];
    }
}
