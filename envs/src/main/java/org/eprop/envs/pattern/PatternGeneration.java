package org.eprop.envs.pattern;

import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.RealArray;

/**
 * The pattern-generation task of Fig. S7 (docs/model.md §4.2): one frozen Poisson input
 * pattern (100 channels at 50 Hz over 1000 ms) must drive the readout along a fixed target, a sum
 * of four sines with periods 1000, 500, 333 and 200 ms, amplitudes U(0.5, 2) and phases
 * U(0, 2 pi), shifted to start at 0 and scaled to a maximum magnitude of 1.
 *
 * <p>Input and target are drawn once, from {@link Params#patternSeed()}, and every batch repeats
 * them (batch 1 in the reference). The loss weight is 1 on every step, so the MSE loss is the
 * reference's {@code 0.5 sum (y - y*)^2}.
 */
public final class PatternGeneration implements SupervisedTask {
    /** The registered id. */
    public static final String ID = "pattern/generation";

    /**
     * @param inputs number of input channels
     * @param rateHz Poisson rate of the frozen input pattern
     * @param durationMs trial length
     * @param periodsMs periods of the summed sines
     * @param dtMs time step
     * @param patternSeed seed of the frozen input and target
     */
    public record Params(int inputs, double rateHz, double durationMs, java.util.List<Double> periodsMs, double dtMs,
            long patternSeed) {
        public static Params reference() {
            return new Params(100, 50, 1000, java.util.List.of(1000.0, 500.0, 333.0, 200.0), 1.0, 1);
        }

        public Params {
            if (inputs <= 0 || !(rateHz >= 0) || !(durationMs > 0) || !(dtMs > 0) || periodsMs == null
                    || periodsMs.isEmpty() || periodsMs.stream().anyMatch(p -> p == null || !(p > 0))) {
                throw new IllegalArgumentException("pattern generation needs inputs > 0, rate_hz >= 0, duration_ms > 0, "
                        + "dt_ms > 0 and at least one positive period");
            }
            periodsMs = java.util.List.copyOf(periodsMs);
        }
    }

    private final Params params;
    private final int steps;
    private final float[] pattern;
    private final double[] target;

    public PatternGeneration(Params params) {
        this.params = params;
        this.steps = (int) Math.round(params.durationMs() / params.dtMs());
        Rng rng = new Rng(params.patternSeed());
        this.pattern = new float[steps * params.inputs()];
        double p = params.rateHz() * params.dtMs() / 1000.0;
        for (int i = 0; i < pattern.length; i++) {
            pattern[i] = rng.bernoulli(p) ? 1f : 0f;
        }
        this.target = sumOfSines(rng, steps, params.dtMs(),
                params.periodsMs().stream().mapToDouble(Double::doubleValue).toArray());
    }

    /** The reference target: sum of sines, minus its first value, divided by its max magnitude. */
    static double[] sumOfSines(Rng rng, int steps, double dtMs, double[] periodsMs) {
        double[] amplitude = new double[periodsMs.length];
        double[] phase = new double[periodsMs.length];
        for (int i = 0; i < periodsMs.length; i++) {
            amplitude[i] = rng.uniform(0.5, 2.0);
            phase[i] = rng.uniform(0, 2 * Math.PI);
        }
        double[] y = new double[steps];
        for (int t = 0; t < steps; t++) {
            for (int i = 0; i < periodsMs.length; i++) {
                y[t] += amplitude[i] * Math.sin(2 * Math.PI * t * dtMs / periodsMs[i] + phase[i]);
            }
        }
        double first = y[0];
        double max = 0;
        for (int t = 0; t < steps; t++) {
            y[t] -= first;
            max = Math.max(max, Math.abs(y[t]));
        }
        for (int t = 0; t < steps; t++) {
            y[t] /= max;
        }
        return y;
    }

    public Params params() {
        return params;
    }

    /** The fixed target trace. */
    public double[] target() {
        return target.clone();
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
        return 1;
    }

    @Override
    public int steps() {
        return steps;
    }

    @Override
    public double dtMs() {
        return params.dtMs();
    }

    @Override
    public Kind kind() {
        return Kind.REGRESSION;
    }

    @Override
    public int sampleBatch(Split split, Rng rng, int batch, RealArray x, Targets targets) {
        int nIn = params.inputs();
        if (x.length() != steps * batch * nIn) {
            throw new IllegalArgumentException("x has " + x.length() + " values, a batch needs " + steps * batch * nIn);
        }
        targets.resize(steps, batch, 1).weightAll(1.0);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                for (int i = 0; i < nIn; i++) {
                    x.set((t * batch + b) * nIn + i, pattern[t * nIn + i]);
                }
                targets.setValue(t, b, 0, target[t]);
            }
        }
        return steps;
    }
}
