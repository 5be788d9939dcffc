package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * The parallel float32 update of the carried eligibility traces ({@link EligibilityCarry})
 * against its plain loop: the same traces and gradients, bit for bit, over
 * three unrolls (the first starts without traces, the later ones carry them).
 */
class EligibilityCarryParallelTest {

    private static NetworkState run(OracleFixture f, boolean vector, Gradients[] grads) {
        return run(f, vector, grads, -1);
    }

    /** As above; {@code resetStep} >= 0: row 0 is reset before that step of the second unroll. */
    private static NetworkState run(OracleFixture f, boolean vector, Gradients[] grads, int resetStep) {
        boolean keep = EligibilityCarry.vectorUpdate;
        EligibilityCarry.vectorUpdate = vector;
        try {
            Dense dense = new Dense(Precision.FLOAT32);
            ForwardPass forward = new ForwardPass(dense);
            BackwardInput in = new BackwardInput(Precision.FLOAT32);
            FastEprop method = new FastEprop(dense);
            NetworkState state = NetworkState.zeros(f.net, f.batch);
            int nIn = f.net.inputs();
            int chunk = f.steps / 3;
            for (int c = 0; c < 3; c++) {
                RealArray x = Precision.FLOAT32.zeros(chunk * f.batch * nIn);
                for (int i = 0; i < x.length(); i++) {
                    x.set(i, f.x.get(c * chunk * f.batch * nIn + i));
                }
                boolean[] resets = null;
                if (c == 1 && resetStep >= 0) {
                    resets = new boolean[chunk * f.batch];
                    resets[resetStep * f.batch] = true;
                }
                Trajectory tr = forward.run(f.net, x, chunk, f.batch, false, state, resets, NetworkState.Scope.ALL);
                Targets t = new Targets().resize(chunk, f.batch, f.net.outputs());
                for (int s = 0; s < chunk; s++) {
                    for (int b = 0; b < f.batch; b++) {
                        t.setWeight(s, b, 1.0);
                        for (int k = 0; k < f.net.outputs(); k++) {
                            t.setValue(s, b, k, Math.sin(0.1 * (s + c * chunk) + b + k));
                        }
                    }
                }
                in.evaluate(tr, new MeanSquaredError(), t, RateRegularizer.NONE);
                grads[c] = new Gradients(f.net);
                method.compute(f.net, tr, in, Feedback.symmetric(), grads[c], state);
            }
            return state;
        } finally {
            EligibilityCarry.vectorUpdate = keep;
        }
    }

    private static void assertBits(RealArray expected, RealArray actual, String what) {
        assertEquals(expected.length(), actual.length(), what);
        for (int i = 0; i < expected.length(); i++) {
            if (Double.doubleToRawLongBits(expected.get(i)) != Double.doubleToRawLongBits(actual.get(i))) {
                throw new AssertionError(what + " differs at " + i + ": " + expected.get(i) + " vs " + actual.get(i));
            }
        }
    }

    @Test
    void parallelTraceUpdateEqualsThePlainLoop() {
        OracleFixture f = OracleFixture.reference(2, 42, Precision.FLOAT32);
        Gradients[] scalarGrads = new Gradients[3];
        Gradients[] vectorGrads = new Gradients[3];
        NetworkState scalar = run(f, false, scalarGrads);
        NetworkState vector = run(f, true, vectorGrads);
        assertBits(scalar.epsV(), vector.epsV(), "eps_v");
        assertBits(scalar.epsA(), vector.epsA(), "eps_a");
        assertBits(scalar.eBar(), vector.eBar(), "ebar");
        for (int c = 0; c < 3; c++) {
            assertBits(scalarGrads[c].wIn(), vectorGrads[c].wIn(), "W_in gradient of unroll " + c);
            assertBits(scalarGrads[c].wRec(), vectorGrads[c].wRec(), "W_rec gradient of unroll " + c);
        }
    }
    /**
     * Sizes where the vector kernels run (at least 64 sources, with a remainder), LIF and ALIF
     * neurons, a reset inside an unroll: the same bits as the plain loop, and eps_a kept at zero for
     * the LIF neurons.
     */
    @Test
    void vectorKernelsEqualThePlainLoopAtAtariLikeSizes() {
        org.eprop.learning.rng.Rng rng = new org.eprop.learning.rng.Rng(7);
        int nIn = 70;
        org.eprop.learning.neuron.NeuronLayer layer = new org.eprop.learning.neuron.NeuronLayer(nIn, 6, 7, 1.0, 15.0,
                70.0, 0.6, 0.1, 2, 0.3, org.eprop.learning.neuron.InputConvention.CURRENT);
        org.eprop.learning.neuron.Readout readout = new org.eprop.learning.neuron.Readout(3, 20.0,
                org.eprop.learning.neuron.ReadoutConvention.NORMALISED, false);
        org.eprop.learning.network.SpikingNetwork net = new org.eprop.learning.network.SpikingNetwork(layer, readout,
                Precision.FLOAT32).initialise(rng, org.eprop.learning.network.ReadoutInit.NORMAL);
        int steps = 60;
        int batch = 3;
        RealArray x = Precision.FLOAT32.zeros(steps * batch * nIn);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(0.3) ? 1.0 : 0.0);
        }
        OracleFixture f = new OracleFixture(net, x, steps, batch, new MeanSquaredError(),
                new Targets().resize(steps, batch, 3), RateRegularizer.NONE);
        Gradients[] scalarGrads = new Gradients[3];
        Gradients[] vectorGrads = new Gradients[3];
        NetworkState scalar = run(f, false, scalarGrads, 7);
        long keep = EligibilityCarry.vectorMinTraces;
        EligibilityCarry.vectorMinTraces = 0;
        NetworkState vector;
        try {
            vector = run(f, true, vectorGrads, 7);
        } finally {
            EligibilityCarry.vectorMinTraces = keep;
        }
        assertBits(scalar.epsV(), vector.epsV(), "eps_v");
        assertBits(scalar.epsA(), vector.epsA(), "eps_a");
        assertBits(scalar.eBar(), vector.eBar(), "ebar");
        for (int c = 0; c < 3; c++) {
            assertBits(scalarGrads[c].wIn(), vectorGrads[c].wIn(), "W_in gradient of unroll " + c);
            assertBits(scalarGrads[c].wRec(), vectorGrads[c].wRec(), "W_rec gradient of unroll " + c);
        }
        int n = net.neurons();
        int pre = nIn + n;
        double adaptive = 0;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                for (int p = 0; p < pre; p++) {
                    double a = vector.epsA().get((b * n + j) * pre + p);
                    if (net.beta(j) == 0) {
                        assertEquals(0.0, a, "eps_a of LIF neuron " + j);
                    } else {
                        adaptive = Math.max(adaptive, Math.abs(a));
                    }
                }
            }
        }
        assertTrue(adaptive > 0 && vector.epsV().maxAbs() > 0 && vectorGrads[2].wIn().maxAbs() > 0,
                "the traces and gradients must be non-zero to prove anything");
    }

    @Test
    void boundaryTermInBlocksEqualsOneContractionPerRowAndNeuron() {
        OracleFixture f = OracleFixture.reference(2, 43, Precision.FLOAT32);
        int batch = 700; // enough work for the blocks to run on both cores
        int n = f.net.neurons();
        int nIn = f.net.inputs();
        int pre = nIn + n;
        NetworkState state = NetworkState.zeros(f.net, batch).ensureTraces();
        org.eprop.learning.rng.Rng rng = new org.eprop.learning.rng.Rng(5);
        for (RealArray a : new RealArray[] {state.epsV(), state.epsA(), state.eBar()}) {
            for (int i = 0; i < a.length(); i++) {
                a.set(i, rng.nextGaussian());
            }
        }
        double[] cv = new double[batch * n];
        double[] ca = new double[batch * n];
        double[] cb = new double[batch * n];
        for (int i = 0; i < cv.length; i++) {
            cv[i] = rng.nextGaussian();
            ca[i] = rng.nextGaussian();
            cb[i] = rng.nextGaussian();
        }
        Gradients got = new Gradients(f.net);
        EligibilityCarry.addBoundary(f.net, state, cv, ca, cb, got);
        // the loop the blocks replace: one (b, j) at a time, over all sources
        Gradients want = new Gradients(f.net);
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < n; j++) {
                int k = b * n + j;
                for (int p = 0; p < pre; p++) {
                    if (p == nIn + j) {
                        continue;
                    }
                    int s = k * pre + p;
                    // eps_a only where there is adaptation: it is kept at zero elsewhere
                    // (NetworkState#epsA), so the blocks leave its term out there
                    double term = f.net.beta(j) != 0
                            ? cv[k] * state.epsV().get(s) + ca[k] * state.epsA().get(s) + cb[k] * state.eBar().get(s)
                            : cv[k] * state.epsV().get(s) + cb[k] * state.eBar().get(s);
                    if (p < nIn) {
                        want.wIn().add(p * n + j, term);
                    } else {
                        want.wRec().add((p - nIn) * n + j, term);
                    }
                }
            }
        }
        assertBits(want.wIn(), got.wIn(), "W_in boundary term");
        assertBits(want.wRec(), got.wRec(), "W_rec boundary term");
    }
}
