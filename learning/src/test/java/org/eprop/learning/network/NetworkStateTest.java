package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class NetworkStateTest {
    private static final int STEPS = 80;
    private static final int BATCH = 3;

    private static SpikingNetwork network(Precision p) {
        NeuronLayer layer = new NeuronLayer(3, 4, 4, 1.0, 20.0, 500.0, 0.62, 0.07, 2, 0.3, InputConvention.CURRENT);
        return new SpikingNetwork(layer, new Readout(2, 20.0, ReadoutConvention.NORMALISED, true), Precision.FLOAT64)
                .initialise(new Rng(3), ReadoutInit.NORMAL).toPrecision(p);
    }

    private static RealArray input(Precision p, int steps, int batch, long seed) {
        Rng rng = new Rng(seed);
        RealArray x = p.zeros(steps * batch * 3);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(0.1) ? 1.0 : 0.0);
        }
        return x;
    }

    /** Steps [from, to) of row {@code row} as a batch of one. */
    private static RealArray slice(RealArray x, int batch, int row, int from, int to) {
        RealArray out = x.precision().zeros((to - from) * 3);
        for (int t = from; t < to; t++) {
            for (int i = 0; i < 3; i++) {
                out.set((t - from) * 3 + i, x.get((t * batch + row) * 3 + i));
            }
        }
        return out;
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aFreshStateIsTheZeroStateOfARunWithoutOne(Precision p) {
        SpikingNetwork net = network(p);
        RealArray x = input(p, STEPS, BATCH, 1);
        double[] plain = new ForwardPass(p).run(net, x, STEPS, BATCH, true).outputs().toDoubleArray();
        NetworkState s = NetworkState.zeros(net, BATCH);
        Trajectory tr = new ForwardPass(p).run(net, x, STEPS, BATCH, true, s, null, NetworkState.Scope.ALL);
        assertArrayEquals(plain, tr.outputs().toDoubleArray());
        assertTrue(tr.spikes().sum() > 10, "the network must spike");
        // The state handed back is the last step of the run.
        int last = (STEPS - 1) * BATCH * net.neurons();
        for (int k = 0; k < BATCH * net.neurons(); k++) {
            assertEquals(tr.voltage().get(last + k), s.voltage().get(k));
            assertEquals(tr.adaptation().get(last + k), s.adaptation().get(k));
            assertEquals(tr.spikes().get(last + k), s.spikes().get(k));
        }
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void aRowResetInsideARunEqualsAFreshRunOfTheRest(Precision p) {
        SpikingNetwork net = network(p);
        RealArray x = input(p, STEPS, BATCH, 2);
        int step = 33;
        int row = 1;
        boolean[] resets = new boolean[STEPS * BATCH];
        resets[step * BATCH + row] = true;
        Trajectory tr = new ForwardPass(p).run(net, x, STEPS, BATCH, false, NetworkState.zeros(net, BATCH), resets,
                NetworkState.Scope.ALL);
        double[] y = tr.outputs().toDoubleArray();
        double[] z = tr.spikes().toDoubleArray();
        Trajectory fresh = new ForwardPass(p).run(net, slice(x, BATCH, row, step, STEPS), STEPS - step, 1, false);
        int nOut = net.outputs();
        int n = net.neurons();
        for (int t = step; t < STEPS; t++) {
            for (int k = 0; k < nOut; k++) {
                assertEquals(fresh.outputs().get((t - step) * nOut + k), y[(t * BATCH + row) * nOut + k], "y at " + t);
            }
            for (int j = 0; j < n; j++) {
                assertEquals(fresh.spikes().get((t - step) * n + j), z[(t * BATCH + row) * n + j], "z at " + t);
            }
        }
        // The other rows do not notice.
        double[] plain = new ForwardPass(p).run(net, x, STEPS, BATCH, false).outputs().toDoubleArray();
        for (int t = 0; t < STEPS; t++) {
            for (int k = 0; k < nOut; k++) {
                assertEquals(plain[(t * BATCH) * nOut + k], y[(t * BATCH) * nOut + k]);
                assertEquals(plain[(t * BATCH + 2) * nOut + k], y[(t * BATCH + 2) * nOut + k]);
            }
        }
    }

    @Test
    void aResetStateRowEqualsAFreshState() {
        SpikingNetwork net = network(Precision.FLOAT64);
        NetworkState s = NetworkState.zeros(net, BATCH).ensureTraces();
        new ForwardPass(Precision.FLOAT64).run(net, input(Precision.FLOAT64, STEPS, BATCH, 4), STEPS, BATCH, false, s,
                null, NetworkState.Scope.ALL);
        for (int i = 0; i < s.epsV().length(); i++) {
            s.epsV().set(i, i + 1);
            s.epsA().set(i, i + 2);
            s.eBar().set(i, i + 3);
        }
        s.reset(new boolean[] {false, true, false});
        NetworkState fresh = NetworkState.zeros(net, BATCH).ensureTraces();
        Map<String, double[]> a = s.save();
        Map<String, double[]> f = fresh.save();
        int n = net.neurons();
        int[] widths = {n, n, n, n, net.outputs(), n};
        String[] names = {"v", "b", "refractory", "z", "readout", "zbar"};
        for (int q = 0; q < names.length; q++) {
            double[] row = java.util.Arrays.copyOfRange(a.get(names[q]), widths[q], 2 * widths[q]);
            assertArrayEquals(java.util.Arrays.copyOfRange(f.get(names[q]), widths[q], 2 * widths[q]), row, names[q]);
        }
        int traces = n * s.sources();
        for (String name : new String[] {"eps_v", "eps_a", "ebar"}) {
            double[] row = java.util.Arrays.copyOfRange(a.get(name), traces, 2 * traces);
            assertArrayEquals(new double[traces], row, name);
            assertNotEquals(0.0, a.get(name)[0], "other rows keep their traces");
        }
        assertTrue(java.util.Arrays.stream(a.get("readout")).anyMatch(v -> v != 0), "row 0 and 2 keep their filters");
    }

    @Test
    void aNeuronResetKeepsTheReadoutFilterAndItsTrace() {
        SpikingNetwork net = network(Precision.FLOAT64);
        NetworkState s = NetworkState.zeros(net, 1).ensureTraces();
        new ForwardPass(Precision.FLOAT64).run(net, input(Precision.FLOAT64, STEPS, 1, 5), STEPS, 1, false, s, null,
                NetworkState.Scope.ALL);
        s.eBar().set(0, 1.5);
        s.epsV().set(0, 2.5);
        double[] readout = s.readout().toDoubleArray();
        double[] zbar = s.filteredSpikes().toDoubleArray();
        assertTrue(zbar.length > 0 && java.util.Arrays.stream(zbar).anyMatch(v -> v != 0));
        s.reset(0, NetworkState.Scope.NEURONS);
        assertArrayEquals(readout, s.readout().toDoubleArray());
        assertArrayEquals(zbar, s.filteredSpikes().toDoubleArray());
        assertEquals(1.5, s.eBar().get(0));
        assertEquals(0.0, s.epsV().get(0));
        assertEquals(0.0, s.voltage().maxAbs());
    }

    @ParameterizedTest
    @EnumSource(Precision.class)
    void saveRestoreAndCopyRoundTrip(Precision p) {
        SpikingNetwork net = network(p);
        NetworkState s = NetworkState.zeros(net, BATCH);
        new ForwardPass(p).run(net, input(p, STEPS, BATCH, 6), STEPS, BATCH, false, s, null, NetworkState.Scope.ALL);
        assertTrue(s.voltage().maxAbs() > 0);
        Map<String, double[]> withoutTraces = s.save();
        NetworkState back = NetworkState.restore(p, withoutTraces);
        assertTrue(!back.hasTraces());
        assertSame(withoutTraces, back.save());
        s.ensureTraces();
        for (int i = 0; i < s.epsA().length(); i++) {
            s.epsA().set(i, Math.sin(i));
            s.eBar().set(i, Math.cos(i));
        }
        Map<String, double[]> saved = s.save();
        NetworkState restored = NetworkState.restore(p, saved);
        assertEquals(p, restored.precision());
        assertEquals(BATCH, restored.batch());
        assertSame(saved, restored.save());
        NetworkState copy = s.copy();
        assertSame(saved, copy.save());
        copy.reset(0);
        assertSame(saved, s.save()); // a deep copy
        assertThrows(IllegalArgumentException.class, () -> NetworkState.restore(p, Map.of("shape", new double[] {1})));
    }

    private static void assertSame(Map<String, double[]> expected, Map<String, double[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
    }
}
