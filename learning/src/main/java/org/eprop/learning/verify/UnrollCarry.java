package org.eprop.learning.verify;

import java.util.ArrayList;
import java.util.List;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.MeanSquaredError;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.ReverseMode;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.gradient.VoltageRegularizer;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * Checks that every gradient method handles unroll boundaries and episode resets exactly, in the
 * way the reference's Atari agent needs them (state carried from one unroll to the next, rows reset
 * on {@code done}; Bellec et al. 2020, code {@code IGITUGraz/eligibility_propagation}).
 *
 * <ul>
 *   <li><b>Unroll carry.</b> The e-prop methods (eprop, eprop-online, eprop-autodiff) are causal:
 *       two unrolls with the state and the eligibility traces carried, gradients summed, must give
 *       the gradient of the one long run. BPTT across unrolls is truncated BPTT (the carried state
 *       is a constant); its oracle is forward-mode {@link Rtrl} over the long run with every
 *       sensitivity cut at the split (the state there detached), an independent implementation.
 *       The forward outputs of the two unrolls must equal those of the long run.</li>
 *   <li><b>Mid-run reset, readout filter reset too.</b> A row reset before step s inside a run must
 *       contribute what fresh runs of its two pieces do, for every method: the oracle runs every
 *       row's pieces as separate fresh runs of one row, without any carried state.</li>
 *   <li><b>Mid-run reset, readout filter kept.</b> Only the neurons restart; the readout filter
 *       (and with it zbar and ebar) carries on. For the e-prop methods the oracle runs the piece
 *       before the reset fresh, zeroes the neurons of its final state, and continues from it. For
 *       BPTT the reset is part of the differentiated graph, so the readout's adjoint flows back
 *       across it and truncated pieces would not be the right reference: the oracle is
 *       {@link Rtrl} with the neurons reset and the readout kept.</li>
 * </ul>
 * RTRL is a double-precision oracle with its own forward simulation, so in float32 the BPTT checks
 * against it are left out (a float32 run may cross a threshold the double one does not).
 *
 * <p>The loss must decompose over steps for chunk sums to be comparable: squared error with a fixed
 * weight per (t, b), not a mean over the chunk. The firing-rate regulariser is defined per run
 * (a mean over its steps), so it is left out ({@link RateRegularizer#NONE}); the voltage
 * regulariser, a sum over steps, may be added. Feedback is symmetric.
 */
public final class UnrollCarry {

    /**
     * One comparison of a result with its reference, both {@code rows x cols} row-major (for a
     * weight matrix: presynaptic rows, postsynaptic columns), and the bound on
     * {@link #value()}, the max relative difference of {@link Compare}.
     */
    public record Check(String name, String actualName, double[] actual, String referenceName, double[] reference,
            int rows, int cols, double bound) {
        public double value() {
            return Compare.maxRelativeDifference(actual, reference);
        }

        public boolean passes() {
            return value() <= bound;
        }
    }

    private final SpikingNetwork net;
    private final Precision precision;
    private final RealArray x;
    private final Targets targets;
    private final int steps;
    private final int batch;
    private final Dense dense;
    private final ForwardPass forward;
    private final BackwardInput backward;
    private final VoltageRegularizer voltage;

    /**
     * @param x inputs, time-major {@code [steps*batch x nIn]} in the network's precision
     * @param targets regression targets and per-step weights (squared error)
     */
    public UnrollCarry(SpikingNetwork net, RealArray x, Targets targets) {
        this(net, x, targets, VoltageRegularizer.NONE);
    }

    /**
     * The same checks with the voltage regulariser added to the loss. It is a sum over steps, so
     * it decomposes over unrolls as the squared error does; its mean over the batch is kept by
     * giving a one-row piece the strength divided by the batch size.
     */
    public UnrollCarry(SpikingNetwork net, RealArray x, Targets targets, VoltageRegularizer voltage) {
        this.voltage = voltage;
        this.net = net;
        this.precision = net.precision();
        this.x = x;
        this.targets = targets;
        this.steps = targets.steps();
        this.batch = targets.batch();
        this.dense = new Dense(precision);
        this.forward = new ForwardPass(dense);
        this.backward = new BackwardInput(precision);
    }

    /** The four methods, by id: eprop, eprop-online, eprop-autodiff, bptt. */
    public List<GradientMethod> methods() {
        return List.of(new FastEprop(dense), new OnlineEprop(precision), ReverseMode.cutPath(dense),
                ReverseMode.bptt(dense));
    }

    private static boolean carriesTraces(GradientMethod m) {
        return !m.id().equals("bptt");
    }

    /** Every check: the unroll split at {@code split}, and row {@code row} reset before step {@code step}. */
    public List<Check> all(int split, int row, int step, double bound) {
        List<Check> out = new ArrayList<>(unrollCarry(split, bound));
        out.addAll(midRunReset(row, step, NetworkState.Scope.ALL, bound));
        out.addAll(midRunReset(row, step, NetworkState.Scope.NEURONS, bound));
        return out;
    }

    /** One run of {@code steps} against two unrolls [0, split) and [split, steps) with the state carried. */
    public List<Check> unrollCarry(int split, double bound) {
        if (split <= 0 || split >= steps) {
            throw new IllegalArgumentException("split must lie in (0, " + steps + "), got " + split);
        }
        List<Check> out = new ArrayList<>();
        String unrolls = "two unrolls (" + split + " + " + (steps - split) + " steps) with the state carried";
        Piece first = new Piece(-1, 0, split);
        Piece second = new Piece(-1, split, steps);
        for (GradientMethod m : methods()) {
            NetworkState state = NetworkState.zeros(net, batch);
            Gradients chunks = gradient(m, first, state);
            add(chunks, gradient(m, second, state));
            if (carriesTraces(m)) {
                Gradients whole = gradient(m, new Piece(-1, 0, steps), null);
                compare(out, "unroll-carry." + m.id(), m.id() + ", " + unrolls, chunks,
                        m.id() + ", one run of " + steps + " steps", whole.parameters(), bound);
            } else if (precision == Precision.FLOAT64) {
                boolean[] detach = new boolean[steps];
                detach[split] = true;
                Rtrl.Result oracle = rtrl(null, true, detach);
                compare(out, "unroll-carry." + m.id(), "bptt, " + unrolls + " (truncated BPTT)", chunks,
                        "RTRL over " + steps + " steps, state at step " + split + " detached", oracle(oracle), bound);
            }
        }
        return out;
    }

    /** The forward outputs of one run against those of two unrolls with the state carried (equal to the bit). */
    public Check forwardCarry(int split, double bound) {
        Piece first = new Piece(-1, 0, split);
        Piece second = new Piece(-1, split, steps);
        double[] yLong = forward.run(net, x, steps, batch, false).outputs().toDoubleArray();
        double[] yChunks = new double[yLong.length];
        NetworkState s = NetworkState.zeros(net, batch);
        int nOut = net.outputs();
        Trajectory t1 = forward.run(net, first.input(), split, batch, false, s, null, NetworkState.Scope.ALL);
        System.arraycopy(t1.outputs().toDoubleArray(), 0, yChunks, 0, split * batch * nOut);
        Trajectory t2 = forward.run(net, second.input(), steps - split, batch, false, s, null, NetworkState.Scope.ALL);
        System.arraycopy(t2.outputs().toDoubleArray(), 0, yChunks, split * batch * nOut, (steps - split) * batch * nOut);
        return new Check("unroll-carry.forward.y", "y of two unrolls with the state carried", yChunks, "y of one run",
                yLong, steps * batch, nOut, bound);
    }

    /** The run with row {@code row} reset before step {@code step} against the pieces of every row. */
    public List<Check> midRunReset(int row, int step, NetworkState.Scope scope, double bound) {
        if (row < 0 || row >= batch || step <= 0 || step >= steps) {
            throw new IllegalArgumentException("reset row " + row + " before step " + step + " outside the run");
        }
        boolean[] resets = new boolean[steps * batch];
        resets[step * batch + row] = true;
        String where = scope == NetworkState.Scope.ALL ? "reset." : "reset-keep-readout.";
        String inRunName = ", row " + row + " reset before step " + step + " inside the run"
                + (scope == NetworkState.Scope.ALL ? "" : " (readout filter kept)");
        List<Check> out = new ArrayList<>();
        for (GradientMethod m : methods()) {
            Gradients inRun = run(m, new Piece(-1, 0, steps), null, resets, scope);
            if (scope == NetworkState.Scope.NEURONS && !carriesTraces(m)) {
                if (precision == Precision.FLOAT64) {
                    Rtrl.Result oracle = rtrl(resets, false, null);
                    compare(out, where + m.id(), m.id() + inRunName, inRun, "RTRL with the same reset",
                            oracle(oracle), bound);
                }
                continue;
            }
            Gradients pieces = new Gradients(net);
            for (int b = 0; b < batch; b++) {
                if (b != row) {
                    add(pieces, gradient(m, new Piece(b, 0, steps), null));
                } else if (scope == NetworkState.Scope.ALL) {
                    add(pieces, gradient(m, new Piece(b, 0, step), null));
                    add(pieces, gradient(m, new Piece(b, step, steps), null));
                } else {
                    NetworkState state = NetworkState.zeros(net, 1);
                    add(pieces, gradient(m, new Piece(b, 0, step), state));
                    state.reset(0, NetworkState.Scope.NEURONS);
                    add(pieces, gradient(m, new Piece(b, step, steps), state));
                }
            }
            compare(out, where + m.id(), m.id() + inRunName, inRun, m.id() + (scope == NetworkState.Scope.ALL
                    ? ", fresh runs of every row's pieces" : ", every row's pieces, neurons reset between them"),
                    pieces.parameters(), bound);
        }
        return out;
    }

    private Parameters oracle(Rtrl.Result r) {
        Parameters p = new Parameters().add(SpikingNetwork.W_IN, Precision.FLOAT64.of(r.wIn()))
                .add(SpikingNetwork.W_REC, Precision.FLOAT64.of(r.wRec()))
                .add(SpikingNetwork.W_OUT, Precision.FLOAT64.of(r.wOut()));
        if (net.parameters().contains(SpikingNetwork.B_OUT)) {
            p.add(SpikingNetwork.B_OUT, Precision.FLOAT64.of(r.bOut()));
        }
        return p;
    }

    private Rtrl.Result rtrl(boolean[] resets, boolean resetReadout, boolean[] detach) {
        SpikingNetwork net64 = net.toPrecision(Precision.FLOAT64);
        return Rtrl.gradients(net64, x.toDoubleArray(), steps, batch, new MeanSquaredError(), targets,
                RateRegularizer.NONE, resets, resetReadout, detach, voltage);
    }

    private void compare(List<Check> out, String what, String actualName, Gradients actual, String referenceName,
            Parameters reference, double bound) {
        for (Parameters.Entry e : actual.parameters().entries()) {
            int length = e.array().length();
            int cols = e.name().equals(SpikingNetwork.W_OUT) || e.name().equals(SpikingNetwork.B_OUT) ? net.outputs()
                    : net.neurons();
            out.add(new Check(what + "." + e.name(), actualName, e.array().toDoubleArray(), referenceName,
                    reference.get(e.name()).toDoubleArray(), length / cols, cols, bound));
        }
    }

    private static void add(Gradients sum, Gradients term) {
        for (Parameters.Entry e : sum.parameters().entries()) {
            RealArray t = term.parameters().get(e.name());
            for (int i = 0; i < t.length(); i++) {
                e.array().add(i, t.get(i));
            }
        }
    }

    private Gradients gradient(GradientMethod m, Piece piece, NetworkState state) {
        return run(m, piece, state, null, NetworkState.Scope.ALL);
    }

    /** Forward pass, loss and gradient of one piece; the pass's workspaces are reused, so the gradient is copied out. */
    private Gradients run(GradientMethod m, Piece piece, NetworkState state, boolean[] resets,
            NetworkState.Scope scope) {
        int rows = piece.rows();
        boolean volt = voltage.strength() != 0;
        Trajectory tr = forward.run(net, piece.input(), piece.length(), rows, volt, state, resets, scope);
        backward.evaluate(tr, new MeanSquaredError(), piece.targets(), RateRegularizer.NONE);
        if (volt) {
            backward.withVoltageCost(tr, net, rows == batch ? voltage
                    : new VoltageRegularizer(voltage.strength() * rows / batch));
        }
        Gradients g = new Gradients(net);
        m.compute(net, tr, backward, Feedback.symmetric(), g, state);
        return g;
    }

    /** Steps [from, to) of one row ({@code row >= 0}) or of every row ({@code row = -1}). */
    private final class Piece {
        final int row;
        final int from;
        final int to;

        Piece(int row, int from, int to) {
            this.row = row;
            this.from = from;
            this.to = to;
        }

        int rows() {
            return row < 0 ? batch : 1;
        }

        int length() {
            return to - from;
        }

        int sourceRow(int b) {
            return row < 0 ? b : row;
        }

        RealArray input() {
            int nIn = net.inputs();
            int rows = rows();
            RealArray out = precision.zeros(length() * rows * nIn);
            for (int t = from; t < to; t++) {
                for (int b = 0; b < rows; b++) {
                    for (int i = 0; i < nIn; i++) {
                        out.set(((t - from) * rows + b) * nIn + i, x.get((t * batch + sourceRow(b)) * nIn + i));
                    }
                }
            }
            return out;
        }

        Targets targets() {
            int nOut = targets.outputs();
            int rows = rows();
            Targets out = new Targets().resize(length(), rows, nOut);
            for (int t = from; t < to; t++) {
                for (int b = 0; b < rows; b++) {
                    out.setWeight(t - from, b, targets.weight(t, sourceRow(b)));
                    for (int k = 0; k < nOut; k++) {
                        out.setValue(t - from, b, k, targets.value(t, sourceRow(b), k));
                    }
                }
            }
            return out;
        }
    }
}
