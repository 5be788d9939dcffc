package org.eprop.supervised.timit;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.eprop.learning.bidir.BidirectionalLearner;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.RealArray;

/**
 * Times training of the frame-wise TIMIT network ({@link TimitTraining.Settings#original()} unless
 * told otherwise: 2 x (300 LIF + 100 ALIF), 5 steps per frame, batch 32) on synthetic utterances with
 * TIMIT's length distribution, and projects the time of one epoch of the 3,696-utterance training
 * set ({@code 3696 / batch} iterations, as the original cuts epochs).
 *
 * <p>Lengths: TIMIT's SI/SX sentences last 3.1 s on average with a standard deviation of about
 * 0.9 s (1.0 to 7.8 s), 100 frames per second; they are drawn from a normal distribution with those
 * moments, clipped to that range. Features are N(0, 1) (z-scored like the real ones), labels uniform
 * over 61 phones. Real speech changes the firing rates, and with them the cost of the forward pass,
 * which sums the rows of the neurons that spiked; the rate regulariser holds them near 10 Hz in
 * training.
 */
public final class TimitBenchmark {
    /** Utterances in TIMIT's training set (462 speakers x 8 SI/SX sentences). */
    public static final int TRAINING_UTTERANCES = 3696;

    private TimitBenchmark() {
    }

    /** A synthetic utterance of TIMIT's length distribution. */
    static Utterance synthetic(Rng rng, int index, int inputs) {
        int frames = (int) Math.round(Math.max(100, Math.min(780, 310 + 90 * rng.nextGaussian())));
        float[] f = new float[frames * inputs];
        int[] labels = new int[frames];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) rng.nextGaussian();
        }
        for (int t = 0; t < frames; t++) {
            labels[t] = rng.nextInt(61);
        }
        return new Utterance("synthetic/" + index, "synthetic", frames, inputs, f, labels);
    }

    /**
     * Runs {@code warmup} untimed and {@code iterations} timed training iterations and prints the
     * mean time per iteration and the projected epoch.
     *
     * @return the projected seconds of one epoch
     */
    public static double run(TimitTraining.Settings s, int inputs, int warmup, int iterations, PrintStream out) {
        Rng rng = new Rng(s.seed());
        int batch = s.batch();
        Dense dense = new Dense(s.precision());
        BidirectionalLearner learner = TimitTraining.learner(inputs, 61, TimitTask.Mode.FRAMEWISE, -1, s, dense, rng.split(1));
        RealArray x = s.precision().zeros(780 * batch * inputs);
        Targets targets = new Targets();
        Rng data = rng.split(2);
        long frames = 0;
        double seconds = 0;
        for (int it = 0; it < warmup + iterations; it++) {
            List<Utterance> chosen = new ArrayList<>();
            for (int b = 0; b < batch; b++) {
                chosen.add(synthetic(data, it * batch + b, inputs));
            }
            int len = TimitTask.pad(chosen, x, targets, inputs, 61, TimitTask.Mode.FRAMEWISE, -1);
            long t0 = System.nanoTime();
            BidirectionalLearner.Step step = learner.step(x, len, batch, targets);
            double dt = (System.nanoTime() - t0) / 1e9;
            double rate = step.pass().forwardTrajectory().spikeTotal() / ((double) len * s.repeat() * batch
                    * learner.network().forward().neurons()) * 1000.0;
            out.printf(Locale.ROOT, "%s iteration %d: %d frames (longest), %.2f s, forward-half rate %.1f Hz%n",
                    it < warmup ? "warm-up" : "timed", it + 1, len, dt, rate);
            if (it >= warmup) {
                seconds += dt;
                for (Utterance u : chosen) {
                    frames += u.frames();
                }
            }
        }
        double perIteration = seconds / iterations;
        int perEpoch = TRAINING_UTTERANCES / batch;
        double epoch = perIteration * perEpoch;
        out.printf(Locale.ROOT, "TIMIT frame-wise %s/%s, 2 x (%d LIF + %d ALIF), %d inputs, %d steps per frame, "
                + "batch %d, %s: %.2f s per iteration (%.0f frames/s of audio), projected epoch of %d utterances "
                + "(%d iterations): %.0f s = %.1f min%n", s.rule(), s.feedback(), s.lif(), s.alif(), inputs, s.repeat(),
                batch, s.precision(), perIteration, frames / seconds, TRAINING_UTTERANCES, perEpoch, epoch, epoch / 60);
        return epoch;
    }
}
