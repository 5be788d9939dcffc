package org.eprop.learning.gradient;

import org.eprop.learning.tensor.Simd;

/**
 * {@link ReverseMode}'s adjoint recursion in float32 arithmetic on float arrays, for one step of a
 * slice of sequences (the equations are {@link ReverseMode}'s, without direct state signals):
 * <pre>
 *   R_j     = sum_m c_in(m) W_rec[j, m] gv_m(t+1)             the full graph's recurrent term
 *   dzEmit  = Lbar(t) + r_j + (R_j - v_th gv_j(t+1))            (R and v_th gv only on the full graph)
 *   dz      = dzEmit + gb_j(t+1)
 *   gv_j(t) = psi (dz) + alpha gv_j(t+1)
 *   gb_j(t) = (-beta psi) dz + rho gb_j(t+1)
 *   S(t)   <- c_in gv(t)
 * </pre>
 * with float's subnormals flushed to zero, as {@link org.eprop.learning.tensor.Precision#round}
 * does in the double loop. The recurrent term is the one quadratic part of BPTT (n^2 per row and
 * step): it is summed for blocks of four sequences at a time, each row of the weights read once per
 * block and a vector of neurons (8 or 16) per operation, every sum over m in ascending order from zero, so the
 * vector and the scalar loops give the same bits.
 */
final class ReverseScan32 {
    /**
     * What the rows of {@code rec} and the weights are padded to: a multiple of every vector length
     * (8 or 16 floats).
     */
    static final int LANES = 16;

    private ReverseScan32() {
    }

    /**
     * {@code rec[b * stride + j] = sum_m w[m * stride + j] * next[b * n + m]}, m ascending
     * from a zero sum, for the sequences b in {@code [from, to)} and j in {@code [0, stride)};
     * {@code w} holds the weights by presynaptic m in rows of {@code stride} (a multiple of
     * {@link #LANES}, zero past n).
     */
    static void recurrent(float[] w, int n, int stride, float[] next, int from, int to, float[] rec) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            ReverseScan32Vector.recurrent(w, n, stride, next, from, to, rec);
        } else {
            recurrentScalar(w, n, stride, next, from, to, rec);
        }
    }

    /** The scalar loop of {@link #recurrent}: the reference. */
    static void recurrentScalar(float[] w, int n, int stride, float[] next, int from, int to, float[] rec) {
        for (int b = from; b < to; b++) {
            int o = b * stride;
            for (int j = 0; j < stride; j++) {
                float sum = 0f;
                for (int m = 0; m < n; m++) {
                    sum = sum + w[m * stride + j] * next[b * n + m];
                }
                rec[o + j] = sum;
            }
        }
    }

    /**
     * The neurons {@code [0, n)} of sequence b at one step: {@code next}, {@code now} and {@code gb}
     * at {@code state}; psi and the signal S at {@code row} (S overwritten with {@code c_in gv(t)});
     * {@code rec} (null on the cut graph) at {@code recRow}; {@code dzOut} (null, or where dzEmit is
     * kept) at {@code row}.
     */
    static void step(float[] alpha, float[] rho, float[] minusBeta, float[] cIn, float[] r, float vTh, int n,
            float[] next, float[] now, float[] gb, int state, float[] psi, float[] s, int row, float[] rec, int recRow,
            float[] dzOut) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH && dzOut == null) {
            ReverseScan32Vector.step(alpha, rho, minusBeta, cIn, r, vTh, n, next, now, gb, state, psi, s, row, rec,
                    recRow);
        } else {
            step(alpha, rho, minusBeta, cIn, r, vTh, 0, n, next, now, gb, state, psi, s, row, rec, recRow, dzOut);
        }
    }

    /** The scalar loop of {@link #step} over neurons {@code [from, n)}: the reference and the vector loop's tail. */
    static void step(float[] alpha, float[] rho, float[] minusBeta, float[] cIn, float[] r, float vTh, int from, int n,
            float[] next, float[] now, float[] gb, int state, float[] psi, float[] s, int row, float[] rec, int recRow,
            float[] dzOut) {
        for (int j = from; j < n; j++) {
            final int k = state + j;
            final int i = row + j;
            float dzEmit = s[i] + r[j];
            if (rec != null) {
                dzEmit = dzEmit + (rec[recRow + j] - vTh * next[k]);
            }
            dzEmit = flush(dzEmit);
            final float dz = dzEmit + gb[k];
            final float p = psi[i];
            now[k] = flush(p * dz + alpha[j] * next[k]);
            gb[k] = flush(minusBeta[j] * p * dz + rho[j] * gb[k]);
            s[i] = cIn[j] * now[k];
            if (dzOut != null) {
                dzOut[i] = dzEmit;
            }
        }
    }

    static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }
}
