package org.eprop.supervised.timit;

import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * TIMIT phone recognition behind the supervised interface: an episode is an utterance, a step is a
 * 10 ms frame, and a batch is a padded set of utterances of unequal lengths.
 *
 * <p>A batch of B utterances of {@code L_b} frames is {@code T = max_b L_b} frames long. Inputs are
 * time-major {@code [T x B x inputs]}, zero beyond each utterance. The {@link Targets} weights are the
 * mask: positive exactly on valid frames ({@link Targets#lengths} reads the lengths back), 0 on the
 * padding, so that every loss, metric and gradient leaves the padding out.
 * <ul>
 *   <li>{@link Mode#FRAMEWISE}: the label of frame t is its phone; weight {@code 1/(L_b B)}, so that the
 *       cross-entropy is the mean over utterances of the mean over their frames (the frame-wise
 *       script's loss).</li>
 *   <li>{@link Mode#CTC}: the outputs are the phones plus a blank (the last class). The label
 *       sequence of utterance b is written into labels {@code (0..U_b-1, b)}, followed by the blank as
 *       its terminator when {@code U_b < L_b}; the weights are {@code 1/B} on valid frames. The
 *       sequence is the frame labels with repeats merged (two adjacent segments of the same phone,
 *       rare in TIMIT, become one).</li>
 * </ul>
 */
public final class TimitTask implements SupervisedTask {

    /** What the network is trained to output. */
    public enum Mode { FRAMEWISE, CTC }

    /** Id prefix of every TIMIT environment. */
    public static final String PREFIX = "timit/";
    public static final String FRAMEWISE_ID = PREFIX + "framewise";
    public static final String CTC_ID = PREFIX + "ctc";

    private final TimitData data;
    private final Mode mode;
    private final int maxFrames;

    public TimitTask(TimitData data, Mode mode) {
        this.data = data;
        this.mode = mode;
        this.maxFrames = data.maxFrames();
    }

    public TimitData data() {
        return data;
    }

    public Mode mode() {
        return mode;
    }

    /** The phone classes (61 or 39), without the CTC blank. */
    public int phones() {
        return data.phones().size();
    }

    /** The index of the CTC blank ({@link #phones()}), or -1 for the frame-wise task. */
    public int blank() {
        return mode == Mode.CTC ? phones() : -1;
    }

    @Override
    public String id() {
        return mode == Mode.CTC ? CTC_ID : FRAMEWISE_ID;
    }

    @Override
    public int inputs() {
        return data.inputs();
    }

    @Override
    public int outputs() {
        return phones() + (mode == Mode.CTC ? 1 : 0);
    }

    @Override
    public int steps() {
        return maxFrames;
    }

    /** One step is one 10 ms frame (networks may simulate several steps per frame). */
    @Override
    public double dtMs() {
        return 10.0;
    }

    @Override
    public Kind kind() {
        return Kind.CLASSIFICATION;
    }

    @Override
    public Metric metric() {
        return Metric.FRAME_ERROR;
    }

    @Override
    public List<String> outputNames() {
        List<String> names = new ArrayList<>(data.phones().names());
        if (mode == Mode.CTC) {
            names.add("blank");
        }
        return names;
    }

    /** The utterances of {@code split}, sorted by id. */
    public List<Utterance> utterances(Split split) {
        return data.utterances(split);
    }

    /**
     * Draws {@code batch} distinct utterances of {@code split} (with repeats only when the split has
     * fewer) and pads them; epochs over a split are {@link #fill}'s business.
     */
    @Override
    public int sampleBatch(Split split, Rng rng, int batch, RealArray x, Targets targets) {
        List<Utterance> all = utterances(split);
        if (all.isEmpty()) {
            throw new IllegalStateException("the " + split.id() + " split of " + data.corpus().root() + " is empty");
        }
        int[] order = permutation(all.size(), rng);
        List<Utterance> chosen = new ArrayList<>(batch);
        for (int b = 0; b < batch; b++) {
            chosen.add(all.get(order[b % order.length]));
        }
        return fill(chosen, x, targets);
    }

    /** A uniformly random permutation of 0..n-1 (Fisher-Yates). */
    public static int[] permutation(int n, Rng rng) {
        int[] p = new int[n];
        for (int i = 0; i < n; i++) {
            p[i] = i;
        }
        for (int i = n - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int tmp = p[i];
            p[i] = p[j];
            p[j] = tmp;
        }
        return p;
    }

    /**
     * Pads {@code batch} into {@code x} and {@code targets} (see the class comment).
     *
     * @return the batch's length in frames, the longest utterance's
     */
    public int fill(List<Utterance> batch, RealArray x, Targets targets) {
        return pad(batch, x, targets, inputs(), outputs(), mode, blank());
    }

    /** {@link #fill} for a task of this shape ({@code blank}: the CTC blank's index, else -1). */
    public static int pad(List<Utterance> batch, RealArray x, Targets targets, int nIn, int outputs, Mode mode,
            int blank) {
        int size = batch.size();
        int frames = 0;
        for (Utterance u : batch) {
            frames = Math.max(frames, u.frames());
        }
        if ((long) frames * size * nIn > x.length()) {
            throw new IllegalArgumentException("input buffer of " + x.length() + " values is too small for " + size
                    + " utterances of up to " + frames + " frames of " + nIn + " inputs");
        }
        targets.resize(frames, size, outputs);
        for (int b = 0; b < size; b++) {
            Utterance u = batch.get(b);
            int len = u.frames();
            for (int t = 0; t < frames; t++) {
                int dst = (t * size + b) * nIn;
                for (int i = 0; i < nIn; i++) {
                    x.set(dst + i, t < len ? u.feature(t, i) : 0.0);
                }
            }
            if (mode == Mode.FRAMEWISE) {
                double w = 1.0 / ((double) len * size);
                for (int t = 0; t < len; t++) {
                    targets.setLabel(t, b, u.label(t));
                    targets.setWeight(t, b, w);
                }
            } else {
                int[] seq = labelSequence(u);
                for (int t = 0; t < len; t++) {
                    targets.setWeight(t, b, 1.0 / size);
                    targets.setLabel(t, b, t < seq.length ? seq[t] : blank);
                }
            }
        }
        return frames;
    }

    /** The phone sequence of an utterance: its frame labels with repeats merged. */
    public static int[] labelSequence(Utterance u) {
        int[] out = new int[u.frames()];
        int n = 0;
        for (int t = 0; t < u.frames(); t++) {
            if (n == 0 || out[n - 1] != u.label(t)) {
                out[n++] = u.label(t);
            }
        }
        return java.util.Arrays.copyOf(out, n);
    }
}
