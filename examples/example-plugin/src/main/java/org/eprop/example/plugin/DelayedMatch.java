package org.eprop.example.plugin;

import java.util.List;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * Delayed match-to-sample, a working-memory task for a spiking network, written as a plugin to show
 * how a new environment is added without changing the core.
 *
 * <p>A trial has four phases, back to back:
 * <pre>
 *   | sample (100 ms) | delay (200 ms) | probe (100 ms) | decision (100 ms) |
 * </pre>
 * In the sample phase one of two stimuli, A or B, is shown; in the probe phase A or B is shown again.
 * After the probe the network must say whether the probe matched the sample (label 1) or not
 * (label 0). Neither stimulus alone says anything about the answer: the network has to hold the
 * sample across the delay (in ALIF adaptation, say) and combine it with the probe, an XOR of the two.
 *
 * <p>Inputs are Poisson spike trains on {@code 5 * channels_per_group} channels in five groups:
 * sample A, sample B, probe A, probe B and background. A group fires at {@code rate_hz} while its
 * stimulus is shown and is silent otherwise; the background fires at {@code background_hz}
 * throughout. Sample and match are drawn independently with probability 1/2 each, so the classes are
 * balanced and every (sample, probe) pair is equally likely.
 *
 * <p>The loss is cross-entropy on the steps of the decision window only, weighted
 * {@code 1/(batch * window)} as {@link Targets#classifyFinalSteps} does for the built-in tasks, so it
 * is the mean over the batch and the window; the error rate is that of the decision there.
 */
public final class DelayedMatch implements SupervisedTask {
    /** The id configs use under {@code env.id}; a namespace ({@code example/}) keeps plugin ids apart. */
    public static final String ID = "example/delayed-match";

    /** Input groups, in channel order. */
    static final int SAMPLE_A = 0;
    static final int SAMPLE_B = 1;
    static final int PROBE_A = 2;
    static final int PROBE_B = 3;
    static final int BACKGROUND = 4;
    static final int GROUPS = 5;

    /**
     * The trial: its timing in ms and its rates in Hz. A record, so that a config's {@code env.params}
     * is bound to it key by key (snake_case: {@code sample_ms}, {@code rate_hz}, ...) over
     * {@link #defaults()}, and unknown or mistyped keys are reported with their line. The compact
     * constructor rejects impossible trials, naming the key, so that a bad config fails before any
     * work starts.
     *
     * @param sampleMs how long the sample is shown
     * @param delayMs silence between sample and probe (what must be remembered across)
     * @param probeMs how long the probe is shown
     * @param decisionMs the window at the end of the trial where the answer is scored
     * @param rateHz rate of an active sample or probe group
     * @param backgroundHz rate of the background group, on throughout the trial
     * @param channelsPerGroup input channels per group (five groups)
     * @param dtMs time step; every duration must be a whole number of steps
     */
    public record Params(double sampleMs, double delayMs, double probeMs, double decisionMs, double rateHz,
            double backgroundHz, int channelsPerGroup, double dtMs) {

        /** The defaults: a 500 ms trial at 1 ms steps, 25 input channels. */
        public static Params defaults() {
            return new Params(100, 200, 100, 100, 40, 10, 5, 1.0);
        }

        public Params {
            if (!(dtMs > 0) || Double.isInfinite(dtMs)) {
                throw new IllegalArgumentException("dt_ms must be a positive number of ms, got " + dtMs);
            }
            positive("sample_ms", sampleMs);
            if (!(delayMs >= 0) || Double.isInfinite(delayMs)) {
                throw new IllegalArgumentException("delay_ms must be >= 0 ms, got " + delayMs);
            }
            positive("probe_ms", probeMs);
            positive("decision_ms", decisionMs);
            wholeSteps("sample_ms", sampleMs, dtMs);
            wholeSteps("delay_ms", delayMs, dtMs);
            wholeSteps("probe_ms", probeMs, dtMs);
            wholeSteps("decision_ms", decisionMs, dtMs);
            double maxHz = 1000.0 / dtMs;
            if (!(rateHz > 0 && rateHz <= maxHz)) {
                throw new IllegalArgumentException("rate_hz must lie in (0, " + maxHz + "] (at most one spike per "
                        + "step of dt_ms = " + dtMs + "), got " + rateHz);
            }
            if (!(backgroundHz >= 0 && backgroundHz <= maxHz)) {
                throw new IllegalArgumentException("background_hz must lie in [0, " + maxHz + "] (at most one spike "
                        + "per step of dt_ms = " + dtMs + "), got " + backgroundHz);
            }
            if (channelsPerGroup < 1) {
                throw new IllegalArgumentException("channels_per_group must be >= 1, got " + channelsPerGroup);
            }
        }

        private static void positive(String key, double ms) {
            if (!(ms > 0) || Double.isInfinite(ms)) {
                throw new IllegalArgumentException(key + " must be > 0 ms, got " + ms);
            }
        }

        private static void wholeSteps(String key, double ms, double dtMs) {
            double steps = ms / dtMs;
            if (Math.abs(steps - Math.rint(steps)) > 1e-9) {
                throw new IllegalArgumentException(key + " (" + ms + " ms) must be a whole number of steps of dt_ms = "
                        + dtMs + " ms");
            }
        }

        /** Number of input channels. */
        public int inputs() {
            return GROUPS * channelsPerGroup;
        }

        /** Trial length in steps. */
        public int steps() {
            return steps(sampleMs + delayMs + probeMs + decisionMs);
        }

        /** Probe onset, in ms. */
        public double probeStartMs() {
            return sampleMs + delayMs;
        }

        /** Decision window onset, in ms. */
        public double decisionStartMs() {
            return sampleMs + delayMs + probeMs;
        }

        /** Steps of the decision window: the steps the loss and the error rate use. */
        public int decisionSteps() {
            return steps(decisionMs);
        }

        int steps(double ms) {
            return (int) Math.round(ms / dtMs);
        }
    }

    /** What one trial showed, for tests and analysis. */
    public record Trial(boolean sampleB, boolean probeB) {
        /** 1 if the probe matched the sample, else 0. */
        public int label() {
            return sampleB == probeB ? 1 : 0;
        }
    }

    private final Params params;

    public DelayedMatch(Params params) {
        this.params = params;
    }

    public Params params() {
        return params;
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public int inputs() {
        return params.inputs();
    }

    @Override
    public int outputs() {
        return 2;
    }

    @Override
    public int steps() {
        return params.steps();
    }

    @Override
    public double dtMs() {
        return params.dtMs();
    }

    @Override
    public Kind kind() {
        return Kind.CLASSIFICATION;
    }

    @Override
    public int sampleBatch(Split split, Rng rng, int batch, RealArray x, Targets targets) {
        int[] labels = new int[batch];
        sampleBatch(rng, batch, x, labels, null);
        targets.resize(params.steps(), batch, 2).classifyFinalSteps(labels, params.decisionSteps());
        return params.steps();
    }

    /**
     * Draws a batch of trials.
     *
     * @param x receives the spikes, time-major {@code [steps x batch x inputs]} (overwritten)
     * @param labels receives each trial's label (1: match)
     * @param trials if not null, receives what each trial showed
     */
    public void sampleBatch(Rng rng, int batch, RealArray x, int[] labels, Trial[] trials) {
        int steps = params.steps();
        int nIn = params.inputs();
        if (x.length() != steps * batch * nIn) {
            throw new IllegalArgumentException("x has " + x.length() + " values, a batch of " + batch + " needs "
                    + steps * batch * nIn + " (steps x batch x inputs = " + steps + " x " + batch + " x " + nIn + ")");
        }
        x.fill(0);
        double pActive = params.rateHz() * params.dtMs() / 1000.0;
        double pBackground = params.backgroundHz() * params.dtMs() / 1000.0;
        int sampleFrom = 0;
        int sampleTo = params.steps(params.sampleMs());
        int probeFrom = params.steps(params.probeStartMs());
        int probeTo = params.steps(params.decisionStartMs());
        for (int b = 0; b < batch; b++) {
            boolean sampleB = rng.bernoulli(0.5);
            boolean match = rng.bernoulli(0.5);
            boolean probeB = match == sampleB;
            labels[b] = match ? 1 : 0;
            if (trials != null) {
                trials[b] = new Trial(sampleB, probeB);
            }
            spikes(rng, x, batch, b, sampleB ? SAMPLE_B : SAMPLE_A, sampleFrom, sampleTo, pActive);
            spikes(rng, x, batch, b, probeB ? PROBE_B : PROBE_A, probeFrom, probeTo, pActive);
            spikes(rng, x, batch, b, BACKGROUND, 0, steps, pBackground);
        }
    }

    /**
     * Independent Bernoulli({@code p}) spikes, one draw per step and channel: the discrete-time
     * Poisson process. Simple rather than fast (the built-in tasks draw the gaps between spikes
     * instead); at this trial length it costs well under a millisecond per trial.
     */
    private void spikes(Rng rng, RealArray x, int batch, int b, int group, int from, int to, double p) {
        if (p <= 0) {
            return;
        }
        int nIn = params.inputs();
        int g = params.channelsPerGroup();
        for (int t = from; t < to; t++) {
            for (int ch = group * g; ch < (group + 1) * g; ch++) {
                if (rng.bernoulli(p)) {
                    x.set((t * batch + b) * nIn + ch, 1.0);
                }
            }
        }
    }

    @Override
    public List<InputGroup> inputGroups() {
        int g = params.channelsPerGroup();
        return List.of(new InputGroup("sample A", SAMPLE_A * g), new InputGroup("sample B", SAMPLE_B * g),
                new InputGroup("probe A", PROBE_A * g), new InputGroup("probe B", PROBE_B * g),
                new InputGroup("background", BACKGROUND * g));
    }

    /** The sample, probe and decision windows. */
    @Override
    public List<Window> windows() {
        return List.of(new Window(0, params.sampleMs()),
                new Window(params.probeStartMs(), params.decisionStartMs()),
                new Window(params.decisionStartMs(), params.decisionStartMs() + params.decisionMs()));
    }
}
