package org.eprop.envs.cue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.RealArray;

/**
 * The evidence-accumulation (cue) task of Fig. 3 (docs/model.md §4.1): a trial of 2250 ms
 * at dt = 1 ms in which 7 cues, each shown for 100 ms every 150 ms from 50 ms on, go to the left
 * or the right input group; after a 1050 ms delay a recall group asks for the decision, which must
 * be the side that received the majority of the cues.
 *
 * <p>40 Poisson input channels in 4 groups of 10: left cue (0-9), right cue (10-19), recall
 * (20-29), background (30-39). Cue and recall groups fire at 40 Hz while active, the background
 * at 10 Hz throughout. Per trial the majority side is drawn with probability 0.5 and each cue goes
 * to it independently with probability 0.7. Label 1 means "right".
 */
public final class EvidenceAccumulation implements SupervisedTask {
    /** The registered id. */
    public static final String ID = "cue/evidence-accumulation";

    /**
     * Trial timing and rates. Rates are in Hz, times in ms.
     *
     * @param cues number of cues
     * @param startMs silence before the first cue
     * @param cueMs duration of a cue
     * @param intervalMs cue onset spacing
     * @param delayMs from the end of the last cue to recall onset
     * @param recallMs recall (decision) window
     * @param cueRateHz rate of an active cue or recall group
     * @param backgroundRateHz rate of the background group
     * @param majorityProbability probability that a cue goes to the majority side
     * @param channelsPerGroup inputs per group (4 groups)
     * @param dtMs time step
     */
    public record Timing(int cues, double startMs, double cueMs, double intervalMs, double delayMs, double recallMs,
            double cueRateHz, double backgroundRateHz, double majorityProbability, int channelsPerGroup,
            double dtMs) {

        /** The reference trial: 2250 steps of 1 ms. */
        public static Timing reference() {
            return new Timing(7, 50, 100, 150, 1050, 150, 40, 10, 0.7, 10, 1.0);
        }

        public Timing {
            if (cues <= 0 || cues % 2 == 0) {
                throw new IllegalArgumentException("cues must be a positive odd number (a majority must exist), got "
                        + cues);
            }
            if (!(cueMs > 0 && intervalMs >= cueMs && startMs >= 0 && delayMs >= 0 && recallMs > 0 && dtMs > 0)) {
                throw new IllegalArgumentException("trial timing must satisfy intervalMs >= cueMs > 0, startMs >= 0, "
                        + "delayMs >= 0, recallMs > 0, dtMs > 0");
            }
            if (!(majorityProbability >= 0.5 && majorityProbability <= 1)) {
                throw new IllegalArgumentException("majorityProbability must lie in [0.5, 1], got " + majorityProbability);
            }
            if (channelsPerGroup <= 0) {
                throw new IllegalArgumentException("channelsPerGroup must be > 0, got " + channelsPerGroup);
            }
        }

        /** Number of input channels (4 groups). */
        public int inputs() {
            return 4 * channelsPerGroup;
        }

        /** End of the last cue, in ms. */
        public double lastCueEndMs() {
            return startMs + (cues - 1) * intervalMs + cueMs;
        }

        /** Recall onset, in ms. */
        public double recallStartMs() {
            return lastCueEndMs() + delayMs;
        }

        /** Trial length in steps. */
        public int steps() {
            return (int) Math.round((recallStartMs() + recallMs) / dtMs);
        }

        /** Number of steps of the recall window (the steps the loss and the decision use). */
        public int recallSteps() {
            return (int) Math.round(recallMs / dtMs);
        }

        int step(double ms) {
            return (int) Math.round(ms / dtMs);
        }
    }

    private final Timing timing;

    public EvidenceAccumulation(Timing timing) {
        this.timing = timing;
    }

    public Timing timing() {
        return timing;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int inputs() {
        return timing.inputs();
    }

    @Override
    public int outputs() {
        return 2;
    }

    @Override
    public int steps() {
        return timing.steps();
    }

    @Override
    public double dtMs() {
        return timing.dtMs();
    }

    @Override
    public Kind kind() {
        return Kind.CLASSIFICATION;
    }

    /**
     * Draws a batch; the loss weights put {@code 1/(batch * recall steps)} on each step of the
     * recall window, so the loss is the reference's mean over the batch and the last 150 ms.
     */
    @Override
    public int sampleBatch(Split split, Rng rng, int batch, RealArray x, Targets targets) {
        int need = timing.steps() * batch * timing.inputs();
        int[] labels = new int[batch];
        if (x instanceof RealArray.F32 f && f.length() == need) {
            sampleBatch(rng, batch, f.data(), labels, null);
        } else {
            if (x.length() != need) {
                throw new IllegalArgumentException("x has " + x.length() + " values, a batch needs " + need);
            }
            float[] spikes = new float[need];
            sampleBatch(rng, batch, spikes, labels, null);
            for (int i = 0; i < need; i++) {
                x.set(i, spikes[i]);
            }
        }
        targets.resize(timing.steps(), batch, 2).classifyFinalSteps(labels, timing.recallSteps());
        return timing.steps();
    }

    @Override
    public List<InputGroup> inputGroups() {
        int g = timing.channelsPerGroup();
        return List.of(new InputGroup("left", 0), new InputGroup("right", g), new InputGroup("recall", 2 * g),
                new InputGroup("background", 3 * g));
    }

    @Override
    public List<String> outputNames() {
        return List.of("left", "right");
    }

    @Override
    public List<Window> windows() {
        List<Window> w = new ArrayList<>();
        for (int c = 0; c < timing.cues(); c++) {
            double from = timing.startMs() + c * timing.intervalMs();
            w.add(new Window(from, from + timing.cueMs()));
        }
        w.add(new Window(timing.recallStartMs(), timing.recallStartMs() + timing.recallMs()));
        return w;
    }

    /**
     * Draws a batch of trials.
     *
     * @param inputs receives the spikes, time-major {@code [steps x batch x inputs]} (overwritten)
     * @param labels receives the label of each trial (1: right)
     * @param cueSides if not null, receives the side of every cue, {@code [batch x cues]} (1: right)
     */
    public void sampleBatch(Rng rng, int batch, float[] inputs, int[] labels, int[] cueSides) {
        int steps = timing.steps();
        int nIn = timing.inputs();
        int g = timing.channelsPerGroup();
        if (inputs.length < steps * batch * nIn) {
            throw new IllegalArgumentException("inputs has room for " + inputs.length + " values, a batch needs "
                    + steps * batch * nIn);
        }
        // The numbers come from one stream and their use depends on their values (a channel's next
        // spike time on the gap drawn before), so the draws are used in order on this thread; but the
        // stream is made ahead, its logarithms (most of a draw's cost) are taken over the workers, and
        // the spikes are only listed here, then written over the workers into the array, which a
        // worker has zeroed meanwhile (the 23 MB of the Fig. 3 sizes take a core's memory bandwidth
        // for 0.6 ms, as long on two cores as on one). Serial, the draws and the writes took 1.0-1.2
        // ms of a 35-ms Fig. 3 iteration on two threads.
        double pCue = timing.cueRateHz() * timing.dtMs() / 1000.0;
        double pBackground = timing.backgroundRateHz() * timing.dtMs() / 1000.0;
        Draws draws = DRAWS.get().start(rng, expectedDraws(batch, pCue, pBackground), inputs, steps * batch * nIn);
        for (int b = 0; b < batch; b++) {
            boolean majorityRight = draws.bernoulli(0.5);
            int right = 0;
            for (int c = 0; c < timing.cues(); c++) {
                boolean toMajority = draws.bernoulli(timing.majorityProbability());
                boolean sideRight = toMajority == majorityRight;
                right += sideRight ? 1 : 0;
                if (cueSides != null) {
                    cueSides[b * timing.cues() + c] = sideRight ? 1 : 0;
                }
                int from = timing.step(timing.startMs() + c * timing.intervalMs());
                int to = from + timing.step(timing.cueMs());
                poisson(draws, batch, nIn, b, sideRight ? g : 0, g, from, to, pCue);
            }
            labels[b] = 2 * right > timing.cues() ? 1 : 0;
            poisson(draws, batch, nIn, b, 2 * g, g, timing.step(timing.recallStartMs()), steps, pCue);
            poisson(draws, batch, nIn, b, 3 * g, g, 0, steps, pBackground);
        }
        draws.finish();
    }

    /**
     * The mean number of uniform draws of a batch: per trial one for the majority side and one per
     * cue, and per channel of a Poisson group its expected spikes plus the draw that ends it.
     */
    private double expectedDraws(int batch, double pCue, double pBackground) {
        int g = timing.channelsPerGroup();
        double perTrial = 1 + timing.cues();
        perTrial += timing.cues() * g * geometricDraws(timing.step(timing.cueMs()), pCue);
        perTrial += g * geometricDraws(timing.steps() - timing.step(timing.recallStartMs()), pCue);
        perTrial += g * geometricDraws(timing.steps(), pBackground);
        return batch * perTrial;
    }

    private static double geometricDraws(int steps, double p) {
        return p <= 0 || p >= 1 || steps <= 0 ? 0 : steps * p + 1;
    }

    private static final ThreadLocal<Draws> DRAWS = ThreadLocal.withInitial(Draws::new);
    /** Pieces of the input array's zeroing: a few per thread, of 1 MB at least. */
    private static final int PIECES = 16;
    private static final int PIECE_LEAST = 1 << 18;

    /**
     * A batch's draws, a workspace per drawing thread (kept between batches): the caller's stream
     * made ahead with the logarithms that the geometric gaps need, and the spikes listed per block of
     * {@code 2^shift} values of the input array. The caller's generator is left where the draws used
     * leave it, so the numbers, and the batch, are those of drawing each number when it is needed.
     */
    static final class Draws {
        private final Rng ahead = new Rng(0);
        private Rng rng;
        private double[] uniform = new double[0];
        /** {@code log(1 - uniform[i])}: the logarithm of a uniform number in (0, 1]. */
        private double[] logs = new double[0];
        private int made;
        private int used;
        private int shift;
        private float[] inputs;
        private int size;
        private int[][] at = new int[0][];
        private int[] count = new int[0];
        /**
         * The input array zeroed in pieces that a worker takes while this thread draws and this
         * thread takes once it has drawn: a worker can be off its core for a millisecond on a
         * virtual machine (the zeroing started 0.03-2 ms after it was asked for in the Fig. 3 bench,
         * 0.5 ms on median), and this thread then zeroes what is left rather than wait.
         */
        private final BatchParallel.Side zeroing = new BatchParallel.Side(this::zeroPieces);
        /**
         * The batch's pieces (high half) and the next piece to take (low half), in one word: a piece
         * is taken by moving the word on from what its taker read, so that a task left queued from an
         * earlier batch (BatchParallel.Side#joinIfBegun) takes only pieces of the batch in progress.
         */
        private final java.util.concurrent.atomic.AtomicLong pieceClaims = new java.util.concurrent.atomic.AtomicLong();
        private final java.util.concurrent.atomic.AtomicInteger donePieces = new java.util.concurrent.atomic.AtomicInteger();
        private int pieces;
        private boolean zeroingStarted;

        /**
         * Starts a batch from {@code rng}'s state, its stream made ahead to a little past the
         * expected number of draws (fewer are used, or more are drawn when needed), for the first
         * {@code size} values of {@code inputs}, which are zeroed beside the draws (the spikes are
         * listed by blocks of the array, 8 to 16 blocks of 4096 values at least).
         */
        Draws start(Rng rng, double expected, float[] inputs, int size) {
            if (zeroingStarted) { // an earlier batch that failed between its start and its end
                zeroingStarted = false;
                endZeroing();
            }
            this.inputs = inputs;
            this.size = size;
            pieces = (int) Math.min(PIECES, (size + PIECE_LEAST - 1) / PIECE_LEAST);
            donePieces.set(0);
            pieceClaims.set((long) pieces << 32); // publishes the fields above to the pieces' takers
            zeroing.start();
            zeroingStarted = true;
            this.rng = rng;
            ahead.copyFrom(rng);
            made = (int) Math.min(Integer.MAX_VALUE - 8, expected + 6 * Math.sqrt(expected) + 256);
            used = 0;
            if (uniform.length < made) {
                uniform = new double[made];
                logs = new double[made];
            }
            for (int i = 0; i < made; i++) {
                uniform[i] = ahead.nextDouble();
            }
            BatchParallel.forEachSlice(made, 25, (from, to) -> {
                for (int i = from; i < to; i++) {
                    logs[i] = Math.log(1.0 - uniform[i]);
                }
            });
            shift = Math.max(12, 60 - Long.numberOfLeadingZeros(size));
            int blocks = blocks();
            if (at.length < blocks) {
                at = Arrays.copyOf(at, blocks);
                count = new int[blocks];
                for (int q = 0; q < blocks; q++) {
                    if (at[q] == null) {
                        at[q] = new int[256];
                    }
                }
            }
            Arrays.fill(count, 0);
            return this;
        }

        private int blocks() {
            return (int) (((long) size + (1L << shift) - 1) >>> shift);
        }

        /** {@link Rng#bernoulli}: true with probability p. */
        boolean bernoulli(double p) {
            return (used < made ? uniform[used++] : next()) < p;
        }

        /** The logarithm of {@code 1 - u} for the stream's next number u: of a uniform number in (0, 1]. */
        double logComplement() {
            return used < made ? logs[used++] : Math.log(1.0 - next());
        }

        /** A number past those made ahead: the ahead stream goes on where they end. */
        private double next() {
            used++;
            return ahead.nextDouble();
        }

        /**
         * Zeroes the pieces not yet taken, as one of their takers. The batch cannot end, nor the next
         * start, while a piece it took is being zeroed, so the array and size read after taking it are
         * that batch's.
         */
        private void zeroPieces() {
            while (true) {
                long claims = pieceClaims.get();
                int count = (int) (claims >>> 32);
                int p = (int) claims;
                if (p >= count) {
                    return;
                }
                if (pieceClaims.compareAndSet(claims, claims + 1)) {
                    Arrays.fill(inputs, (int) ((long) size * p / count), (int) ((long) size * (p + 1) / count), 0f);
                    donePieces.incrementAndGet();
                }
            }
        }

        /** Zeroes what is left on this thread and waits for the pieces that a worker took. */
        private void endZeroing() {
            zeroPieces();
            zeroing.joinIfBegun();
            for (int i = 0; donePieces.get() < pieces; i++) {
                if (i < 1024) {
                    Thread.onSpinWait();
                } else {
                    Thread.yield();
                }
            }
        }

        void add(int index) {
            int q = index >>> shift;
            if (count[q] == at[q].length) {
                at[q] = Arrays.copyOf(at[q], 2 * count[q]);
            }
            at[q][count[q]++] = index;
        }

        /**
         * Writes the listed spikes into the input array (zeros elsewhere) and moves the caller's
         * generator past the draws used.
         */
        void finish() {
            for (int i = 0; i < used; i++) {
                rng.nextLong();
            }
            rng = null;
            zeroingStarted = false;
            endZeroing();
            final float[] inputs = this.inputs;
            BatchParallel.forEachSlice(blocks(), 1L << shift, (from, to) -> {
                for (int q = from; q < to; q++) {
                    int[] list = at[q];
                    for (int e = 0; e < count[q]; e++) {
                        inputs[list[e]] = 1f;
                    }
                }
            });
            this.inputs = null; // not kept past the batch
        }
    }

    /**
     * Bernoulli(p) spikes on channels [first, first+count) over steps [from, to) of trial b, drawn
     * as geometric gaps between spikes: the same process as one draw per step, at a fraction of the
     * draws when p is small.
     */
    private static void poisson(Draws draws, int batch, int nIn, int b, int first, int count, int from,
            int to, double p) {
        if (p <= 0 || to <= from) {
            return;
        }
        if (p >= 1) {
            for (int ch = first; ch < first + count; ch++) {
                for (int t = from; t < to; t++) {
                    draws.add((t * batch + b) * nIn + ch);
                }
            }
            return;
        }
        double logQ = Math.log1p(-p);
        for (int ch = first; ch < first + count; ch++) {
            long t = from - 1;
            while (true) {
                t += 1 + (long) Math.floor(draws.logComplement() / logQ); // log of a uniform in (0, 1]
                if (t >= to) {
                    break;
                }
                draws.add((int) ((t * batch + b) * nIn + ch));
            }
        }
    }
}
