package org.eprop.learning.gradient;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link EligibilityCarry}'s float32 trace update with the JDK's vector API, a vector of sources
 * per operation (4 with AVX2, 8 with AVX-512): the floats widened to double exactly, the scalar
 * loop's double products and sums in its order (no fused multiply-add), rounded back to float as its
 * casts do, so the scalar loop's bits;
 * the remainder by the scalar loop. Loaded only when {@link org.eprop.learning.tensor.Simd#ENABLED}.
 * The scalar loop is not vectorised by the JIT (the conversions between float and double), and at
 * B x n x (nIn + n) traces per unroll the update is long enough to pay for it.
 */
final class EligibilityCarryVector {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** As many floats as {@link #D} has doubles: half its width. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();

    private EligibilityCarryVector() {
    }

    private static DoubleVector widen(float[] a, int i) {
        return (DoubleVector) FloatVector.fromArray(F, a, i).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void narrow(DoubleVector v, float[] a, int i) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(a, i);
    }

    /** {@code EligibilityCarry.carryAdaptive}: sources {@code [0, pre)}, terms always written. */
    static void carryAdaptive(float[] ev, float[] ea, float[] eb, int base, float[] product, int pv, int pa, int pb,
            int pre, double cIn, double cvv, double cav, double caa, double cbv, double cba, double cbb,
            double[] terms, int tOff, double cv, double ca, double cb) {
        final int bound = pre - pre % L;
        int p = 0;
        for (; p < bound; p += L) {
            final int s = base + p;
            final DoubleVector oldV = widen(ev, s);
            final DoubleVector oldA = widen(ea, s);
            final DoubleVector oldB = widen(eb, s);
            oldV.mul(cv).add(oldA.mul(ca)).add(oldB.mul(cb)).intoArray(terms, tOff + p);
            narrow(widen(product, pv + p).mul(cIn).add(oldV.mul(cvv)), ev, s);
            narrow(widen(product, pa + p).add(oldV.mul(cav)).add(oldA.mul(caa)), ea, s);
            narrow(widen(product, pb + p).add(oldV.mul(cbv)).add(oldA.mul(cba)).add(oldB.mul(cbb)), eb, s);
        }
        // the remainder by the scalar loop
        EligibilityCarry.carryAdaptive(ev, ea, eb, base, product, pv, pa, pb, p, pre, cIn, cvv, cav, caa, cbv, cba, cbb,
                terms, tOff, cv, ca, cb);
    }

    /** {@code EligibilityCarry.carryPlain}: a neuron without adaptation, no eps_a. */
    static void carryPlain(float[] ev, float[] eb, int base, float[] product, int pv, int pb, int pre, double cIn,
            double cvv, double cbv, double cbb, double[] terms, int tOff, double cv, double cb) {
        final int bound = pre - pre % L;
        int p = 0;
        for (; p < bound; p += L) {
            final int s = base + p;
            final DoubleVector oldV = widen(ev, s);
            final DoubleVector oldB = widen(eb, s);
            oldV.mul(cv).add(oldB.mul(cb)).intoArray(terms, tOff + p);
            narrow(widen(product, pv + p).mul(cIn).add(oldV.mul(cvv)), ev, s);
            narrow(widen(product, pb + p).add(oldV.mul(cbv)).add(oldB.mul(cbb)), eb, s);
        }
        // the remainder by the scalar loop
        EligibilityCarry.carryPlain(ev, eb, base, product, pv, pb, p, pre, cIn, cvv, cbv, cbb, terms, tOff, cv, cb);
    }
}
