package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * The float32 time-step loop's spike lists and counts, which the gradients and the rate regulariser
 * read instead of the spike matrix: they must describe that matrix exactly, for a whole run and for
 * an unroll fed in chunks with resets, whether the inputs were event-driven (sparse) or a product
 * (dense).
 */
class SpikeListsTest {

    private static void assertListsDescribe(Trajectory tr, String where) {
        int n = tr.neurons();
        int rows = tr.steps() * tr.batch();
        int[] lists = tr.spikeLists();
        int[] counts = tr.spikeCounts();
        double[] perNeuron = new double[n];
        long total = 0;
        for (int r = 0; r < rows; r++) {
            int c = 0;
            for (int j = 0; j < n; j++) {
                if (tr.spikes().get(r * n + j) != 0.0) {
                    assertEquals(j, lists[r * n + c], where + ": row " + r + ", spike " + c);
                    c++;
                    perNeuron[j]++;
                }
            }
            assertEquals(c, counts[r], where + ": row " + r + " spike count");
            total += c;
        }
        assertTrue(total > 0, where + ": the network spikes");
        assertEquals(total, tr.spikeTotal(), where + ": total");
        double[] counted = new double[n];
        assertTrue(tr.countSpikes(counted), where + ": counted from the lists");
        for (int j = 0; j < n; j++) {
            assertEquals(perNeuron[j], counted[j], where + ": spikes of neuron " + j);
        }
    }

    private static RealArray input(int steps, int batch, double density, long seed) {
        Rng rng = new Rng(seed);
        RealArray x = Precision.FLOAT32.zeros(steps * batch * 40);
        for (int i = 0; i < x.length(); i++) {
            x.set(i, rng.bernoulli(density) ? 1 : 0);
        }
        return x;
    }

    @Test
    void theListsAndCountsDescribeTheSpikeMatrix() {
        SpikingNetwork net = new SpikingNetwork(NeuronLayer.fig3(), Readout.fig3(), Precision.FLOAT32)
                .initialise(new Rng(3), ReadoutInit.GLOROT_UNIFORM);
        int steps = 300;
        int batch = 6;
        // sparse inputs (summed from their events) and dense ones (the product)
        for (double density : new double[] {0.03, 0.6}) {
            RealArray x = input(steps, batch, density, 4);
            ForwardPass pass = new ForwardPass(Precision.FLOAT32);
            assertListsDescribe(pass.run(net, x, steps, batch, false), "run at density " + density);
            boolean[] resets = new boolean[steps * batch];
            resets[100 * batch + 2] = true;
            resets[101 * batch + 5] = true;
            NetworkState state = NetworkState.zeros(net, batch);
            ForwardPass.Unroll u = pass.begin(net, batch, steps, state, NetworkState.Scope.NEURONS, false);
            for (int t = 0; t < steps; t += 50) {
                RealArray chunk = Precision.FLOAT32.zeros(50 * batch * 40);
                RealArray.copy(x, t * batch * 40, chunk, 0, 50 * batch * 40);
                boolean[] chunkResets = new boolean[50 * batch];
                System.arraycopy(resets, t * batch, chunkResets, 0, 50 * batch);
                u.advance(chunk, 50, chunkResets);
            }
            assertListsDescribe(u.finish(), "unroll in chunks with resets at density " + density);
        }
    }

    @Test
    void doublePrecisionHasNoListsAndCountsTheMatrix() {
        SpikingNetwork net = new SpikingNetwork(NeuronLayer.fig3(), Readout.fig3(), Precision.FLOAT64)
                .initialise(new Rng(3), ReadoutInit.GLOROT_UNIFORM);
        RealArray x = Precision.FLOAT64.zeros(200 * 2 * 40);
        x.copyFrom(input(200, 2, 0.03, 5));
        Trajectory tr = new ForwardPass(Precision.FLOAT64).run(net, x, 200, 2, false);
        assertNull(tr.spikeLists());
        assertEquals((long) tr.spikes().sum(), tr.spikeTotal());
        assertTrue(!tr.countSpikes(new double[100]), "float64 counts the spike matrix itself");
    }
}
