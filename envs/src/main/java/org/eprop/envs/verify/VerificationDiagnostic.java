package org.eprop.envs.verify;

import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.MeanSquaredError;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.ReverseMode;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.verify.UnrollCarry;

/**
 * The two numerical verification scripts of the original repository (docs/model.md §5), and a
 * check of carried state, as diagnostic environments. All run the network of the scripts (3 inputs, 4 LIF + 4 ALIF,
 * v_th 0.62, beta 0.07, tau_v 20 ms, tau_a 500 ms, gamma 0.3, kappa = exp(-1/20)) on one trial of
 * Bernoulli inputs at 100 Hz against a random N(0,1) regression target, with W_out ~ N(0,1).
 *
 * <ul>
 *   <li>{@code verify/factorization} (docs/model.md §5.1, n_ref 2, T = 50, loss mean_t (y - y*)^2): paper eq. (1),
 *       the eligibility traces times the total dE/dz taken from BPTT, against BPTT itself.</li>
 *   <li>{@code verify/hardcoded-vs-autodiff} (docs/model.md §5.2, n_ref 3, T = 10, loss 0.5 sum (y - y*)^2):
 *       hard-coded e-prop, eqs. (4) + (25) with kappa-filtered traces and symmetric feedback,
 *       against reverse-mode differentiation with the recurrent and reset paths cut.</li>
 *   <li>{@code verify/unroll-carry} (n_ref 2, T = 100, 2 rows, loss 0.5 sum (y - y*)^2): every
 *       gradient method across an unroll boundary and across an episode reset, as the Atari agent
 *       runs them ({@link UnrollCarry}: two unrolls of T/2 with the state carried against one
 *       run, row 1 reset before step 37 against fresh pieces, with and without the readout
 *       filter).</li>
 * </ul>
 * The original scripts printed the maximum squared normalised difference in float32 and asserted
 * nothing; here the comparison is run in any precision and checked against a bound.
 */
public final class VerificationDiagnostic implements SupervisedTask {

    /** Which script. */
    public enum Mode {
        FACTORIZATION("verify/factorization", 2, 50),
        HARDCODED_VS_AUTODIFF("verify/hardcoded-vs-autodiff", 3, 10),
        UNROLL_CARRY("verify/unroll-carry", 2, 100);

        private final String id;
        private final int refractorySteps;
        private final int steps;

        Mode(String id, int refractorySteps, int steps) {
            this.id = id;
            this.refractorySteps = refractorySteps;
            this.steps = steps;
        }

        public String id() {
            return id;
        }
    }

    /**
     * @param steps trial length (reference: 50 for factorization, 10 for hardcoded-vs-autodiff)
     * @param inputRateHz Bernoulli input rate
     * @param refractorySteps refractory period in steps (reference: 2 and 3)
     */
    public record Params(int steps, double inputRateHz, int refractorySteps) {
        public Params {
            if (steps <= 0 || !(inputRateHz >= 0 && inputRateHz <= 1000) || refractorySteps < 0) {
                throw new IllegalArgumentException("verification diagnostic needs steps > 0, input_rate_hz in [0, 1000],"
                        + " refractory_steps >= 0");
            }
        }

        public static Params reference(Mode mode) {
            return new Params(mode.steps, 100.0, mode.refractorySteps);
        }
    }

    /** The bound on the max relative difference in double precision. */
    public static final double DOUBLE_BOUND = 1e-12;
    /** The bound on the max relative difference in float32. */
    public static final double FLOAT_BOUND = 1e-5;

    private final Mode mode;
    private final Params params;
    private final double doubleBound;
    private final double floatBound;

    /** A diagnostic with the default bounds (1e-12 in double, 1e-5 in float32). */
    public VerificationDiagnostic(Mode mode, Params params) {
        this(mode, params, DOUBLE_BOUND, FLOAT_BOUND);
    }

    public VerificationDiagnostic(Mode mode, Params params, double doubleBound, double floatBound) {
        if (!(doubleBound >= 0) || !(floatBound >= 0)) {
            throw new IllegalArgumentException("bounds must be >= 0, got " + doubleBound + " and " + floatBound);
        }
        this.mode = mode;
        this.params = params;
        this.doubleBound = doubleBound;
        this.floatBound = floatBound;
    }

    public Mode mode() {
        return mode;
    }

    /** The same diagnostic with other bounds. */
    public VerificationDiagnostic withBounds(double doubleBound, double floatBound) {
        return new VerificationDiagnostic(mode, params, doubleBound, floatBound);
    }

    @Override
    public String id() {
        return mode.id;
    }

    @Override
    public int inputs() {
        return 3;
    }

    @Override
    public int outputs() {
        return 1;
    }

    @Override
    public int steps() {
        return params.steps();
    }

    @Override
    public double dtMs() {
        return 1.0;
    }

    @Override
    public Kind kind() {
        return Kind.REGRESSION;
    }

    /** The network of the scripts, initialised from {@code rng}. */
    public SpikingNetwork network(Rng rng, Precision precision) {
        NeuronLayer layer = new NeuronLayer(3, 4, 4, 1.0, 20.0, 500.0, 0.62, 0.07, params.refractorySteps(), 0.3,
                InputConvention.CURRENT);
        Readout readout = new Readout(1, 20.0, ReadoutConvention.NORMALISED, false);
        return new SpikingNetwork(layer, readout, Precision.FLOAT64).initialise(rng, ReadoutInit.NORMAL)
                .toPrecision(precision);
    }

    @Override
    public int sampleBatch(Split split, Rng rng, int batch, RealArray x, Targets targets) {
        int steps = params.steps();
        double p = params.inputRateHz() / 1000.0;
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(p) ? 1.0 : 0.0);
        }
        // factorization: mean over T of (y - y*)^2 = sum of 0.5 (y - y*)^2 with weight 2/T.
        targets.resize(steps, batch, 1).weightAll(mode == Mode.FACTORIZATION ? 2.0 / steps : 1.0);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                targets.setValue(t, b, 0, rng.nextGaussian());
            }
        }
        return steps;
    }

    /** The result of one run: the comparisons and how active the network was. */
    public record Result(List<Comparison> comparisons, int spikes, double loss) {
    }

    /**
     * Runs the diagnostic on one trial drawn from {@code seed}: the network and the trial are drawn
     * in double precision and rounded to {@code precision}, so both precisions see the same problem.
     */
    public Result run(long seed, Precision precision) {
        Rng rng = new Rng(seed);
        SpikingNetwork net = network(rng, precision);
        if (mode == Mode.UNROLL_CARRY) {
            return unrollCarry(rng, net, precision);
        }
        int steps = params.steps();
        RealArray x64 = Precision.FLOAT64.zeros(steps * 3);
        Targets targets = new Targets();
        sampleBatch(rng, 1, x64, targets);
        RealArray x = precision.zeros(x64.length());
        x.copyFrom(x64);
        Dense dense = new Dense(precision);
        Trajectory tr = new ForwardPass(dense).run(net, x, steps, 1, false);
        BackwardInput in = new BackwardInput(precision).evaluate(tr, new MeanSquaredError(), targets, RateRegularizer.NONE);
        double bound = precision == Precision.FLOAT64 ? doubleBound : floatBound;
        int n = net.neurons();
        List<Comparison> out = new ArrayList<>();
        if (mode == Mode.FACTORIZATION) {
            ReverseMode bptt = ReverseMode.bptt(dense).keepTotalSpikeDerivative(true);
            Gradients exact = new Gradients(net);
            bptt.compute(net, tr, in, Feedback.symmetric(), exact);
            Gradients factorised = new Gradients(net);
            new OnlineEprop(precision).factorisedGradient(net, tr, bptt.totalSpikeDerivative(), factorised);
            out.add(new Comparison("W_rec", "eq. (1): traces x dE/dz", factorised.wRec().toDoubleArray(), "BPTT",
                    exact.wRec().toDoubleArray(), n, n, bound));
            out.add(new Comparison("W_in", "eq. (1): traces x dE/dz", factorised.wIn().toDoubleArray(), "BPTT",
                    exact.wIn().toDoubleArray(), 3, n, bound));
        } else {
            Gradients hardcoded = new Gradients(net);
            new OnlineEprop(precision).compute(net, tr, in, Feedback.symmetric(), hardcoded);
            Gradients autodiff = new Gradients(net);
            ReverseMode.cutPath(dense).compute(net, tr, in, Feedback.symmetric(), autodiff);
            out.add(new Comparison("W_rec", "hard-coded e-prop (eqs. 4, 25)", hardcoded.wRec().toDoubleArray(),
                    "autodiff, paths cut", autodiff.wRec().toDoubleArray(), n, n, bound));
            out.add(new Comparison("W_in", "hard-coded e-prop (eqs. 4, 25)", hardcoded.wIn().toDoubleArray(),
                    "autodiff, paths cut", autodiff.wIn().toDoubleArray(), 3, n, bound));
        }
        return new Result(out, (int) Math.round(tr.spikes().sum()), in.taskLoss());
    }

    /** Two rows: row 0 runs through, row 1 is reset before step 37 of 100 (scaled with T). */
    private Result unrollCarry(Rng rng, SpikingNetwork net, Precision precision) {
        int steps = params.steps();
        if (steps < 2) {
            throw new IllegalArgumentException("verify/unroll-carry needs at least 2 steps, got " + steps);
        }
        int batch = 2;
        RealArray x64 = Precision.FLOAT64.zeros(steps * batch * 3);
        Targets targets = new Targets();
        sampleBatch(rng, batch, x64, targets);
        RealArray x = precision.zeros(x64.length());
        x.copyFrom(x64);
        double bound = precision == Precision.FLOAT64 ? doubleBound : floatBound;
        List<Comparison> out = new ArrayList<>();
        int resetStep = Math.max(1, Math.min(steps - 1, steps * 37 / 100));
        for (UnrollCarry.Check c : new UnrollCarry(net, x, targets).all(steps / 2, 1, resetStep, bound)) {
            out.add(new Comparison(c.name(), c.actualName(), c.actual(), c.referenceName(), c.reference(), c.rows(),
                    c.cols(), bound));
        }
        Trajectory tr = new ForwardPass(precision).run(net, x, steps, batch, false);
        BackwardInput in = new BackwardInput(precision).evaluate(tr, new MeanSquaredError(), targets,
                RateRegularizer.NONE);
        return new Result(out, (int) Math.round(tr.spikes().sum()), in.taskLoss());
    }
}
