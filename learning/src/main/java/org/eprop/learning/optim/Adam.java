package org.eprop.learning.optim;

import org.eprop.learning.tensor.RealArray;

/**
 * Adam in TensorFlow 1's formulation (the reference's optimiser):
 * <pre>
 *   m <- beta1 m + (1 - beta1) g,    v <- beta2 v + (1 - beta2) g^2
 *   p <- p - lr sqrt(1 - beta2^t) / (1 - beta1^t) * m / (sqrt(v) + epsilon)
 * </pre>
 * The epsilon matters: TF's default 1e-8 for the cue tasks, 1e-5 for TIMIT, 1.0 for the Atari
 * agent (docs/model.md §2.9). The moments are kept in the parameters' precision.
 */
public final class Adam implements Optimizer {
    private final double learningRate;
    private final double beta1;
    private final double beta2;
    private final double epsilon;
    private final long warmupSteps;
    private RealArray[] m;
    private RealArray[] v;
    private long steps;

    public Adam(double learningRate) {
        this(learningRate, 0.9, 0.999, 1e-8);
    }

    public Adam(double learningRate, double beta1, double beta2, double epsilon) {
        this(learningRate, beta1, beta2, epsilon, 0);
    }

    /**
     * With a linear warm-up: step t (counted from 1) uses {@code lr min(1, t / warmupSteps)}, the
     * TIMIT scripts' 100-iteration ramp (docs/model.md §2.9); 0 means none.
     */
    public Adam(double learningRate, double beta1, double beta2, double epsilon, long warmupSteps) {
        if (warmupSteps < 0) {
            throw new IllegalArgumentException("Adam warm-up must be >= 0 steps, got " + warmupSteps);
        }
        this.warmupSteps = warmupSteps;
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("Adam learning rate must be a positive number, got " + learningRate);
        }
        if (!(beta1 >= 0 && beta1 < 1) || !(beta2 >= 0 && beta2 < 1)) {
            throw new IllegalArgumentException("Adam beta1 and beta2 must lie in [0, 1), got " + beta1 + ", " + beta2);
        }
        if (!(epsilon > 0)) {
            throw new IllegalArgumentException("Adam epsilon must be > 0, got " + epsilon);
        }
        this.learningRate = learningRate;
        this.beta1 = beta1;
        this.beta2 = beta2;
        this.epsilon = epsilon;
    }

    @Override
    public String id() {
        return "adam";
    }

    @Override
    public void step(RealArray[] params, RealArray[] grads) {
        if (m == null) {
            m = new RealArray[params.length];
            v = new RealArray[params.length];
            for (int p = 0; p < params.length; p++) {
                m[p] = params[p].precision().zeros(params[p].length());
                v[p] = params[p].precision().zeros(params[p].length());
            }
        } else if (m.length != params.length) {
            throw new IllegalArgumentException("Adam was set up for " + m.length + " parameters, got " + params.length);
        }
        steps++;
        double ramp = warmupSteps == 0 ? 1.0 : Math.min(1.0, steps / (double) warmupSteps);
        double rate = ramp * learningRate * Math.sqrt(1 - Math.pow(beta2, steps)) / (1 - Math.pow(beta1, steps));
        for (int p = 0; p < params.length; p++) {
            RealArray w = params[p];
            RealArray g = grads[p];
            RealArray mp = m[p];
            RealArray vp = v[p];
            for (int i = 0; i < w.length(); i++) {
                double gi = g.get(i);
                mp.set(i, beta1 * mp.get(i) + (1 - beta1) * gi);
                vp.set(i, beta2 * vp.get(i) + (1 - beta2) * gi * gi);
                w.set(i, w.get(i) - rate * mp.get(i) / (Math.sqrt(vp.get(i)) + epsilon));
            }
        }
    }

    @Override
    public long steps() {
        return steps;
    }

    /** {@code steps}, and {@code m.<i>}, {@code v.<i>} for parameter i once a step was taken. */
    @Override
    public java.util.Map<String, double[]> state() {
        java.util.Map<String, double[]> s = new java.util.LinkedHashMap<>();
        s.put("steps", new double[] {steps});
        if (m != null) {
            for (int p = 0; p < m.length; p++) {
                s.put("m." + p, m[p].toDoubleArray());
                s.put("v." + p, v[p].toDoubleArray());
            }
        }
        return s;
    }

    @Override
    public void restore(java.util.Map<String, double[]> state, RealArray[] params) {
        steps = (long) state.get("steps")[0];
        if (!state.containsKey("m.0")) {
            m = null;
            v = null;
            return;
        }
        m = new RealArray[params.length];
        v = new RealArray[params.length];
        for (int p = 0; p < params.length; p++) {
            m[p] = params[p].precision().of(state.get("m." + p));
            v[p] = params[p].precision().of(state.get("v." + p));
        }
    }

    public double epsilon() {
        return epsilon;
    }
}
