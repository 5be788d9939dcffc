package org.eprop.learning.optim;

import org.eprop.learning.tensor.RealArray;

/** Plain gradient descent, {@code p <- p - lr g} (the Fig. S7 optimiser, lr 1e-4). */
public final class Sgd implements Optimizer {
    private final double learningRate;
    private long steps;

    public Sgd(double learningRate) {
        if (!(learningRate > 0) || Double.isInfinite(learningRate)) {
            throw new IllegalArgumentException("learning rate must be a positive number, got " + learningRate);
        }
        this.learningRate = learningRate;
    }

    @Override
    public String id() {
        return "sgd";
    }

    @Override
    public void step(RealArray[] params, RealArray[] grads) {
        for (int p = 0; p < params.length; p++) {
            RealArray w = params[p];
            RealArray g = grads[p];
            for (int i = 0; i < w.length(); i++) {
                w.set(i, w.get(i) - learningRate * g.get(i));
            }
        }
        steps++;
    }

    @Override
    public long steps() {
        return steps;
    }

    @Override
    public java.util.Map<String, double[]> state() {
        return java.util.Map.of("steps", new double[] {steps});
    }

    @Override
    public void restore(java.util.Map<String, double[]> state, RealArray[] params) {
        steps = (long) state.get("steps")[0];
    }

    public double learningRate() {
        return learningRate;
    }
}
