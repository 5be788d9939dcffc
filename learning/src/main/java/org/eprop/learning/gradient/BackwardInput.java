package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The derivatives of the loss that every gradient method starts from: {@code dE/dy} of the task
 * loss for every (t, b, k), the per-neuron {@code dE/dz_j} of the rate regulariser, and, when a
 * {@link VoltageRegularizer} is added ({@link #withVoltageCost}), direct signals on the hidden
 * state, {@code sV = dE/dv_j(t)} and {@code sB = dE/db_j(t)} for every (t, b, j). A reusable
 * workspace.
 *
 * <h2>How the gradient methods take the state signals</h2>
 * In the notation of paper eq. (25) (alpha, rho, beta, psi; eps_v = dv/dW and eps_a = db/dW are
 * the eligibility vectors, i.e. the sensitivities of v and b in the graph with the recurrent and
 * reset paths cut):
 * <ul>
 *   <li>{@link OnlineEprop}: {@code dE/dW_ji += sV_j(t) eps_v,ji(t) + sB_j(t) eps_a,ji(t)}, with
 *       eps_a(t) the trace of step t (not the advanced one the state stores).</li>
 *   <li>{@link ReverseMode} (both graphs): the signals add to the adjoints,
 *       {@code gv(t) = psi dz(t) + alpha gv(t+1) + sV(t)},
 *       {@code gb(t) = -beta psi dz(t) + rho gb(t+1) + sB(t)}.</li>
 *   <li>{@link FastEprop}: the same adjoints in its variables ({@code g(t) = -gb(t+1)},
 *       {@code hbar = gv}): {@code g(t) = rho g(t+1) + beta h(t+1) - sB(t+1)},
 *       {@code hbar(t) = h(t) + sV(t) + alpha hbar(t+1)}.</li>
 * </ul>
 * Without a voltage cost the signals are absent (null) and every method runs exactly as before.
 */
public final class BackwardInput {
    private final Precision precision;
    private RealArray dy;
    private double[] regSignal = new double[0];
    /** The neurons' beta for the voltage regulariser, refilled per call rather than allocated. */
    private double[] beta = new double[0];
    private double taskLoss;
    private double regLoss;
    private RealArray dv;
    private RealArray db;
    private boolean stateSignals;
    private double voltageLoss;

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
        regLoss = reg.evaluate(tr, regSignal);
        stateSignals = false;
        voltageLoss = 0;
        return this;
    }

    /**
     * For a loss that lies outside the network's own readout (a readout shared by two networks, as
     * in a bidirectional network): sizes dE/dy for {@code tr} and sets it to zero for the caller to
     * fill through {@link #dy()} (then {@link #setTaskLoss}), and evaluates the rate regulariser over
     * the valid steps of a padded batch ({@link RateRegularizer#evaluate(RealArray, int, int, int,
     * int[], double[])}; {@code lengths} null: every step is valid).
     */
    public BackwardInput evaluateExternal(Trajectory tr, RateRegularizer reg, int[] lengths) {
        int rowsOut = tr.steps() * tr.batch() * tr.readouts();
        if (dy == null || dy.length() < rowsOut) {
            dy = precision.zeros(rowsOut);
        } else {
            for (int i = 0; i < rowsOut; i++) {
                dy.set(i, 0.0);
            }
        }
        if (regSignal.length < tr.neurons()) {
            regSignal = new double[tr.neurons()];
        }
        taskLoss = 0;
        regLoss = lengths == null ? reg.evaluate(tr, regSignal) : reg.evaluate(tr, lengths, regSignal);
        stateSignals = false;
        voltageLoss = 0;
        return this;
    }

    /** Sets the task loss that {@link #dy()} is the derivative of (after {@link #evaluateExternal}). */
    public BackwardInput setTaskLoss(double loss) {
        this.taskLoss = loss;
        return this;
    }

    /**
     * {@link #evaluate(Trajectory, Loss, Targets, RateRegularizer)} and then, unless {@code voltage}
     * is null or has strength 0, {@link #withVoltageCost}.
     */
    public BackwardInput evaluate(Trajectory tr, Loss loss, Targets targets, RateRegularizer reg,
            VoltageRegularizer voltage, SpikingNetwork net) {
        evaluate(tr, loss, targets, reg);
        if (voltage != null && voltage.strength() != 0) {
            withVoltageCost(tr, net, voltage);
        }
        return this;
    }

    /**
     * Evaluates the voltage regulariser on {@code tr} (recorded with its state) and sets the direct
     * state signals, replacing any earlier ones; call after {@link #evaluate}, which clears them.
     */
    public BackwardInput withVoltageCost(Trajectory tr, SpikingNetwork net, VoltageRegularizer voltage) {
        int rows = tr.steps() * tr.batch() * tr.neurons();
        if (dv == null || dv.length() < rows) {
            dv = precision.zeros(rows);
            db = precision.zeros(rows);
        }
        if (!tr.recordsState()) {
            throw new IllegalArgumentException("the voltage regulariser needs v and b of every step: run the forward"
                    + " pass with recordState = true");
        }
        if (beta.length != net.neurons()) {
            beta = new double[net.neurons()];
        }
        for (int j = 0; j < beta.length; j++) {
            beta[j] = net.beta(j);
        }
        voltageLoss = voltage.evaluate(tr.voltage(), tr.adaptation(), tr.steps() * tr.batch(), tr.batch(),
                net.neurons(), net.vTh(), beta, dv, db);
        stateSignals = true;
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

    /** The regularisers' loss: the rate regulariser's plus the voltage regulariser's, if any. */
    public double regLoss() {
        return stateSignals ? regLoss + voltageLoss : regLoss;
    }

    /** The voltage regulariser's loss (0 without one). */
    public double voltageLoss() {
        return stateSignals ? voltageLoss : 0.0;
    }

    /** Whether direct state signals are set. */
    public boolean hasStateSignals() {
        return stateSignals;
    }

    /** dE/dv, time-major {@code [steps*batch x n]} (the array may be longer), or null when absent. */
    public RealArray voltageSignal() {
        return stateSignals ? dv : null;
    }

    /** dE/db (b the adaptation variable, threshold v_th + beta b), layout of {@link #voltageSignal()}, or null. */
    public RealArray adaptationSignal() {
        return stateSignals ? db : null;
    }
}
