package org.eprop.learning.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Test;

/**
 * The fast kernels of the front end against the direct ones they replace: receptive-field products
 * against the dense loops, byte tables and histograms against spike-by-spike loops, the compare-based
 * float32 rounding against {@link Precision#round}, the recording made while acting
 * ({@link SpikingCnn#forwardStep}) against the whole-unroll forward, and the whole forward at the
 * reference sizes in float32 against the spike-by-spike simulation, bit for bit.
 */
class ConvKernelsTest {

    @Test
    void float32RoundingIsPrecisionsBitForBit() {
        Rng rng = new Rng(5);
        double[] special = {0.0, -0.0, 1.0, -1.0, Float.MIN_NORMAL, -Float.MIN_NORMAL, Float.MIN_VALUE,
            Math.nextDown((double) Float.MIN_NORMAL), Math.nextUp((double) Float.MIN_NORMAL), 1e-39, -1e-39, 1e-46,
            Double.MIN_VALUE, Float.MAX_VALUE, 1e39, -1e39, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY,
            Double.NaN, 0.1, 1.0 / 3};
        for (double x : special) {
            assertEquals(Double.doubleToRawLongBits(Precision.FLOAT32.round(x)), Double.doubleToRawLongBits(Rows.round32(x)),
                    "value " + x);
        }
        for (int i = 0; i < 200_000; i++) {
            double x = rng.nextGaussian() * Math.pow(2, rng.uniform(-140, 20));
            assertEquals(Double.doubleToRawLongBits(Precision.FLOAT32.round(x)), Double.doubleToRawLongBits(Rows.round32(x)),
                    "value " + x);
        }
    }

    private static SpikingConvLayer layer(ConvGeometry g, Precision p, Rng rng) {
        SpikingConvLayer layer = new SpikingConvLayer(g, ScnnNeuron.reference(), p);
        layer.initialise(rng);
        for (int i = 0; i < g.outChannels(); i++) {
            layer.bias().set(i, rng.nextGaussian());
        }
        layer.syncWeights();
        return layer;
    }

    @Test
    void theSpikeTableFollowsInPlaceWeightUpdatesWhenAsked() {
        Rng rng = new Rng(9);
        ConvGeometry g = new ConvGeometry(9, 8, 16, 3, 2, 2, 8);
        for (Precision p : Precision.values()) {
            SpikingConvLayer layer = layer(g, p, rng);
            int[] active = new int[g.inputSize()];
            int n = 0;
            for (int i = 0; i < active.length; i++) {
                if (rng.bernoulli(0.4)) {
                    active[n++] = i;
                }
            }
            byte[] bits = new byte[layer.bitRowSize()];
            layer.spikeBits(active, 0, n, bits, 0);
            double[] before = new double[g.outputSize()];
            layer.convolveBits(bits, 0, before, 0);
            layer.syncWeightsIfChanged(); // unchanged weights: the same table
            double[] again = new double[g.outputSize()];
            layer.convolveBits(bits, 0, again, 0);
            assertArrayEquals(before, again, 0);
            // an optimiser step writes the weights in place; one weight by the smallest step is enough
            int k = g.weightCount() / 3;
            double old = layer.weights().get(k);
            layer.weights().set(k, p == Precision.FLOAT32 ? Math.nextUp((float) old) : Math.nextUp(old) + 0.5);
            layer.syncWeightsIfChanged();
            double[] after = new double[g.outputSize()];
            layer.convolveBits(bits, 0, after, 0);
            double[] direct = new double[g.outputSize()];
            layer.convolveEvents(active, 0, n, direct, 0);
            if (p == Precision.FLOAT32) {
                assertArrayEquals(direct, after, 0, "float32: the table of the new weights, bit for bit");
            } else {
                assertTrue(Compare.maxRelativeDifference(after, direct) < 1e-14, "double: the new weights' currents");
            }
            assertFalse(java.util.Arrays.equals(before, after), "the changed weight reaches the currents");
        }
    }

    @Test
    void spikeTablesMatchTheSpikeBySpikeLoops() {
        Rng rng = new Rng(6);
        // 8 output channels (the unrolled kernel) and 5 (the general one); 11 input channels: a full
        // and a partial byte per pixel; 16: two whole bytes (with 8 outputs, the vector gradient
        // kernel where it is on); stride 2.
        for (int[] shape : new int[][] {{11, 8}, {11, 5}, {16, 8}}) {
            int cout = shape[1];
            for (Precision p : Precision.values()) {
                ConvGeometry g = new ConvGeometry(9, 8, shape[0], 3, 2, 2, cout);
                SpikingConvLayer layer = layer(g, p, rng);
                int[] active = new int[g.inputSize()];
                double[] z = new double[g.inputSize()];
                int n = 0;
                for (int i = 0; i < z.length; i++) {
                    if (rng.bernoulli(0.3)) {
                        z[i] = 1;
                        active[n++] = i;
                    }
                }
                byte[] bits = new byte[layer.bitRowSize() + 3];
                layer.spikeBits(active, 0, n, bits, 3);
                double[] fast = new double[g.outputSize() + 2];
                layer.convolveBits(bits, 3, fast, 2);
                double[] direct = new double[g.outputSize()];
                layer.convolveEvents(active, 0, n, direct, 0);
                double[] got = java.util.Arrays.copyOfRange(fast, 2, fast.length);
                if (p == Precision.FLOAT32) {
                    assertArrayEquals(direct, got, 0, "float32 currents, bit for bit");
                } else {
                    assertTrue(Compare.maxRelativeDifference(got, direct) < 1e-14, "double currents");
                }

                double[] grad = new double[g.outputSize()];
                for (int i = 0; i < grad.length; i++) {
                    grad[i] = rng.nextGaussian();
                }
                // into a gradient that already holds a sum: the kernel adds to it
                double[] dW = new double[g.weightCount()];
                double[] dWd = new double[g.weightCount()];
                for (int i = 0; i < dW.length; i++) {
                    dW[i] = Math.sin(i);
                    dWd[i] = dW[i];
                }
                layer.accumulateBits(bits, 3, grad, 0, dW);
                layer.correlateDense(grad, 0, z, 0, 1.0, dWd, new double[cout]);
                double diff = Compare.maxRelativeDifference(dW, dWd);
                assertTrue(diff < 1e-13, "spike-bit weight gradient " + diff);
            }
        }
    }

    @Test
    void patchProductsMatchTheDenseLoops() {
        Rng rng = new Rng(7);
        // 5 channels: the plain kernels; 8 channels with an odd fan-in (27): the blocked correlation
        // and its remainder row.
        for (ConvGeometry g : new ConvGeometry[] {new ConvGeometry(13, 11, 3, 4, 3, 3, 5),
            new ConvGeometry(13, 11, 3, 3, 3, 2, 8)}) {
            for (Precision p : Precision.values()) {
                SpikingConvLayer layer = layer(g, p, rng);
                double[] in = new double[g.inputSize() + 4];
                for (int i = 0; i < in.length; i++) {
                    in[i] = p.round(rng.nextDouble());
                }
                double[][] x = layer.newPatches();
                layer.patches(in, 4, x);
                double[] fast = new double[g.outputSize()];
                layer.convolvePatches(x, layer.newPlanar(), fast, 0);
                double[] direct = new double[g.outputSize()];
                layer.convolveDense(in, 4, direct, 0);
                assertArrayEquals(direct, fast, 0, p + ": the same sums in the same order");

                double[] grad = new double[g.outputSize()];
                for (int i = 0; i < grad.length; i++) {
                    grad[i] = rng.nextGaussian();
                }
                double[][] planar = layer.newPlanar();
                layer.toPlanar(grad, 0, 1.0, planar);
                double[] dW = new double[g.weightCount()];
                layer.correlatePatches(x, planar, dW);
                double[] dWd = new double[g.weightCount()];
                layer.correlateDense(grad, 0, in, 4, 1.0, dWd, new double[g.outChannels()]);
                double diff = Compare.maxRelativeDifference(dW, dWd);
                assertTrue(diff < 1e-13, "patch correlation " + diff);
            }
        }
    }

    @Test
    void recordingWhileActingEqualsTheWholeForward() {
        for (Precision p : Precision.values()) {
            ConvFixture f = new ConvFixture(ConvFixture.small(0.5, 1), p, 61, 0.5);
            int b = ConvFixture.BATCH;
            int in = f.config.conv1().inputSize();
            SpikingCnnState s1 = f.cnn.zeroState(b);
            CnnUnroll whole = f.cnn.newUnroll(ConvFixture.AGENT_STEPS, b, true);
            // Start both from the same non-zero state, so that the recorded trace starts matter.
            CnnUnroll warm = f.cnn.newUnroll(1, b, false);
            f.cnn.forward(SpikingConvForwardTest.slice(f.frames, 0, b * in), s1, warm);
            SpikingCnnState s2 = s1.copy();
            f.cnn.forward(f.frames, s1, whole);

            CnnUnroll stepped = f.cnn.newUnroll(ConvFixture.AGENT_STEPS, b, true);
            for (int k = 0; k < ConvFixture.AGENT_STEPS; k++) {
                if (k == 1) {
                    assertThrows(IllegalStateException.class,
                            () -> f.cnn.gradients(stepped, CnnTraining.REFERENCE, f.signals(), null),
                            "a partly filled unroll has no gradient");
                    assertThrows(IllegalStateException.class, () -> f.cnn.forwardStep(
                            SpikingConvForwardTest.slice(f.frames, 0, b * in), s2.copy(), stepped, 2),
                            "agent steps run in order");
                }
                RealArray frame = SpikingConvForwardTest.slice(f.frames, k * b * in, (k + 1) * b * in);
                f.cnn.forwardStep(frame, s2, stepped, k);
                // The caller may reuse its frame buffer: the unroll keeps its own copy.
                frame.fill(0.25);
            }
            assertEquals(ConvFixture.AGENT_STEPS, stepped.filledAgentSteps());
            assertArrayEquals(whole.conv1Voltages().toDoubleArray(), stepped.conv1Voltages().toDoubleArray(), 0);
            assertArrayEquals(whole.conv2Voltages().toDoubleArray(), stepped.conv2Voltages().toDoubleArray(), 0);
            assertArrayEquals(whole.conv2Spikes().toDoubleArray(), stepped.conv2Spikes().toDoubleArray(), 0);
            assertArrayEquals(whole.pooled1().toDoubleArray(), stepped.pooled1().toDoubleArray(), 0);
            assertArrayEquals(whole.pooled2().toDoubleArray(), stepped.pooled2().toDoubleArray(), 0);
            assertArrayEquals(s1.conv1Voltage(), s2.conv1Voltage(), 0);
            assertArrayEquals(s1.conv2Voltage(), s2.conv2Voltage(), 0);
            assertArrayEquals(s1.inputTrace(), s2.inputTrace(), 0);
            assertArrayEquals(s1.conv1SpikeTrace(), s2.conv1SpikeTrace(), 0);
            assertArrayEquals(s1.biasTrace(), s2.biasTrace(), 0);
            CnnFeedback fb = CnnFeedback.paperDefault(f.config, ConvFixture.OUTPUTS, p, new Rng(8));
            for (CnnTraining mode : CnnTraining.values()) {
                assertArrayEquals(ConvFixture.flatten(f.cnn.gradients(whole, mode, f.signals(), fb)),
                        ConvFixture.flatten(f.cnn.gradients(stepped, mode, f.signals(), fb)), 0, p + " " + mode);
            }
        }
    }

    /**
     * The forward at the reference sizes in float32, against the spike-by-spike simulation written
     * with the layers' direct kernels (dense conv1 loop, conv2 spike by spike, as the front end
     * computed before the fast kernels): voltages, spikes and pooled features bit for bit.
     */
    @Test
    void referenceSizesFloat32EqualTheSpikeBySpikeSimulation() {
        SpikingCnnConfig c = SpikingCnnConfig.reference();
        SpikingCnn cnn = new SpikingCnn(c, Precision.FLOAT32);
        Rng rng = new Rng(9);
        cnn.initialise(rng);
        for (int i = 0; i < c.filters1(); i++) {
            cnn.conv1().bias().set(i, 0.02 * rng.nextGaussian());
        }
        for (int i = 0; i < c.filters2(); i++) {
            cnn.conv2().bias().set(i, 0.02 * rng.nextGaussian());
        }
        cnn.conv1().syncWeights();
        cnn.conv2().syncWeights();
        int batch = 2;
        int agentSteps = 3;
        int in = c.conv1().inputSize();
        RealArray frames = Precision.FLOAT32.zeros(agentSteps * batch * in);
        for (int i = 0; i < frames.length(); i++) {
            // A flat background with blocks of brighter pixels, as Atari frames.
            int pix = i % in;
            frames.set(i, ((pix / 84) / 12 + (pix % 84) / 12 + i / in) % 3 == 0 ? 0.9 : 0.35);
        }
        CnnUnroll u = cnn.newUnroll(agentSteps, batch, true);
        cnn.forward(frames, cnn.zeroState(batch), u);

        SpikingConvLayer l1 = cnn.conv1();
        SpikingConvLayer l2 = cnn.conv2();
        int u1 = c.conv1().outputSize();
        int u2 = c.conv2().outputSize();
        int p1 = c.pool1().outputSize();
        int p2 = c.pool2().outputSize();
        long spikes1 = 0;
        for (int b = 0; b < batch; b++) {
            double[] v1 = new double[u1];
            double[] v2 = new double[u2];
            double[] cur1 = new double[u1];
            double[] cur2 = new double[u2];
            int[] a1 = new int[u1];
            int[] a2 = new int[u2];
            double[] q1 = new double[p1];
            double[] q2 = new double[p2];
            for (int k = 0; k < agentSteps; k++) {
                double[] frame = new double[in];
                for (int i = 0; i < in; i++) {
                    frame[i] = frames.get((k * batch + b) * in + i);
                }
                l1.convolveDense(frame, 0, cur1, 0);
                for (int s = 0; s < c.stepsPerAgentStep(); s++) {
                    int row = (k * c.stepsPerAgentStep() + s) * batch + b;
                    int n1 = l1.step(v1, 0, cur1, 0, a1, 0);
                    spikes1 += n1;
                    cnn.pool1().forwardEvents(a1, 0, n1, q1, 0);
                    l2.convolveEvents(a1, 0, n1, cur2, 0);
                    int n2 = l2.step(v2, 0, cur2, 0, a2, 0);
                    cnn.pool2().forwardEvents(a2, 0, n2, q2, 0);
                    double[] z2 = new double[u2];
                    for (int e = 0; e < n2; e++) {
                        z2[a2[e]] = 1;
                    }
                    assertArrayEquals(v1, slice(u.conv1Voltages(), row * u1, u1), 0, "conv1 voltages");
                    assertArrayEquals(v2, slice(u.conv2Voltages(), row * u2, u2), 0, "conv2 voltages");
                    assertArrayEquals(z2, slice(u.conv2Spikes(), row * u2, u2), 0, "conv2 spikes");
                    assertArrayEquals(q1, slice(u.pooled1(), row * p1, p1), 0, "pooled conv1");
                    assertArrayEquals(q2, slice(u.pooled2(), row * p2, p2), 0, "pooled conv2");
                }
            }
        }
        double rate = spikes1 / (double) (batch * agentSteps * c.stepsPerAgentStep() * u1);
        System.out.printf("reference sizes, float32: fast forward equals the spike-by-spike simulation; conv1 rate %.3f%n",
                rate);
        assertTrue(rate > 0.02 && rate < 0.9, "the check must see spikes");
    }

    private static double[] slice(RealArray a, int off, int n) {
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = a.get(off + i);
        }
        return out;
    }
}
