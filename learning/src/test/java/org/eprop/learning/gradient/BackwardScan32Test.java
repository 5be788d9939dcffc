package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Simd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The float32 backward scan's vector loop against its scalar loop, bit for bit, with and without
 * the direct state signals, over values from every regime (zero pseudo-derivatives, subnormal
 * adjoints, signed zeros) and neuron counts with and without a remainder.
 */
class BackwardScan32Test {

    @Test
    void theVectorLoopGivesTheScalarLoopsBits() {
        Assumptions.assumeTrue(Simd.ENABLED, "the JVM runs without jdk.incubator.vector or vectors of 256 bits or more");
        Rng rng = new Rng(23);
        for (int n : new int[] {100, 37, 16, 9, 400}) {
            for (boolean signals : new boolean[] {false, true}) {
                BackwardScan32.Constants c = constants(n, rng);
                int rows = 2;
                float[][] a = new float[3][rows * n];
                float[][] b = new float[3][rows * n];
                for (int step = 0; step < 200; step++) {
                    float[] psi = values(rng, rows * n, step);
                    float[] s = values(rng, rows * n, step + 1);
                    float[] s2 = s.clone();
                    float[] sv = signals ? values(rng, rows * n, step + 2) : null;
                    float[] sb = signals ? values(rng, 2 * rows * n, step + 3) : null;
                    for (int r = 0; r < rows; r++) {
                        int row = r * n;
                        BackwardScan32.step(c, 0, n, a[0], a[1], a[2], row, psi, row, s, row, sv, sb, row + rows * n);
                        BackwardScan32Vector.step(c, n, b[0], b[1], b[2], row, psi, row, s2, row, sv, sb, row + rows * n);
                    }
                    for (int k = 0; k < 3; k++) {
                        for (int i = 0; i < rows * n; i++) {
                            assertEquals(Float.floatToRawIntBits(a[k][i]), Float.floatToRawIntBits(b[k][i]),
                                    "n " + n + " signals " + signals + " step " + step + " state " + k + " element " + i);
                        }
                    }
                    for (int i = 0; i < rows * n; i++) {
                        assertEquals(Float.floatToRawIntBits(s[i]), Float.floatToRawIntBits(s2[i]), "S, element " + i);
                    }
                }
            }
        }
    }

    /**
     * The step that makes its learning signal from the readout errors ({@code stepWithSignal}):
     * vector against scalar bit for bit, and against the plain step given that signal, made as a
     * product per readout summed in ascending order.
     */
    @Test
    void theStepWithItsOwnSignalIsTheStepGivenThatSignal() {
        Rng rng = new Rng(29);
        for (int n : new int[] {100, 37, 16, 9, 400}) {
            for (int nOut : new int[] {1, 2, 7}) {
                BackwardScan32.Constants c = constants(n, rng);
                float[] bT = values(rng, nOut * n, nOut);
                float[][] a = new float[3][n];
                float[][] b = new float[3][n];
                float[][] d = new float[3][n];
                for (int step = 0; step < 100; step++) {
                    float[] psi = values(rng, n, step);
                    float[] gbar = values(rng, nOut, step + 5);
                    float[] sa = new float[n];
                    float[] sb = new float[n];
                    float[] sd = new float[n];
                    for (int j = 0; j < n; j++) { // the signal the step makes, written out
                        float l = gbar[0] * bT[j];
                        for (int q = 1; q < nOut; q++) {
                            l = l + gbar[q] * bT[q * n + j];
                        }
                        sd[j] = l;
                    }
                    BackwardScan32.stepWithSignal(c, 0, n, a[0], a[1], a[2], 0, psi, 0, sa, 0, gbar, 0, bT, nOut);
                    BackwardScan32.step(c, 0, n, d[0], d[1], d[2], 0, psi, 0, sd, 0, null, null, 0);
                    if (Simd.ENABLED) {
                        BackwardScan32Vector.stepWithSignal(c, n, b[0], b[1], b[2], 0, psi, 0, sb, 0, gbar, 0, bT, nOut);
                    } else {
                        BackwardScan32.stepWithSignal(c, 0, n, b[0], b[1], b[2], 0, psi, 0, sb, 0, gbar, 0, bT, nOut);
                    }
                    for (int j = 0; j < n; j++) {
                        String where = "n " + n + " nOut " + nOut + " step " + step + " neuron " + j;
                        assertEquals(Float.floatToRawIntBits(sa[j]), Float.floatToRawIntBits(sb[j]), where + " (vector)");
                        assertEquals(sd[j], sa[j], 0f, where + " (given the signal)");
                        for (int k = 0; k < 3; k++) {
                            assertEquals(Float.floatToRawIntBits(a[k][j]), Float.floatToRawIntBits(b[k][j]), where);
                            assertEquals(d[k][j], a[k][j], 0f, where + " state " + k + " (given the signal)");
                        }
                    }
                }
            }
        }
    }

    /**
     * The padded row's loop (no scalar remainder) gives the unpadded step's bits on the real lanes,
     * with the state rows padded and finite values past the end of psi and B^T.
     */
    @Test
    void aPaddedRowGivesTheUnpaddedStepsBits() {
        Assumptions.assumeTrue(Simd.ENABLED, "the JVM runs without jdk.incubator.vector or vectors of 256 bits or more");
        Rng rng = new Rng(31);
        for (int n : new int[] {100, 64, 77, 400}) {
            int stride = (n + 15) / 16 * 16;
            for (int nOut : new int[] {1, 2, 7}) {
                BackwardScan32.Constants c = new BackwardScan32.Constants();
                c.size(n);
                BackwardScan32.Constants padded = new BackwardScan32.Constants();
                padded.size(stride);
                for (int j = 0; j < n; j++) {
                    c.alpha[j] = padded.alpha[j] = (float) Math.exp(-1.0 / 20);
                    c.rho[j] = padded.rho[j] = (float) Math.exp(-1.0 / 2000);
                    c.beta[j] = padded.beta[j] = j < n / 2 ? 0f : 1.8f;
                    c.cIn[j] = padded.cIn[j] = j % 3 == 0 ? 1f : (float) (1 - Math.exp(-1.0 / 20));
                    c.r[j] = padded.r[j] = (float) (rng.nextGaussian() * 1e-3);
                }
                padded.zeroFrom(n);
                float[] bT = values(rng, nOut * n + 16, nOut);
                float[][] a = new float[3][n];
                float[][] b = new float[3][stride];
                for (int step = 0; step < 100; step++) {
                    float[] psi = values(rng, n + 16, step);
                    float[] gbar = values(rng, nOut, step + 5);
                    float[] sa = new float[n];
                    float[] sb = new float[stride];
                    BackwardScan32.stepWithSignal(c, 0, n, a[0], a[1], a[2], 0, psi, 0, sa, 0, gbar, 0, bT, nOut);
                    BackwardScan32Vector.stepWithSignalPadded(padded, stride, b[0], b[1], b[2], 0, psi, 0, sb, 0, gbar, 0,
                            bT, nOut, n);
                    for (int j = 0; j < n; j++) {
                        String where = "n " + n + " nOut " + nOut + " step " + step + " neuron " + j;
                        assertEquals(Float.floatToRawIntBits(sa[j]), Float.floatToRawIntBits(sb[j]), where);
                        for (int k = 0; k < 3; k++) {
                            assertEquals(Float.floatToRawIntBits(a[k][j]), Float.floatToRawIntBits(b[k][j]), where);
                        }
                    }
                }
            }
        }
    }

    private static float[] values(Rng rng, int size, int salt) {
        float[] v = new float[size];
        for (int i = 0; i < size; i++) {
            v[i] = switch ((i + salt) % 6) {
                case 0 -> 0f;
                case 1 -> -0f;
                case 2 -> (float) (rng.nextGaussian() * 1e-38);
                default -> (float) rng.nextGaussian();
            };
        }
        return v;
    }

    /** Half LIF, half ALIF (the Fig. 3 time constants), mixed input factors, a small regulariser signal. */
    private static BackwardScan32.Constants constants(int n, Rng rng) {
        BackwardScan32.Constants c = new BackwardScan32.Constants();
        c.size(n);
        for (int j = 0; j < n; j++) {
            c.alpha[j] = (float) Math.exp(-1.0 / 20);
            c.rho[j] = (float) Math.exp(-1.0 / 2000);
            c.beta[j] = j < n / 2 ? 0f : 1.8f;
            c.cIn[j] = j % 3 == 0 ? 1f : (float) (1 - Math.exp(-1.0 / 20));
            c.r[j] = (float) (rng.nextGaussian() * 1e-3);
        }
        return c;
    }
}
