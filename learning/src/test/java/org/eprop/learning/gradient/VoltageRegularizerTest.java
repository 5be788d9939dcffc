package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.Parameters;
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
import org.eprop.learning.verify.Compare;
import org.eprop.learning.verify.Rtrl;
import org.eprop.learning.verify.UnrollCarry;
import org.junit.jupiter.api.Test;

/**
 * The voltage regulariser of the reference's Atari LSNN in every gradient method: its own
 * derivatives by finite differences, the e-prop methods against each other (the online traces are
 * the oracle, 1e-12 in double), BPTT against forward-mode RTRL extended by the same term and
 * against central finite differences of the total loss, and the unroll/reset checks with it on.
 */
class VoltageRegularizerTest {
    private static final double BOUND = 1e-12;
    private final Dense dense = new Dense(Precision.FLOAT64);

    private static final double[] WORST = new double[3];

    private static void assertClose(String what, RealArray actual, double[] expected, double bound) {
        double d = Compare.maxRelativeDifference(actual, expected);
        int kind = what.startsWith("fast") ? 0 : what.startsWith("cut") ? 1 : 2;
        WORST[kind] = Math.max(WORST[kind], d);
        assertTrue(d <= bound, what + ": max relative difference " + d + " > " + bound);
    }

    @Test
    void signalsAreTheDerivativesOfTheLoss() {
        Rng rng = new Rng(7);
        int rows = 6;
        int batch = 2;
        int n = 3;
        double vTh = 0.6;
        double[] beta = {0.0, 0.3, 1.2};
        RealArray v = Precision.FLOAT64.zeros(rows * n);
        RealArray b = Precision.FLOAT64.zeros(rows * n);
        for (int i = 0; i < rows * n; i++) {
            v.set(i, rng.uniform(-2, 2));
            b.set(i, rng.uniform(0, 1));
        }
        VoltageRegularizer reg = new VoltageRegularizer(0.7);
        RealArray dv = Precision.FLOAT64.zeros(rows * n);
        RealArray db = Precision.FLOAT64.zeros(rows * n);
        RealArray scratch = Precision.FLOAT64.zeros(rows * n);
        double e = reg.evaluate(v, b, rows, batch, n, vTh, beta, dv, db);
        assertTrue(e > 0);
        double h = 1e-6;
        int active = 0;
        for (int i = 0; i < rows * n; i++) {
            for (RealArray target : List.of(v, b)) {
                double keep = target.get(i);
                target.set(i, keep + h);
                double up = reg.evaluate(v, b, rows, batch, n, vTh, beta, scratch, scratch);
                target.set(i, keep - h);
                double down = reg.evaluate(v, b, rows, batch, n, vTh, beta, scratch, scratch);
                target.set(i, keep);
                double fd = (up - down) / (2 * h);
                double analytic = (target == v ? dv : db).get(i);
                assertEquals(fd, analytic, 1e-7 * Math.max(1, Math.abs(fd)), (target == v ? "dE/dv" : "dE/db") + " at " + i);
                active += analytic != 0 ? 1 : 0;
            }
        }
        assertTrue(active > 10, "too few elements beyond the thresholds: " + active);
    }

    /** The four relations of {@link GradientOracleTest} with the voltage cost on; @return whether informative. */
    private boolean check(OracleFixture f, double strength) {
        Gradients eprop0 = f.gradients(new FastEprop(dense), Feedback.symmetric());
        f.withVoltage(new VoltageRegularizer(strength));
        assertTrue(f.backward.voltageLoss() > 0, "no membrane beyond the threshold: " + f.describe());
        Rng rng = new Rng(5);
        for (Feedback feedback : List.of(Feedback.symmetric(), Feedback.random(f.net, rng, false))) {
            Gradients online = f.gradients(new OnlineEprop(Precision.FLOAT64), feedback);
            Gradients fast = f.gradients(new FastEprop(dense), feedback);
            Gradients cut = f.gradients(ReverseMode.cutPath(dense), feedback);
            for (Parameters.Entry e : online.parameters().entries()) {
                String where = e.name() + ", " + f.describe() + " feedback=" + feedback.mode();
                assertClose("fast vs online, " + where, fast.parameters().get(e.name()), e.array().toDoubleArray(), BOUND);
                assertClose("cut-path vs online, " + where, cut.parameters().get(e.name()), e.array().toDoubleArray(),
                        BOUND);
            }
        }
        Gradients bptt = f.gradients(ReverseMode.bptt(dense), Feedback.symmetric());
        Rtrl.Result rtrl = Rtrl.gradients(f.net, f.x.toDoubleArray(), f.steps, f.batch, f.loss, f.targets, f.reg, null,
                true, null, f.voltage);
        assertClose("BPTT vs RTRL, W_in, " + f.describe(), bptt.wIn(), rtrl.wIn(), BOUND);
        assertClose("BPTT vs RTRL, W_rec, " + f.describe(), bptt.wRec(), rtrl.wRec(), BOUND);
        assertEquals(rtrl.voltageLoss(), f.backward.voltageLoss(), 1e-12 * rtrl.voltageLoss());
        assertEquals(f.backward.regLoss(), rtrl.regLoss() + rtrl.voltageLoss(), 1e-12 * (1 + f.backward.regLoss()));
        Gradients eprop1 = f.gradients(new FastEprop(dense), Feedback.symmetric());
        return Compare.maxRelativeDifference(eprop1.wIn(), eprop0.wIn()) > 1e-6
                && Compare.maxRelativeDifference(eprop1.wRec(), eprop0.wRec()) > 1e-6;
    }

    @Test
    void referenceNetworkAllMethodsExact() {
        for (int refractory : new int[] {2, 3}) {
            assertTrue(check(OracleFixture.reference(refractory, 42, Precision.FLOAT64), 0.5),
                    "the voltage cost must change the gradient to prove anything");
        }
    }

    @Test
    void randomisedNetworksAllMethodsExact() {
        int informative = 0;
        int tested = 0;
        for (long seed = 1; seed <= 30; seed++) {
            OracleFixture f = OracleFixture.randomised(seed);
            double[] v = f.trajectory.voltage().toDoubleArray();
            boolean beyond = false;
            for (int r = 0; r < f.steps * f.batch && !beyond; r++) {
                for (int j = 0; j < f.net.neurons(); j++) {
                    double a = f.net.vTh() + f.net.beta(j) * f.trajectory.adaptation().get(r * f.net.neurons() + j);
                    beyond |= Math.abs(v[r * f.net.neurons() + j]) > a;
                }
            }
            if (!beyond) {
                continue;
            }
            tested++;
            informative += check(f, 0.2 + seed * 0.05) ? 1 : 0;
        }
        assertTrue(tested >= 20 && informative >= 15, "tested " + tested + ", informative " + informative);
        System.out.println("voltage cost, " + tested + " randomised networks (" + informative + " informative): max rel."
                + " diff fast vs online " + WORST[0] + ", cut-path vs online " + WORST[1] + ", BPTT vs RTRL " + WORST[2]);
    }

    /**
     * BPTT against central finite differences of the total loss E_task + E_v. With gamma = 0 the
     * pseudo-derivative vanishes, so BPTT is the true derivative wherever no spike flips (the loss
     * is then smooth in the weights): the check covers the signal on v, its sign and scale, through
     * the recurrence, without any surrogate.
     */
    @Test
    void bpttMatchesFiniteDifferencesOfTheTotalLoss() {
        NeuronLayer layer = new NeuronLayer(3, 3, 3, 1.0, 10.0, 100.0, 0.5, 0.3, 2, 0.0, InputConvention.CURRENT);
        Readout readout = new Readout(2, 5.0, ReadoutConvention.NORMALISED, true);
        SpikingNetwork net = new SpikingNetwork(layer, readout, Precision.FLOAT64).initialise(new Rng(3),
                ReadoutInit.NORMAL);
        for (int i = 0; i < net.wIn().length(); i++) {
            net.wIn().set(i, net.wIn().get(i) * 1.5);
        }
        int steps = 40;
        int batch = 2;
        Rng rng = new Rng(4);
        RealArray x = Precision.FLOAT64.zeros(steps * batch * 3);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.uniform(-1, 1.5));
        }
        Targets targets = new Targets().resize(steps, batch, 2).weightAll(1.0 / steps);
        for (int t = 0; t < steps; t++) {
            for (int b = 0; b < batch; b++) {
                targets.setValue(t, b, 0, rng.nextGaussian());
                targets.setValue(t, b, 1, rng.nextGaussian());
            }
        }
        VoltageRegularizer voltage = new VoltageRegularizer(0.3);
        ForwardPass forward = new ForwardPass(dense);
        BackwardInput in = new BackwardInput(Precision.FLOAT64);
        Trajectory tr = forward.run(net, x, steps, batch, true);
        double spikes = tr.spikes().sum();
        double[] z0 = tr.spikes().toDoubleArray();
        in.evaluate(tr, new MeanSquaredError(), targets, RateRegularizer.NONE, voltage, net);
        assertTrue(spikes > 5 && in.voltageLoss() > 0, "spikes " + spikes + ", E_v " + in.voltageLoss());
        Gradients g = new Gradients(net);
        ReverseMode.bptt(dense).compute(net, tr, in, Feedback.symmetric(), g);
        double h = 1e-6;
        double worst = 0;
        int compared = 0;
        for (String name : List.of(SpikingNetwork.W_IN, SpikingNetwork.W_REC, SpikingNetwork.W_OUT)) {
            RealArray w = net.parameters().get(name);
            RealArray grad = g.parameters().get(name);
            for (int i = 0; i < w.length(); i++) {
                if (name.equals(SpikingNetwork.W_REC) && i / net.neurons() == i % net.neurons()) {
                    continue;
                }
                double keep = w.get(i);
                double[] e = new double[2];
                boolean flipped = false;
                for (int s = 0; s < 2; s++) {
                    w.set(i, keep + (s == 0 ? h : -h));
                    Trajectory p = forward.run(net, x, steps, batch, true);
                    flipped |= !java.util.Arrays.equals(z0, p.spikes().toDoubleArray());
                    in.evaluate(p, new MeanSquaredError(), targets, RateRegularizer.NONE, voltage, net);
                    e[s] = in.taskLoss() + in.regLoss();
                }
                w.set(i, keep);
                if (flipped) {
                    continue;
                }
                double fd = (e[0] - e[1]) / (2 * h);
                double d = Math.abs(fd - grad.get(i)) / Math.max(1e-3, Math.abs(fd));
                worst = Math.max(worst, d);
                compared++;
            }
        }
        assertTrue(compared > 30, "only " + compared + " weights without a spike flip");
        assertTrue(worst < 1e-6, "BPTT vs finite differences: max relative difference " + worst);
        System.out.println("voltage cost, BPTT vs central differences over " + compared + " weights: " + worst);
    }

    @Test
    void unrollsAndResetsStayExactWithTheVoltageCost() {
        StringBuilder failed = new StringBuilder();
        for (long seed = 1; seed <= 8; seed++) {
            OracleFixture f = OracleFixture.randomised(seed);
            Targets t = new Targets().resize(f.steps, f.batch, f.net.outputs());
            for (int s = 0; s < f.steps; s++) {
                for (int b = 0; b < f.batch; b++) {
                    t.setWeight(s, b, 1.0 + 0.01 * s);
                    for (int k = 0; k < f.net.outputs(); k++) {
                        t.setValue(s, b, k, Math.sin(0.1 * s + b + k));
                    }
                }
            }
            UnrollCarry problem = new UnrollCarry(f.net, f.x, t, new VoltageRegularizer(0.4));
            for (UnrollCarry.Check c : problem.all(f.steps / 2, f.batch - 1, f.steps / 3, BOUND)) {
                if (!c.passes()) {
                    failed.append(f.describe()).append(' ').append(c.name()).append(": ").append(c.value()).append('\n');
                }
            }
        }
        assertTrue(failed.length() == 0, failed.toString());
    }

    @Test
    void theStateSignalsAreAbsentUnlessAsked() {
        OracleFixture f = OracleFixture.reference(2, 42, Precision.FLOAT64);
        assertTrue(f.backward.voltageSignal() == null && f.backward.adaptationSignal() == null);
        f.withVoltage(new VoltageRegularizer(0.5));
        assertTrue(f.backward.voltageSignal() != null);
        f.backward.evaluate(f.trajectory, f.loss, f.targets, f.reg);
        assertTrue(f.backward.voltageSignal() == null && f.backward.voltageLoss() == 0);
        f.backward.evaluate(f.trajectory, f.loss, f.targets, f.reg, VoltageRegularizer.NONE, f.net);
        assertTrue(f.backward.voltageSignal() == null);
        NetworkState unused = NetworkState.zeros(f.net, 1);
        assertTrue(!unused.hasTraces());
    }
}
