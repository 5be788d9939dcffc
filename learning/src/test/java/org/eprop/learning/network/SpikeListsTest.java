package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
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
 * read instead of the spike matrix, and the spike matrix that {@link Trajectory#spikes()} writes from
 * them on request: both must hold the spikes that the recorded voltages and adaptations give (the
 * threshold crossings outside the refractory periods), for a whole run, for a run after another
 * (no row of the earlier one left), and for an unroll fed in chunks with resets, whether the inputs
 * were event-driven (sparse) or a product (dense).
 */
class SpikeListsTest {

    /**
     * The spikes of a run recorded with its state, from the recorded v and b alone: z = 1 where
     * {@code (v - v_th - beta b) / v_th > 0} in float and the neuron is not refractory, the refractory
     * counter run from those spikes (resets restart it).
     */
    private static float[] spikesFromState(SpikingNetwork net, Trajectory tr, boolean[] resets) {
        int n = tr.neurons();
        int batch = tr.batch();
        float vTh = (float) net.vTh;
        float inverseVTh = (float) (1.0 / net.vTh);
        float nRef = net.refractorySteps;
        float[] z = new float[tr.steps() * batch * n];
        float[] ref = new float[batch * n];
        for (int t = 0; t < tr.steps(); t++) {
            for (int b = 0; b < batch; b++) {
                if (resets != null && resets[t * batch + b]) {
                    java.util.Arrays.fill(ref, b * n, (b + 1) * n, 0f);
                }
                for (int j = 0; j < n; j++) {
                    int i = (t * batch + b) * n + j;
                    float v = (float) tr.voltage().get(i);
                    float a = (float) tr.adaptation().get(i);
                    float scaled = (v - vTh - (float) net.beta[j] * a) * inverseVTh;
                    float r = ref[b * n + j];
                    boolean spike = r <= 0f && scaled > 0f;
                    z[i] = spike ? 1f : 0f;
                    ref[b * n + j] = Math.max(0f, Math.min(r + (spike ? nRef : 0f) - 1f, nRef));
                }
            }
        }
        return z;
    }

    private static void assertListsDescribe(Trajectory tr, float[] expected, String where) {
        int n = tr.neurons();
        int rows = tr.steps() * tr.batch();
        int[] lists = tr.spikeLists();
        int[] starts = tr.spikeListStarts();
        int[] counts = tr.spikeCounts();
        double[] perNeuron = new double[n];
        // no two rows' lists share a slot (each sequence appends to a region of its own)
        java.util.BitSet used = new java.util.BitSet();
        for (int r = 0; r < rows; r++) {
            assertTrue(used.get(starts[r], starts[r] + counts[r]).isEmpty(), where + ": row " + r
                    + "'s list overlaps another's");
            used.set(starts[r], starts[r] + counts[r]);
        }
        long total = 0;
        for (int r = 0; r < rows; r++) {
            int c = 0;
            for (int j = 0; j < n; j++) {
                assertEquals(expected[r * n + j], tr.spikes().get(r * n + j), 0.0, where + ": spike matrix, row " + r
                        + ", neuron " + j);
                if (expected[r * n + j] != 0f) {
                    assertEquals(j, lists[starts[r] + c], where + ": row " + r + ", spike " + c);
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
        // a padded batch: row b valid for t < lengths[b]
        int[] lengths = new int[tr.batch()];
        double[] validPerNeuron = new double[n];
        for (int b = 0; b < tr.batch(); b++) {
            lengths[b] = b % 3 == 0 ? tr.steps() : (b * 37) % tr.steps();
            for (int t = 0; t < lengths[b]; t++) {
                for (int j = 0; j < n; j++) {
                    validPerNeuron[j] += expected[(t * tr.batch() + b) * n + j];
                }
            }
        }
        assertTrue(tr.countSpikes(lengths, counted), where + ": valid steps counted from the lists");
        for (int j = 0; j < n; j++) {
            assertEquals(validPerNeuron[j], counted[j], where + ": valid spikes of neuron " + j);
        }
        org.eprop.learning.gradient.RateRegularizer reg = new org.eprop.learning.gradient.RateRegularizer(0.7, 0.02);
        double[] fromLists = new double[n];
        double[] fromMatrix = new double[n];
        assertEquals(reg.evaluate(tr.spikes(), tr.steps(), tr.batch(), n, lengths, fromMatrix),
                reg.evaluate(tr, lengths, fromLists), 0.0, where + ": padded rate loss");
        assertArrayEquals(fromMatrix, fromLists, 0.0, where + ": padded rate signal");
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
            Trajectory first = pass.run(net, x, steps, batch, true);
            assertListsDescribe(first, spikesFromState(net, first, null), "run at density " + density);
            Trajectory second = pass.run(net, input(steps, batch, density, 5), steps, batch, true);
            assertListsDescribe(second, spikesFromState(net, second, null), "a second run at density " + density);
            boolean[] resets = new boolean[steps * batch];
            resets[100 * batch + 2] = true;
            resets[101 * batch + 5] = true;
            NetworkState state = NetworkState.zeros(net, batch);
            ForwardPass.Unroll u = pass.begin(net, batch, steps, state, NetworkState.Scope.NEURONS, true);
            for (int t = 0; t < steps; t += 50) {
                RealArray chunk = Precision.FLOAT32.zeros(50 * batch * 40);
                RealArray.copy(x, t * batch * 40, chunk, 0, 50 * batch * 40);
                boolean[] chunkResets = new boolean[50 * batch];
                System.arraycopy(resets, t * batch, chunkResets, 0, 50 * batch);
                u.advance(chunk, 50, chunkResets);
            }
            Trajectory unrolled = u.finish();
            assertListsDescribe(unrolled, spikesFromState(net, unrolled, resets),
                    "unroll in chunks with resets at density " + density);
        }
    }

    @Test
    void aRegulariserOfStrengthZeroLeavesTheSpikeMatrixUnwritten() {
        SpikingNetwork net = new SpikingNetwork(NeuronLayer.fig3(), Readout.fig3(), Precision.FLOAT32)
                .initialise(new Rng(3), ReadoutInit.GLOROT_UNIFORM);
        int steps = 200;
        int batch = 3;
        Trajectory tr = new ForwardPass(Precision.FLOAT32).run(net, input(steps, batch, 0.03, 6), steps, batch, false);
        org.eprop.learning.gradient.RateRegularizer none = new org.eprop.learning.gradient.RateRegularizer(0, 0.02);
        double[] signal = new double[tr.neurons()];
        java.util.Arrays.fill(signal, 5.0);
        assertEquals(0.0, none.evaluate(tr, signal));
        assertArrayEquals(new double[tr.neurons()], signal, 0.0);
        java.util.Arrays.fill(signal, 5.0);
        assertEquals(0.0, none.evaluate(tr, new int[] {steps, 50, 0}, signal));
        assertArrayEquals(new double[tr.neurons()], signal, 0.0);
        assertEquals(0, tr.spikeRowsWritten, "the spike matrix is written only for those that read it");
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
