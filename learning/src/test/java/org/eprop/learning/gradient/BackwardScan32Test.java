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
        Assumptions.assumeTrue(Simd.ENABLED, "the JVM runs without jdk.incubator.vector or 512-bit vectors");
        Rng rng = new Rng(23);
        for (int n : new int[] {100, 37, 16, 9, 400}) {
            for (boolean signals : new boolean[] {false, true}) {
                BackwardScan32.Constants c = new BackwardScan32.Constants();
                c.size(n);
                for (int j = 0; j < n; j++) {
                    c.alpha[j] = (float) Math.exp(-1.0 / 20);
                    c.rho[j] = (float) Math.exp(-1.0 / 2000);
                    c.beta[j] = j < n / 2 ? 0f : 1.8f;
                    c.cIn[j] = j % 3 == 0 ? 1f : (float) (1 - Math.exp(-1.0 / 20));
                    c.r[j] = (float) (rng.nextGaussian() * 1e-3);
                }
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
}
