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
        } else {
            xTable = table(srcWidth, dstWidth, channels, scaleX);
            yTable = table(srcHeight, dstHeight, 1, scaleY);
            row = new float[dstWidth * channels];
            acc = new float[dstWidth * channels];
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
        int[] xd = xTable.target();
        float[] xw = xTable.weight();
        int nx = xTable.size();
        int current = yTable.target()[0];
        java.util.Arrays.fill(acc, 0f);
        for (int j = 0; j < yTable.size(); j++) {
            int dy = yTable.target()[j];
            float beta = yTable.weight()[j];
            int base = yTable.source()[j] * srcRow;
            java.util.Arrays.fill(row, 0f);
            for (int k = 0; k < nx; k++) {
                int s = base + xs[k];
                int d = xd[k];
                float alpha = xw[k];
                for (int c = 0; c < channels; c++) {
                    row[d + c] += (src[s + c] & 0xFF) * alpha;
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

    /** OpenCV's {@code saturate_cast<uchar>(float)}: round half to even, clamp to 0..255. */
    private static byte toByte(float v) {
        int r = (int) Math.rint(v);
        return (byte) Math.max(0, Math.min(255, r));
    }

    @Override
    public String toString() {
        return "AreaResize(" + srcHeight + "x" + srcWidth + " -> " + dstHeight + "x" + dstWidth + ")";
    }
}
