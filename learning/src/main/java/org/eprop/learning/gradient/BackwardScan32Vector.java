package org.eprop.learning.gradient;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BackwardScan32#step} with the JDK's vector API, a vector of neurons (8 or 16) per operation, the remainder by
 * the scalar loop: the same float operations in the same order (no fused multiply-add), so the
 * scalar loop's bits. Loaded only when {@link org.eprop.learning.tensor.Simd#ENABLED}.
 */
final class BackwardScan32Vector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    /**
     * What padded rows are padded to: the length of the vectors the loops run with (8 floats with
     * AVX2, 16 with AVX-512), so that a padded row has no scalar remainder. (Padding to 16 on AVX2
     * cost a 14th vector for 100 neurons where 13 cover them.)
     */
    static final int LANES = S.length();

    private BackwardScan32Vector() {
    }

    /**
     * The step, one loop per case (without the state signals; with sV and the next step's sB; with sV
     * only, at the last step and across resets), each method with a profile of its own, so that a
     * rare case does not send the JIT's compiled loop back to the interpreter.
     */
    static void step(BackwardScan32.Constants c, int n, float[] g, float[] hNext, float[] hbar, int state,
            float[] psi, int row, float[] s, int sRow, float[] sv, float[] sbNext, int next) {
        if (sv == null && sbNext == null) {
            stepPlain(c, n, g, hNext, hbar, state, psi, row, s, sRow);
        } else if (sv != null && sbNext != null) {
            stepSignals(c, n, g, hNext, hbar, state, psi, row, s, sRow, sv, sbNext, next);
        } else {
            // rare (the last step, a reset): the scalar loop, the same bits
            BackwardScan32.step(c, 0, n, g, hNext, hbar, state, psi, row, s, sRow, sv, sbNext, next);
        }
    }

    /** {@link BackwardScan32#stepWithSignal}, a vector of neurons per operation, the same float operations. */
    static void stepWithSignal(BackwardScan32.Constants c, int n, float[] g, float[] hNext, float[] hbar, int state,
            float[] psi, int row, float[] s, int sRow, float[] gbar, int gOff, float[] bT, int nOut) {
        int j = signalLoop(c, S.loopBound(n), g, hNext, hbar, state, psi, row, s, sRow, gbar, gOff, bT, nOut, n);
        if (j < n) {
            BackwardScan32.stepWithSignal(c, j, n, g, hNext, hbar, state, psi, row, s, sRow, gbar, gOff, bT, nOut);
        }
    }

    /**
     * {@link #stepWithSignal} over a row padded to whole vectors, {@code stride} lanes (a multiple of
     * {@link #LANES}), without a scalar remainder: the lanes from {@code n} on compute on zero constants
     * and whatever follows the row in {@code psi} and {@code bT} (finite values, which both arrays
     * must hold for at least {@code stride - n} elements past their last row) and are never read
     * back. Lanes below n are {@link #stepWithSignal}'s, bit for bit.
     */
    static void stepWithSignalPadded(BackwardScan32.Constants c, int stride, float[] g, float[] hNext, float[] hbar,
            int state, float[] psi, int row, float[] s, int sRow, float[] gbar, int gOff, float[] bT, int nOut, int n) {
        signalLoop(c, stride, g, hNext, hbar, state, psi, row, s, sRow, gbar, gOff, bT, nOut, n);
    }

    /** The vector loop of both: lanes {@code [0, bound)}, bound a multiple of {@link #LANES}; returns bound. */
    private static int signalLoop(BackwardScan32.Constants c, int bound, float[] g, float[] hNext, float[] hbar,
            int state, float[] psi, int row, float[] s, int sRow, float[] gbar, int gOff, float[] bT, int nOut, int n) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        final FloatVector g0 = FloatVector.broadcast(S, gbar[gOff]);
        int j = 0;
        for (; j < bound; j += S.length()) {
            final int k = state + j;
            FloatVector signal = FloatVector.fromArray(S, bT, j).mul(g0);
            for (int q = 1; q < nOut; q++) {
                signal = signal.add(FloatVector.fromArray(S, bT, q * n + j).mul(gbar[gOff + q]));
            }
            FloatVector gk = FloatVector.fromArray(S, c.rho, j).mul(FloatVector.fromArray(S, g, k))
                    .add(FloatVector.fromArray(S, c.beta, j).mul(FloatVector.fromArray(S, hNext, k)));
            gk = gk.blend(zero, gk.abs().compare(VectorOperators.LT, minNormal));
            FloatVector h = FloatVector.fromArray(S, psi, row + j).mul(signal
                    .add(FloatVector.fromArray(S, c.r, j)).sub(gk));
            h = h.blend(zero, h.abs().compare(VectorOperators.LT, minNormal));
            FloatVector hb = h.add(FloatVector.fromArray(S, c.alpha, j).mul(FloatVector.fromArray(S, hbar, k)));
            hb = hb.blend(zero, hb.abs().compare(VectorOperators.LT, minNormal));
            gk.intoArray(g, k);
            h.intoArray(hNext, k);
            hb.intoArray(hbar, k);
            FloatVector.fromArray(S, c.cIn, j).mul(hb).intoArray(s, sRow + j);
        }
        return j;
    }

    private static void stepPlain(BackwardScan32.Constants c, int n, float[] g, float[] hNext, float[] hbar, int state,
            float[] psi, int row, float[] s, int sRow) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        final int bound = S.loopBound(n);
        int j = 0;
        for (; j < bound; j += S.length()) {
            final int k = state + j;
            final int i = row + j;
            FloatVector gk = FloatVector.fromArray(S, c.rho, j).mul(FloatVector.fromArray(S, g, k))
                    .add(FloatVector.fromArray(S, c.beta, j).mul(FloatVector.fromArray(S, hNext, k)));
            gk = gk.blend(zero, gk.abs().compare(VectorOperators.LT, minNormal));
            FloatVector h = FloatVector.fromArray(S, psi, i).mul(FloatVector.fromArray(S, s, sRow + j)
                    .add(FloatVector.fromArray(S, c.r, j)).sub(gk));
            h = h.blend(zero, h.abs().compare(VectorOperators.LT, minNormal));
            FloatVector hb = h;
            hb = hb.add(FloatVector.fromArray(S, c.alpha, j).mul(FloatVector.fromArray(S, hbar, k)));
            hb = hb.blend(zero, hb.abs().compare(VectorOperators.LT, minNormal));
            gk.intoArray(g, k);
            h.intoArray(hNext, k);
            hb.intoArray(hbar, k);
            FloatVector.fromArray(S, c.cIn, j).mul(hb).intoArray(s, sRow + j);
        }
        if (j < n) {
            BackwardScan32.step(c, j, n, g, hNext, hbar, state, psi, row, s, sRow, null, null, 0);
        }
    }

    private static void stepSignals(BackwardScan32.Constants c, int n, float[] g, float[] hNext, float[] hbar,
            int state, float[] psi, int row, float[] s, int sRow, float[] sv, float[] sbNext, int next) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        final int bound = S.loopBound(n);
        int j = 0;
        for (; j < bound; j += S.length()) {
            final int k = state + j;
            final int i = row + j;
            FloatVector gk = FloatVector.fromArray(S, c.rho, j).mul(FloatVector.fromArray(S, g, k))
                    .add(FloatVector.fromArray(S, c.beta, j).mul(FloatVector.fromArray(S, hNext, k)));
            gk = gk.sub(FloatVector.fromArray(S, sbNext, next + j));
            gk = gk.blend(zero, gk.abs().compare(VectorOperators.LT, minNormal));
            FloatVector h = FloatVector.fromArray(S, psi, i).mul(FloatVector.fromArray(S, s, sRow + j)
                    .add(FloatVector.fromArray(S, c.r, j)).sub(gk));
            h = h.blend(zero, h.abs().compare(VectorOperators.LT, minNormal));
            FloatVector hb = h.add(FloatVector.fromArray(S, sv, i));
            hb = hb.add(FloatVector.fromArray(S, c.alpha, j).mul(FloatVector.fromArray(S, hbar, k)));
            hb = hb.blend(zero, hb.abs().compare(VectorOperators.LT, minNormal));
            gk.intoArray(g, k);
            h.intoArray(hNext, k);
            hb.intoArray(hbar, k);
            FloatVector.fromArray(S, c.cIn, j).mul(hb).intoArray(s, sRow + j);
        }
        if (j < n) {
            BackwardScan32.step(c, j, n, g, hNext, hbar, state, psi, row, s, sRow, sv, sbNext, next);
        }
    }
}
