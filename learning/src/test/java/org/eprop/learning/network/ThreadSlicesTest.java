package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * The float32 time loop keeps what each thread slice of the batch writes at every step apart in
 * memory (neuron workspaces a gap apart and a gap from their ends; the spike lists' starts and
 * counts, the readout's drive and psi's last values of each slice's step in rows of the slice's own,
 * copied into the trajectory after its steps). Whatever the slices, each sequence must get, bit for
 * bit, the trajectory it gets alone in a batch of one (one slice, no neighbour): psi, voltages,
 * adaptations, outputs, its spike list and count at every step, and its spikes per neuron, with the
 * state recorded and without (psi's last values kept apart only then); a run continued from its
 * carried state must be the one long run, and an unroll in chunks the one run. Sizes are chosen so
 * that the loop runs on two threads where the machine has two cores (a slice of one sequence of 10
 * neurons, shorter than psi's kept-apart values, and slices of 100 neurons).
 */
class ThreadSlicesTest {

    private static SpikingNetwork network(int neurons, long seed) {
        NeuronLayer layer = new NeuronLayer(40, neurons / 2, neurons - neurons / 2, 1.0, 20.0, 200.0, 0.6, 0.2, 2,
                0.3, InputConvention.CURRENT);
        Readout readout = new Readout(2, 20.0, ReadoutConvention.NORMALISED, true);
        SpikingNetwork net = new SpikingNetwork(layer, readout, Precision.FLOAT32).initialise(new Rng(seed),
                ReadoutInit.NORMAL);
        RealArray w = net.wIn();
        for (int i = 0; i < w.length(); i++) {
            // a few per cent of the neurons spike at each step; multiples of 1/64, so that the input
            // product of dense inputs (multiples of 1/8) is exact in any order of summation
            w.set(i, Math.round(4 * 64 * w.get(i)) / 64.0);
        }
        return net;
    }

    /**
     * Input spikes (sparse: event-driven currents) or real values (dense: the product's currents,
     * whose sums are exact, so that the batch's product and a single sequence's agree to the bit).
     */
    private static RealArray input(int steps, int batch, boolean sparse, long seed) {
        Rng rng = new Rng(seed);
        RealArray x = Precision.FLOAT32.zeros(steps * batch * 40);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, sparse ? (rng.bernoulli(0.03) ? 1.0 : 0.0) : Math.round(8 * rng.uniform(-0.25, 0.6)) / 8.0);
        }
        return x;
    }

    private static RealArray sequence(RealArray x, int steps, int batch, int b) {
        RealArray one = Precision.FLOAT32.zeros(steps * 40);
        for (int t = 0; t < steps; t++) {
            RealArray.copy(x, (t * batch + b) * 40, one, t * 40, 40);
        }
        return one;
    }

    private static void assertRow(String what, RealArray batchArray, int batchRow, RealArray oneArray, int oneRow,
            int width) {
        for (int j = 0; j < width; j++) {
            assertEquals(oneArray.get(oneRow * width + j), batchArray.get(batchRow * width + j), 0.0,
                    what + " at " + j);
        }
    }

    /** The list of row r of a trajectory. */
    private static int[] list(Trajectory tr, int r) {
        int s = tr.spikeListStarts()[r];
        return Arrays.copyOfRange(tr.spikeLists(), s, s + tr.spikeCounts()[r]);
    }

    private static void check(int neurons, int batch, int steps, boolean sparse) {
        SpikingNetwork net = network(neurons, 3);
        RealArray x = input(steps, batch, sparse, 4);
        Trajectory all = new ForwardPass(Precision.FLOAT32).run(net, x, steps, batch, true);
        // without the state's recording psi's last values of each slice's step go through a workspace
        Trajectory plain = new ForwardPass(Precision.FLOAT32).run(net, x, steps, batch, false);
        int n = neurons;
        int nOut = net.outputs();
        double[] perNeuron = new double[n];
        double[] perNeuronAlone = new double[n];
        double[] counts = new double[n];
        ForwardPass single = new ForwardPass(Precision.FLOAT32);
        for (int b = 0; b < batch; b++) {
            Trajectory one = single.run(net, sequence(x, steps, batch, b), steps, 1, true);
            for (int t = 0; t < steps; t++) {
                String where = neurons + " neurons, batch " + batch + (sparse ? " sparse" : " dense") + ", sequence "
                        + b + ", step " + t;
                int r = t * batch + b;
                assertRow(where + ": psi", all.psi(), r, one.psi(), t, n);
                assertRow(where + ": psi, unrecorded", plain.psi(), r, one.psi(), t, n);
                assertRow(where + ": y, unrecorded", plain.outputs(), r, one.outputs(), t, nOut);
                assertArrayEquals(list(one, t), list(plain, r), where + ": spike list, unrecorded");
                assertRow(where + ": v", all.voltage(), r, one.voltage(), t, n);
                assertRow(where + ": b", all.adaptation(), r, one.adaptation(), t, n);
                assertRow(where + ": y", all.outputs(), r, one.outputs(), t, nOut);
                assertArrayEquals(list(one, t), list(all, r), where + ": spike list");
            }
            one.countSpikes(counts);
            for (int j = 0; j < n; j++) {
                perNeuronAlone[j] += counts[j];
            }
        }
        all.countSpikes(perNeuron);
        assertArrayEquals(perNeuronAlone, perNeuron, 0.0, neurons + " neurons, batch " + batch + ": spikes per neuron");
        assertTrue(all.spikeTotal() > 0, "the network spikes");
    }

    @Test
    void everySequenceOfABatchGetsTheTrajectoryItGetsAlone() {
        // 3 sequences over two threads: slices of 1 and 2 sequences (10 and 20 neurons' rows: a row
        // of psi shorter than its two edges, and one of both edges and nothing between)
        check(10, 3, 7000, true);
        check(10, 3, 7000, false);
        // the Fig. 3 width, slices of 4 sequences
        check(100, 8, 300, true);
        check(100, 5, 400, false);
    }

    @Test
    void aRunContinuedFromItsCarriedStateIsTheOneLongRun() {
        int steps = 300;
        int batch = 8;
        SpikingNetwork net = network(100, 5);
        RealArray x = input(2 * steps, batch, true, 6);
        boolean[] resets = new boolean[2 * steps * batch];
        resets[(steps + 10) * batch + 3] = true; // a reset in the second half, in the first slice
        resets[(steps + 20) * batch + 4] = true; // and in the second
        NetworkState longState = NetworkState.zeros(net, batch);
        Trajectory whole = new ForwardPass(Precision.FLOAT32).run(net, x, 2 * steps, batch, false, longState, resets,
                NetworkState.Scope.ALL);
        RealArray psi = whole.psi().copy();
        RealArray outputs = whole.outputs().copy();
        NetworkState state = NetworkState.zeros(net, batch);
        ForwardPass pass = new ForwardPass(Precision.FLOAT32);
        RealArray firstHalf = Precision.FLOAT32.zeros(steps * batch * 40);
        RealArray.copy(x, 0, firstHalf, 0, steps * batch * 40);
        pass.run(net, firstHalf, steps, batch, false, state, null, NetworkState.Scope.ALL);
        RealArray secondHalf = Precision.FLOAT32.zeros(steps * batch * 40);
        RealArray.copy(x, steps * batch * 40, secondHalf, 0, steps * batch * 40);
        Trajectory second = pass.run(net, secondHalf, steps, batch, false, state, Arrays.copyOfRange(resets,
                steps * batch, 2 * steps * batch), NetworkState.Scope.ALL);
        for (int r = 0; r < steps * batch; r++) {
            assertRow("psi, second half, row " + r, psi, steps * batch + r, second.psi(), r, 100);
            assertRow("y, second half, row " + r, outputs, steps * batch + r, second.outputs(), r, 2);
        }
        for (int i = 0; i < batch * 100; i++) {
            assertEquals(longState.voltage().get(i), state.voltage().get(i), 0.0, "v after, at " + i);
            assertEquals(longState.adaptation().get(i), state.adaptation().get(i), 0.0, "b after, at " + i);
            assertEquals(longState.spikes().get(i), state.spikes().get(i), 0.0, "z after, at " + i);
        }
        assertArrayEquals(longState.refractory(), state.refractory(), "refractory steps after");
    }

    @Test
    void anUnrollInChunksIsTheOneRun() {
        int steps = 301;
        int batch = 8;
        SpikingNetwork net = network(100, 7);
        RealArray x = input(steps, batch, true, 8);
        Trajectory run = new ForwardPass(Precision.FLOAT32).run(net, x, steps, batch, false);
        ForwardPass pass = new ForwardPass(Precision.FLOAT32);
        ForwardPass.Unroll unroll = pass.begin(net, batch, steps, null, NetworkState.Scope.ALL, false);
        RealArray chunk = Precision.FLOAT32.zeros(7 * batch * 40);
        for (int t0 = 0; t0 < steps; t0 += 7) {
            int chunkSteps = Math.min(7, steps - t0);
            RealArray.copy(x, t0 * batch * 40, chunk, 0, chunkSteps * batch * 40);
            unroll.advance(chunk, chunkSteps, null);
        }
        Trajectory chunks = unroll.finish();
        for (int r = 0; r < steps * batch; r++) {
            assertRow("psi, row " + r, run.psi(), r, chunks.psi(), r, 100);
            assertRow("y, row " + r, run.outputs(), r, chunks.outputs(), r, 2);
            assertArrayEquals(list(run, r), list(chunks, r), "spike list, row " + r);
        }
        assertTrue(run.spikeTotal() > 0, "the network spikes");
    }

    @Test
    void theThreadSlicesCoverTheBatchInOrder() {
        for (int batch = 1; batch <= 9; batch++) {
            int slices = BatchParallel.threadSlices(batch);
            assertTrue(slices >= 1 && slices <= Math.min(batch, BatchParallel.threads()), "batch " + batch);
            assertEquals(0, BatchParallel.threadSliceStart(batch, 0));
            assertEquals(batch, BatchParallel.threadSliceStart(batch, slices));
            for (int q = 0; q < slices; q++) {
                assertTrue(BatchParallel.threadSliceStart(batch, q + 1) > BatchParallel.threadSliceStart(batch, q),
                        "batch " + batch + ", slice " + q + " is not empty");
            }
        }
    }
}
