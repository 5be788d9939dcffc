package org.eprop.learning.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Test;

/** Forward oracles of the spiking CNN: convolutions, pools, LIF dynamics, carried state, float32. */
class SpikingConvForwardTest {

    @Test
    void referenceSizesAreThoseOfTheOriginalCode() {
        SpikingCnnConfig c = SpikingCnnConfig.reference();
        assertEquals(20 * 20 * 16, c.conv1().outputSize());
        assertEquals(17 * 17 * 8, c.conv2().outputSize());
        assertEquals(4 * 4 * 16, c.pool1().outputSize());
        assertEquals(7 * 7 * 8, c.pool2().outputSize());
        assertEquals(Math.exp(-1), c.neuron().decay(), 0);
    }

    @Test
    void convolutionsMatchADirectLoop() {
        Rng rng = new Rng(3);
        // Non-square, several input channels, stride 3: exercises every index of the kernels.
        ConvGeometry g = new ConvGeometry(13, 11, 3, 4, 3, 3, 5);
        SpikingConvLayer layer = new SpikingConvLayer(g, ScnnNeuron.reference(), Precision.FLOAT64);
        layer.initialise(rng);
        for (int i = 0; i < g.outChannels(); i++) {
            layer.bias().set(i, rng.nextGaussian());
        }
        layer.syncWeights();
        double[] w = layer.weights().toDoubleArray();
        double[] b = layer.bias().toDoubleArray();
        double[] x = new double[g.inputSize() + 7];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextDouble();
        }
        double[] out = new double[g.outputSize() + 4];
        layer.convolveDense(x, 7, out, 4);
        double[] expected = ConvNaive.conv(g, x, 7, w, b);
        double[] got = java.util.Arrays.copyOfRange(out, 4, out.length);
        assertTrue(Compare.maxRelativeDifference(got, expected) < 1e-14, "dense convolution");

        // Spikes: the event-driven kernel against the direct loop on the 0/1 input.
        double[] z = new double[g.inputSize()];
        int[] active = new int[g.inputSize()];
        int n = 0;
        for (int i = 0; i < z.length; i++) {
            if (rng.bernoulli(0.3)) {
                z[i] = 1;
                active[n++] = i;
            }
        }
        double[] ev = new double[g.outputSize()];
        layer.convolveEvents(active, 0, n, ev, 0);
        assertTrue(Compare.maxRelativeDifference(ev, ConvNaive.conv(g, z, 0, w, b)) < 1e-14, "event convolution");
    }

    @Test
    void avgPoolForwardAndBackwardMatchDirectSumsAndFiniteDifferences() {
        Rng rng = new Rng(4);
        AvgPool p = new AvgPool(11, 9, 3, 3, 2);
        double[] x = new double[p.inputSize()];
        for (int i = 0; i < x.length; i++) {
            x[i] = rng.nextGaussian();
        }
        double[] out = new double[p.outputSize()];
        p.forward(x, 0, out, 0);
        assertTrue(Compare.maxRelativeDifference(out, ConvNaive.pool(p, 9, x, 0)) < 1e-15);

        double[] z = new double[p.inputSize()];
        int[] active = new int[z.length];
        int n = 0;
        for (int i = 0; i < z.length; i++) {
            if (rng.bernoulli(0.4)) {
                z[i] = 1;
                active[n++] = i;
            }
        }
        double[] ev = new double[p.outputSize()];
        p.forwardEvents(active, 0, n, ev, 0);
        assertArrayEquals(ConvNaive.pool(p, 9, z, 0), ev, 1e-15);

        // Backward against central differences of <g, pool(x)>.
        double[] g = new double[p.outputSize()];
        for (int i = 0; i < g.length; i++) {
            g[i] = rng.nextGaussian();
        }
        double[] dx = new double[p.inputSize()];
        p.backward(g, 0, dx, 0);
        double[] fd = new double[x.length];
        double h = 1e-5;
        for (int i = 0; i < x.length; i++) {
            double keep = x[i];
            x[i] = keep + h;
            double up = dot(g, ConvNaive.pool(p, 9, x, 0));
            x[i] = keep - h;
            double down = dot(g, ConvNaive.pool(p, 9, x, 0));
            x[i] = keep;
            fd[i] = (up - down) / (2 * h);
        }
        double diff = Compare.maxRelativeDifference(dx, fd);
        System.out.printf("avg pool backward vs finite differences: %.2e%n", diff);
        assertTrue(diff < 1e-9, "pool backward " + diff);

        // The gather form (into a row it overwrites) is the scatter into zeros, bit for bit, zero
        // and signed-zero gradients included; the row's old contents do not leak through.
        g[0] = 0.0;
        g[g.length - 1] = -0.0;
        double[] scattered = new double[p.inputSize()];
        p.backward(g, 0, scattered, 0);
        double[] gathered = new double[p.inputSize() + 3];
        java.util.Arrays.fill(gathered, 7.0);
        p.backwardOverwrite(g, 0, gathered, 3);
        for (int i = 0; i < scattered.length; i++) {
            assertEquals(Double.doubleToRawLongBits(scattered[i]), Double.doubleToRawLongBits(gathered[3 + i]),
                    "gathered pool backward at " + i);
        }
    }

    private static double dot(double[] a, double[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += a[i] * b[i];
        }
        return s;
    }

    @Test
    void forwardMatchesTheDirectImplementation() {
        ConvFixture f = new ConvFixture(ConvFixture.small(0.5, 1), Precision.FLOAT64, 11, 0.5);
        CnnUnroll u = f.run();
        ConvNaive naive = new ConvNaive(f.config);
        ConvNaive.Run r = naive.run(f.frames.toDoubleArray(), ConvFixture.AGENT_STEPS, ConvFixture.BATCH,
                f.cnn.conv1().weights().toDoubleArray(), f.cnn.conv1().bias().toDoubleArray(),
                f.cnn.conv2().weights().toDoubleArray(), f.cnn.conv2().bias().toDoubleArray(), null);
        double dv1 = Compare.maxRelativeDifference(u.conv1Voltages().toDoubleArray(), r.v1);
        double dv2 = Compare.maxRelativeDifference(u.conv2Voltages().toDoubleArray(), r.v2);
        System.out.printf("forward vs direct loops: conv1 v %.2e, conv2 v %.2e%n", dv1, dv2);
        assertTrue(dv1 < 1e-13 && dv2 < 1e-13);
        assertArrayEquals(r.z2, u.conv2Spikes().toDoubleArray(), 0, "conv2 spikes");
        assertArrayEquals(r.pooled1, u.pooled1().toDoubleArray(), 1e-15, "pooled conv1 spikes");
        assertArrayEquals(r.pooled2, u.pooled2().toDoubleArray(), 1e-15, "pooled conv2 spikes");
        double rate1 = mean(r.z1);
        double rate2 = mean(r.z2);
        System.out.printf("fixture spike rates: conv1 %.3f, conv2 %.3f%n", rate1, rate2);
        assertTrue(rate1 > 0.05 && rate1 < 0.95 && rate2 > 0.05 && rate2 < 0.95, "the fixture must spike, not saturate");
    }

    private static double mean(double[] a) {
        double s = 0;
        for (double x : a) {
            s += x;
        }
        return s / a.length;
    }

    @Test
    void stateCarriedAcrossTwoUnrollsEqualsOneRun() {
        ConvFixture f = new ConvFixture(ConvFixture.small(0.5, 1), Precision.FLOAT64, 12, 0.5);
        int in = f.config.conv1().inputSize();
        int b = ConvFixture.BATCH;
        SpikingCnnState whole = f.cnn.zeroState(b);
        CnnUnroll all = f.cnn.newUnroll(3, b, false);
        f.cnn.forward(f.frames, whole, all);

        SpikingCnnState split = f.cnn.zeroState(b);
        CnnUnroll first = f.cnn.newUnroll(1, b, false);
        CnnUnroll second = f.cnn.newUnroll(2, b, false);
        f.cnn.forward(slice(f.frames, 0, b * in), split, first);
        f.cnn.forward(slice(f.frames, b * in, 3 * b * in), split, second);
        assertArrayEquals(whole.conv1Voltage(), split.conv1Voltage(), 0);
        assertArrayEquals(whole.conv2Voltage(), split.conv2Voltage(), 0);
        assertArrayEquals(whole.inputTrace(), split.inputTrace(), 0);
        assertArrayEquals(whole.conv1SpikeTrace(), split.conv1SpikeTrace(), 0);
        assertArrayEquals(whole.biasTrace(), split.biasTrace(), 0);
        double[] joined = concat(first.conv2Spikes().toDoubleArray(), second.conv2Spikes().toDoubleArray());
        assertArrayEquals(all.conv2Spikes().toDoubleArray(), joined, 0);
        assertArrayEquals(all.pooled1().toDoubleArray(),
                concat(first.pooled1().toDoubleArray(), second.pooled1().toDoubleArray()), 0);
        assertArrayEquals(all.pooled2().toDoubleArray(),
                concat(first.pooled2().toDoubleArray(), second.pooled2().toDoubleArray()), 0);

        // A row reset zeroes that row only.
        split.resetRow(1);
        int u1 = f.config.conv1().outputSize();
        for (int j = 0; j < u1; j++) {
            assertEquals(0.0, split.conv1Voltage()[u1 + j]);
            assertEquals(whole.conv1Voltage()[j], split.conv1Voltage()[j]);
        }
    }

    static org.eprop.learning.tensor.RealArray slice(org.eprop.learning.tensor.RealArray a, int from, int to) {
        org.eprop.learning.tensor.RealArray s = a.precision().zeros(to - from);
        for (int i = from; i < to; i++) {
            s.set(i - from, a.get(i));
        }
        return s;
    }

    static double[] concat(double[] a, double[] b) {
        double[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
