package org.eprop.learning.gradient;

import org.eprop.learning.tensor.Simd;

/**
 * One step of {@link FastEprop}'s backward scan for one sequence, in float32 arithmetic on float
 * arrays (the equations are in {@link FastEprop}):
 * <pre>
 *   g(t)    = rho g(t+1) + beta h(t+1) [- sB(t+1)]
 *   h(t)    = psi(t) (S(t) + r - g(t))
 *   hbar(t) = h(t) [+ sV(t)] + alpha hbar(t+1)
 *   S(t)   <- c_in hbar(t)
 * </pre>
 * Values below float's smallest normal number are flushed to zero, as
 * {@link org.eprop.learning.tensor.Precision#round} does for the scan in doubles: adjoints decay
 * through long silent stretches, and subnormal arithmetic is two orders of magnitude slower. Where
 * {@link Simd#ENABLED} the loop runs as {@link BackwardScan32Vector}, lane for lane the same float
 * operations in the same order, so bit for bit this scalar loop ({@code BackwardScan32Test}).
 */
final class BackwardScan32 {

    private BackwardScan32() {
    }

    /** Per-neuron constants of the scan, in float. */
    static final class Constants {
        float[] alpha = new float[0];
        float[] rho = new float[0];
        float[] beta = new float[0];
        float[] cIn = new float[0];
        /** The regulariser's signal on the unfiltered trace, per neuron. */
        float[] r = new float[0];

        void size(int n) {
            if (alpha.length != n) {
                alpha = new float[n];
                rho = new float[n];
                beta = new float[n];
                cIn = new float[n];
                r = new float[n];
            }
        }

        /** Zero constants from neuron {@code from} on: the padding lanes of a padded row. */
        void zeroFrom(int from) {
            java.util.Arrays.fill(alpha, from, alpha.length, 0f);
            java.util.Arrays.fill(rho, from, rho.length, 0f);
            java.util.Arrays.fill(beta, from, beta.length, 0f);
            java.util.Arrays.fill(cIn, from, cIn.length, 0f);
            java.util.Arrays.fill(r, from, r.length, 0f);
        }
    }

    /**
     * Neurons {@code [0, n)} of one sequence at one step: scan state {@code g, hNext, hbar} at
     * {@code state}, the step's {@code psi} at {@code row} and signal {@code s} at {@code sRow}
     * ({@code s} is overwritten with {@code c_in hbar}; the signal's row may be a workspace of its
     * own); {@code sv} (may be null) the direct voltage signal at {@code row}, {@code sbNext} (may be
     * null) the direct adaptation signal of the next step, read at {@code next}.
     */
    static void step(Constants c, int n, float[] g, float[] hNext, float[] hbar, int state, float[] psi, int row,
            float[] s, int sRow, float[] sv, float[] sbNext, int next) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            BackwardScan32Vector.step(c, n, g, hNext, hbar, state, psi, row, s, sRow, sv, sbNext, next);
        } else {
            step(c, 0, n, g, hNext, hbar, state, psi, row, s, sRow, sv, sbNext, next);
        }
    }

    /** The scalar loop over neurons {@code [from, n)}: the reference, and the vector loop's tail. */
    static void step(Constants c, int from, int n, float[] g, float[] hNext, float[] hbar, int state, float[] psi,
            int row, float[] s, int sRow, float[] sv, float[] sbNext, int next) {
        final float[] alpha = c.alpha;
        final float[] rho = c.rho;
        final float[] beta = c.beta;
        final float[] cIn = c.cIn;
        final float[] r = c.r;
        for (int j = from; j < n; j++) {
            final int k = state + j;
            final int i = row + j;
            final int si = sRow + j;
            float gk = rho[j] * g[k] + beta[j] * hNext[k];
            if (sbNext != null) {
                gk = gk - sbNext[next + j];
            }
            gk = flush(gk);
            final float h = flush(psi[i] * (s[si] + r[j] - gk));
            float hb = sv != null ? h + sv[i] : h;
            hb = flush(hb + alpha[j] * hbar[k]);
            g[k] = gk;
            hNext[k] = h;
            hbar[k] = hb;
            s[si] = cIn[j] * hb;
        }
    }

    /**
     * {@link #step} without state signals, with the step's learning signal made in the loop from
     * the readout errors instead of read from {@code s}: {@code S_j = sum_k gbar[gOff + k] B_jk} over
     * k ascending ({@code bT[k*n + j] = B_jk}), the first term the product itself. The result,
     * {@code c_in hbar}, is written to {@code s[sRow ..]}.
     */
    static void stepWithSignal(Constants c, int n, float[] g, float[] hNext, float[] hbar, int state, float[] psi,
            int row, float[] s, int sRow, float[] gbar, int gOff, float[] bT, int nOut) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            BackwardScan32Vector.stepWithSignal(c, n, g, hNext, hbar, state, psi, row, s, sRow, gbar, gOff, bT, nOut);
        } else {
            stepWithSignal(c, 0, n, g, hNext, hbar, state, psi, row, s, sRow, gbar, gOff, bT, nOut);
        }
    }

    /** The scalar loop of {@link #stepWithSignal} over neurons {@code [from, n)}. */
    static void stepWithSignal(Constants c, int from, int n, float[] g, float[] hNext, float[] hbar, int state,
            float[] psi, int row, float[] s, int sRow, float[] gbar, int gOff, float[] bT, int nOut) {
        final float[] alpha = c.alpha;
        final float[] rho = c.rho;
        final float[] beta = c.beta;
        final float[] cIn = c.cIn;
        final float[] r = c.r;
        for (int j = from; j < n; j++) {
            final int k = state + j;
            float signal = gbar[gOff] * bT[j];
            for (int q = 1; q < nOut; q++) {
                signal = signal + gbar[gOff + q] * bT[q * n + j];
            }
            final float gk = flush(rho[j] * g[k] + beta[j] * hNext[k]);
            final float h = flush(psi[row + j] * (signal + r[j] - gk));
            final float hb = flush(h + alpha[j] * hbar[k]);
            g[k] = gk;
            hNext[k] = h;
            hbar[k] = hb;
            s[sRow + j] = cIn[j] * hb;
        }
    }

    static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }
}
