package org.eprop.learning.gradient;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link BackwardScan32#step} with the JDK's vector API, 16 neurons per operation, the remainder by
 * the scalar loop: the same float operations in the same order (no fused multiply-add), so the
 * scalar loop's bits. Loaded only when {@link org.eprop.learning.tensor.Simd#ENABLED}.
 */
final class BackwardScan32Vector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

    private BackwardScan32Vector() {
    }

    static {
        warmUp();
    }

    /**
     * Runs each pass {@link org.eprop.learning.tensor.Simd#WARM_UP_CALLS} times on a few neurons,
     * so that the JIT compiles every pass as a method of its own before a caller inlines it (see
     * {@code NeuronStep32Vector}'s warm-up for why).
     */
    private static void warmUp() {
        BackwardScan32.Constants c = new BackwardScan32.Constants();
        int n = S.length();
        c.size(n);
        float[] g = new float[n];
        float[] hNext = new float[n];
        float[] hbar = new float[n];
        float[] psi = new float[n];
        float[] s = new float[n];
        float[] sv = new float[n];
        float[] sb = new float[n];
        for (int j = 0; j < n; j++) {
            c.alpha[j] = 0.9f;
            c.rho[j] = 0.99f;
            c.beta[j] = j % 2 * 0.1f;
            c.cIn[j] = 0.1f;
            psi[j] = 0.2f;
        }
        for (int i = 0; i < org.eprop.learning.tensor.Simd.WARM_UP_CALLS; i++) {
            java.util.Arrays.fill(s, 1e-3f);
            adaptation(c, n, g, hNext, 0);
            membrane(c, n, g, hNext, hbar, 0, psi, s, 0);
            adaptationSignals(c, n, g, hNext, 0, sb, 0);
            membraneSignals(c, n, g, hNext, hbar, 0, psi, s, 0, sv);
        }
    }

    /**
     * The step, one loop per case (without the state signals; with sV and the next step's sB; with sV
     * only, at the last step and across resets), each method with a profile of its own, so that a
     * rare case does not send the JIT's compiled loop back to the interpreter.
     */
    static void step(BackwardScan32.Constants c, int n, float[] g, float[] hNext, float[] hbar, int state,
            float[] psi, float[] s, int row, float[] sv, float[] sbNext, int next) {
        if (sv == null && sbNext == null) {
            stepPlain(c, n, g, hNext, hbar, state, psi, s, row);
        } else if (sv != null && sbNext != null) {
            stepSignals(c, n, g, hNext, hbar, state, psi, s, row, sv, sbNext, next);
        } else {
            // rare (the last step, a reset): the scalar loop, the same bits
            BackwardScan32.step(c, 0, n, g, hNext, hbar, state, psi, s, row, sv, sbNext, next);
        }
    }

    // Each step in two passes over the neurons (the adaptation adjoint g, then h, hbar and the
    // signal), the second reading the g the first stored: a single loop of some forty vector
    // operations came close to the JIT's limit on inlined code per method, and in some runs part of
    // the vector API was then called out of line, allocating at every operation.

    private static void stepPlain(BackwardScan32.Constants c, int n, float[] g, float[] hNext, float[] hbar, int state,
            float[] psi, float[] s, int row) {
        final int bound = S.loopBound(n);
        adaptation(c, bound, g, hNext, state);
        membrane(c, bound, g, hNext, hbar, state, psi, s, row);
        if (bound < n) {
            BackwardScan32.step(c, bound, n, g, hNext, hbar, state, psi, s, row, null, null, 0);
        }
    }

    private static void stepSignals(BackwardScan32.Constants c, int n, float[] g, float[] hNext, float[] hbar,
            int state, float[] psi, float[] s, int row, float[] sv, float[] sbNext, int next) {
        final int bound = S.loopBound(n);
        adaptationSignals(c, bound, g, hNext, state, sbNext, next);
        membraneSignals(c, bound, g, hNext, hbar, state, psi, s, row, sv);
        if (bound < n) {
            BackwardScan32.step(c, bound, n, g, hNext, hbar, state, psi, s, row, sv, sbNext, next);
        }
    }

    /** {@code g <- flush(rho g + beta h(t+1))} for the first {@code bound} neurons. */
    private static void adaptation(BackwardScan32.Constants c, int bound, float[] g, float[] hNext, int state) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        for (int j = 0; j < bound; j += S.length()) {
            final int k = state + j;
            FloatVector gk = FloatVector.fromArray(S, c.rho, j).mul(FloatVector.fromArray(S, g, k))
                    .add(FloatVector.fromArray(S, c.beta, j).mul(FloatVector.fromArray(S, hNext, k)));
            gk = gk.blend(zero, gk.abs().compare(VectorOperators.LT, minNormal));
            gk.intoArray(g, k);
        }
    }

    /** {@code g <- flush(rho g + beta h(t+1) - sB(t+1))} for the first {@code bound} neurons. */
    private static void adaptationSignals(BackwardScan32.Constants c, int bound, float[] g, float[] hNext, int state, float[] sbNext, int next) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        for (int j = 0; j < bound; j += S.length()) {
            final int k = state + j;
            FloatVector gk = FloatVector.fromArray(S, c.rho, j).mul(FloatVector.fromArray(S, g, k))
                    .add(FloatVector.fromArray(S, c.beta, j).mul(FloatVector.fromArray(S, hNext, k)));
            gk = gk.sub(FloatVector.fromArray(S, sbNext, next + j));
            gk = gk.blend(zero, gk.abs().compare(VectorOperators.LT, minNormal));
            gk.intoArray(g, k);
        }
    }

    /**
     * From the g just stored: {@code h = flush(psi (S + r - g))}, {@code hbar <- flush(h + alpha
     * hbar)}, the signal {@code c_in hbar} into {@code s}.
     */
    private static void membrane(BackwardScan32.Constants c, int bound, float[] g, float[] hNext, float[] hbar,
            int state, float[] psi, float[] s, int row) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        for (int j = 0; j < bound; j += S.length()) {
            final int k = state + j;
            final int i = row + j;
            FloatVector h = FloatVector.fromArray(S, psi, i).mul(FloatVector.fromArray(S, s, i)
                    .add(FloatVector.fromArray(S, c.r, j)).sub(FloatVector.fromArray(S, g, k)));
            h = h.blend(zero, h.abs().compare(VectorOperators.LT, minNormal));
            FloatVector hb = h;
            hb = hb.add(FloatVector.fromArray(S, c.alpha, j).mul(FloatVector.fromArray(S, hbar, k)));
            hb = hb.blend(zero, hb.abs().compare(VectorOperators.LT, minNormal));
            h.intoArray(hNext, k);
            hb.intoArray(hbar, k);
            FloatVector.fromArray(S, c.cIn, j).mul(hb).intoArray(s, i);
        }
    }

    /**
     * From the g just stored: {@code h = flush(psi (S + r - g))}, {@code hbar <- flush(h + sV + alpha
     * hbar)}, the signal {@code c_in hbar} into {@code s}.
     */
    private static void membraneSignals(BackwardScan32.Constants c, int bound, float[] g, float[] hNext, float[] hbar,
            int state, float[] psi, float[] s, int row, float[] sv) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        for (int j = 0; j < bound; j += S.length()) {
            final int k = state + j;
            final int i = row + j;
            FloatVector h = FloatVector.fromArray(S, psi, i).mul(FloatVector.fromArray(S, s, i)
                    .add(FloatVector.fromArray(S, c.r, j)).sub(FloatVector.fromArray(S, g, k)));
            h = h.blend(zero, h.abs().compare(VectorOperators.LT, minNormal));
            FloatVector hb = h.add(FloatVector.fromArray(S, sv, i));
            hb = hb.add(FloatVector.fromArray(S, c.alpha, j).mul(FloatVector.fromArray(S, hbar, k)));
            hb = hb.blend(zero, hb.abs().compare(VectorOperators.LT, minNormal));
            h.intoArray(hNext, k);
            hb.intoArray(hbar, k);
            FloatVector.fromArray(S, c.cIn, j).mul(hb).intoArray(s, i);
        }
    }
}
