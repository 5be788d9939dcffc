package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.Simd;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * BPTT's float32 adjoint scan ({@link ReverseScan32}): the blocked vector sum of the recurrent term
 * against the scalar sum bit for bit, and the whole float32 gradient of the Fig. 3 network (the
 * vector path) against the double-precision scan, full and cut graph.
 */
class ReverseScan32Test {

    @Test
    void theBlockedVectorSumGivesTheScalarSumsBits() {
        Assumptions.assumeTrue(Simd.ENABLED, "the JVM runs without jdk.incubator.vector or vectors of 256 bits or more");
        Rng rng = new Rng(41);
        for (int n : new int[] {64, 100, 128}) {
            int stride = (n + 15) / 16 * 16;
            float[] w = new float[n * stride];
            for (int m = 0; m < n; m++) {
                for (int j = 0; j < n; j++) {
                    w[m * stride + j] = m == j ? 0f : (float) rng.nextGaussian();
                }
            }
            int batch = 11; // blocks of four and a remainder
            float[] next = new float[batch * n];
            for (int i = 0; i < next.length; i++) {
                next[i] = i % 5 == 0 ? 0f : i % 7 == 0 ? -0f : (float) (rng.nextGaussian() * Math.exp(-i % 40));
            }
            float[] vector = new float[batch * stride];
            float[] scalar = new float[batch * stride];
            for (int[] slice : new int[][] {{0, 11}, {2, 9}, {5, 6}}) {
                ReverseScan32.recurrent(w, n, stride, next, slice[0], slice[1], vector);
                ReverseScan32.recurrentScalar(w, n, stride, next, slice[0], slice[1], scalar);
                for (int i = slice[0] * stride; i < slice[1] * stride; i++) {
                    assertEquals(Float.floatToRawIntBits(scalar[i]), Float.floatToRawIntBits(vector[i]),
                            "n " + n + ", slice " + slice[0] + "-" + slice[1] + ", element " + i);
                }
            }
        }
    }

    @Test
    void theVectorStepGivesTheScalarStepsBits() {
        Assumptions.assumeTrue(Simd.ENABLED, "the JVM runs without jdk.incubator.vector or vectors of 256 bits or more");
        Rng rng = new Rng(43);
        for (int n : new int[] {64, 100, 400}) {
            float[] alpha = new float[n];
            float[] rho = new float[n];
            float[] minusBeta = new float[n];
            float[] cIn = new float[n];
            float[] r = new float[n];
            for (int j = 0; j < n; j++) {
                alpha[j] = (float) Math.exp(-1.0 / 20);
                rho[j] = (float) Math.exp(-1.0 / 2000);
                minusBeta[j] = j < n / 2 ? -0f : -1.8f;
                cIn[j] = j % 3 == 0 ? 1f : 0.05f;
                r[j] = (float) (rng.nextGaussian() * 1e-3);
            }
            for (boolean full : new boolean[] {true, false}) {
                float[][] a = {values(rng, n), new float[n], values(rng, n)};
                float[][] b = {a[0].clone(), new float[n], a[2].clone()};
                for (int step = 0; step < 50; step++) {
                    float[] psi = values(rng, n);
                    float[] sa = values(rng, n);
                    float[] sb = sa.clone();
                    float[] rec = full ? values(rng, n) : null;
                    ReverseScan32.step(alpha, rho, minusBeta, cIn, r, 0.6f, 0, n, a[0], a[1], a[2], 0, psi, sa, 0, rec, 0,
                            null);
                    ReverseScan32Vector.step(alpha, rho, minusBeta, cIn, r, 0.6f, n, b[0], b[1], b[2], 0, psi, sb, 0, rec,
                            0);
                    for (int j = 0; j < n; j++) {
                        String where = "n " + n + (full ? " full" : " cut") + " step " + step + " neuron " + j;
                        assertEquals(Float.floatToRawIntBits(sa[j]), Float.floatToRawIntBits(sb[j]), where + " S");
                        assertEquals(Float.floatToRawIntBits(a[1][j]), Float.floatToRawIntBits(b[1][j]), where + " gv");
                        assertEquals(Float.floatToRawIntBits(a[2][j]), Float.floatToRawIntBits(b[2][j]), where + " gb");
                    }
                    float[] swap = a[0];
                    a[0] = a[1];
                    a[1] = swap;
                    swap = b[0];
                    b[0] = b[1];
                    b[1] = swap;
                }
            }
        }
    }

    /** Values from every regime: zeros of both signs, subnormals, ordinary values. */
    private static float[] values(Rng rng, int size) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = switch (i % 6) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> (float) (rng.nextGaussian() * 1e-38);
                default -> (float) rng.nextGaussian();
            };
        }
        return v;
    }

    @Test
    void float32BpttOnTheFig3NetworkIsDoublePrecisionsToFloatRoundOff() {
        int steps = 400;
        int batch = 6;
        Fig3Case c = Fig3Case.of(steps, batch, 7, new int[] {0, 1, 1, 0, 1, 0});
        SpikingNetwork net32 = c.net32();
        SpikingNetwork net64 = c.net64();
        RealArray x32 = c.x32();
        RealArray x64 = c.x64();
        Targets targets = c.targets();
        Trajectory t32 = new ForwardPass(Precision.FLOAT32).run(net32, x32, steps, batch, false);
        Trajectory t64 = new ForwardPass(Precision.FLOAT64).run(net64, x64, steps, batch, false);
        assertArrayEquals(t64.spikes().toDoubleArray(), java.util.Arrays.copyOf(t32.spikes().toDoubleArray(),
                steps * batch * 100), "float32 and double runs spike alike");
        for (boolean full : new boolean[] {true, false}) {
            Gradients g32 = Fig3Case.gradients(full ? ReverseMode.bptt(new Dense(Precision.FLOAT32))
                    : ReverseMode.cutPath(new Dense(Precision.FLOAT32)), net32, t32, targets, Feedback.symmetric());
            Gradients g64 = Fig3Case.gradients(full ? ReverseMode.bptt(new Dense(Precision.FLOAT64))
                    : ReverseMode.cutPath(new Dense(Precision.FLOAT64)), net64, t64, targets, Feedback.symmetric());
            double in = Compare.maxRelativeDifference(g32.wIn(), g64.wIn());
            double rec = Compare.maxRelativeDifference(g32.wRec(), g64.wRec());
            System.out.printf("float32 %s vs double, Fig. 3 network: W_in %.2e, W_rec %.2e%n", full ? "bptt" : "cut",
                    in, rec);
            assertTrue(g64.wRec().maxAbs() > 0, "the gradient is not zero");
            assertTrue(in < 1e-5 && rec < 1e-5, (full ? "bptt" : "cut") + ": " + in + ", " + rec);
            assertTrue(in > 0, "the float32 gradient is float32's own");
        }
    }
}
