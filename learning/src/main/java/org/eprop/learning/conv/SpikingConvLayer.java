package org.eprop.learning.conv;

import org.eprop.learning.tensor.Simd;
import java.util.Arrays;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * One convolution into a sheet of {@link ScnnNeuron} LIF units: {@code i(t) = conv(x(t), W) + b},
 * VALID, square stride, channels-last ({@link ConvGeometry}). The input is either real-valued
 * (conv1: the frame) or spikes (conv2: conv1's spikes).
 *
 * <p>Parameters: {@code W} {@code [kh][kw][cin][cout]} and {@code b} {@code [cout]} in the layer's
 * {@link Precision}, registered as a {@link Parameters} list. The kernels read the parameters'
 * own backing arrays ({@code float[]} or {@code double[]}, never a copy), so an optimiser's in-place
 * update is seen at once; only the spike lookup tables below are derived and must be rebuilt by
 * {@link #syncWeights} after an update. Sums are formed in double from the stored values and every
 * stored current is rounded to the layer's precision, so a float32 layer behaves as a float32
 * simulation with fused double intermediates, as the rest of the project does.
 *
 * <p><b>Fast kernels</b> (used by {@link SpikingCnn}):
 * <ul>
 *   <li>real input: {@link #patches} lays the receptive fields out as a {@code [fanIn][positions]}
 *       matrix, so that {@link #convolvePatches} and {@link #correlatePatches} run their innermost
 *       loops over all output positions (long, contiguous loops the JIT vectorises) instead of over
 *       the handful of output channels;</li>
 *   <li>spike input: the spikes of a pixel are packed into bytes of 8 channels ({@link #spikeBits}),
 *       and a table holds, for every kernel tap, channel byte and byte value, the summed weight
 *       vector {@code sum_{bits} W[ky,kx,ci,:]}. {@link #convolveBits} then adds one table row per
 *       non-zero byte under the window (about 30 per output at conv1's rates, instead of about 70
 *       single spikes). {@link #accumulateBits} runs the weight gradient from the same bytes: each
 *       output's gradient vector, times each bit (0 or 1) of each byte under its window, added to
 *       the weight gradient row of that tap and channel.</li>
 * </ul>
 * The per-row kernels allocate nothing.
 */
public final class SpikingConvLayer {
    /** Channels packed per byte of the spike bit rows. */
    static final int BITS = 8;

    private final ConvGeometry geometry;
    private final ScnnNeuron neuron;
    private final Precision precision;
    private final RealArray weights;
    private final RealArray bias;
    private final Parameters parameters;
    // The parameters' backing arrays (exactly one pair is non-null, by precision): no copies.
    private final float[] wf;
    private final double[] wd;
    private final float[] bf;
    private final double[] bd;
    private final int outH;
    private final int outW;
    private final int positions;
    private final int cin;
    private final int cout;
    private final int taps;
    private final int groups;
    /** Table rows per group: {@code 2^min(8, cin)} (conv1's single input channel needs two, not 256). */
    private final int values;
    /** {@code table[((tap*groups + g) * values + byte) * cout + co]}: summed weights of the byte's channels. */
    private final double[] table;
    // Per input index a = pixel*cin + ci: its byte in a spike bit row and its bit (no division per spike).
    private final int[] byteOf;
    private final byte[] bitOf;
    /**
     * The window's bytes in a spike bit row relative to its first, tap by tap and group by group:
     * {@code window[ky*kw*groups + k] = ky*inW*groups + k} (the bit kernels' order).
     */
    private final int[] window;
    /**
     * Per output position {@code p = oy*outW + ox}: its window's first byte in a spike bit row,
     * {@code (oy*s*inW + ox*s) * groups} (the gradient kernel's flat position loop).
     */
    private final int[] positionBytes;
    /**
     * Per window byte {@code i} (tap and channel group, {@link #window}'s order): the first row of
     * its channels in {@code dW}, {@code (tap*cin + group*8) * cout}, and how many channels it holds.
     */
    private final int[] windowRows;
    private final int[] windowChannels;
    /** {@code BIT_VALUES[v*8 + c]}: bit {@code c} of the byte value {@code v}, as 0.0 or 1.0. */
    static final double[] BIT_VALUES = new double[256 * BITS];

    static {
        for (int v = 0; v < 256; v++) {
            for (int c = 0; c < BITS; c++) {
                BIT_VALUES[v * BITS + c] = (v >> c) & 1;
            }
        }
    }

    public SpikingConvLayer(ConvGeometry geometry, ScnnNeuron neuron, Precision precision) {
        this.geometry = geometry;
        this.neuron = neuron;
        this.precision = precision;
        this.weights = precision.zeros(geometry.weightCount());
        this.bias = precision.zeros(geometry.outChannels());
        this.parameters = new Parameters().add("W", weights).add("b", bias);
        this.wf = weights instanceof RealArray.F32 f ? f.data() : null;
        this.wd = weights instanceof RealArray.F64 d ? d.data() : null;
        this.bf = bias instanceof RealArray.F32 f ? f.data() : null;
        this.bd = bias instanceof RealArray.F64 d ? d.data() : null;
        this.outH = geometry.outHeight();
        this.outW = geometry.outWidth();
        this.positions = outH * outW;
        this.cin = geometry.inChannels();
        this.cout = geometry.outChannels();
        this.taps = geometry.kernelHeight() * geometry.kernelWidth();
        this.groups = (cin + BITS - 1) / BITS;
        this.values = 1 << Math.min(BITS, cin);
        this.table = new double[taps * groups * values * cout];
        this.byteOf = new int[geometry.inputSize()];
        this.bitOf = new byte[geometry.inputSize()];
        this.positionBytes = new int[positions];
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                positionBytes[oy * outW + ox] = (oy * geometry.stride() * geometry.inWidth() + ox * geometry.stride())
                        * groups;
            }
        }
        int span = geometry.kernelWidth() * groups;
        this.window = new int[geometry.kernelHeight() * span];
        for (int ky = 0; ky < geometry.kernelHeight(); ky++) {
            for (int k = 0; k < span; k++) {
                window[ky * span + k] = ky * geometry.inWidth() * groups + k;
            }
        }
        this.windowRows = new int[window.length];
        this.windowChannels = new int[window.length];
        for (int i = 0; i < window.length; i++) {
            int ky = i / span;
            int k = i - ky * span;
            int grp = k % groups;
            windowRows[i] = ((ky * geometry.kernelWidth() + k / groups) * cin + grp * BITS) * cout;
            windowChannels[i] = Math.min(BITS, cin - grp * BITS);
        }
        for (int a = 0; a < byteOf.length; a++) {
            int pix = a / cin;
            int ci = a - pix * cin;
            byteOf[a] = pix * groups + ci / BITS;
            bitOf[a] = (byte) (1 << (ci % BITS));
        }
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    public ScnnNeuron neuron() {
        return neuron;
    }

    public Precision precision() {
        return precision;
    }

    /** {@code W} and {@code b}, the arrays themselves (an optimiser updates them in place). */
    public Parameters parameters() {
        return parameters;
    }

    public RealArray weights() {
        return weights;
    }

    public RealArray bias() {
        return bias;
    }

    private double w(int i) {
        return wf != null ? wf[i] : wd[i];
    }

    private double b(int i) {
        return bf != null ? bf[i] : bd[i];
    }

    /**
     * The default initialisation of the original code's sonnet {@code Conv2D}: weights from a normal
     * distribution with standard deviation {@code 1/sqrt(kh*kw*cin)} truncated at two standard
     * deviations (redrawn beyond, as TensorFlow's {@code truncated_normal}), bias zero.
     */
    public void initialise(Rng rng) {
        double std = 1.0 / Math.sqrt(geometry.fanIn());
        for (int i = 0; i < weights.length(); i++) {
            double g;
            do {
                g = rng.nextGaussian();
            } while (Math.abs(g) > 2.0);
            weights.set(i, g * std);
        }
        bias.fill(0.0);
        syncWeights();
    }

    /**
     * Rebuilds the spike lookup table from the current weights; call after every update of
     * {@code W} (the dense kernels read the parameters directly). Each entry is built from the
     * entry without its lowest channel plus that channel's weights, one addition per entry.
     */
    public void syncWeights() {
        int n = weights.length();
        if (syncedBits.length != n) {
            syncedBits = new long[n];
        }
        for (int i = 0; i < n; i++) {
            syncedBits[i] = Double.doubleToRawLongBits(w(i));
        }
        for (int tap = 0; tap < taps; tap++) {
            for (int g = 0; g < groups; g++) {
                int nb = Math.min(BITS, cin - g * BITS);
                int base = (tap * groups + g) * values;
                Arrays.fill(table, base * cout, (base + 1) * cout, 0.0);
                for (int v = 1; v < (1 << nb); v++) {
                    int low = Integer.numberOfTrailingZeros(v);
                    int prev = (base + (v & (v - 1))) * cout;
                    int dst = (base + v) * cout;
                    int wb = (tap * cin + g * BITS + low) * cout;
                    for (int co = 0; co < cout; co++) {
                        table[dst + co] = table[prev + co] + w(wb + co);
                    }
                }
            }
        }
    }

    /** The bits of the weights the table was last built from. */
    private long[] syncedBits = new long[0];

    /**
     * {@link #syncWeights} when a weight differs, bit for bit, from those the table was built from:
     * the forward pass calls this every agent step, and the weights change only at optimiser steps
     * (a comparison of the 2,048 weights of the Atari agent's conv2 instead of the table's 65,536
     * sums every step).
     */
    public void syncWeightsIfChanged() {
        int n = weights.length();
        if (syncedBits.length == n) {
            boolean same = true;
            for (int i = 0; i < n && same; i++) {
                same = syncedBits[i] == Double.doubleToRawLongBits(w(i));
            }
            if (same) {
                return;
            }
        }
        syncWeights();
    }

    /**
     * Dense convolution of one real-valued input row, by direct loops (the reference form of
     * {@link #convolvePatches}): {@code out[outOff + (oy*outW+ox)*cout + co] = b[co] + sum_{ky,kx,ci}
     * W[ky,kx,ci,co] in[inOff + ((oy*s+ky)*inW + ox*s+kx)*cin + ci]}, rounded to the layer's precision.
     */
    public void convolveDense(double[] in, int inOff, double[] out, int outOff) {
        final int kh = geometry.kernelHeight();
        final int rowLen = geometry.kernelWidth() * cin;
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = outOff + (oy * outW + ox) * cout;
                for (int co = 0; co < cout; co++) {
                    out[o + co] = b(co);
                }
                for (int ky = 0; ky < kh; ky++) {
                    int src = inOff + ((oy * s + ky) * inW + ox * s) * cin;
                    int wk = ky * rowLen * cout;
                    for (int j = 0; j < rowLen; j++) {
                        double x = in[src + j];
                        if (x == 0) {
                            continue;
                        }
                        int wb = wk + j * cout;
                        for (int co = 0; co < cout; co++) {
                            out[o + co] += x * w(wb + co);
                        }
                    }
                }
                for (int co = 0; co < cout; co++) {
                    out[o + co] = precision.round(out[o + co]);
                }
            }
        }
    }

    /**
     * Event-driven convolution of a spike input row given as the active input indices
     * {@code active[aOff .. aOff+count)}, spike by spike (the reference form of
     * {@link #convolveBits}): the current starts at the bias and every spike adds the kernel slice
     * {@code W[ky,kx,ci,:]} to each output position whose receptive field holds it.
     */
    public void convolveEvents(int[] active, int aOff, int count, double[] out, int outOff) {
        final int kw = geometry.kernelWidth();
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        for (int p = 0; p < positions; p++) {
            for (int co = 0; co < cout; co++) {
                out[outOff + p * cout + co] = b(co);
            }
        }
        for (int e = 0; e < count; e++) {
            int a = active[aOff + e];
            int ci = a % cin;
            int pix = a / cin;
            int y = pix / inW;
            int x = pix - y * inW;
            int oyMin = firstOutput(y, geometry.kernelHeight(), s);
            int oyMax = Math.min(outH - 1, y / s);
            int oxMin = firstOutput(x, kw, s);
            int oxMax = Math.min(outW - 1, x / s);
            for (int oy = oyMin; oy <= oyMax; oy++) {
                int ky = y - oy * s;
                for (int ox = oxMin; ox <= oxMax; ox++) {
                    int kx = x - ox * s;
                    int wb = ((ky * kw + kx) * cin + ci) * cout;
                    int o = outOff + (oy * outW + ox) * cout;
                    for (int co = 0; co < cout; co++) {
                        out[o + co] += w(wb + co);
                    }
                }
            }
        }
        for (int i = outOff; i < outOff + positions * cout; i++) {
            out[i] = precision.round(out[i]);
        }
    }

    static int firstOutput(int y, int kernel, int stride) {
        int d = y - kernel + 1;
        return d <= 0 ? 0 : (d + stride - 1) / stride;
    }

    /**
     * One network step of all units of a row (docs/model.md §1.2(f)): {@code v <- d v + i - v_th
     * H(v - v_th)}, then the indices of the units with {@code v > v_th} are written to
     * {@code active[aOff ..]} in increasing order. Returns their number.
     */
    public int step(double[] v, int vOff, double[] current, int cOff, int[] active, int aOff) {
        final int n = geometry.outputSize();
        final double d = neuron.decay();
        final double th = neuron.threshold();
        // Branch-free: at firing rates of tens of percent the spike tests are unpredictable, so
        // they are taken from the sign bit of th - v (negative exactly when v > th), and every
        // index is written and kept only when the unit fired.
        int count = 0;
        if (precision == Precision.FLOAT32) {
            for (int j = 0; j < n; j++) {
                double old = v[vOff + j];
                double reset = th * (Double.doubleToRawLongBits(th - old) >>> 63);
                double nv = Rows.round32(d * old + current[cOff + j] - reset);
                v[vOff + j] = nv;
                active[aOff + count] = j;
                count += (int) (Double.doubleToRawLongBits(th - nv) >>> 63);
            }
        } else {
            for (int j = 0; j < n; j++) {
                double old = v[vOff + j];
                double reset = th * (Double.doubleToRawLongBits(th - old) >>> 63);
                double nv = d * old + current[cOff + j] - reset;
                v[vOff + j] = nv;
                active[aOff + count] = j;
                count += (int) (Double.doubleToRawLongBits(th - nv) >>> 63);
            }
        }
        return count;
    }

    /**
     * Weight gradient of a real-valued input row by direct loops: {@code dW[ky,kx,ci,co] +=
     * sum_{oy,ox} g[(oy,ox),co] in[(oy*s+ky, ox*s+kx), ci]} and {@code dB[co] += biasInput * sum g[.,co]}.
     * Zero entries of {@code g} are skipped.
     */
    public void correlateDense(double[] g, int gOff, double[] in, int inOff, double biasInput, double[] dW,
            double[] dB) {
        final int kh = geometry.kernelHeight();
        final int rowLen = geometry.kernelWidth() * cin;
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = gOff + (oy * outW + ox) * cout;
                for (int co = 0; co < cout; co++) {
                    double gv = g[o + co];
                    if (gv == 0) {
                        continue;
                    }
                    dB[co] += gv * biasInput;
                    for (int ky = 0; ky < kh; ky++) {
                        int src = inOff + ((oy * s + ky) * inW + ox * s) * cin;
                        int wb = ky * rowLen * cout + co;
                        for (int j = 0; j < rowLen; j++) {
                            dW[wb + j * cout] += gv * in[src + j];
                        }
                    }
                }
            }
        }
    }

    // ---- real input: receptive fields as a [fanIn][positions] matrix ----

    /** Output positions {@code outH * outW}. */
    int positions() {
        return positions;
    }

    /**
     * A {@link #patches} matrix: {@code fanIn} rows of {@code positions}, each its own array. The
     * product loops index every row they read or write by the position alone, so the JIT can see
     * that a write to one element cannot feed a later read of another and vectorises them; with
     * all rows in one array at different offsets it cannot rule that out and runs them scalar
     * (about 2.5x slower).
     */
    double[][] newPatches() {
        return new double[geometry.fanIn()][positions];
    }

    /** A planar gradient or current, {@code [cout][positions]}, one array per channel (see {@link #newPatches}). */
    double[][] newPlanar() {
        return new double[cout][positions];
    }

    /**
     * {@code x[j][p] = in[inOff + ((oy*s+ky)*inW + ox*s+kx)*cin + ci]} with
     * {@code j = (ky*kw+kx)*cin + ci} (the kernel's row order) and {@code p = oy*outW + ox}.
     */
    void patches(double[] in, int inOff, double[][] x) {
        final int kh = geometry.kernelHeight();
        final int kw = geometry.kernelWidth();
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        for (int ky = 0; ky < kh; ky++) {
            for (int kx = 0; kx < kw; kx++) {
                for (int ci = 0; ci < cin; ci++) {
                    final double[] row = x[(ky * kw + kx) * cin + ci];
                    for (int oy = 0; oy < outH; oy++) {
                        int src = inOff + ((oy * s + ky) * inW + kx) * cin + ci;
                        int dst = oy * outW;
                        for (int ox = 0; ox < outW; ox++) {
                            row[dst + ox] = in[src + ox * s * cin];
                        }
                    }
                }
            }
        }
    }

    /**
     * The convolution from a {@link #patches} matrix: {@code planar[co][p] = b[co] + sum_j W[j,co]
     * x[j][p]}, the terms added in the kernel's row order as {@link #convolveDense} does, then
     * written channels-last to {@code out[outOff ..]} rounded to the layer's precision.
     */
    void convolvePatches(double[][] x, double[][] planar, double[] out, int outOff) {
        final int n = positions;
        final int fanIn = geometry.fanIn();
        final int fan4 = fanIn & ~3;
        for (int co = 0; co < cout; co++) {
            final double[] acc = planar[co];
            Arrays.fill(acc, 0, n, b(co));
            // Four kernel rows per pass over the positions, added in order: the same sums as one
            // row per pass, with a quarter of the passes over the (L1-sized) output row.
            int j = 0;
            for (; j < fan4; j += 4) {
                final double w0 = w(j * cout + co);
                final double w1 = w((j + 1) * cout + co);
                final double w2 = w((j + 2) * cout + co);
                final double w3 = w((j + 3) * cout + co);
                final double[] x0 = x[j];
                final double[] x1 = x[j + 1];
                final double[] x2 = x[j + 2];
                final double[] x3 = x[j + 3];
                for (int p = 0; p < n; p++) {
                    acc[p] = (((acc[p] + w0 * x0[p]) + w1 * x1[p]) + w2 * x2[p]) + w3 * x3[p];
                }
            }
            for (; j < fanIn; j++) {
                final double wv = w(j * cout + co);
                final double[] xj = x[j];
                for (int p = 0; p < n; p++) {
                    acc[p] += wv * xj[p];
                }
            }
        }
        for (int co = 0; co < cout; co++) {
            final double[] acc = planar[co];
            for (int p = 0; p < n; p++) {
                out[outOff + p * cout + co] = precision.round(acc[p]);
            }
        }
    }

    /** {@code planar[co][p] = scale * g[gOff + p*cout + co]}: a channels-last row made planar. */
    void toPlanar(double[] g, int gOff, double scale, double[][] planar) {
        final int n = positions;
        for (int co = 0; co < cout; co++) {
            final double[] row = planar[co];
            for (int p = 0; p < n; p++) {
                row[p] = scale * g[gOff + p * cout + co];
            }
        }
    }

    /**
     * Weight gradient from a {@link #patches} matrix and a planar gradient {@code [cout][positions]}:
     * {@code dW[j*cout + co] += sum_p x[j][p] g[co][p]}, each sum over positions in order.
     */
    void correlatePatches(double[][] x, double[][] gPlanar, double[] dW) {
        final int n = positions;
        final int fanIn = geometry.fanIn();
        int j = 0;
        if (cout % 4 == 0) {
            // Two kernel rows by four channels per pass: eight independent sums from six loads per
            // position, instead of two loads per product.
            for (; j + 1 < fanIn; j += 2) {
                final double[] xa = x[j];
                final double[] xb = x[j + 1];
                for (int co = 0; co < cout; co += 4) {
                    final double[] g0 = gPlanar[co];
                    final double[] g1 = gPlanar[co + 1];
                    final double[] g2 = gPlanar[co + 2];
                    final double[] g3 = gPlanar[co + 3];
                    double a0 = 0;
                    double a1 = 0;
                    double a2 = 0;
                    double a3 = 0;
                    double b0 = 0;
                    double b1 = 0;
                    double b2 = 0;
                    double b3 = 0;
                    for (int p = 0; p < n; p++) {
                        double u = xa[p];
                        double v = xb[p];
                        double h0 = g0[p];
                        double h1 = g1[p];
                        double h2 = g2[p];
                        double h3 = g3[p];
                        a0 += u * h0;
                        a1 += u * h1;
                        a2 += u * h2;
                        a3 += u * h3;
                        b0 += v * h0;
                        b1 += v * h1;
                        b2 += v * h2;
                        b3 += v * h3;
                    }
                    int da = j * cout + co;
                    int db = da + cout;
                    dW[da] += a0;
                    dW[da + 1] += a1;
                    dW[da + 2] += a2;
                    dW[da + 3] += a3;
                    dW[db] += b0;
                    dW[db + 1] += b1;
                    dW[db + 2] += b2;
                    dW[db + 3] += b3;
                }
            }
        }
        for (; j < fanIn; j++) {
            final double[] xj = x[j];
            for (int co = 0; co < cout; co++) {
                final double[] gc = gPlanar[co];
                double s0 = 0;
                for (int p = 0; p < n; p++) {
                    s0 += xj[p] * gc[p];
                }
                dW[j * cout + co] += s0;
            }
        }
    }

    // ---- spike input: bytes of 8 channels per input pixel ----

    /** Bytes of a spike bit row: {@code groups} per input pixel. */
    int bitRowSize() {
        return geometry.inHeight() * geometry.inWidth() * groups;
    }

    /**
     * Packs the active input indices {@code active[aOff .. aOff+count)} ({@code pixel*cin + ci}) into
     * {@code bits[bOff ..]}: bit {@code ci % 8} of byte {@code pixel*groups + ci/8}.
     */
    void spikeBits(int[] active, int aOff, int count, byte[] bits, int bOff) {
        Arrays.fill(bits, bOff, bOff + bitRowSize(), (byte) 0);
        for (int e = 0; e < count; e++) {
            int a = active[aOff + e];
            bits[bOff + byteOf[a]] |= bitOf[a];
        }
    }

    /**
     * The convolution of a spike bit row: {@code out[outOff + p*cout + co] = b[co] + sum over the
     * window's taps and channel bytes of table[tap, g, byte][co]}, rounded to the layer's precision.
     * The terms come in the window's pixel order, as the spikes of {@link #convolveEvents} do.
     */
    void convolveBits(byte[] bits, int bOff, double[] out, int outOff) {
        if (cout == 8) {
            if (Simd.ENABLED && bf != null) {
                VectorKernels.convolveBits8Float32(bits, bOff, table, values, geometry.kernelHeight(),
                        geometry.kernelWidth() * groups, geometry.inWidth(), geometry.stride(), groups, outH, outW, bf,
                        window, out, outOff);
            } else {
                convolveBits8(bits, bOff, out, outOff);
            }
            return;
        }
        final int kh = geometry.kernelHeight();
        final int kw = geometry.kernelWidth();
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = outOff + (oy * outW + ox) * cout;
                for (int co = 0; co < cout; co++) {
                    out[o + co] = b(co);
                }
                for (int ky = 0; ky < kh; ky++) {
                    int row = bOff + ((oy * s + ky) * inW + ox * s) * groups;
                    for (int k = 0; k < kw * groups; k++) {
                        int v = bits[row + k] & 0xff;
                        if (v == 0) {
                            continue;
                        }
                        int q = (((ky * kw) * groups + k) * values + v) * cout;
                        for (int co = 0; co < cout; co++) {
                            out[o + co] += table[q + co];
                        }
                    }
                }
                for (int co = 0; co < cout; co++) {
                    out[o + co] = precision.round(out[o + co]);
                }
            }
        }
    }

    /** {@link #convolveBits} for 8 output channels (the reference conv2), sums kept in registers. */
    void convolveBits8(byte[] bits, int bOff, double[] out, int outOff) {
        final int kh = geometry.kernelHeight();
        final int kw = geometry.kernelWidth();
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        final int span = kw * groups;
        final double[] t = table;
        final double b0 = b(0);
        final double b1 = b(1);
        final double b2 = b(2);
        final double b3 = b(3);
        final double b4 = b(4);
        final double b5 = b(5);
        final double b6 = b(6);
        final double b7 = b(7);
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                double s0 = b0;
                double s1 = b1;
                double s2 = b2;
                double s3 = b3;
                double s4 = b4;
                double s5 = b5;
                double s6 = b6;
                double s7 = b7;
                for (int ky = 0; ky < kh; ky++) {
                    int row = bOff + ((oy * s + ky) * inW + ox * s) * groups;
                    int tq = ky * span;
                    for (int k = 0; k < span; k++) {
                        int v = bits[row + k] & 0xff;
                        if (v == 0) {
                            continue;
                        }
                        int q = ((tq + k) * values + v) * 8;
                        s0 += t[q];
                        s1 += t[q + 1];
                        s2 += t[q + 2];
                        s3 += t[q + 3];
                        s4 += t[q + 4];
                        s5 += t[q + 5];
                        s6 += t[q + 6];
                        s7 += t[q + 7];
                    }
                }
                int o = outOff + (oy * outW + ox) * 8;
                out[o] = precision.round(s0);
                out[o + 1] = precision.round(s1);
                out[o + 2] = precision.round(s2);
                out[o + 3] = precision.round(s3);
                out[o + 4] = precision.round(s4);
                out[o + 5] = precision.round(s5);
                out[o + 6] = precision.round(s6);
                out[o + 7] = precision.round(s7);
            }
        }
    }

    /**
     * The weight gradient of a spike bit row: {@code dW[tap, ci, co] += z[ci at tap] g[p][co]} for
     * every output position {@code p} and every input channel {@code ci} under its window, where
     * {@code z} is the spike bit (0 or 1) read from the row's bytes; the bias gradient is the
     * caller's ({@code sum_p g[p]}). Every element of {@code dW} receives its terms in position
     * order, each as {@code dW + z * g} (a zero bit adds a signed zero), so the vector kernel
     * (8 output channels, whole bytes of input channels), which keeps a window byte's 64 sums in
     * registers over all positions, gives the same bits as this loop.
     *
     * <p>Why not a histogram of byte values (one 8-channel addition per byte instead of eight):
     * at conv1's rates almost every byte is non-zero and the same values recur at neighbouring
     * positions, so the histogram's additions wait on each other through memory; the sums in
     * registers do not, and need no second pass.
     */
    void accumulateBits(byte[] bits, int bOff, double[] g, int gOff, double[] dW) {
        if (Simd.ENABLED && cout == 8 && cin % BITS == 0) {
            VectorKernels.accumulateBits8(bits, bOff, g, gOff, dW, positionBytes, window, windowRows);
            return;
        }
        accumulateBitsScalar(bits, bOff, g, gOff, dW);
    }

    /** {@link #accumulateBits} by plain loops (the reference of the vector kernel, and any geometry). */
    void accumulateBitsScalar(byte[] bits, int bOff, double[] g, int gOff, double[] dW) {
        for (int p = 0; p < positions; p++) {
            final int o = gOff + p * cout;
            final int first = bOff + positionBytes[p];
            for (int i = 0; i < window.length; i++) {
                final int v = bits[first + window[i]] & 0xff;
                final int wb = windowRows[i];
                for (int c = 0; c < windowChannels[i]; c++) {
                    final double z = BIT_VALUES[v * BITS + c];
                    final int d = wb + c * cout;
                    for (int co = 0; co < cout; co++) {
                        dW[d + co] += z * g[o + co];
                    }
                }
            }
        }
    }
}
