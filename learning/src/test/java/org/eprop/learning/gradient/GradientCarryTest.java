package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.verify.Compare;
import org.eprop.learning.verify.UnrollCarry;
import org.junit.jupiter.api.Test;

/** Unroll boundaries and resets beyond the verification network: the traces themselves, and that the checks bite. */
class GradientCarryTest {
    private static final double BOUND = 1e-12;
    private final Dense dense = new Dense(Precision.FLOAT64);

    /** The first {@code split} steps of a fixture's run, then the rest, with a state carried. */
    private static RealArray steps(OracleFixture f, int from, int to) {
        int nIn = f.net.inputs();
        RealArray out = f.net.precision().zeros((to - from) * f.batch * nIn);
        for (int i = 0; i < out.length(); i++) {
            out.set(i, f.x.get(from * f.batch * nIn + i));
        }
        return out;
    }

    private static Targets targets(OracleFixture f, int from, int to) {
        Targets t = new Targets().resize(to - from, f.batch, f.net.outputs());
        for (int s = from; s < to; s++) {
            for (int b = 0; b < f.batch; b++) {
                t.setWeight(s - from, b, 1.0 + 0.01 * s);
                for (int k = 0; k < f.net.outputs(); k++) {
                    t.setValue(s - from, b, k, Math.sin(0.1 * s + b + k));
                }
            }
        }
        return t;
    }

    /** How the second unroll's gradient treats the state carried into it. */
    private enum Second { TRACES_CARRIED, NO_TRACES, TRUNCATED }

    /** Runs [0, split) and then [split, T) of the fixture through {@code method}, returning the state. */
    private static NetworkState carry(OracleFixture f, GradientMethod method, int split, Gradients second,
            Second how) {
        ForwardPass forward = new ForwardPass(new Dense(f.net.precision()));
        BackwardInput in = new BackwardInput(f.net.precision());
        NetworkState state = NetworkState.zeros(f.net, f.batch);
        Trajectory tr = forward.run(f.net, steps(f, 0, split), split, f.batch, false, state, null, NetworkState.Scope.ALL);
        in.evaluate(tr, new MeanSquaredError(), targets(f, 0, split), RateRegularizer.NONE);
        method.compute(f.net, tr, in, Feedback.symmetric(), new Gradients(f.net), state);
        tr = forward.run(f.net, steps(f, split, f.steps), f.steps - split, f.batch, false, state, null,
                NetworkState.Scope.ALL);
        in.evaluate(tr, new MeanSquaredError(), targets(f, split, f.steps), RateRegularizer.NONE);
        if (how == Second.TRUNCATED) {
            method.computeTruncated(f.net, tr, in, Feedback.symmetric(), second);
        } else {
            method.compute(f.net, tr, in, Feedback.symmetric(), second, how == Second.TRACES_CARRIED ? state : null);
        }
        return state;
    }

    @Test
    void theBackwardFormsCarryOutTheTracesOfTheOnlineForm() {
        OracleFixture f = OracleFixture.reference(2, 42, Precision.FLOAT64);
        Gradients g = new Gradients(f.net);
        NetworkState online = carry(f, new OnlineEprop(Precision.FLOAT64), 23, g, Second.TRACES_CARRIED);
        for (GradientMethod m : List.of(new FastEprop(dense), ReverseMode.cutPath(dense))) {
            NetworkState s = carry(f, m, 23, new Gradients(f.net), Second.TRACES_CARRIED);
            double dv = Compare.maxRelativeDifference(s.epsV(), online.epsV());
            double da = Compare.maxRelativeDifference(s.epsA(), online.epsA());
            double db = Compare.maxRelativeDifference(s.eBar(), online.eBar());
            assertTrue(dv <= BOUND && da <= BOUND && db <= BOUND, m.id() + ": eps_v " + dv + ", eps_a " + da
                    + ", ebar " + db);
        }
        assertTrue(online.epsA().maxAbs() > 0 && online.eBar().maxAbs() > 0, "traces must be non-zero to prove anything");
    }

    @Test
    void theCarriedTracesMatter() {
        OracleFixture f = OracleFixture.reference(2, 42, Precision.FLOAT64);
        for (GradientMethod m : List.of(new FastEprop(dense), new OnlineEprop(Precision.FLOAT64),
                ReverseMode.cutPath(dense))) {
            Gradients with = new Gradients(f.net);
            carry(f, m, 25, with, Second.TRACES_CARRIED);
            Gradients without = new Gradients(f.net);
            carry(f, m, 25, without, Second.NO_TRACES);
            double d = Compare.maxRelativeDifference(without.wRec(), with.wRec());
            assertTrue(d > 1e-6, m.id() + ": dropping the carried traces changed W_rec by only " + d);
        }
    }

    /** The second unroll's gradient with the carried state a constant ({@link GradientMethod#computeTruncated}). */
    private static Gradients truncated(OracleFixture f, GradientMethod method, int split) {
        Gradients g = new Gradients(f.net);
        carry(f, method, split, g, Second.TRUNCATED);
        return g;
    }

    private static double worst(Gradients a, Gradients b) {
        return Math.max(Math.max(Compare.maxRelativeDifference(a.wIn(), b.wIn()),
                Compare.maxRelativeDifference(a.wRec(), b.wRec())), Math.max(
                Compare.maxRelativeDifference(a.wOut(), b.wOut()), Compare.maxRelativeDifference(a.bOut(), b.bOut())));
    }

    /**
     * Truncated at the boundary, the three forms agree: the forward eligibility traces started from
     * zero with zbar filtered from zero (OnlineEprop), the backward scans (FastEprop) and the reverse
     * sweep of the cut graph (ReverseMode), each on the second unroll of a run with a state carried.
     */
    @Test
    void truncatedAtTheBoundaryTheThreeFormsAgree() {
        OracleFixture f = OracleFixture.reference(2, 42, Precision.FLOAT64);
        Gradients online = truncated(f, new OnlineEprop(Precision.FLOAT64), 23);
        for (GradientMethod m : List.of(new FastEprop(dense), ReverseMode.cutPath(dense))) {
            double d = worst(truncated(f, m, 23), online);
            assertTrue(d <= BOUND, m.id() + ": truncated gradient differs from the online form's by " + d);
        }
        assertTrue(online.wRec().maxAbs() > 0 && online.wOut().maxAbs() > 0, "gradients must be non-zero");
    }

    /**
     * Truncation is neither the carried gradient nor the carried one without traces: the readout
     * filter's carried value holds a derivative of W_out (its zbar(-1) term), the traces one of
     * W_in and W_rec. And full BPTT, which always truncates, gives the same with either call.
     */
    @Test
    void truncationDropsTheTracesAndTheReadoutFiltersTerm() {
        OracleFixture f = OracleFixture.reference(2, 42, Precision.FLOAT64);
        for (GradientMethod m : List.of(new FastEprop(dense), new OnlineEprop(Precision.FLOAT64),
                ReverseMode.cutPath(dense))) {
            Gradients cut = truncated(f, m, 25);
            Gradients withTraces = new Gradients(f.net);
            carry(f, m, 25, withTraces, Second.TRACES_CARRIED);
            Gradients noTraces = new Gradients(f.net);
            carry(f, m, 25, noTraces, Second.NO_TRACES);
            double rec = Compare.maxRelativeDifference(cut.wRec(), withTraces.wRec());
            assertTrue(rec > 1e-6, m.id() + ": truncation changed W_rec by only " + rec);
            double out = Compare.maxRelativeDifference(cut.wOut(), noTraces.wOut());
            assertTrue(out > 1e-6, m.id() + ": dropping the readout filter's term changed W_out by only " + out);
            double in = Compare.maxRelativeDifference(cut.wIn(), noTraces.wIn());
            assertTrue(in <= BOUND, m.id() + ": without traces W_in must not depend on the readout filter: " + in);
        }
        GradientMethod bptt = ReverseMode.bptt(dense);
        Gradients cut = truncated(f, bptt, 25);
        Gradients carried = new Gradients(f.net);
        carry(f, bptt, 25, carried, Second.TRACES_CARRIED);
        assertTrue(worst(cut, carried) == 0.0, "BPTT truncates either way");
    }

    @Test
    void float32TruncationStaysWithinItsBound() {
        OracleFixture f64 = OracleFixture.reference(2, 42, Precision.FLOAT64);
        OracleFixture f32 = OracleFixture.reference(2, 42, Precision.FLOAT32);
        Gradients reference = truncated(f64, new FastEprop(dense), 25);
        double d = worst(truncated(f32, new FastEprop(new Dense(Precision.FLOAT32)), 25), reference);
        assertTrue(d <= 1e-5, "float32 truncated e-prop differs from double by " + d);
    }

    @Test
    void keepingTheReadoutFilterChangesTheGradient() {
        UnrollCarry problem = new UnrollCarry(OracleFixture.reference(2, 42, Precision.FLOAT64).net,
                OracleFixture.reference(2, 42, Precision.FLOAT64).x, targets(OracleFixture.reference(2, 42,
                        Precision.FLOAT64), 0, 50));
        var all = problem.midRunReset(0, 20, NetworkState.Scope.ALL, BOUND);
        var kept = problem.midRunReset(0, 20, NetworkState.Scope.NEURONS, BOUND);
        for (int i = 0; i < all.size(); i++) {
            if (all.get(i).name().endsWith("w_in")) {
                double d = Compare.maxRelativeDifference(all.get(i).actual(), kept.get(i).actual());
                assertTrue(d > 1e-6, all.get(i).name() + ": the readout filter's carry changed W_in by only " + d);
            }
        }
    }

    @Test
    void randomisedNetworksHandleBoundariesExactly() {
        StringBuilder failed = new StringBuilder();
        for (long seed = 1; seed <= 8; seed++) {
            OracleFixture f = OracleFixture.randomised(seed);
            UnrollCarry problem = new UnrollCarry(f.net, f.x, targets(f, 0, f.steps));
            var checks = problem.all(f.steps / 2, f.batch - 1, f.steps / 3, BOUND);
            checks.add(problem.forwardCarry(f.steps / 2, 0.0));
            for (UnrollCarry.Check c : checks) {
                if (!c.passes()) {
                    failed.append(f.describe()).append(' ').append(c.name()).append(": ").append(c.value()).append('\n');
                }
            }
        }
        assertTrue(failed.length() == 0, failed.toString());
    }

    @Test
    void float32StaysWithinItsBound() {
        OracleFixture f = OracleFixture.reference(2, 42, Precision.FLOAT32);
        UnrollCarry problem = new UnrollCarry(f.net, f.x, targets(f, 0, f.steps));
        for (UnrollCarry.Check c : problem.all(25, 0, 17, 1e-5)) {
            assertTrue(c.passes(), c.name() + ": " + c.value());
        }
    }

}
