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
        // The zeroing over the workers: at the Fig. 3 sizes 23 MB, a millisecond of one thread's
        // memory bandwidth before the serial draws below.
        final int rowValues = batch * nIn;
        BatchParallel.forEachSlice(steps, rowValues, (t0, t1) -> Arrays.fill(inputs, t0 * rowValues, t1 * rowValues, 0f));
        double pCue = timing.cueRateHz() * timing.dtMs() / 1000.0;
        double pBackground = timing.backgroundRateHz() * timing.dtMs() / 1000.0;
        for (int b = 0; b < batch; b++) {
            boolean majorityRight = rng.bernoulli(0.5);
            int right = 0;
            for (int c = 0; c < timing.cues(); c++) {
                boolean toMajority = rng.bernoulli(timing.majorityProbability());
                boolean sideRight = toMajority == majorityRight;
                right += sideRight ? 1 : 0;
                if (cueSides != null) {
                    cueSides[b * timing.cues() + c] = sideRight ? 1 : 0;
                }
                int from = timing.step(timing.startMs() + c * timing.intervalMs());
                int to = from + timing.step(timing.cueMs());
                poisson(rng, inputs, batch, nIn, b, sideRight ? g : 0, g, from, to, pCue);
            }
            labels[b] = 2 * right > timing.cues() ? 1 : 0;
            poisson(rng, inputs, batch, nIn, b, 2 * g, g, timing.step(timing.recallStartMs()), steps, pCue);
            poisson(rng, inputs, batch, nIn, b, 3 * g, g, 0, steps, pBackground);
        }
    }

    /**
     * Bernoulli(p) spikes on channels [first, first+count) over steps [from, to) of trial b, drawn
     * as geometric gaps between spikes: the same process as one draw per step, at a fraction of the
     * draws when p is small.
     */
    private static void poisson(Rng rng, float[] inputs, int batch, int nIn, int b, int first, int count, int from,
            int to, double p) {
        if (p <= 0 || to <= from) {
            return;
        }
        if (p >= 1) {
            for (int ch = first; ch < first + count; ch++) {
                for (int t = from; t < to; t++) {
                    inputs[(t * batch + b) * nIn + ch] = 1f;
                }
            }
            return;
        }
        double logQ = Math.log1p(-p);
        for (int ch = first; ch < first + count; ch++) {
            long t = from - 1;
            while (true) {
                double u = 1.0 - rng.nextDouble(); // in (0, 1]
                t += 1 + (long) Math.floor(Math.log(u) / logQ);
                if (t >= to) {
                    break;
                }
                inputs[(int) ((t * batch + b) * nIn + ch)] = 1f;
            }
        }
    }
}
