package org.eprop.learning.network;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NeuronStep32#update} with the JDK's vector API, 16 neurons per operation; the last
 * {@code n mod 16} neurons run the scalar loop. Every lane does the scalar loop's float operations
 * in its order (no fused multiply-add), with selects where the scalar loop has conditional
 * expressions, so the results are the scalar loop's bit for bit. Loaded only when
 * {@link org.eprop.learning.tensor.Simd#ENABLED}.
 */
final class NeuronStep32Vector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_512;

    private NeuronStep32Vector() {
    }

    static {
        warmUp();
    }

    /**
     * Runs each pass {@link org.eprop.learning.tensor.Simd#WARM_UP_CALLS} times on a few neurons,
     * so that the JIT compiles every pass as a method of its own before any caller inlines it. Why:
     * when a long loop that inlined a pass is sent back to the interpreter (a failed speculation,
     * which the JIT then recompiles), the interpreter calls the pass itself; without a compiled
     * version of its own it runs in the first tier, where the vector API allocates at every
     * operation, for as long as the caller's loop lasts (the Atari loop measured kilobytes per
     * frame). The work is a few milliseconds.
     */
    private static void warmUp() {
        NeuronStep32.Constants c = new NeuronStep32.Constants();
        int n = S.length();
        c.alpha = new float[n];
        c.rho = new float[n];
        c.beta = new float[n];
        c.vTh = 1f;
        c.inverseVTh = 1f;
        c.psiScale = 0.3f;
        c.nRef = 2f;
        float[] v = new float[n];
        float[] b = new float[n];
        float[] zPrev = new float[n];
        float[] ref = new float[n];
        float[] cur = new float[n];
        float[] z = new float[n];
        float[] psi = new float[n];
        for (int j = 0; j < n; j++) {
            c.alpha[j] = 0.9f;
            c.rho[j] = 0.99f;
            c.beta[j] = j % 2 * 0.1f;
            cur[j] = 0.3f * (j % 5);
        }
        for (int i = 0; i < org.eprop.learning.tensor.Simd.WARM_UP_CALLS; i++) {
            membrane(c, n, v, b, zPrev, 0, cur, 0);
            spikes(c, n, v, b, ref, 0, z, zPrev, psi, 0);
            refractory(c, n, zPrev, ref, 0);
        }
    }

    /**
     * The update; a recording copies the new state out afterwards ({@code vRec}, {@code bRec}:
     * the values just stored in {@code v} and {@code b}) instead of storing it from a second
     * vector loop. One vector loop serves both cases: it is compiled sooner (every call counts
     * towards it) and has one profile. A second, recording loop was compiled later and was at
     * times left to the interpreter for a whole run, where the vector API allocates per operation.
     */
    static void update(NeuronStep32.Constants c, int n, float[] v, float[] b, float[] zPrev, float[] ref, int state,
            float[] cur, float[] z, float[] psi, float[] vRec, float[] bRec, int row) {
        updatePlain(c, n, v, b, zPrev, ref, state, cur, z, psi, row);
        if (vRec != null) {
            System.arraycopy(v, state, vRec, row, n);
            System.arraycopy(b, state, bRec, row, n);
        }
    }

    /**
     * The update in three passes over the neurons (membrane and adaptation; spike, pseudo-derivative;
     * refractory count), each reading what the last one stored. Why not one loop: a vector loop of
     * some fifty operations came close to the JIT's limit on inlined code per method, and in some
     * runs the compiled loop called part of the vector API out of line, which allocates at every
     * operation (16-60 KB per emulator frame in the Atari loop); small loops compile whole.
     */
    private static void updatePlain(NeuronStep32.Constants c, int n, float[] v, float[] b, float[] zPrev, float[] ref,
            int state, float[] cur, float[] z, float[] psi, int row) {
        final int bound = S.loopBound(n);
        membrane(c, bound, v, b, zPrev, state, cur, row);
        spikes(c, bound, v, b, ref, state, z, zPrev, psi, row);
        refractory(c, bound, zPrev, ref, state);
        if (bound < n) {
            NeuronStep32.update(c, n, bound, v, b, zPrev, ref, state, cur, z, psi, null, null, row);
        }
    }

    /** {@code b <- flush(rho b + z(t-1))}, {@code v <- flush(alpha v + i - v_th z(t-1))} for the first {@code bound} neurons. */
    private static void membrane(NeuronStep32.Constants c, int bound, float[] v, float[] b, float[] zPrev, int state,
            float[] cur, int row) {
        final FloatVector vTh = FloatVector.broadcast(S, c.vTh);
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        for (int j = 0; j < bound; j += S.length()) {
            final int k = state + j;
            final FloatVector zp = FloatVector.fromArray(S, zPrev, k);
            FloatVector bNow = FloatVector.fromArray(S, c.rho, j).mul(FloatVector.fromArray(S, b, k)).add(zp);
            bNow = bNow.blend(zero, bNow.abs().compare(VectorOperators.LT, minNormal));
            FloatVector vNow = FloatVector.fromArray(S, c.alpha, j).mul(FloatVector.fromArray(S, v, k))
                    .add(FloatVector.fromArray(S, cur, row + j)).sub(vTh.mul(zp));
            vNow = vNow.blend(zero, vNow.abs().compare(VectorOperators.LT, minNormal));
            bNow.intoArray(b, k);
            vNow.intoArray(v, k);
        }
    }

    /**
     * From the new {@code v}, {@code b} and the refractory count before the step: the spike
     * ({@code z}, {@code zPrev}) and the pseudo-derivative {@code psi}.
     */
    private static void spikes(NeuronStep32.Constants c, int bound, float[] v, float[] b, float[] ref, int state,
            float[] z, float[] zPrev, float[] psi, int row) {
        final FloatVector vTh = FloatVector.broadcast(S, c.vTh);
        final FloatVector inverseVTh = FloatVector.broadcast(S, c.inverseVTh);
        final FloatVector psiScale = FloatVector.broadcast(S, c.psiScale);
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < bound; j += S.length()) {
            final int k = state + j;
            final FloatVector scaled = FloatVector.fromArray(S, v, k).sub(vTh)
                    .sub(FloatVector.fromArray(S, c.beta, j).mul(FloatVector.fromArray(S, b, k))).mul(inverseVTh);
            final VectorMask<Float> refractory = FloatVector.fromArray(S, ref, k).compare(VectorOperators.GT, zero);
            final VectorMask<Float> spike = refractory.not().and(scaled.compare(VectorOperators.GT, zero));
            final FloatVector spikeNow = zero.blend(one, spike);
            spikeNow.intoArray(z, row + j);
            spikeNow.intoArray(zPrev, k);
            psiScale.mul(zero.max(one.sub(scaled.abs()))).blend(zero, refractory).intoArray(psi, row + j);
        }
    }

    /** The refractory count, from its value before the step and the spike just stored in {@code zPrev}. */
    private static void refractory(NeuronStep32.Constants c, int bound, float[] zPrev, float[] ref, int state) {
        final FloatVector nRef = FloatVector.broadcast(S, c.nRef);
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector one = FloatVector.broadcast(S, 1f);
        for (int j = 0; j < bound; j += S.length()) {
            final int k = state + j;
            final VectorMask<Float> spike = FloatVector.fromArray(S, zPrev, k).compare(VectorOperators.GT, zero);
            final FloatVector r = FloatVector.fromArray(S, ref, k);
            zero.max(r.add(zero.blend(nRef, spike)).sub(one).min(nRef)).intoArray(ref, k);
        }
    }

    /** {@link NeuronStep32#collect} over all n, skipping 16 silent neurons per comparison. */
    static int collect(float[] z, int row, int n, int[] spikeIndex, int state) {
        final FloatVector zero = FloatVector.zero(S);
        final int bound = S.loopBound(n);
        int count = 0;
        int j = 0;
        for (; j < bound; j += S.length()) {
            if (FloatVector.fromArray(S, z, row + j).compare(VectorOperators.NE, zero).anyTrue()) {
                count = NeuronStep32.collect(z, row, j, j + S.length(), spikeIndex, state, count);
            }
        }
        return NeuronStep32.collect(z, row, j, n, spikeIndex, state, count);
    }
}
