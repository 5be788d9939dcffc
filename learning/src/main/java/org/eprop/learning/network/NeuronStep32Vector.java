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

    private static void updatePlain(NeuronStep32.Constants c, int n, float[] v, float[] b, float[] zPrev, float[] ref,
            int state, float[] cur, float[] z, float[] psi, int row) {
        final FloatVector vTh = FloatVector.broadcast(S, c.vTh);
        final FloatVector inverseVTh = FloatVector.broadcast(S, c.inverseVTh);
        final FloatVector psiScale = FloatVector.broadcast(S, c.psiScale);
        final FloatVector nRef = FloatVector.broadcast(S, c.nRef);
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        final int bound = S.loopBound(n);
        int j = 0;
        for (; j < bound; j += S.length()) {
            final int k = state + j;
            final FloatVector zp = FloatVector.fromArray(S, zPrev, k);
            FloatVector bNow = FloatVector.fromArray(S, c.rho, j).mul(FloatVector.fromArray(S, b, k)).add(zp);
            bNow = bNow.blend(zero, bNow.abs().compare(VectorOperators.LT, minNormal));
            FloatVector vNow = FloatVector.fromArray(S, c.alpha, j).mul(FloatVector.fromArray(S, v, k))
                    .add(FloatVector.fromArray(S, cur, row + j)).sub(vTh.mul(zp));
            vNow = vNow.blend(zero, vNow.abs().compare(VectorOperators.LT, minNormal));
            bNow.intoArray(b, k);
            vNow.intoArray(v, k);
            final FloatVector scaled = vNow.sub(vTh).sub(FloatVector.fromArray(S, c.beta, j).mul(bNow)).mul(inverseVTh);
            final FloatVector r = FloatVector.fromArray(S, ref, k);
            final VectorMask<Float> refractory = r.compare(VectorOperators.GT, zero);
            final VectorMask<Float> spike = refractory.not().and(scaled.compare(VectorOperators.GT, zero));
            final FloatVector spikeNow = zero.blend(one, spike);
            spikeNow.intoArray(z, row + j);
            spikeNow.intoArray(zPrev, k);
            psiScale.mul(zero.max(one.sub(scaled.abs()))).blend(zero, refractory).intoArray(psi, row + j);
            zero.max(r.add(zero.blend(nRef, spike)).sub(one).min(nRef)).intoArray(ref, k);
        }
        if (j < n) {
            NeuronStep32.update(c, n, j, v, b, zPrev, ref, state, cur, z, psi, null, null, row);
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
