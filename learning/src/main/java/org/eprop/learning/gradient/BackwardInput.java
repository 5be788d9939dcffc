package org.eprop.learning.gradient;

import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The derivatives of the loss that every gradient method starts from: {@code dE/dy} of the task
 * loss for every (t, b, k), and the per-neuron {@code dE/dz_j} of the rate regulariser. A
 * reusable workspace.
 */
public final class BackwardInput {
    private final Precision precision;
    private RealArray dy;
    private double[] regSignal = new double[0];
    private double taskLoss;
    private double regLoss;

    public BackwardInput(Precision precision) {
        this.precision = precision;
    }

    /** Evaluates the loss and the regulariser on a forward pass. */
    public BackwardInput evaluate(Trajectory tr, Loss loss, Targets targets, RateRegularizer reg) {
        if (targets.steps() != tr.steps() || targets.batch() != tr.batch() || targets.outputs() != tr.readouts()) {
            throw new IllegalArgumentException("targets are " + targets.steps() + " steps x " + targets.batch()
                    + " sequences x " + targets.outputs() + " outputs, the trajectory " + tr.steps() + " x "
                    + tr.batch() + " x " + tr.readouts());
        }
        int rowsOut = tr.steps() * tr.batch() * tr.readouts();
        if (dy == null || dy.length() < rowsOut) {
            dy = precision.zeros(rowsOut);
        }
        if (regSignal.length < tr.neurons()) {
            regSignal = new double[tr.neurons()];
        }
        taskLoss = loss.evaluate(tr.outputs(), targets, dy);
        regLoss = reg.evaluate(tr.spikes(), tr.steps(), tr.batch(), tr.neurons(), regSignal);
        return this;
    }

    /** dE/dy, time-major {@code [steps*batch x nOut]} (the array may be longer). */
    public RealArray dy() {
        return dy;
    }

    /** dE_reg/dz_j, one value per neuron. */
    public double[] regSignal() {
        return regSignal;
    }

    public double taskLoss() {
        return taskLoss;
    }

    public double regLoss() {
        return regLoss;
    }
}
