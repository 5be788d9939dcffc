package org.eprop.learning.conv;

import org.eprop.learning.tensor.Simd;
/**
 * VALID average pooling over square windows, channels-last ({@code tf.nn.avg_pool(..., padding='VALID')}
 * of the original code): output {@code (py, px, c)} is the mean of input
 * {@code (py*stride + ky, px*stride + kx, c)} over {@code 0 <= ky, kx < kernel}. The shortcut
 * features of the Atari heads are the pooled spikes of each conv layer (docs/model.md §3.3).
 *
 * <p>All methods work on one batch row at given offsets and allocate nothing.
 */
public final class AvgPool {
    private final int inHeight;
    private final int inWidth;
    private final int channels;
    private final int kernel;
    private final int stride;
    private final int outHeight;
    private final int outWidth;
    private final double scale;
    // Per input index: the output indices of the windows covering it, in window order, padded to
    // the most any input has with repeats of the first carrying a zero addend (a spike's count: 1
    // or 0), so that the event forward is branch-free and division-free (adding +0.0 leaves a sum
    // unchanged).
    private final int slots;
    private final int[] coverIndex;
    private final double[] coverAdd;
    /** Per input index: how many windows cover it (its first entries of {@link #coverIndex}). */
    private final int[] coverCount;
    /** A window's taps relative to its first input, row by row: {@code (ky*inWidth + kx)*channels}. */
    private final int[] taps;

    public AvgPool(int inHeight, int inWidth, int channels, int kernel, int stride) {
        if (inHeight <= 0 || inWidth <= 0 || channels <= 0 || kernel <= 0 || stride <= 0 || kernel > inHeight
                || kernel > inWidth) {
            throw new IllegalArgumentException("bad pooling " + kernel + "/" + stride + " on " + inHeight + "x"
                    + inWidth + "x" + channels);
        }
        this.inHeight = inHeight;
        this.inWidth = inWidth;
        this.channels = channels;
        this.kernel = kernel;
        this.stride = stride;
        this.outHeight = (inHeight - kernel) / stride + 1;
        this.outWidth = (inWidth - kernel) / stride + 1;
        this.scale = 1.0 / (kernel * kernel);
        this.taps = new int[kernel * kernel];
        for (int ky = 0; ky < kernel; ky++) {
            for (int kx = 0; kx < kernel; kx++) {
                taps[ky * kernel + kx] = (ky * inWidth + kx) * channels;
            }
        }
        int n = inHeight * inWidth * channels;
        int perAxis = (kernel + stride - 1) / stride;
        this.slots = perAxis * perAxis;
        this.coverIndex = new int[n * slots];
        this.coverAdd = new double[n * slots];
        this.coverCount = new int[n];
        for (int a = 0; a < n; a++) {
            int c = a % channels;
            int pix = a / channels;
            int y = pix / inWidth;
            int x = pix - y * inWidth;
            int pyMax = Math.min(outHeight - 1, y / stride);
            int pxMax = Math.min(outWidth - 1, x / stride);
            int k = 0;
            for (int py = firstWindow(y); py <= pyMax; py++) {
                for (int px = firstWindow(x); px <= pxMax; px++) {
                    coverIndex[a * slots + k] = (py * outWidth + px) * channels + c;
                    coverAdd[a * slots + k] = 1.0;
                    k++;
                }
            }
            coverCount[a] = k;
            for (int f = k; f < slots; f++) {
                coverIndex[a * slots + f] = k > 0 ? coverIndex[a * slots] : 0;
                coverAdd[a * slots + f] = 0.0;
            }
        }
    }

    public int outHeight() {
        return outHeight;
    }

    public int outWidth() {
        return outWidth;
    }

    public int channels() {
        return channels;
    }

    public int kernel() {
        return kernel;
    }

    public int stride() {
        return stride;
    }

    /** Values per batch row of the input. */
    public int inputSize() {
        return inHeight * inWidth * channels;
    }

    /** Pooled features per batch row. */
    public int outputSize() {
        return outHeight * outWidth * channels;
    }

    /** Dense forward: {@code out[outOff ..] = avgpool(in[inOff ..])}, each window's sum times {@code 1/kernel^2}. */
    public void forward(double[] in, int inOff, double[] out, int outOff) {
        if (Simd.ENABLED && channels % 8 == 0) {
            VectorKernels.poolForward(in, inOff, inWidth, channels, stride, outHeight, outWidth, taps, scale, out,
                    outOff);
            return;
        }
        forwardScalar(in, inOff, out, outOff);
    }

    /** {@link #forward} without the vector kernels (the reference the vector kernel is tested against). */
    void forwardScalar(double[] in, int inOff, double[] out, int outOff) {
        for (int py = 0; py < outHeight; py++) {
            for (int px = 0; px < outWidth; px++) {
                int o = outOff + (py * outWidth + px) * channels;
                for (int c = 0; c < channels; c++) {
                    double s = 0;
                    for (int ky = 0; ky < kernel; ky++) {
                        int row = inOff + ((py * stride + ky) * inWidth + px * stride) * channels + c;
                        for (int kx = 0; kx < kernel; kx++) {
                            s += in[row + kx * channels];
                        }
                    }
                    out[o + c] = s * scale;
                }
            }
        }
    }

    /**
     * Forward on spikes given as the list of active input indices {@code active[aOff .. aOff+count)}
     * (indices within the row): every spike counts once in each window covering it, and the counts
     * are scaled by {@code 1/kernel^2}: exactly the dense forward of the 0/1 row (a count is a
     * small integer whatever the order, and is scaled once, as the dense sum is).
     */
    public void forwardEvents(int[] active, int aOff, int count, double[] out, int outOff) {
        final int end = outOff + outputSize();
        java.util.Arrays.fill(out, outOff, end, 0.0);
        for (int n = 0; n < count; n++) {
            int q = active[aOff + n] * slots;
            for (int k = 0; k < slots; k++) {
                out[outOff + coverIndex[q + k]] += coverAdd[q + k];
            }
        }
        for (int i = outOff; i < end; i++) {
            out[i] *= scale;
        }
    }

    /** The first window index whose span {@code [p*stride, p*stride + kernel)} contains {@code y}. */
    private int firstWindow(int y) {
        int d = y - kernel + 1;
        return d <= 0 ? 0 : (d + stride - 1) / stride;
    }

    /**
     * Backward into a cleared row: {@code dIn[inOff ..] = avgpool^T(dOut[outOff ..])}, the same
     * values as {@link #backward} into zeros, bit for bit. Each input gathers its covering
     * windows' {@code dOut * 1/kernel^2} in window order, as the scatter adds them; the scatter's
     * skipped zero terms change nothing here (a sum started at +0.0 is never -0.0, so adding a
     * signed zero leaves it as it is). One write per input instead of a clear and scattered adds.
     */
    public void backwardOverwrite(double[] dOut, int outOff, double[] dIn, int inOff) {
        final int n = inputSize();
        if (Simd.ENABLED && channels % 8 == 0) {
            VectorKernels.poolBackward(coverIndex, coverCount, slots, n, scale, dOut, outOff, dIn, inOff);
            return;
        }
        backwardOverwriteScalar(dOut, outOff, dIn, inOff);
    }

    /** {@link #backwardOverwrite} without the vector kernels (the reference the vector kernel is tested against). */
    void backwardOverwriteScalar(double[] dOut, int outOff, double[] dIn, int inOff) {
        final int n = inputSize();
        final int[] count = coverCount;
        final int[] index = coverIndex;
        final int sl = slots;
        for (int a = 0; a < n; a++) {
            double s = 0.0;
            final int q = a * sl;
            for (int k = 0; k < count[a]; k++) {
                s += dOut[outOff + index[q + k]] * scale;
            }
            dIn[inOff + a] = s;
        }
    }

    /**
     * Backward: {@code dIn[inOff ..] += avgpool^T(dOut[outOff ..])}, i.e. each pooled feature's
     * gradient spread evenly, {@code 1/kernel^2}, over its window.
     */
    public void backward(double[] dOut, int outOff, double[] dIn, int inOff) {
        for (int py = 0; py < outHeight; py++) {
            for (int px = 0; px < outWidth; px++) {
                int o = outOff + (py * outWidth + px) * channels;
                for (int c = 0; c < channels; c++) {
                    double g = dOut[o + c] * scale;
                    if (g == 0) {
                        continue;
                    }
                    for (int ky = 0; ky < kernel; ky++) {
                        int row = inOff + ((py * stride + ky) * inWidth + px * stride) * channels + c;
                        for (int kx = 0; kx < kernel; kx++) {
                            dIn[row + kx * channels] += g;
                        }
                    }
                }
            }
        }
    }
}
