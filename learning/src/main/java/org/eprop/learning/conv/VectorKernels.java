package org.eprop.learning.conv;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShape;
import jdk.incubator.vector.VectorSpecies;

/**
 * The spiking CNN's hottest kernels written with the JDK's vector API ({@code jdk.incubator.vector}),
 * a vector of doubles per operation: 8 with AVX-512, 4 with AVX2 (the JVM's preferred width), where
 * an 8-channel row then takes two vectors. Only loaded when
 * {@link org.eprop.learning.tensor.Simd#ENABLED}; the scalar kernels in {@link SpikingConvLayer} and
 * {@link SpikingCnn} remain the reference and the fallback.
 *
 * <p>Why by hand: the JIT's automatic vectorisation leaves these loops scalar. conv2's kernels read
 * and write 8-channel rows at data-dependent addresses (a table row per spike byte),
 * and the per-unit loops round to float32 and test signs, none of which it vectorises. Here every
 * lane does exactly the scalar code's IEEE operations in the scalar code's order (lanewise
 * additions and products, {@code Math.max}/{@code abs} semantics, float32 rounding as a
 * double-to-float conversion with the same subnormal flush), so results are bit for bit the scalar
 * kernels' (tested by {@code VectorKernelsTest}); only independent sums share an instruction.
 */
final class VectorKernels {
    /** The JVM's preferred doubles: 8 (AVX-512), one 8-channel row per vector, or 4 (AVX2), half a row. */
    static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;
    /** As many floats as {@link #D} has doubles, widened to it. */
    private static final VectorSpecies<Float> F = VectorSpecies.of(float.class,
            VectorShape.forBitSize(D.vectorBitSize() / 2));
    private static final int L = D.length();
    /** Whether one vector holds a whole 8-channel row (else two halves do). */
    private static final boolean WHOLE_ROWS = L == 8;

    private VectorKernels() {
    }

    /**
     * {@link SpikingConvLayer}'s {@code convolveBits8} for a float32 layer: per output position, the
     * bias plus the table rows of the window's bytes, added in the window's order, then rounded.
     * Zero bytes add the table's zero row instead of being skipped: without a branch the sum stays
     * in a register (a vector merged from two paths is not), and adding +0.0 changes nothing but
     * a -0.0 sum into +0.0, which the float32 rounding maps to +0.0 anyway (a float64 layer, where
     * it would show, keeps the scalar kernel).
     */
    static void convolveBits8Float32(byte[] bits, int bOff, double[] table, int values, int kh, int span, int inW,
            int stride, int groups, int outH, int outW, float[] bias, int[] window, double[] out, int outOff) {
        final int n = kh * span;
        if (!WHOLE_ROWS) {
            convolveBits8Halves(bits, bOff, table, values, n, inW, stride, groups, outH, outW, bias, window, out, outOff);
            return;
        }
        // the float biases widened exactly, as the scalar kernel's reads do
        final DoubleVector b = (DoubleVector) FloatVector.fromArray(F, bias, 0)
                .convertShape(VectorOperators.F2D, D, 0);
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                final int base = bOff + (oy * stride * inW + ox * stride) * groups;
                // One flat loop over the window's bytes (tap-major, as the scalar kernel's two
                // loops): the JIT keeps a vector carried by a single loop in a register, and boxes
                // it when it is carried through nested ones.
                DoubleVector s = b;
                for (int i = 0; i < n; i++) {
                    s = s.add(DoubleVector.fromArray(D, table, (i * values + (bits[base + window[i]] & 0xff)) * 8));
                }
                round32(s).intoArray(out, outOff + (oy * outW + ox) * 8);
            }
        }
    }

    /**
     * {@link #convolveBits8Float32} with 4-double vectors: each 8-channel sum as two halves, the same
     * additions per lane.
     */
    private static void convolveBits8Halves(byte[] bits, int bOff, double[] table, int values, int n, int inW,
            int stride, int groups, int outH, int outW, float[] bias, int[] window, double[] out, int outOff) {
        final DoubleVector b0 = (DoubleVector) FloatVector.fromArray(F, bias, 0).convertShape(VectorOperators.F2D, D, 0);
        final DoubleVector b1 = (DoubleVector) FloatVector.fromArray(F, bias, 4).convertShape(VectorOperators.F2D, D, 0);
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                final int base = bOff + (oy * stride * inW + ox * stride) * groups;
                DoubleVector s0 = b0;
                DoubleVector s1 = b1;
                for (int i = 0; i < n; i++) {
                    final int row = (i * values + (bits[base + window[i]] & 0xff)) * 8;
                    s0 = s0.add(DoubleVector.fromArray(D, table, row));
                    s1 = s1.add(DoubleVector.fromArray(D, table, row + 4));
                }
                final int o = outOff + (oy * outW + ox) * 8;
                round32(s0).intoArray(out, o);
                round32(s1).intoArray(out, o + 4);
            }
        }
    }

    /**
     * {@link SpikingConvLayer#accumulateBits} for 8 output channels and whole bytes of input
     * channels: window byte (tap and channel group) outermost, its 8 x 8 sums (one vector of output
     * channels per input channel bit) in registers over all positions, each term {@code bit * g}
     * added by one fused multiply-add (exact: the product is 0 or g), in position order as the
     * scalar loop. {@code positionBytes[p]}: position p's first window byte in the bit row;
     * {@code windowRows[i]}: window byte i's first row in {@code dW}.
     */
    static void accumulateBits8(byte[] bits, int bOff, double[] g, int gOff, double[] dW, int[] positionBytes,
            int[] window, int[] windowRows) {
        if (!WHOLE_ROWS) {
            accumulateBits8Halves(bits, bOff, g, gOff, dW, positionBytes, window, windowRows);
            return;
        }
        final double[] t = SpikingConvLayer.BIT_VALUES;
        final int positions = positionBytes.length;
        for (int i = 0; i < window.length; i++) {
            final int d = windowRows[i];
            final int w = bOff + window[i];
            DoubleVector a0 = DoubleVector.fromArray(D, dW, d);
            DoubleVector a1 = DoubleVector.fromArray(D, dW, d + 8);
            DoubleVector a2 = DoubleVector.fromArray(D, dW, d + 16);
            DoubleVector a3 = DoubleVector.fromArray(D, dW, d + 24);
            DoubleVector a4 = DoubleVector.fromArray(D, dW, d + 32);
            DoubleVector a5 = DoubleVector.fromArray(D, dW, d + 40);
            DoubleVector a6 = DoubleVector.fromArray(D, dW, d + 48);
            DoubleVector a7 = DoubleVector.fromArray(D, dW, d + 56);
            for (int p = 0; p < positions; p++) {
                final int q = (bits[w + positionBytes[p]] & 0xff) * 8;
                final DoubleVector gv = DoubleVector.fromArray(D, g, gOff + p * 8);
                a0 = DoubleVector.broadcast(D, t[q]).fma(gv, a0);
                a1 = DoubleVector.broadcast(D, t[q + 1]).fma(gv, a1);
                a2 = DoubleVector.broadcast(D, t[q + 2]).fma(gv, a2);
                a3 = DoubleVector.broadcast(D, t[q + 3]).fma(gv, a3);
                a4 = DoubleVector.broadcast(D, t[q + 4]).fma(gv, a4);
                a5 = DoubleVector.broadcast(D, t[q + 5]).fma(gv, a5);
                a6 = DoubleVector.broadcast(D, t[q + 6]).fma(gv, a6);
                a7 = DoubleVector.broadcast(D, t[q + 7]).fma(gv, a7);
            }
            a0.intoArray(dW, d);
            a1.intoArray(dW, d + 8);
            a2.intoArray(dW, d + 16);
            a3.intoArray(dW, d + 24);
            a4.intoArray(dW, d + 32);
            a5.intoArray(dW, d + 40);
            a6.intoArray(dW, d + 48);
            a7.intoArray(dW, d + 56);
        }
    }

    /**
     * {@link #accumulateBits8} with 4-double vectors: per window byte two passes of 4 input bits,
     * each bit's 8 output channels as two vectors, so every broadcast bit serves two fused
     * multiply-adds (twice as fast here as two passes of 8 bits over half rows, which broadcast
     * each bit for one); each lane's sum still in position order, so the same bits.
     */
    private static void accumulateBits8Halves(byte[] bits, int bOff, double[] g, int gOff, double[] dW,
            int[] positionBytes, int[] window, int[] windowRows) {
        final double[] t = SpikingConvLayer.BIT_VALUES;
        final int positions = positionBytes.length;
        for (int i = 0; i < window.length; i++) {
            final int w = bOff + window[i];
            for (int k = 0; k < 8; k += 4) {
                final int d = windowRows[i] + k * 8;
                DoubleVector a0 = DoubleVector.fromArray(D, dW, d);
                DoubleVector a1 = DoubleVector.fromArray(D, dW, d + 4);
                DoubleVector a2 = DoubleVector.fromArray(D, dW, d + 8);
                DoubleVector a3 = DoubleVector.fromArray(D, dW, d + 12);
                DoubleVector a4 = DoubleVector.fromArray(D, dW, d + 16);
                DoubleVector a5 = DoubleVector.fromArray(D, dW, d + 20);
                DoubleVector a6 = DoubleVector.fromArray(D, dW, d + 24);
                DoubleVector a7 = DoubleVector.fromArray(D, dW, d + 28);
                for (int p = 0; p < positions; p++) {
                    final int q = (bits[w + positionBytes[p]] & 0xff) * 8 + k;
                    final DoubleVector g0 = DoubleVector.fromArray(D, g, gOff + p * 8);
                    final DoubleVector g1 = DoubleVector.fromArray(D, g, gOff + p * 8 + 4);
                    final DoubleVector b0 = DoubleVector.broadcast(D, t[q]);
                    final DoubleVector b1 = DoubleVector.broadcast(D, t[q + 1]);
                    final DoubleVector b2 = DoubleVector.broadcast(D, t[q + 2]);
                    final DoubleVector b3 = DoubleVector.broadcast(D, t[q + 3]);
                    a0 = b0.fma(g0, a0);
                    a1 = b0.fma(g1, a1);
                    a2 = b1.fma(g0, a2);
                    a3 = b1.fma(g1, a3);
                    a4 = b2.fma(g0, a4);
                    a5 = b2.fma(g1, a5);
                    a6 = b3.fma(g0, a6);
                    a7 = b3.fma(g1, a7);
                }
                a0.intoArray(dW, d);
                a1.intoArray(dW, d + 4);
                a2.intoArray(dW, d + 8);
                a3.intoArray(dW, d + 12);
                a4.intoArray(dW, d + 16);
                a5.intoArray(dW, d + 20);
                a6.intoArray(dW, d + 24);
                a7.intoArray(dW, d + 28);
            }
        }
    }

    /**
     * {@link AvgPool#backwardOverwrite} for 8k channels: the 8 channels of a pixel share their
     * covering windows, so each gathers 8 contiguous pooled gradients per window; per element the
     * same sum from +0.0 in window order.
     */
    static void poolBackward(int[] coverIndex, int[] coverCount, int slots, int n, double scale, double[] dOut,
            int outOff, double[] dIn, int inOff) {
        for (int a = 0; a < n; a += L) {
            final int q = a * slots;
            final int count = coverCount[a];
            DoubleVector s = DoubleVector.zero(D);
            for (int k = 0; k < count; k++) {
                s = s.add(DoubleVector.fromArray(D, dOut, outOff + coverIndex[q + k]).mul(scale));
            }
            s.intoArray(dIn, inOff + a);
        }
    }

    /**
     * {@link SpikingConvLayer#step} of a float32 layer fused with what the recording forward does
     * next with the new voltages, in one pass: {@code v <- round(d v + i - th H(v - th))}, the
     * active units' indices (ascending) into {@code active}, and when {@code record} is given the
     * voltages into it (as floats, exactly: they are rounded already) and the regulariser terms
     * {@code relu(v - th)}, {@code relu(-v - th)} added to {@code pos}, {@code neg}. Returns the count.
     */
    static int stepFloat32(double[] v, int vOff, double[] current, int cOff, int n, double d, double th,
            int[] active, int aOff, float[] record, int rOff, double[] pos, double[] neg, int pOff) {
        int count = 0;
        int j = 0;
        for (; j <= n - L; j += L) {
            final DoubleVector old = DoubleVector.fromArray(D, v, vOff + j);
            final DoubleVector reset = DoubleVector.zero(D).blend(th, old.compare(VectorOperators.GT, th));
            final DoubleVector nv = round32(old.mul(d).add(DoubleVector.fromArray(D, current, cOff + j)).sub(reset));
            nv.intoArray(v, vOff + j);
            // The list from the stored voltages, branch-free as the scalar step (a mask's bits as a
            // long are not a single instruction on this JDK's vector API).
            for (int k = 0; k < L; k++) {
                active[aOff + count] = j + k;
                count += (int) (Double.doubleToRawLongBits(th - v[vOff + j + k]) >>> 63);
            }
            if (record != null) {
                ((FloatVector) nv.convertShape(VectorOperators.D2F, F, 0)).intoArray(record, rOff + j);
                DoubleVector.fromArray(D, pos, pOff + j).add(nv.sub(th).max(0.0)).intoArray(pos, pOff + j);
                DoubleVector.fromArray(D, neg, pOff + j).add(nv.neg().sub(th).max(0.0)).intoArray(neg, pOff + j);
            }
        }
        for (; j < n; j++) {
            final double old = v[vOff + j];
            final double reset = th * (Double.doubleToRawLongBits(th - old) >>> 63);
            final double nv = Rows.round32(d * old + current[cOff + j] - reset);
            v[vOff + j] = nv;
            active[aOff + count] = j;
            count += (int) (Double.doubleToRawLongBits(th - nv) >>> 63);
            if (record != null) {
                record[rOff + j] = (float) nv;
                pos[pOff + j] += Math.max(0.0, nv - th);
                neg[pOff + j] += Math.max(0.0, -nv - th);
            }
        }
        return count;
    }

    /** Lane i holds 2^i: a 0/1 vector times this, summed, is the byte of its 8 lanes. */
    private static final double[] LANE_BITS = {1, 2, 4, 8, 16, 32, 64, 128};

    /**
     * conv1's unit step for a float32 CNN as {@link #stepFloat32} with a recording, but the spikes
     * as a dense 0/1 row {@code z} (the presynaptic trace's input and the pooling's) and as the
     * bytes of conv2's spike bit row ({@code bits[bOff + j/8]}, bit {@code j % 8}: conv1's output
     * is channels-last with a multiple of 8 channels, so 8 consecutive units are 8 channels of one
     * pixel, as {@link SpikingConvLayer#spikeBits} packs them). No index list: at conv1's rates (a
     * quarter of the units or more) a list costs a store and a sign test per unit and then as much
     * again to turn it into rows and bytes. {@code n} is a multiple of 8. The voltages go into
     * {@code record} as floats and the regulariser terms into {@code pos}, {@code neg} (a caller
     * that does not record passes work space).
     */
    static void stepSpikesConv1(double[] v, int vOff, double[] current, int cOff, int n, double d, double th,
            double[] z, byte[] bits, int bOff, float[] record, int rOff, double[] pos, double[] neg, int pOff) {
        final DoubleVector one = DoubleVector.broadcast(D, 1.0);
        final DoubleVector zero = DoubleVector.zero(D);
        for (int j = 0; j < n; j += L) {
            final DoubleVector laneBits = DoubleVector.fromArray(D, LANE_BITS, j & 7);
            final DoubleVector old = DoubleVector.fromArray(D, v, vOff + j);
            final DoubleVector reset = zero.blend(th, old.compare(VectorOperators.GT, th));
            final DoubleVector nv = round32(old.mul(d).add(DoubleVector.fromArray(D, current, cOff + j)).sub(reset));
            nv.intoArray(v, vOff + j);
            final DoubleVector spikes = zero.blend(one, nv.compare(VectorOperators.GT, th));
            spikes.intoArray(z, j);
            // the byte of 8 channels, from one vector or as two halves (exact small integers)
            final int part = (int) spikes.mul(laneBits).reduceLanes(VectorOperators.ADD);
            if (WHOLE_ROWS || (j & 7) == 0) {
                bits[bOff + (j >> 3)] = (byte) part;
            } else {
                bits[bOff + (j >> 3)] |= (byte) part;
            }
            ((FloatVector) nv.convertShape(VectorOperators.D2F, F, 0)).intoArray(record, rOff + j);
            DoubleVector.fromArray(D, pos, pOff + j).add(nv.sub(th).max(0.0)).intoArray(pos, pOff + j);
            DoubleVector.fromArray(D, neg, pOff + j).add(nv.neg().sub(th).max(0.0)).intoArray(neg, pOff + j);
        }
    }

    /**
     * conv2's unit step for a float32 CNN: as {@link #stepSpikesConv1}, the spikes as a dense 0/1
     * row {@code z} (for the pooling) and as floats into {@code spikes} (the LSNN's input row)
     * instead of bytes. {@code n} is a multiple of 8.
     */
    static void stepSpikesConv2(double[] v, int vOff, double[] current, int cOff, int n, double d, double th,
            double[] z, float[] spikes, int sOff, float[] record, int rOff, double[] pos, double[] neg, int pOff) {
        final DoubleVector one = DoubleVector.broadcast(D, 1.0);
        final DoubleVector zero = DoubleVector.zero(D);
        for (int j = 0; j < n; j += L) {
            final DoubleVector old = DoubleVector.fromArray(D, v, vOff + j);
            final DoubleVector reset = zero.blend(th, old.compare(VectorOperators.GT, th));
            final DoubleVector nv = round32(old.mul(d).add(DoubleVector.fromArray(D, current, cOff + j)).sub(reset));
            nv.intoArray(v, vOff + j);
            final DoubleVector s = zero.blend(one, nv.compare(VectorOperators.GT, th));
            s.intoArray(z, j);
            ((FloatVector) s.convertShape(VectorOperators.D2F, F, 0)).intoArray(spikes, sOff + j);
            ((FloatVector) nv.convertShape(VectorOperators.D2F, F, 0)).intoArray(record, rOff + j);
            DoubleVector.fromArray(D, pos, pOff + j).add(nv.sub(th).max(0.0)).intoArray(pos, pOff + j);
            DoubleVector.fromArray(D, neg, pOff + j).add(nv.neg().sub(th).max(0.0)).intoArray(neg, pOff + j);
        }
    }

    /**
     * {@link AvgPool#forward} for 8k channels: per window and group of 8 channels, the window's rows
     * added in the scalar loop's order, then scaled (on 0/1 spikes the sums are counts, exact in any
     * order).
     */
    static void poolForward(double[] in, int inOff, int inWidth, int channels, int stride, int outHeight,
            int outWidth, int[] taps, double scale, double[] out, int outOff) {
        final int n = taps.length;
        for (int py = 0; py < outHeight; py++) {
            for (int px = 0; px < outWidth; px++) {
                final int o = outOff + (py * outWidth + px) * channels;
                final int base = inOff + (py * stride * inWidth + px * stride) * channels;
                for (int c = 0; c < channels; c += L) {
                    // one flat loop over the window's taps (row by row, as the scalar loops): a
                    // vector carried through nested loops is boxed by the JIT
                    DoubleVector s = DoubleVector.zero(D);
                    for (int i = 0; i < n; i++) {
                        s = s.add(DoubleVector.fromArray(D, in, base + taps[i] + c));
                    }
                    s.mul(scale).intoArray(out, o + c);
                }
            }
        }
    }

    /**
     * conv1's weight gradient of one agent step, {@code dW[j*cout + co] += sum_p x[j][p] g[p*cout + co]}
     * with each sum over positions in order from zero, as {@link SpikingConvLayer}'s
     * {@code correlatePatches} forms it; 8 channels per lane group, read straight from the
     * channels-last gradient row (no planar copy). {@code cout} a multiple of 8, at most 16.
     */
    static void correlatePatches(double[][] x, double[] g, int cout, double[] dW) {
        final int fanIn = x.length;
        final int n = x[0].length;
        int j = 0;
        if (cout == 16) {
            // Four kernel rows per pass: eight independent sums, so the additions overlap instead
            // of each waiting for the one before it; the gradient row is read once for all four.
            // Two vectors of channels per sum (all 16 with 8-double vectors, 8 at a time with 4).
            for (; j + 3 < fanIn; j += 4) {
                final double[] xa = x[j];
                final double[] xb = x[j + 1];
                final double[] xc = x[j + 2];
                final double[] xd = x[j + 3];
                for (int c = 0; c < 16; c += 2 * L) {
                    DoubleVector a0 = DoubleVector.zero(D);
                    DoubleVector a1 = DoubleVector.zero(D);
                    DoubleVector b0 = DoubleVector.zero(D);
                    DoubleVector b1 = DoubleVector.zero(D);
                    DoubleVector c0 = DoubleVector.zero(D);
                    DoubleVector c1 = DoubleVector.zero(D);
                    DoubleVector d0 = DoubleVector.zero(D);
                    DoubleVector d1 = DoubleVector.zero(D);
                    for (int p = 0; p < n; p++) {
                        final DoubleVector g0 = DoubleVector.fromArray(D, g, p * 16 + c);
                        final DoubleVector g1 = DoubleVector.fromArray(D, g, p * 16 + c + L);
                        final double ua = xa[p];
                        final double ub = xb[p];
                        final double uc = xc[p];
                        final double ud = xd[p];
                        a0 = a0.add(g0.mul(ua));
                        a1 = a1.add(g1.mul(ua));
                        b0 = b0.add(g0.mul(ub));
                        b1 = b1.add(g1.mul(ub));
                        c0 = c0.add(g0.mul(uc));
                        c1 = c1.add(g1.mul(uc));
                        d0 = d0.add(g0.mul(ud));
                        d1 = d1.add(g1.mul(ud));
                    }
                    final int d = j * 16 + c;
                    DoubleVector.fromArray(D, dW, d).add(a0).intoArray(dW, d);
                    DoubleVector.fromArray(D, dW, d + L).add(a1).intoArray(dW, d + L);
                    DoubleVector.fromArray(D, dW, d + 16).add(b0).intoArray(dW, d + 16);
                    DoubleVector.fromArray(D, dW, d + 16 + L).add(b1).intoArray(dW, d + 16 + L);
                    DoubleVector.fromArray(D, dW, d + 32).add(c0).intoArray(dW, d + 32);
                    DoubleVector.fromArray(D, dW, d + 32 + L).add(c1).intoArray(dW, d + 32 + L);
                    DoubleVector.fromArray(D, dW, d + 48).add(d0).intoArray(dW, d + 48);
                    DoubleVector.fromArray(D, dW, d + 48 + L).add(d1).intoArray(dW, d + 48 + L);
                }
            }
        }
        for (; j < fanIn; j++) {
            final double[] xj = x[j];
            for (int c = 0; c < cout; c += 2 * L) {
                final int d = j * cout + c;
                if (c + L < cout) {
                    DoubleVector a0 = DoubleVector.zero(D);
                    DoubleVector a1 = DoubleVector.zero(D);
                    for (int p = 0; p < n; p++) {
                        final double u = xj[p];
                        a0 = a0.add(DoubleVector.fromArray(D, g, p * cout + c).mul(u));
                        a1 = a1.add(DoubleVector.fromArray(D, g, p * cout + c + L).mul(u));
                    }
                    DoubleVector.fromArray(D, dW, d).add(a0).intoArray(dW, d);
                    DoubleVector.fromArray(D, dW, d + L).add(a1).intoArray(dW, d + L);
                } else {
                    DoubleVector a0 = DoubleVector.zero(D);
                    for (int p = 0; p < n; p++) {
                        a0 = a0.add(DoubleVector.fromArray(D, g, p * cout + c).mul(xj[p]));
                    }
                    DoubleVector.fromArray(D, dW, d).add(a0).intoArray(dW, d);
                }
            }
        }
    }

    /** {@code dst[dOff ..] = src[sOff ..]} for {@code n} values, floats widened exactly. */
    static void widen(float[] src, int sOff, double[] dst, int dOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            ((DoubleVector) FloatVector.fromArray(F, src, sOff + i).convertShape(VectorOperators.F2D, D, 0))
                    .intoArray(dst, dOff + i);
        }
        for (; i < n; i++) {
            dst[dOff + i] = src[sOff + i];
        }
    }

    /** {@code dst[dOff ..] = (float) src[sOff ..]} for {@code n} values (exact when they are floats already). */
    static void narrow(double[] src, int sOff, float[] dst, int dOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            ((FloatVector) DoubleVector.fromArray(D, src, sOff + i).convertShape(VectorOperators.D2F, F, 0))
                    .intoArray(dst, dOff + i);
        }
        for (; i < n; i++) {
            dst[dOff + i] = (float) src[sOff + i];
        }
    }

    /** Float32 rounding of each lane as {@link Rows#round32}: nearest float, zeros and subnormals to +0. */
    static DoubleVector round32(DoubleVector x) {
        DoubleVector r = (DoubleVector) x.convertShape(VectorOperators.D2F, F, 0)
                .convertShape(VectorOperators.F2D, D, 0);
        VectorMask<Double> tiny = r.abs().compare(VectorOperators.LT, (double) Float.MIN_NORMAL);
        return r.blend(0.0, tiny);
    }

    /**
     * {@link SpikingCnn}'s {@code filterHeld} in float32: {@code steps} updates {@code t <- round(d t + x)} of
     * {@code n} elements, each element by the same sequence of operations.
     */
    static void filterHeldFloat32(double[] trace, int off, double[] x, int xOff, int n, int steps, double d) {
        int i = 0;
        for (; i <= n - L; i += L) {
            DoubleVector t = DoubleVector.fromArray(D, trace, off + i);
            final DoubleVector xv = DoubleVector.fromArray(D, x, xOff + i);
            for (int s = 0; s < steps; s++) {
                t = round32(t.mul(d).add(xv));
            }
            t.intoArray(trace, off + i);
        }
        for (; i < n; i++) {
            double t = trace[off + i];
            for (int s = 0; s < steps; s++) {
                t = Rows.round32(d * t + x[xOff + i]);
            }
            trace[off + i] = t;
        }
    }

    /**
     * One reverse-time step of the reference mode's voltage adjoints of one layer and row
     * ({@code SpikingCnn.referenceRow}): {@code a = a (d - th psi) + taskScale sig psi +
     * regScale (pos H(v - th) - neg H(-v - th))} with {@code psi = psiScale max(0, 1 - |(v - th)/th|)},
     * the same operations in the same order; {@code sum += a} where {@code sum} is given.
     */
    static void adjointStep(double[] v, double[] adj, double[] sig, double[] pos, double[] neg, double[] sum, int n,
            double decay, double th, double psiScale, double taskScale, double regScale) {
        int j = 0;
        for (; j <= n - L; j += L) {
            final DoubleVector vv = DoubleVector.fromArray(D, v, j);
            final DoubleVector psi = DoubleVector.broadcast(D, 1.0)
                    .sub(vv.sub(th).div(th).abs()).max(0.0).mul(psiScale);
            final DoubleVector up = vv.sub(th);
            final DoubleVector down = vv.neg().sub(th);
            // The scalar step's H(x), the sign bit of -x, is 1 for x = +0.0 as for x > 0 and 0 for
            // x = -0.0; v - th and -v - th are never -0.0 (th != 0: psi divides by it), so it is x >= 0.
            final DoubleVector hUp = DoubleVector.zero(D).blend(1.0, up.compare(VectorOperators.GE, 0.0));
            final DoubleVector hDown = DoubleVector.zero(D).blend(1.0, down.compare(VectorOperators.GE, 0.0));
            final DoubleVector direct = DoubleVector.fromArray(D, pos, j).mul(hUp)
                    .sub(DoubleVector.fromArray(D, neg, j).mul(hDown)).mul(regScale);
            final DoubleVector a = DoubleVector.fromArray(D, adj, j).mul(DoubleVector.broadcast(D, decay).sub(psi.mul(th)))
                    .add(DoubleVector.fromArray(D, sig, j).mul(taskScale).mul(psi))
                    .add(direct);
            a.intoArray(adj, j);
            if (sum != null) {
                DoubleVector.fromArray(D, sum, j).add(a).intoArray(sum, j);
            }
        }
        for (; j < n; j++) {
            final double x = v[j];
            final double psi = psiScale * Math.max(0.0, 1.0 - Math.abs((x - th) / th));
            final double direct = regScale * (pos[j] * above(x - th) - neg[j] * above(-x - th));
            final double a = adj[j] * (decay - th * psi) + taskScale * sig[j] * psi + direct;
            adj[j] = a;
            if (sum != null) {
                sum[j] += a;
            }
        }
    }

    private static double above(double x) {
        return Double.doubleToRawLongBits(-x) >>> 63;
    }
}
