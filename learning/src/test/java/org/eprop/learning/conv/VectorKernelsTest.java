package org.eprop.learning.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import org.eprop.learning.tensor.Simd;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * The CNN's vector kernels ({@link VectorKernels}) against the scalar kernels they replace, bit
 * for bit, on the reference sizes and on values that reach the edge cases (spikes, resets, signed
 * zeros, float32 subnormals flushed to zero, positions with an all-zero gradient). The surefire JVM
 * resolves {@code jdk.incubator.vector}, so the rest of the conv tests run the vector kernels too;
 * without the module (or vectors of 256 bits or more) these comparisons are skipped.
 */
class VectorKernelsTest {

    private static void assertBits(double[] expected, double[] actual, String what) {
        assertEquals(expected.length, actual.length, what);
        for (int i = 0; i < expected.length; i++) {
            if (Double.doubleToRawLongBits(expected[i]) != Double.doubleToRawLongBits(actual[i])) {
                throw new AssertionError(what + " differs at " + i + ": " + expected[i] + " vs " + actual[i]);
            }
        }
    }

    @Test
    void enabledWhereTheModuleAndWideVectorsAre() {
        boolean module = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        if (!module) {
            assertTrue(!Simd.ENABLED, "no module, no vector kernels");
        }
        System.out.println("CNN vector kernels " + (Simd.ENABLED ? "on" : "off"));
    }

    @Test
    void spikeBitKernelsMatchTheScalarOnes() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(11);
        SpikingCnnConfig cfg = SpikingCnnConfig.reference();
        SpikingConvLayer conv2 = new SpikingConvLayer(cfg.conv2(), cfg.neuron(), Precision.FLOAT32);
        conv2.initialise(rng);
        for (int i = 0; i < 8; i++) {
            conv2.bias().set(i, i == 3 ? 0.0 : rng.nextGaussian() * 0.1);
        }
        conv2.syncWeights();
        ConvGeometry g = cfg.conv2();
        for (double rate : new double[] {0.0, 0.02, 0.3, 0.9}) {
            int[] active = new int[g.inputSize()];
            int n = 0;
            for (int i = 0; i < g.inputSize(); i++) {
                if (rng.bernoulli(rate)) {
                    active[n++] = i;
                }
            }
            byte[] bits = new byte[conv2.bitRowSize() + 5];
            conv2.spikeBits(active, 0, n, bits, 5);
            double[] scalar = new double[g.outputSize() + 8];
            double[] vector = new double[g.outputSize() + 8];
            conv2.convolveBits8(bits, 5, scalar, 8);
            conv2.convolveBits(bits, 5, vector, 8);
            assertBits(scalar, vector, "conv2 currents at rate " + rate);

            double[] grad = new double[g.outputSize() + 8];
            for (int i = 8; i < grad.length; i++) {
                // whole positions of zeros and of negative zeros: signed zeros summed the same way by both
                int position = (i - 8) / 8;
                grad[i] = position % 5 == 0 ? 0.0 : position % 7 == 0 ? -0.0 : rng.nextGaussian();
            }
            double[] dWScalar = new double[g.weightCount()];
            double[] dWVector = new double[g.weightCount()];
            for (int rep = 0; rep < 3; rep++) {
                conv2.accumulateBitsScalar(bits, 5, grad, 8, dWScalar);
                conv2.accumulateBits(bits, 5, grad, 8, dWVector);
            }
            assertBits(dWScalar, dWVector, "conv2 weight gradient at rate " + rate);
        }
    }

    @Test
    void heldFilterMatchesTheScalarOne() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(12);
        int n = 7056 + 5; // not a multiple of the vector length: the tail too
        double[] x = new double[n + 3];
        double[] t1 = new double[n + 2];
        for (int i = 0; i < x.length; i++) {
            // some inputs zero, so that traces decay into float32's subnormals and are flushed
            x[i] = i % 3 == 0 ? 0.0 : Precision.FLOAT32.round(rng.nextDouble());
        }
        for (int i = 0; i < t1.length; i++) {
            t1[i] = i % 3 == 0 ? Math.scalb(1.0, -120) * rng.nextDouble() : Precision.FLOAT32.round(rng.nextDouble());
        }
        double[] t2 = t1.clone();
        double d = Math.exp(-1.0 / 3.0);
        for (int rep = 0; rep < 40; rep++) {
            SpikingCnn.filterHeldScalar(t1, 2, x, 3, n, 5, d, Precision.FLOAT32);
            SpikingCnn.filterHeld(t2, 2, x, 3, n, 5, d, Precision.FLOAT32);
            assertBits(t1, t2, "held filter, pass " + rep);
        }
    }

    @Test
    void fusedUnitStepMatchesStepStoreAndRegulariserSums() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(13);
        SpikingCnnConfig cfg = SpikingCnnConfig.reference();
        ScnnNeuron neuron = cfg.neuron();
        SpikingConvLayer conv1 = new SpikingConvLayer(cfg.conv1(), neuron, Precision.FLOAT32);
        int n = cfg.conv1().outputSize();
        int off = 2 * n;
        double[] v1 = new double[3 * n];
        double[] cur = new double[n];
        for (int i = 0; i < v1.length; i++) {
            v1[i] = Precision.FLOAT32.round(rng.nextGaussian() * 1.5);
        }
        v1[off] = neuron.threshold(); // exactly at the threshold: neither a spike nor a reset
        double[] v2 = v1.clone();
        RealArray rec1 = Precision.FLOAT32.zeros(4 * n);
        float[] rec2 = new float[4 * n];
        double[] pos1 = new double[3 * n];
        double[] neg1 = new double[3 * n];
        double[] pos2 = new double[3 * n];
        double[] neg2 = new double[3 * n];
        int[] a1 = new int[n];
        int[] a2 = new int[n];
        double th = neuron.threshold();
        for (int step = 0; step < 20; step++) {
            for (int i = 0; i < n; i++) {
                cur[i] = Precision.FLOAT32.round(rng.nextGaussian() * (step % 4 == 0 ? 1e-3 : 0.8));
            }
            cur[1] = -neuron.decay() * v1[off + 1]; // a voltage that lands on zero
            int c1 = conv1.step(v1, off, cur, 0, a1, 0);
            Rows.store(v1, off, rec1, n, n);
            for (int j = 0; j < n; j++) {
                pos1[off + j] += Math.max(0.0, v1[off + j] - th);
                neg1[off + j] += Math.max(0.0, -v1[off + j] - th);
            }
            int c2 = VectorKernels.stepFloat32(v2, off, cur, 0, n, neuron.decay(), th, a2, 0, rec2, n, pos2, neg2, off);
            assertEquals(c1, c2, "spike count at step " + step);
            for (int e = 0; e < c1; e++) {
                assertEquals(a1[e], a2[e], "spike list at step " + step);
            }
            assertBits(v1, v2, "voltages at step " + step);
            assertBits(pos1, pos2, "positive regulariser sums at step " + step);
            assertBits(neg1, neg2, "negative regulariser sums at step " + step);
            for (int j = 0; j < n; j++) {
                assertEquals(Float.floatToRawIntBits(((RealArray.F32) rec1).data()[n + j]),
                        Float.floatToRawIntBits(rec2[n + j]), "recorded voltage");
            }
        }
        // without a recording: the step alone
        int c2 = VectorKernels.stepFloat32(v2, off, cur, 0, n, neuron.decay(), th, a2, 0, null, 0, null, null, 0);
        int c1 = conv1.step(v1, off, cur, 0, a1, 0);
        assertEquals(c1, c2);
        assertBits(v1, v2, "voltages without a recording");
    }

    @Test
    void adjointStepMatchesTheScalarOne() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(14);
        int n = 6400 + 3;
        double th = 1.0;
        double[] v = new double[n];
        double[] adj1 = new double[n];
        double[] sig = new double[n];
        double[] pos = new double[n];
        double[] neg = new double[n];
        double[] sum1 = new double[n];
        for (int i = 0; i < n; i++) {
            adj1[i] = rng.nextGaussian();
            pos[i] = i % 4 == 0 ? 0.0 : rng.nextDouble();
            neg[i] = i % 5 == 0 ? 0.0 : rng.nextDouble();
        }
        double[] adj2 = adj1.clone();
        double[] sum2 = sum1.clone();
        for (int step = 0; step < 12; step++) {
            for (int i = 0; i < n; i++) {
                // at, just above and below the threshold and its mirror, and far from them
                int k = (i + step) % 7;
                v[i] = k == 0 ? th : k == 1 ? -th : k == 2 ? Math.nextUp(th) : k == 3 ? 2 * th : rng.nextGaussian() * 2;
                sig[i] = i % 6 == 0 ? -0.0 : rng.nextGaussian();
            }
            SpikingCnn.adjointStepScalar(v, adj1, sig, pos, neg, sum1, n, 0.9, th, 0.3, 1e-8, 1e-5);
            VectorKernels.adjointStep(v, adj2, sig, pos, neg, sum2, n, 0.9, th, 0.3, 1e-8, 1e-5);
            assertBits(adj1, adj2, "adjoints at step " + step);
            assertBits(sum1, sum2, "adjoint sums at step " + step);
            SpikingCnn.adjointStepScalar(v, adj1, sig, pos, neg, null, n, 0.8, 0.7, 0.5, 2.0, 3e-3);
            VectorKernels.adjointStep(v, adj2, sig, pos, neg, null, n, 0.8, 0.7, 0.5, 2.0, 3e-3);
            assertBits(adj1, adj2, "adjoints without sums at step " + step);
        }
    }

    @Test
    void poolGatherMatchesTheScalarOne() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(15);
        SpikingCnnConfig cfg = SpikingCnnConfig.reference();
        // the reference pools (non-overlapping 16 channels; overlapping 8 channels) and an odd one
        for (AvgPool p : new AvgPool[] {cfg.pool1(), cfg.pool2(), new AvgPool(11, 9, 16, 3, 2)}) {
            double[] g = new double[p.outputSize() + 4];
            for (int i = 0; i < g.length; i++) {
                g[i] = i % 9 == 0 ? -0.0 : i % 10 == 0 ? 0.0 : rng.nextGaussian();
            }
            double[] scalar = new double[p.inputSize() + 2];
            double[] vector = new double[p.inputSize() + 2];
            java.util.Arrays.fill(vector, 5.0);
            p.backwardOverwriteScalar(g, 4, scalar, 2);
            p.backwardOverwrite(g, 4, vector, 2);
            scalar[0] = vector[0];
            scalar[1] = vector[1];
            assertBits(scalar, vector, "pool backward " + p.outHeight() + "x" + p.outWidth());
        }
    }
    /** The dense pooling forward: the same sums as the scalar loops, on real values and on 0/1 spikes. */
    @Test
    void poolForwardMatchesTheScalarOneAndTheEventForm() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(16);
        SpikingCnnConfig cfg = SpikingCnnConfig.reference();
        for (AvgPool p : new AvgPool[] {cfg.pool1(), cfg.pool2(), new AvgPool(11, 9, 16, 3, 2)}) {
            double[] x = new double[p.inputSize() + 3];
            for (int i = 0; i < x.length; i++) {
                x[i] = rng.nextGaussian();
            }
            double[] scalar = new double[p.outputSize() + 1];
            double[] vector = new double[p.outputSize() + 1];
            p.forwardScalar(x, 3, scalar, 1);
            p.forward(x, 3, vector, 1);
            assertBits(scalar, vector, "pool forward " + p.outHeight() + "x" + p.outWidth());
            // on spikes: the event form (counts, then scaled) gives the dense form's bits
            double[] z = new double[p.inputSize()];
            int[] active = new int[z.length];
            int count = 0;
            for (int i = 0; i < z.length; i++) {
                if (rng.bernoulli(0.6)) {
                    z[i] = 1.0;
                    active[count++] = i;
                }
            }
            double[] dense = new double[p.outputSize()];
            double[] events = new double[p.outputSize()];
            p.forward(z, 0, dense, 0);
            p.forwardEvents(active, 0, count, events, 0);
            assertBits(dense, events, "pooled spikes " + p.outHeight() + "x" + p.outWidth());
        }
    }

    /**
     * The spike-row steps of a float32 CNN against the list-based step: voltages, dense spike rows,
     * conv2's input bytes (as {@code spikeBits} packs them), the LSNN's input row, the recorded
     * voltages and the regulariser sums, bit for bit, at rates from silent to most units firing.
     */
    @Test
    void spikeRowStepsMatchTheListBasedStep() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(17);
        SpikingCnnConfig cfg = SpikingCnnConfig.reference();
        ScnnNeuron neuron = cfg.neuron();
        double th = neuron.threshold();
        double d = neuron.decay();
        SpikingConvLayer conv1 = new SpikingConvLayer(cfg.conv1(), neuron, Precision.FLOAT32);
        SpikingConvLayer conv2 = new SpikingConvLayer(cfg.conv2(), neuron, Precision.FLOAT32);
        for (SpikingConvLayer layer : new SpikingConvLayer[] {conv1, conv2}) {
            int n = layer.geometry().outputSize();
            int off = n;
            double[] v1 = new double[2 * n];
            for (int i = 0; i < v1.length; i++) {
                v1[i] = Precision.FLOAT32.round(rng.nextGaussian() * 0.3);
            }
            v1[off + 3] = th; // exactly at the threshold: no spike
            double[] v2 = v1.clone();
            double[] cur = new double[n];
            int[] active = new int[n];
            float[] rec = new float[3 * n];
            double[] pos1 = new double[2 * n];
            double[] neg1 = new double[2 * n];
            double[] pos2 = new double[2 * n];
            double[] neg2 = new double[2 * n];
            byte[] bitsList = new byte[conv2.bitRowSize() + 5];
            byte[] bitsRow = new byte[conv2.bitRowSize() + 5];
            float[] spikesRow = new float[2 * n];
            double[] z = new double[n];
            for (int step = 0; step < 12; step++) {
                double scale = new double[] {1e-4, 0.05, 0.2, 1.0}[step % 4];
                for (int i = 0; i < n; i++) {
                    cur[i] = Precision.FLOAT32.round(rng.nextGaussian() * scale + (step % 4 == 3 ? 0.3 : 0.0));
                }
                int count = layer.step(v1, off, cur, 0, active, 0);
                for (int j = 0; j < n; j++) {
                    pos1[off + j] += Math.max(0.0, v1[off + j] - th);
                    neg1[off + j] += Math.max(0.0, -v1[off + j] - th);
                }
                double[] zList = new double[n];
                for (int e = 0; e < count; e++) {
                    zList[active[e]] = 1.0;
                }
                if (layer == conv1) {
                    conv2.spikeBits(active, 0, count, bitsList, 5);
                    VectorKernels.stepSpikesConv1(v2, off, cur, 0, n, d, th, z, bitsRow, 5, rec, n, pos2, neg2, off);
                    assertArrayEquals(bitsList, bitsRow, "conv2 input bytes at step " + step);
                } else {
                    VectorKernels.stepSpikesConv2(v2, off, cur, 0, n, d, th, z, spikesRow, n, rec, n, pos2, neg2, off);
                    for (int j = 0; j < n; j++) {
                        assertEquals((float) zList[j], spikesRow[n + j], "LSNN input row at step " + step);
                    }
                }
                assertBits(v1, v2, "voltages at step " + step);
                assertBits(zList, z, "spike row at step " + step);
                assertBits(pos1, pos2, "positive regulariser sums at step " + step);
                assertBits(neg1, neg2, "negative regulariser sums at step " + step);
                for (int j = 0; j < n; j++) {
                    assertEquals(Float.floatToRawIntBits((float) v1[off + j]), Float.floatToRawIntBits(rec[n + j]),
                            "recorded voltage");
                }
                if (step == 11) {
                    assertTrue(count > 0 && count < n, "some units fire and some do not");
                }
            }
        }
    }

    @Test
    void patchCorrelationMatchesTheScalarOne() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(16);
        // conv1 at the reference size (16 channels), 16 channels with a fan-in of 9 (two blocks of
        // four kernel rows and one left over), and an 8-channel layer with an odd fan-in
        for (ConvGeometry g : new ConvGeometry[] {SpikingCnnConfig.reference().conv1(),
            new ConvGeometry(13, 11, 1, 3, 3, 2, 16), new ConvGeometry(13, 11, 3, 3, 3, 2, 8)}) {
            SpikingConvLayer layer = new SpikingConvLayer(g, ScnnNeuron.reference(), Precision.FLOAT32);
            double[] in = new double[g.inputSize()];
            for (int i = 0; i < in.length; i++) {
                in[i] = i % 4 == 0 ? 0.0 : Precision.FLOAT32.round(rng.nextDouble());
            }
            double[][] x = layer.newPatches();
            layer.patches(in, 0, x);
            double[] grad = new double[g.outputSize()];
            for (int i = 0; i < grad.length; i++) {
                grad[i] = i % 7 == 0 ? -0.0 : rng.nextGaussian();
            }
            double[] scalar = new double[g.weightCount()];
            for (int i = 0; i < scalar.length; i++) {
                scalar[i] = rng.nextGaussian();
            }
            double[] vector = scalar.clone();
            double[][] planar = layer.newPlanar();
            layer.toPlanar(grad, 0, 1.0, planar);
            layer.correlatePatches(x, planar, scalar);
            VectorKernels.correlatePatches(x, grad, g.outChannels(), vector);
            assertBits(scalar, vector, "patch correlation " + g);
        }
    }

    @Test
    void rowMovesMatchTheScalarOnes() {
        assumeTrue(Simd.ENABLED);
        Rng rng = new Rng(17);
        int n = 6400 + 7;
        RealArray f = Precision.FLOAT32.zeros(n + 3);
        for (int i = 0; i < f.length(); i++) {
            f.set(i, i % 5 == 0 ? -0.0 : rng.nextGaussian());
        }
        double[] widened = new double[n + 1];
        Rows.load(f, 3, widened, 1, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Double.doubleToRawLongBits(f.get(3 + i)), Double.doubleToRawLongBits(widened[1 + i]));
        }
        RealArray back = Precision.FLOAT32.zeros(n + 2);
        Rows.store(widened, 1, back, 2, n);
        for (int i = 0; i < n; i++) {
            assertEquals(Float.floatToRawIntBits(((RealArray.F32) f).data()[3 + i]),
                    Float.floatToRawIntBits(((RealArray.F32) back).data()[2 + i]));
        }
    }
}
