package org.eprop.learning.tensor;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Row operations of the network's time loops with the JDK's vector API, 8 doubles per operation;
 * only used when {@link Simd#ENABLED}. Each lane does the scalar loop's operations on its element
 * (a float32 element widened to double, the double operations, the result narrowed to float as
 * {@link RealArray.F32#set} does), so the results are the scalar loops', bit for bit. The JIT does
 * not vectorise those loops itself: they convert between float and double and read two rows of
 * the same array type at different offsets, which it cannot prove do not overlap.
 */
public final class VectorOps {
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_512;
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final int L = 8;

    private VectorOps() {
    }

    /** Whether the hardware runs 512-bit vectors natively (otherwise the API would emulate them, slowly). */
    static boolean supported() {
        return DoubleVector.SPECIES_PREFERRED.vectorBitSize() >= 512;
    }

    /**
     * {@code acc[aOff + j] = (float) (acc[aOff + j] + (double) w[wOff + j])} for {@code j < n}: the
     * float32 {@link RealArray#add} of a row.
     */
    public static void addRow(float[] acc, int aOff, float[] w, int wOff, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            DoubleVector a = (DoubleVector) FloatVector.fromArray(F, acc, aOff + j).convertShape(VectorOperators.F2D, D, 0);
            DoubleVector b = (DoubleVector) FloatVector.fromArray(F, w, wOff + j).convertShape(VectorOperators.F2D, D, 0);
            ((FloatVector) a.add(b).convertShape(VectorOperators.D2F, F, 0)).intoArray(acc, aOff + j);
        }
        for (; j < n; j++) {
            acc[aOff + j] = (float) (acc[aOff + j] + (double) w[wOff + j]);
        }
    }

    /** {@code acc[aOff + j] += w[wOff + j]} for {@code j < n}: the float64 {@link RealArray#add} of a row. */
    public static void addRow(double[] acc, int aOff, double[] w, int wOff, int n) {
        int j = 0;
        for (; j <= n - L; j += L) {
            DoubleVector.fromArray(D, acc, aOff + j).add(DoubleVector.fromArray(D, w, wOff + j)).intoArray(acc, aOff + j);
        }
        for (; j < n; j++) {
            acc[aOff + j] += w[wOff + j];
        }
    }
    /**
     * The eligibility traces' update at an unroll's end for one (row, neuron) and the sources
     * {@code [from, to)} (float32 traces and products; {@code EligibilityCarry.advance}): with
     * {@code old*} the traces there before (zero when not {@code carried}),
     * <pre>
     *   ev = pv + cvv oldV,   ea = (pa + cav oldV) + caa oldA,   eb = ((pb + cbv oldV) + cba oldA) + cbb oldB
     * </pre>
     * each in double from the widened floats and stored as float, as the scalar loop does.
     */
    public static void carryTraces(float[] ev, float[] ea, float[] eb, int base, float[] product, int pv, int pa,
            int pb, int from, int to, boolean carried, double cvv, double cav, double caa, double cbv, double cba,
            double cbb) {
        int p = from;
        final DoubleVector zero = DoubleVector.zero(D);
        for (; p <= to - L; p += L) {
            final int s = base + p;
            final DoubleVector oldV = carried ? widen(ev, s) : zero;
            final DoubleVector oldA = carried ? widen(ea, s) : zero;
            final DoubleVector oldB = carried ? widen(eb, s) : zero;
            narrow(widen(product, pv + p).add(oldV.mul(cvv)), ev, s);
            narrow(widen(product, pa + p).add(oldV.mul(cav)).add(oldA.mul(caa)), ea, s);
            narrow(widen(product, pb + p).add(oldV.mul(cbv)).add(oldA.mul(cba)).add(oldB.mul(cbb)), eb, s);
        }
        for (; p < to; p++) {
            final int s = base + p;
            final double oldV = carried ? ev[s] : 0.0;
            final double oldA = carried ? ea[s] : 0.0;
            final double oldB = carried ? eb[s] : 0.0;
            ev[s] = (float) (product[pv + p] + cvv * oldV);
            ea[s] = (float) (product[pa + p] + cav * oldV + caa * oldA);
            eb[s] = (float) (product[pb + p] + cbv * oldV + cba * oldA + cbb * oldB);
        }
    }

    private static DoubleVector widen(float[] a, int off) {
        return (DoubleVector) FloatVector.fromArray(F, a, off).convertShape(VectorOperators.F2D, D, 0);
    }

    private static void narrow(DoubleVector v, float[] a, int off) {
        ((FloatVector) v.convertShape(VectorOperators.D2F, F, 0)).intoArray(a, off);
    }
}
