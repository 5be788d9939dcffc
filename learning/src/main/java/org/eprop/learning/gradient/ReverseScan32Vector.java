package org.eprop.learning.gradient;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link ReverseScan32}'s loops with the JDK's vector API, the scalar loops' float operations in
 * their order (no fused multiply-add), so the same bits. The recurrent sum takes four sequences at a
 * time, each vector-wide slice of a weight row loaded once and multiplied into the four sums. One
 * method per case (full and cut graph), each with a JIT profile of its own. Loaded only when
 * {@link org.eprop.learning.tensor.Simd#ENABLED}.
 */
final class ReverseScan32Vector {
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    private ReverseScan32Vector() {
    }

    static void recurrent(float[] w, int n, int stride, float[] next, int from, int to, float[] rec) {
        int b = from;
        for (; b + 4 <= to; b += 4) {
            four(w, n, stride, next, b, b * stride, rec);
        }
        for (; b < to; b++) {
            one(w, n, stride, next, b, b * stride, rec);
        }
    }

    private static void four(float[] w, int n, int stride, float[] next, int b, int o, float[] rec) {
        final int g0 = b * n;
        final int g1 = g0 + n;
        final int g2 = g1 + n;
        final int g3 = g2 + n;
        for (int j = 0; j < stride; j += S.length()) {
            FloatVector a0 = FloatVector.zero(S);
            FloatVector a1 = FloatVector.zero(S);
            FloatVector a2 = FloatVector.zero(S);
            FloatVector a3 = FloatVector.zero(S);
            for (int m = 0; m < n; m++) {
                FloatVector x = FloatVector.fromArray(S, w, m * stride + j);
                a0 = a0.add(x.mul(next[g0 + m]));
                a1 = a1.add(x.mul(next[g1 + m]));
                a2 = a2.add(x.mul(next[g2 + m]));
                a3 = a3.add(x.mul(next[g3 + m]));
            }
            a0.intoArray(rec, o + j);
            a1.intoArray(rec, o + stride + j);
            a2.intoArray(rec, o + 2 * stride + j);
            a3.intoArray(rec, o + 3 * stride + j);
        }
    }

    private static void one(float[] w, int n, int stride, float[] next, int b, int o, float[] rec) {
        final int g = b * n;
        for (int j = 0; j < stride; j += S.length()) {
            FloatVector a = FloatVector.zero(S);
            for (int m = 0; m < n; m++) {
                a = a.add(FloatVector.fromArray(S, w, m * stride + j).mul(next[g + m]));
            }
            a.intoArray(rec, o + j);
        }
    }

    static void step(float[] alpha, float[] rho, float[] minusBeta, float[] cIn, float[] r, float vTh, int n,
            float[] next, float[] now, float[] gb, int state, float[] psi, float[] s, int row, float[] rec, int recRow) {
        if (rec != null) {
            stepFull(alpha, rho, minusBeta, cIn, r, vTh, n, next, now, gb, state, psi, s, row, rec, recRow);
        } else {
            stepCut(alpha, rho, minusBeta, cIn, r, n, next, now, gb, state, psi, s, row);
        }
    }

    private static void stepFull(float[] alpha, float[] rho, float[] minusBeta, float[] cIn, float[] r, float vTh,
            int n, float[] next, float[] now, float[] gb, int state, float[] psi, float[] s, int row, float[] rec,
            int recRow) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        final FloatVector threshold = FloatVector.broadcast(S, vTh);
        final int bound = S.loopBound(n);
        int j = 0;
        for (; j < bound; j += S.length()) {
            final int k = state + j;
            final int i = row + j;
            final FloatVector gvNext = FloatVector.fromArray(S, next, k);
            FloatVector dzEmit = FloatVector.fromArray(S, s, i).add(FloatVector.fromArray(S, r, j))
                    .add(FloatVector.fromArray(S, rec, recRow + j).sub(threshold.mul(gvNext)));
            dzEmit = dzEmit.blend(zero, dzEmit.abs().compare(VectorOperators.LT, minNormal));
            final FloatVector gbNext = FloatVector.fromArray(S, gb, k);
            final FloatVector dz = dzEmit.add(gbNext);
            final FloatVector p = FloatVector.fromArray(S, psi, i);
            FloatVector gv = p.mul(dz).add(FloatVector.fromArray(S, alpha, j).mul(gvNext));
            gv = gv.blend(zero, gv.abs().compare(VectorOperators.LT, minNormal));
            FloatVector b = FloatVector.fromArray(S, minusBeta, j).mul(p).mul(dz)
                    .add(FloatVector.fromArray(S, rho, j).mul(gbNext));
            b = b.blend(zero, b.abs().compare(VectorOperators.LT, minNormal));
            gv.intoArray(now, k);
            b.intoArray(gb, k);
            FloatVector.fromArray(S, cIn, j).mul(gv).intoArray(s, i);
        }
        if (j < n) {
            ReverseScan32.step(alpha, rho, minusBeta, cIn, r, vTh, j, n, next, now, gb, state, psi, s, row, rec, recRow,
                    null);
        }
    }

    private static void stepCut(float[] alpha, float[] rho, float[] minusBeta, float[] cIn, float[] r, int n,
            float[] next, float[] now, float[] gb, int state, float[] psi, float[] s, int row) {
        final FloatVector zero = FloatVector.zero(S);
        final FloatVector minNormal = FloatVector.broadcast(S, Float.MIN_NORMAL);
        final int bound = S.loopBound(n);
        int j = 0;
        for (; j < bound; j += S.length()) {
            final int k = state + j;
            final int i = row + j;
            final FloatVector gvNext = FloatVector.fromArray(S, next, k);
            FloatVector dzEmit = FloatVector.fromArray(S, s, i).add(FloatVector.fromArray(S, r, j));
            dzEmit = dzEmit.blend(zero, dzEmit.abs().compare(VectorOperators.LT, minNormal));
            final FloatVector gbNext = FloatVector.fromArray(S, gb, k);
            final FloatVector dz = dzEmit.add(gbNext);
            final FloatVector p = FloatVector.fromArray(S, psi, i);
            FloatVector gv = p.mul(dz).add(FloatVector.fromArray(S, alpha, j).mul(gvNext));
            gv = gv.blend(zero, gv.abs().compare(VectorOperators.LT, minNormal));
            FloatVector b = FloatVector.fromArray(S, minusBeta, j).mul(p).mul(dz)
                    .add(FloatVector.fromArray(S, rho, j).mul(gbNext));
            b = b.blend(zero, b.abs().compare(VectorOperators.LT, minNormal));
            gv.intoArray(now, k);
            b.intoArray(gb, k);
            FloatVector.fromArray(S, cIn, j).mul(gv).intoArray(s, i);
        }
        if (j < n) {
            ReverseScan32.step(alpha, rho, minusBeta, cIn, r, 0f, j, n, next, now, gb, state, psi, s, row, null, 0,
                    null);
        }
    }
}
