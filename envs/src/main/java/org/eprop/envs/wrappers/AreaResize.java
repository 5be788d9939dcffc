package org.eprop.envs.wrappers;

/**
 * Downscales 8-bit images by pixel-area averaging, reproducing OpenCV's {@code cv2.resize(...,
 * interpolation=cv2.INTER_AREA)}, the resize of the DQN / SB3 / CleanRL Atari preprocessing.
 *
 * <p>Why reproduce it rather than use any box filter: the published Atari baselines were trained
 * on its output, and 210x160 to 84x84 has fractional factors (2.5 and 1.905), where the choice of
 * weights and rounding changes pixels. Each output pixel is the average of the source area it
 * covers, partly covered source pixels weighted by the covered fraction. As in OpenCV:
 * <ul>
 *   <li>integer factors in both directions take the block-average path: a 2x2 block is rounded
 *       half up ({@code (sum + 2) >> 2}), other blocks as {@code sum * (1f/area)} rounded half
 *       to even;</li>
 *   <li>other factors use per-axis tables of (source, destination, weight) entries, the weights
 *       as {@code float}, accumulated in {@code float} row by row (horizontal pass, then weighted
 *       into the output row) and rounded half to even;</li>
 *   <li>equal sizes copy.</li>
 * </ul>
 * Upscaling is refused: OpenCV's INTER_AREA switches to a bilinear variant there, and no frame
 * preprocessing here needs it.
 *
 * <p>An instance holds the tables and work rows for one pair of sizes, so a resize allocates
 * nothing; it is not thread-safe.
 */
public final class AreaResize {
    private final int srcHeight;
    private final int srcWidth;
    private final int dstHeight;
    private final int dstWidth;
    private final int channels;
    private final int blockX;
    private final int blockY;
    private final boolean block;
    private final Table xTable;
    private final Table yTable;
    private final float[] row;
    private final float[] acc;
    /** Entries {@code xGroup[d] .. xGroup[d+1]-1} of the x table belong to output column d. */
    private final int[] xGroup;
    /** Single-channel fast path: both tables padded to a fixed group size (weight 0), see {@link #gray}. */
    private final int gx;
    private final int gy;
    private final int[] padX;
    private final float[] padXw;
    private final int[] padY;
    private final float[] padYw;
    private final float[] pixels;

    /** Per-axis weights: entry k adds {@code weight[k] * src[source[k]]} to {@code dst[target[k]]}. */
    private record Table(int[] source, int[] target, float[] weight) {
        int size() {
            return source.length;
        }
    }

    public AreaResize(int srcHeight, int srcWidth, int dstHeight, int dstWidth, int channels) {
        if (srcHeight <= 0 || srcWidth <= 0 || dstHeight <= 0 || dstWidth <= 0 || channels <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + srcHeight + "x" + srcWidth + " -> "
                    + dstHeight + "x" + dstWidth + ", " + channels + " channels");
        }
        if (dstHeight > srcHeight || dstWidth > srcWidth) {
            throw new IllegalArgumentException("area resize only downscales; asked " + srcHeight + "x" + srcWidth
                    + " -> " + dstHeight + "x" + dstWidth);
        }
        this.srcHeight = srcHeight;
        this.srcWidth = srcWidth;
        this.dstHeight = dstHeight;
        this.dstWidth = dstWidth;
        this.channels = channels;
        // OpenCV derives the factor as 1 / (dst / src), in double
        double scaleX = 1.0 / ((double) dstWidth / srcWidth);
        double scaleY = 1.0 / ((double) dstHeight / srcHeight);
        int ix = (int) Math.rint(scaleX);
        int iy = (int) Math.rint(scaleY);
        double eps = Math.ulp(1.0);
        this.block = Math.abs(scaleX - ix) < eps && Math.abs(scaleY - iy) < eps;
        this.blockX = ix;
        this.blockY = iy;
        if (block) {
            xTable = null;
            yTable = null;
            row = null;
            acc = null;
            xGroup = null;
        } else {
            xTable = table(srcWidth, dstWidth, channels, scaleX);
            yTable = table(srcHeight, dstHeight, 1, scaleY);
            row = new float[dstWidth * channels];
            acc = new float[dstWidth * channels];
            xGroup = new int[dstWidth + 1];
            int k = 0;
            for (int d = 0; d < dstWidth; d++) {
                xGroup[d] = k;
                while (k < xTable.size() && xTable.target()[k] == d * channels) {
                    k++;
                }
            }
            xGroup[dstWidth] = k;
            if (k != xTable.size()) {
                throw new IllegalStateException("x table entries are not grouped by output column");
            }
        }
        if (!block && channels == 1) {
            int[] yGroup = new int[dstHeight + 1];
            int k = 0;
            for (int d = 0; d < dstHeight; d++) {
                yGroup[d] = k;
                while (k < yTable.size() && yTable.target()[k] == d) {
                    k++;
                }
            }
            yGroup[dstHeight] = k;
            int maxX = 0;
            for (int d = 0; d < dstWidth; d++) {
                maxX = Math.max(maxX, xGroup[d + 1] - xGroup[d]);
            }
            int maxY = 0;
            for (int d = 0; d < dstHeight; d++) {
                maxY = Math.max(maxY, yGroup[d + 1] - yGroup[d]);
            }
            gx = maxX;
            gy = maxY;
            padX = new int[dstWidth * gx];
            padXw = new float[dstWidth * gx];
            for (int d = 0; d < dstWidth; d++) {
                for (int g = 0; g < gx; g++) {
                    int e = Math.min(xGroup[d] + g, xGroup[d + 1] - 1);
                    padX[d * gx + g] = xTable.source()[e];
                    padXw[d * gx + g] = xGroup[d] + g < xGroup[d + 1] ? xTable.weight()[e] : 0f;
                }
            }
            padY = new int[dstHeight * gy];
            padYw = new float[dstHeight * gy];
            for (int d = 0; d < dstHeight; d++) {
                for (int g = 0; g < gy; g++) {
                    int e = Math.min(yGroup[d] + g, yGroup[d + 1] - 1);
                    padY[d * gy + g] = yTable.source()[e];
                    padYw[d * gy + g] = yGroup[d] + g < yGroup[d + 1] ? yTable.weight()[e] : 0f;
                }
            }
            pixels = new float[srcWidth];
        } else {
            gx = 0;
            gy = 0;
            padX = null;
            padXw = null;
            padY = null;
            padYw = null;
            pixels = null;
        }
    }

    /** The weights of one axis: the covered part of each source cell, over the cell width. */
    private static Table table(int srcSize, int dstSize, int stride, double scale) {
        int[] source = new int[srcSize * 2 + 2];
        int[] target = new int[source.length];
        float[] weight = new float[source.length];
        int k = 0;
        for (int d = 0; d < dstSize; d++) {
            double start = d * scale;
            double end = start + scale;
            double cell = Math.min(scale, srcSize - start);
            int first = (int) Math.ceil(start);
            int last = Math.min((int) Math.floor(end), srcSize - 1);
            first = Math.min(first, last);
            if (first - start > 1e-3) {
                source[k] = (first - 1) * stride;
                target[k] = d * stride;
                weight[k++] = (float) ((first - start) / cell);
            }
            for (int s = first; s < last; s++) {
                source[k] = s * stride;
                target[k] = d * stride;
                weight[k++] = (float) (1.0 / cell);
            }
            if (end - last > 1e-3) {
                source[k] = last * stride;
                target[k] = d * stride;
                weight[k++] = (float) (Math.min(Math.min(end - last, 1.0), cell) / cell);
            }
        }
        return new Table(java.util.Arrays.copyOf(source, k), java.util.Arrays.copyOf(target, k),
                java.util.Arrays.copyOf(weight, k));
    }

    /** Resizes {@code src} ({@code srcHeight x srcWidth x channels}) into {@code dst}. */
    public void apply(byte[] src, byte[] dst) {
        if (src.length != srcHeight * srcWidth * channels || dst.length != dstHeight * dstWidth * channels) {
            throw new IllegalArgumentException("expected " + srcHeight * srcWidth * channels + " -> "
                    + dstHeight * dstWidth * channels + " bytes, got " + src.length + " -> " + dst.length);
        }
        if (srcHeight == dstHeight && srcWidth == dstWidth) {
            System.arraycopy(src, 0, dst, 0, src.length);
        } else if (block) {
            blocks(src, dst);
        } else if (channels == 1) {
            gray(src, dst);
        } else {
            weighted(src, dst);
        }
    }

    private void blocks(byte[] src, byte[] dst) {
        int srcRow = srcWidth * channels;
        int area = blockX * blockY;
        float inverse = 1f / area;
        boolean twoByTwo = blockX == 2 && blockY == 2 && (channels == 1 || channels == 3 || channels == 4);
        int o = 0;
        for (int dy = 0; dy < dstHeight; dy++) {
            int top = dy * blockY * srcRow;
            for (int dx = 0; dx < dstWidth; dx++) {
                int left = top + dx * blockX * channels;
                for (int c = 0; c < channels; c++) {
                    int sum = 0;
                    for (int by = 0; by < blockY; by++) {
                        int p = left + by * srcRow + c;
                        for (int bx = 0; bx < blockX; bx++, p += channels) {
                            sum += src[p] & 0xFF;
                        }
                    }
                    dst[o++] = twoByTwo ? (byte) ((sum + 2) >> 2) : toByte(sum * inverse);
                }
            }
        }
    }

    private void weighted(byte[] src, byte[] dst) {
        int width = dstWidth * channels;
        int srcRow = srcWidth * channels;
        int[] xs = xTable.source();
        float[] xw = xTable.weight();
        int current = yTable.target()[0];
        java.util.Arrays.fill(acc, 0f);
        for (int j = 0; j < yTable.size(); j++) {
            int dy = yTable.target()[j];
            float beta = yTable.weight()[j];
            int base = yTable.source()[j] * srcRow;
            // Horizontal pass: the entries of one output pixel are contiguous in the table, so each
            // pixel is summed in a register (in the table's order, as OpenCV does) and stored once;
            // accumulating in memory instead chains every entry on the previous store.
            for (int d = 0; d < dstWidth; d++) {
                int from = xGroup[d];
                int to = xGroup[d + 1];
                for (int c = 0; c < channels; c++) {
                    float sum = 0f;
                    for (int k = from; k < to; k++) {
                        sum += (src[base + xs[k] + c] & 0xFF) * xw[k];
                    }
                    row[d * channels + c] = sum;
                }
            }
            if (dy != current) {
                int o = current * width;
                for (int i = 0; i < width; i++) {
                    dst[o + i] = toByte(acc[i]);
                    acc[i] = beta * row[i];
                }
                current = dy;
            } else {
                for (int i = 0; i < width; i++) {
                    acc[i] += beta * row[i];
                }
            }
        }
        int o = current * width;
        for (int i = 0; i < width; i++) {
            dst[o + i] = toByte(acc[i]);
        }
    }

    /**
     * One channel, fast: the same weights as {@link #weighted}, applied vertically first. Filtering
     * the source rows down to {@code dstHeight} rows before the horizontal pass does 2.5 times fewer
     * gathers for 210 -> 84, and the vertical pass runs over contiguous rows. The groups are padded
     * to a fixed size with zero weights so that each sum is straight-line code. The order of the
     * additions differs from OpenCV's (horizontal first), so a pixel whose exact average lies on a
     * rounding boundary can come out one level apart from cv2; both stay within one level of the
     * exact area average (tested against an independent box filter).
     */
    private void gray(byte[] src, byte[] dst) {
        final float[] level = LEVEL;
        final int w = dstWidth;
        final int sw = srcWidth;
        final float[] col = pixels;
        for (int dy = 0; dy < dstHeight; dy++) {
            final int j = dy * gy;
            if (gy == 3) {
                final float w0 = padYw[j];
                final float w1 = padYw[j + 1];
                final float w2 = padYw[j + 2];
                final int r0 = padY[j] * sw;
                final int r1 = padY[j + 1] * sw;
                final int r2 = padY[j + 2] * sw;
                for (int x = 0; x < sw; x++) {
                    float v = w0 * level[src[r0 + x] & 0xFF];
                    v += w1 * level[src[r1 + x] & 0xFF];
                    v += w2 * level[src[r2 + x] & 0xFF];
                    col[x] = v;
                }
            } else {
                final float w0 = padYw[j];
                final int r0 = padY[j] * sw;
                for (int x = 0; x < sw; x++) {
                    col[x] = w0 * level[src[r0 + x] & 0xFF];
                }
                for (int g = 1; g < gy; g++) {
                    final float wg = padYw[j + g];
                    final int rg = padY[j + g] * sw;
                    for (int x = 0; x < sw; x++) {
                        col[x] += wg * level[src[rg + x] & 0xFF];
                    }
                }
            }
            final int o = dy * w;
            if (gx == 3) {
                for (int d = 0, i = 0; d < w; d++, i += 3) {
                    float sum = col[padX[i]] * padXw[i];
                    sum += col[padX[i + 1]] * padXw[i + 1];
                    sum += col[padX[i + 2]] * padXw[i + 2];
                    dst[o + d] = toByte(sum);
                }
            } else {
                for (int d = 0; d < w; d++) {
                    int i = d * gx;
                    float sum = 0f;
                    for (int g = 0; g < gx; g++) {
                        sum += col[padX[i + g]] * padXw[i + g];
                    }
                    dst[o + d] = toByte(sum);
                }
            }
        }
    }

    /**
     * The float of each byte value: the vertical pass reads its pixels through this table instead
     * of converting each (the same values, about a quarter faster here: the JIT's int-to-float
     * conversion per pixel is the loop's slowest instruction). A vector-API version of the pass was
     * faster still, but the JIT at times left it uncompiled for a whole training run on the
     * environment threads, where the vector API allocates at every operation.
     */
    private static final float[] LEVEL = new float[256];

    static {
        for (int i = 0; i < 256; i++) {
            LEVEL[i] = i;
        }
    }

    /** OpenCV's {@code saturate_cast<uchar>(float)}: round half to even, clamp to 0..255. */
    private static byte toByte(float v) {
        int r = (int) Math.rint(v);
        return (byte) (r < 0 ? 0 : r > 255 ? 255 : r);
    }

    @Override
    public String toString() {
        return "AreaResize(" + srcHeight + "x" + srcWidth + " -> " + dstHeight + "x" + dstWidth + ")";
    }
}
