package org.eprop.learning.network;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link NeuronStep32#update} with the JDK's vector API, a vector of neurons per operation (8 with
 * AVX2, 16 with AVX-512); the remainder runs the scalar loop. Every lane does the scalar loop's float operations
 * in its order (no fused multiply-add), with selects where the scalar loop has conditional
 * expressions, so the results are the scalar loop's bit for bit. Loaded only when
 * {@link org.eprop.learning.tensor.Simd#ENABLED}.
 */
final class NeuronStep32Vector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private NeuronStep32Vector() {
    }

    /**
     * The update of state elements {@code [from, to)}; a recording copies the new state out
     * afterwards ({@code vRec}, {@code bRec}: the values just stored in {@code v} and {@code b})
     * instead of storing it from a second vector loop. One vector loop serves both cases: it is
     * compiled sooner (every call counts towards it) and has one profile. A second, recording loop
     * was compiled later and was at times left to the interpreter for a whole run, where the vector
     * API allocates per operation.
     */
    static void update(NeuronStep32.Constants c, int from, int to, float[] v, float[] b, float[] zPrev, float[] ref,
            float[] cur, int curShift, int shift, float[] z, float[] psi, float[] vRec, float[] bRec) {
        update(c, from, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, vRec, bRec, 1, null, null, null);
    }

    /**
     * {@link #update} that also lists the spikes ({@link NeuronStep32#advance}'s {@code lists}): a
     * vector whose spike mask has a lane set (rare: the neurons fire at a few per cent of steps) has
     * its lanes appended from the spikes just stored, so the step's spikes need no second pass.
     */
    static void update(NeuronStep32.Constants c, int from, int to, float[] v, float[] b, float[] zPrev, float[] ref,
            float[] cur, int curShift, int shift, float[] z, float[] psi, float[] vRec, float[] bRec, int n,
            int[] lists, int[] starts, int[] counts) {
        updatePlain(c, from, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, n, lists, starts, counts);
        if (vRec != null) {
            System.arraycopy(v, from, vRec, from + shift, to - from);
            System.arraycopy(b, from, bRec, from + shift, to - from);
        }
    }

    private static void updatePlain(NeuronStep32.Constants c, int from, int to, float[] v, float[] b, float[] zPrev,
            float[] ref, float[] cur, int curShift, int shift, float[] z, float[] psi, int n, int[] lists,
            int[] starts, int[] counts) {
        final FloatVector vTh = FloatVector.broadcast(S, c.vTh);
        final FloatVector inverseVTh = FloatVector.broadcast(S, c.inverseVTh);
        final FloatVector psiScale = FloatVector.broadcast(S, c.psiScale);
        final FloatVector nRef = FloatVector.broadcast(S, c.nRef);
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector one = FloatVector.broadcast(S, 1f);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        final float[] alpha = c.alpha;
        final float[] rho = c.rho;
        final float[] beta = c.beta;
        final int bound = from + S.loopBound(to - from);
        int k = from;
        for (; k < bound; k += S.length()) {
            final int i = k + shift;
            final FloatVector zp = FloatVector.fromArray(S, zPrev, k);
            FloatVector bNow = FloatVector.fromArray(S, rho, k).mul(FloatVector.fromArray(S, b, k)).add(zp);
            bNow = bNow.blend(zero, bNow.abs().compare(VectorOperators.LT, minNormal));
            FloatVector vNow = FloatVector.fromArray(S, alpha, k).mul(FloatVector.fromArray(S, v, k))
                    .add(FloatVector.fromArray(S, cur, k + curShift)).sub(vTh.mul(zp));
            vNow = vNow.blend(zero, vNow.abs().compare(VectorOperators.LT, minNormal));
            bNow.intoArray(b, k);
            vNow.intoArray(v, k);
            final FloatVector scaled = vNow.sub(vTh).sub(FloatVector.fromArray(S, beta, k).mul(bNow)).mul(inverseVTh);
            final FloatVector r = FloatVector.fromArray(S, ref, k);
            final VectorMask<Float> refractory = r.compare(VectorOperators.GT, zero);
            final VectorMask<Float> spike = refractory.not().and(scaled.compare(VectorOperators.GT, zero));
            final FloatVector spikeNow = zero.blend(one, spike);
            if (z != null) {
                spikeNow.intoArray(z, i);
            }
            spikeNow.intoArray(zPrev, k);
            if (lists != null && spike.anyTrue()) {
                appendLanes(zPrev, k, i, S.length(), n, lists, starts, counts);
            }
            psiScale.mul(zero.max(one.sub(scaled.abs()))).blend(zero, refractory).intoArray(psi, i);
            zero.max(r.add(zero.blend(nRef, spike)).sub(one).min(nRef)).intoArray(ref, k);
        }
        if (k < to) {
            NeuronStep32.update(c, k, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, null, null, n, lists, starts,
                    counts);
        }
    }

    /**
     * The spiking lanes of a vector, appended in ascending order: their spikes just stored at state
     * element {@code k} of {@code zPrev}, the trajectory element being {@code i}.
     */
    private static void appendLanes(float[] zPrev, int k, int i, int lanes, int n, int[] lists, int[] starts,
            int[] counts) {
        for (int l = 0; l < lanes; l++) {
            if (zPrev[k + l] != 0f) {
                NeuronStep32.append(i + l, n, lists, starts, counts);
            }
        }
    }
}
