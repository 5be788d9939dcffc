package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/** The neuron and readout equations against steps computed by hand. */
class NeuronDynamicsTest {
    /** tau_m with alpha = exp(-1/tau) = 0.5 exactly (to rounding), so hand arithmetic is simple. */
    private static final double TAU_HALF = 1.0 / Math.log(2.0);

    private static SpikingNetwork single(int nLif, int nAlif, double tauA, double beta, double tRef, InputConvention input,
            double wIn) {
        NeuronLayer layer = new NeuronLayer(1, nLif, nAlif, 1.0, TAU_HALF, tauA, 1.0, beta, tRef, 0.3, input);
        SpikingNetwork net = new SpikingNetwork(layer, new Readout(1, 20, ReadoutConvention.NORMALISED, false),
                Precision.FLOAT64);
        for (int j = 0; j < net.neurons(); j++) {
            net.wIn().set(j, wIn);
        }
        return net;
    }

    private static Trajectory run(SpikingNetwork net, double[] x) {
        return new ForwardPass(Precision.FLOAT64).run(net, Precision.FLOAT64.of(x), x.length, 1, true);
    }

    private static double[] constant(int steps, double value) {
        double[] x = new double[steps];
        java.util.Arrays.fill(x, value);
        return x;
    }

    @Test
    void membraneIntegratesAndResetsBySubtractingTheThreshold() {
        // v(t) = 0.5 v(t-1) + 0.6 - 1.0 z(t-1); spike when v > 1.
        Trajectory tr = run(single(1, 0, 100, 0, 0, InputConvention.CURRENT, 0.6), constant(6, 1.0));
        double[] v = tr.voltage().toDoubleArray();
        double[] expectedV = {0.6, 0.9, 1.05, 0.125, 0.6625, 0.93125};
        double[] expectedZ = {0, 0, 1, 0, 0, 0};
        for (int t = 0; t < 6; t++) {
            assertEquals(expectedV[t], v[t], 1e-12, "v at step " + t);
        }
        assertArrayEquals(expectedZ, tr.spikes().toDoubleArray(), 0.0);
    }

    @Test
    void leakyInputConventionScalesTheCurrentByOneMinusAlpha() {
        // v(t) = 0.5 v(t-1) + 0.5 * 0.6.
        Trajectory tr = run(single(1, 0, 100, 0, 0, InputConvention.LEAKY, 0.6), constant(3, 1.0));
        assertArrayEquals(new double[] {0.3, 0.45, 0.525}, tr.voltage().toDoubleArray(), 1e-12);
    }

    @Test
    void pseudoDerivativeIsTheTriangleScaledByTheBaselineThreshold() {
        Trajectory tr = run(single(1, 0, 100, 0, 0, InputConvention.CURRENT, 0.6), constant(6, 1.0));
        double[] v = tr.voltage().toDoubleArray();
        double[] psi = tr.psi().toDoubleArray();
        for (int t = 0; t < 6; t++) {
            double expected = 0.3 / 1.0 * Math.max(0, 1 - Math.abs((v[t] - 1.0) / 1.0));
            assertEquals(expected, psi[t], 1e-15, "psi at step " + t);
        }
        assertEquals(0.3 * 0.9, psi[1], 1e-12); // v = 0.9: 0.3 * (1 - 0.1)
    }

    @Test
    void refractoryPeriodBlocksSpikesAndZeroesThePseudoDerivative() {
        for (int nRef = 1; nRef <= 5; nRef++) {
            // Drive far above threshold: the neuron fires whenever it is allowed to.
            Trajectory tr = run(single(1, 0, 100, 0, nRef, InputConvention.CURRENT, 5.0), constant(40, 1.0));
            double[] z = tr.spikes().toDoubleArray();
            double[] psi = tr.psi().toDoubleArray();
            int last = -1;
            int spikes = 0;
            for (int t = 0; t < z.length; t++) {
                if (z[t] == 1) {
                    if (last >= 0) {
                        assertEquals(nRef, t - last, "inter-spike interval with n_ref = " + nRef);
                    }
                    last = t;
                    spikes++;
                }
                boolean refractory = last >= 0 && t > last && t - last < nRef;
                if (refractory) {
                    assertEquals(0.0, psi[t], "psi while refractory, n_ref = " + nRef + ", step " + t);
                    assertEquals(0.0, z[t]);
                }
            }
            assertEquals((40 + nRef - 1) / nRef, spikes, "spike count with n_ref = " + nRef);
        }
    }

    @Test
    void adaptationJumpsAfterASpikeAndDecaysWithRho() {
        double tauA = 1.0 / Math.log(4.0); // rho = 0.25
        double beta = 2.0;
        // One strong input pulse at t = 0, then nothing.
        double[] x = new double[6];
        x[0] = 1.0;
        Trajectory tr = run(single(0, 1, tauA, beta, 0, InputConvention.CURRENT, 3.0), x);
        double[] b = tr.adaptation().toDoubleArray();
        double[] z = tr.spikes().toDoubleArray();
        assertEquals(1.0, z[0]); // v = 3 > A = 1
        // b(t) = rho b(t-1) + z(t-1): 0, 1, 0.25, 0.0625, ...
        assertArrayEquals(new double[] {0, 1, 0.25, 0.0625, 0.015625, 0.00390625}, b, 1e-12);
        // The threshold A = v_th + beta b enters the scaled voltage: at t = 1, v = 0.5*3 - 1 = 0.5,
        // A = 1 + 2*1 = 3, so (v - A)/v_th = -2.5 and psi = 0.
        assertEquals(0.0, tr.psi().get(1));
        double[] v = tr.voltage().toDoubleArray();
        assertEquals(0.5, v[1], 1e-12);
        // At t = 3: v = 0.125, A = 1 + 2*0.0625 = 1.125, scaled = -1.0 -> psi = 0 (edge of the triangle).
        assertEquals(0.0, tr.psi().get(3), 1e-12);
        // At t = 2: v = 0.25, A = 1.5: scaled = -1.25 -> psi 0; at t = 5 v = 0.03125, A = 1.0078125.
        assertEquals(0.3 * Math.max(0, 1 - Math.abs(v[5] - 1.0078125)), tr.psi().get(5), 1e-12);
    }

    @Test
    void adaptationRaisesTheThresholdSoAlifFiresLessThanLif() {
        SpikingNetwork net = single(1, 1, 200, 0.5, 0, InputConvention.CURRENT, 0.7);
        Trajectory tr = run(net, constant(200, 1.0));
        int lif = 0;
        int alif = 0;
        for (int t = 0; t < 200; t++) {
            lif += (int) tr.spikes().get(t * 2);
            alif += (int) tr.spikes().get(t * 2 + 1);
        }
        assertTrue(alif < lif / 2, "ALIF " + alif + " spikes vs LIF " + lif);
        assertTrue(alif > 0);
    }

    @Test
    void recurrentSpikesArriveOneStepLaterAndSelfConnectionsDoNotExist() {
        NeuronLayer layer = new NeuronLayer(1, 2, 0, 1.0, TAU_HALF, 100, 1.0, 0, 0, 0.3, InputConvention.CURRENT);
        SpikingNetwork net = new SpikingNetwork(layer, new Readout(1, 20, ReadoutConvention.NORMALISED, false),
                Precision.FLOAT64);
        net.wIn().set(0, 2.0); // neuron 0 fires at t = 0
        net.wRec().set(0 * 2 + 1, 0.4); // 0 -> 1
        net.wRec().set(0 * 2 + 0, 100.0); // a self-connection: must be ignored
        Trajectory tr = run(net, new double[] {1, 0, 0});
        double[] v = tr.voltage().toDoubleArray(); // [t][j]
        assertEquals(0.0, v[1], "neuron 1 gets nothing at t = 0");
        assertEquals(0.4, v[3], 1e-12, "neuron 1 gets W_rec[0,1] z_0(0) at t = 1");
        assertEquals(0.5 * 2.0 - 1.0, v[2], 1e-12, "neuron 0: decay and reset only, no autapse");
        SpikingNetwork init = new SpikingNetwork(NeuronLayer.fig3(), Readout.fig3(), Precision.FLOAT64)
                .initialise(new Rng(1), ReadoutInit.GLOROT_UNIFORM);
        for (int j = 0; j < init.neurons(); j++) {
            assertEquals(0.0, init.wRec().get(j * init.neurons() + j));
        }
    }

    @Test
    void readoutIsALeakyFilterOfTheSpikesWithOrWithoutOneMinusKappa() {
        for (ReadoutConvention convention : ReadoutConvention.values()) {
            NeuronLayer layer = new NeuronLayer(1, 1, 0, 1.0, TAU_HALF, 100, 1.0, 0, 0, 0.3, InputConvention.CURRENT);
            double tauOut = 1.0 / Math.log(2.0); // kappa = 0.5
            SpikingNetwork net = new SpikingNetwork(layer, new Readout(1, tauOut, convention, true), Precision.FLOAT64);
            net.wIn().set(0, 2.0);
            net.wOut().set(0, 3.0);
            net.bOut().set(0, 0.25);
            Trajectory tr = run(net, new double[] {1, 0, 0});
            double c = convention == ReadoutConvention.NORMALISED ? 0.5 : 1.0;
            // zbar = c, 0.5c, 0.25c; y = 3 zbar + 0.25
            assertArrayEquals(new double[] {3 * c + 0.25, 1.5 * c + 0.25, 0.75 * c + 0.25},
                    tr.outputs().toDoubleArray(), 1e-12, convention.toString());
        }
    }

    @Test
    void parametersAreConvertedFromMilliseconds() {
        NeuronLayer l = NeuronLayer.fig3();
        assertEquals(Math.exp(-1.0 / 20), l.alpha(), 1e-15);
        assertEquals(Math.exp(-1.0 / 2000), l.rho(), 1e-15);
        assertEquals(5, l.refractorySteps());
        assertEquals(0.017424, l.beta(), 5e-7);
        NeuronLayer half = new NeuronLayer(1, 1, 1, 0.5, 20, 2000, 0.6, 0.1, 5, 0.3, InputConvention.CURRENT);
        assertEquals(Math.exp(-0.5 / 20), half.alpha(), 1e-15);
        assertEquals(10, half.refractorySteps());
        assertEquals(Math.exp(-1.0 / 20), Readout.fig3().kappa(1.0), 1e-15);
    }

    @Test
    void badParametersAreRejectedWithTheirName() {
        var e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new NeuronLayer(1, 1, 1, 1.0, -20, 2000, 0.6, 0.1, 5, 0.3, InputConvention.CURRENT));
        assertTrue(e.getMessage().contains("tauM"), e.getMessage());
        e = org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> new NeuronLayer(1, 1, 1, 1.0, 20, 2000, 0.6, 0.1, 2.5, 0.3, InputConvention.CURRENT));
        assertTrue(e.getMessage().contains("tRef"), e.getMessage());
    }

    @Test
    void theTimeStepLoopAllocatesNothing() {
        SpikingNetwork net = new SpikingNetwork(NeuronLayer.fig3(), Readout.fig3(), Precision.FLOAT32)
                .initialise(new Rng(2), ReadoutInit.GLOROT_UNIFORM);
        ForwardPass forward = new ForwardPass(Precision.FLOAT32);
        Rng rng = new Rng(3);
        int batch = 4;
        RealArray longInput = Precision.FLOAT32.zeros(800 * batch * 40);
        for (int i = 0; i < longInput.length(); i++) {
            longInput.set(i, rng.bernoulli(0.03) ? 1 : 0);
        }
        RealArray shortInput = Precision.FLOAT32.zeros(400 * batch * 40);
        shortInput.copyFrom(sub(longInput, shortInput.length()));
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long shortBytes = Long.MAX_VALUE;
        long longBytes = Long.MAX_VALUE;
        // Warm up and take the least noisy round. The float32 neuron step's vector kernel allocates
        // until the JIT has compiled it (the vector API's fallback boxes its vectors): allocation-free
        // means once compiled, so rounds go on until then.
        for (int round = 0; round < 60 && (round < 5 || longBytes - shortBytes >= 400); round++) {
            long a = threads.getCurrentThreadAllocatedBytes();
            forward.run(net, shortInput, 400, batch, false);
            long b = threads.getCurrentThreadAllocatedBytes();
            forward.run(net, longInput, 800, batch, false);
            long c = threads.getCurrentThreadAllocatedBytes();
            shortBytes = Math.min(shortBytes, b - a);
            longBytes = Math.min(longBytes, c - b);
        }
        assertTrue(longBytes - shortBytes < 400, "doubling the steps allocated " + (longBytes - shortBytes)
                + " more bytes (" + shortBytes + " vs " + longBytes + "): the time-step loop allocates");
    }

    private static RealArray sub(RealArray a, int length) {
        RealArray out = a.precision().zeros(length);
        for (int i = 0; i < length; i++) {
            out.set(i, a.get(i));
        }
        return out;
    }
}
