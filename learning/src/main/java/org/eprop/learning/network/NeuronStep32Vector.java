package org.eprop.learning.network;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
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
    /** Lane l's index, to shift a lane's spike (0 or 1) to bit l of the vector's spike word. */
    private static final IntVector LANE = IntVector.zero(S.withLanes(int.class)).addIndex(1);

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
        update(c, from, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, vRec, bRec, 1, null, 0, null, null);
    }

    /**
     * {@link #update} that also lists the spikes ({@link NeuronStep32#advance}'s {@code lists}): each
     * vector's spikes leave the loop as a word of bits ({@code Constants.words}), without a branch,
     * and {@link #listWords} lists the words after the loop, so the step's spikes need no second pass
     * over the state. Each list needs 8 ints of room past its region's end.
     */
    static void update(NeuronStep32.Constants c, int from, int to, float[] v, float[] b, float[] zPrev, float[] ref,
            float[] cur, int curShift, int shift, float[] z, float[] psi, float[] vRec, float[] bRec, int n,
            int[] lists, int listShift, int[] starts, int[] counts) {
        updatePlain(c, from, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, n, lists, listShift, starts, counts);
        if (vRec != null) {
            System.arraycopy(v, from, vRec, from + shift, to - from);
            System.arraycopy(b, from, bRec, from + shift, to - from);
        }
    }

    private static void updatePlain(NeuronStep32.Constants c, int from, int to, float[] v, float[] b, float[] zPrev,
            float[] ref, float[] cur, int curShift, int shift, float[] z, float[] psi, int n, int[] lists,
            int listShift, int[] starts, int[] counts) {
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
        final int[] words = c.words;
        final int w0 = from / S.length();
        int w = w0;
        int k = from;
        for (; k < bound; k += S.length(), w++) {
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
            if (lists != null) {
                // 1f is 0x3F800000: its top three bits are 001, so the shift leaves the spike, 0 or 1
                words[w] = spikeNow.reinterpretAsInts().lanewise(VectorOperators.LSHR, 29)
                        .lanewise(VectorOperators.LSHL, LANE).reduceLanes(VectorOperators.OR);
            }
            psiScale.mul(zero.max(one.sub(scaled.abs()))).blend(zero, refractory).intoArray(psi, i);
            zero.max(r.add(zero.blend(nRef, spike)).sub(one).min(nRef)).intoArray(ref, k);
        }
        if (lists != null) {
            listWords(words, w0, w, from + listShift, S.length(), n, lists, starts, counts);
        }
        if (k < to) {
            NeuronStep32.update(c, k, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, null, null, n, lists,
                    listShift, starts, counts);
        }
    }

    /** Eight int lanes: a byte of spike bits is listed with one table load and one store. */
    private static final VectorSpecies<Integer> EIGHT = IntVector.SPECIES_256;
    /**
     * For each byte value: the indices of its set bits in ascending order, then zeros (8 per byte).
     */
    private static final int[] BYTE_LISTS = byteLists();

    private static int[] byteLists() {
        int[] t = new int[256 * 8];
        for (int v = 0; v < 256; v++) {
            int m = 0;
            for (int bit = 0; bit < 8; bit++) {
                if ((v & (1 << bit)) != 0) {
                    t[v * 8 + m++] = bit;
                }
            }
        }
        return t;
    }

    /**
     * Appends the spikes of the vector loop's words {@code [w0, w1)} ({@code lanes} bits each, bit l
     * of word w the spike of trajectory element {@code e0 + (w - w0) lanes + l}) to their rows' lists,
     * in ascending order, a byte of bits at a time without a branch on the bits: the byte's list comes
     * from {@link #BYTE_LISTS}, is stored whole (8 ints) at the list's end, and the end moves by the
     * byte's spike count. A test per vector or per spike is taken at random at a few per cent of
     * spikes and mispredicted about as often; at the Fig. 3 rates that cost a thread more time than
     * the neuron update itself. The store reaches up to 7 ints past a list's end, which the list's
     * region has room for ({@code ForwardPass}) and the next list overwrites.
     */
    private static void listWords(int[] words, int w0, int w1, int e0, int lanes, int n, int[] lists, int[] starts,
            int[] counts) {
        int r = e0 / n;
        int rowStart = r * n;
        int rowEnd = rowStart + n;
        int pos = starts[r] + counts[r];
        final int[] table = BYTE_LISTS;
        for (int w = w0; w < w1; w++) {
            final int bits = words[w];
            final int base = e0 + (w - w0) * lanes;
            for (int c = 0; c < lanes; c += 8) {
                int chunk = base + c;
                final int chunkEnd = chunk + 8;
                int byteBits = (bits >>> c) & 0xFF;
                while (chunkEnd > rowEnd) { // a row ends inside the byte or before it: close that row
                    if (chunk < rowEnd) { // the byte's low bits are that row's
                        int inRow = rowEnd - chunk;
                        int low = byteBits & ((1 << inRow) - 1);
                        IntVector.fromArray(EIGHT, table, low * 8).add(chunk - rowStart).intoArray(lists, pos);
                        pos += Integer.bitCount(low);
                        byteBits >>>= inRow;
                        chunk = rowEnd;
                    }
                    counts[r] = pos - starts[r];
                    r++;
                    rowStart = rowEnd;
                    rowEnd += n;
                    pos = starts[r] + counts[r];
                }
                IntVector.fromArray(EIGHT, table, byteBits * 8).add(chunk - rowStart).intoArray(lists, pos);
                pos += Integer.bitCount(byteBits);
            }
        }
        counts[r] = pos - starts[r];
    }
}
