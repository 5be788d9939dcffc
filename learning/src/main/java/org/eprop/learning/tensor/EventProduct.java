package org.eprop.learning.tensor;

/**
 * The weight-gradient product {@code G = X^T H} in its event-driven form, for a presynaptic matrix
 * X (time x batch rows, one column per presynaptic unit) that is mostly zeros, as spikes and
 * Poisson inputs are: row i of the gradient is the sum, over the rows r where unit i was active,
 * of {@code X[r, i] H[r, :]} (docs/fast-eprop.md, "the gradient as a sum over presynaptic spikes of
 * rows of the backward-filtered learning signal"). At 1 % density that is about a hundredth of the
 * dense product's multiply-adds; at 400 neurons, batch 64 and 2,250 steps the dense
 * {@code Z^T H} alone is 46 GFLOP.
 *
 * <p>{@link #multiply} first lists the nonzeros of X row by row, and gives up (returning false, so
 * that the caller runs the dense product) as soon as they pass {@link #maxDensity} of the matrix:
 * the choice is made on the measured density of each product, and a dense input (real-valued
 * features) costs only the scan of its first few percent. The sum then runs over the rows of H in
 * ascending order, so that each row is read from memory once and added, while in cache, to the
 * gradient rows of that step's active units. The gradient's rows are split into blocks over
 * {@link BatchParallel}'s workers, the events sorted by block first (in row order within each);
 * every row of the result is summed in ascending r whatever the blocks, so the result does not
 * depend on the number of threads. It differs from the BLAS product by the order of summation only.
 *
 * <p>Workspaces grow to the largest product seen and are reused. Not thread-safe.
 */
public final class EventProduct {
    /**
     * The largest fraction of nonzeros at which the event-driven form runs, for rows of H of
     * {@code n} values: 5 % at 100, rising to 15 % from 300 on. Measured on a 2-core VM (AVX-512,
     * OpenBLAS SkylakeX kernels, one thread), X^T H with 144,000 rows: the event-driven sum took as
     * long as the BLAS product at about 5 % nonzeros for n = 100 (64 ms) and at about 15 % for
     * n = 400 (1.0 s) and n = 800 (3.0 s); its cost grows with the events times n, the product's
     * with rows times m times n.
     */
    public static double maxDensity(int n) {
        return 0.05 * Math.min(3.0, Math.max(1.0, n / 100.0));
    }

    /** Events of row r: {@code col[rowStart[r] .. rowStart[r+1])}, with their values. */
    private int[] rowStart = new int[1];
    private int[] col = new int[0];
    private float[] value32 = new float[0];
    private double[] value64 = new double[0];
    /**
     * What the lists hold, kept between calls until {@link #forget}: a later product over the same
     * block, or over its first rows (the recurrent gradient pairs z(t-1) with a(t), so it reads all
     * of Z's rows but the last step's), reuses them instead of scanning X again. Null: nothing.
     */
    private RealArray listed;
    private int listedFirst;
    private int listedRows;
    private int listedM;

    /**
     * Forgets the listed nonzeros. The caller says when X's contents may have changed (a new
     * trajectory in the same arrays); until then products over the same block share one scan.
     */
    public void forget() {
        listed = null;
    }

    /**
     * {@code out[i*n + j] = sum_r x[(xFirst + r)*m + i] * h[(hFirst + r)*n + j]}, r in [0, rows), when
     * X's block has at most {@link #maxDensity}{@code (n)} nonzeros; otherwise nothing is written.
     *
     * @return whether the product was computed
     */
    public boolean multiply(RealArray x, int xFirst, int rows, int m, RealArray h, int hFirst, int n, RealArray out) {
        if (x.precision() != h.precision() || h.precision() != out.precision()) {
            throw new IllegalArgumentException("operands in " + x.precision() + ", " + h.precision() + " and "
                    + out.precision());
        }
        if (!holds(x, xFirst, rows, m)) {
            listed = null;
            if (clearlyDense(x, xFirst, rows, m, MAX_LISTED) || !index(x, xFirst, rows, m, MAX_LISTED)) {
                return false;
            }
            listed = x;
            listedFirst = xFirst;
            listedRows = rows;
            listedM = m;
        }
        if (rowStart[rows] > (long) (maxDensity(n) * rows * m)) {
            return false; // denser than pays for rows of n: the BLAS product
        }
        final int[] rowStart = this.rowStart;
        final int[] col = this.col;
        final long events = rowStart[rows];
        // Blocks of gradient rows, each walking its own events (sorted out by block first): one per
        // worker, and none smaller than a few million multiply-adds. Each block reads the rows of H
        // that have events in its columns, nearly all of them at a few events per row, so that every
        // block streams H once more: at the Fig. 3 sizes (H 58 MB) eight blocks on two threads took
        // BPTT's weight gradients 13.7-13.9 ms, two 9.8 ms. The result is the same for any number of
        // blocks.
        final int threads = BatchParallel.threads();
        final int blocks = (int) Math.max(1, Math.min(m, Math.min(threads, events * n / 2_000_000)));
        if (blocks > 1) {
            bucket(rows, m, blocks);
        }
        final int[] blockStart = this.blockStart;
        final int[] eventRow = this.eventRow;
        final int[] eventIndex = this.eventIndex;
        if (x instanceof RealArray.F32) {
            final float[] hd = ((RealArray.F32) h).data();
            final float[] od = ((RealArray.F32) out).data();
            final float[] val = value32;
            BatchParallel.forEachSlice(blocks, events * n / blocks, (from, to) -> {
                for (int q = from; q < to; q++) {
                    int lo = (int) ((long) m * q / blocks);
                    int hi = (int) ((long) m * (q + 1) / blocks);
                    java.util.Arrays.fill(od, lo * n, hi * n, 0f);
                    if (blocks == 1) {
                        for (int r = 0; r < rows; r++) {
                            int hOff = (hFirst + r) * n;
                            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                                RowKernels.addScaled(od, col[e] * n, val[e], hd, hOff, n);
                            }
                        }
                    } else {
                        for (int f = blockStart[q]; f < blockStart[q + 1]; f++) {
                            int e = eventIndex[f];
                            RowKernels.addScaled(od, col[e] * n, val[e], hd, (hFirst + eventRow[f]) * n, n);
                        }
                    }
                }
            });
        } else {
            final double[] hd = ((RealArray.F64) h).data();
            final double[] od = ((RealArray.F64) out).data();
            final double[] val = value64;
            BatchParallel.forEachSlice(blocks, events * n / blocks, (from, to) -> {
                for (int q = from; q < to; q++) {
                    int lo = (int) ((long) m * q / blocks);
                    int hi = (int) ((long) m * (q + 1) / blocks);
                    java.util.Arrays.fill(od, lo * n, hi * n, 0.0);
                    if (blocks == 1) {
                        for (int r = 0; r < rows; r++) {
                            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                                addScaled(od, col[e] * n, val[e], hd, (hFirst + r) * n, n);
                            }
                        }
                    } else {
                        for (int f = blockStart[q]; f < blockStart[q + 1]; f++) {
                            int e = eventIndex[f];
                            addScaled(od, col[e] * n, val[e], hd, (hFirst + eventRow[f]) * n, n);
                        }
                    }
                }
            });
        }
        return true;
    }

    /**
     * Lists the nonzeros of X's block {@code [xFirst, xFirst + rows)} for the products that follow
     * (as {@link #multiply} would list them), unless the block is denser than {@link #maxDensity}
     * {@code (n)}: then nothing is listed and false returned. The forward pass lists its input this
     * way once, sums the input currents from the list and leaves it to the weight gradient.
     */
    public boolean list(RealArray x, int xFirst, int rows, int m, int n) {
        listed = null;
        if (clearlyDense(x, xFirst, rows, m, n) || !index(x, xFirst, rows, m, n)) {
            return false;
        }
        listed = x;
        listedFirst = xFirst;
        listedRows = rows;
        listedM = m;
        return true;
    }

    /**
     * Takes X's nonzeros from lists made elsewhere instead of scanning X: row r's nonzeros are at
     * the columns {@code lists[starts[r] .. starts[r] + counts[r])}, in ascending order, with the
     * value 1 (the forward pass lists each step's spikes as it makes them). The caller vouches that
     * they are X's nonzeros; a product then reads them as if {@link #list} had found them.
     */
    public void listFrom(RealArray x, int xFirst, int rows, int m, int[] lists, int[] starts, int[] counts) {
        listed = null;
        if (rowStart.length < rows + 1) {
            rowStart = new int[rows + 1];
        }
        long total = 0;
        for (int r = 0; r < rows; r++) {
            total += counts[xFirst + r];
        }
        boolean f32 = x instanceof RealArray.F32;
        if (Math.min(col.length, f32 ? value32.length : value64.length) < total) {
            grow(total, Integer.MAX_VALUE, f32);
        }
        int nnz = 0;
        for (int r = 0; r < rows; r++) {
            rowStart[r] = nnz;
            int c = counts[xFirst + r];
            System.arraycopy(lists, starts[xFirst + r], col, nnz, c);
            nnz += c;
        }
        rowStart[rows] = nnz;
        if (f32) {
            java.util.Arrays.fill(value32, 0, nnz, 1f);
        } else {
            java.util.Arrays.fill(value64, 0, nnz, 1.0);
        }
        listed = x;
        listedFirst = xFirst;
        listedRows = rows;
        listedM = m;
    }

    /** Whether the lists hold X's block {@code [xFirst, xFirst + rows)} of width m (or a longer one from the same row). */
    public boolean holds(RealArray x, int xFirst, int rows, int m) {
        return x == listed && xFirst == listedFirst && m == listedM && rows <= listedRows;
    }

    /** Start of each listed row's events in {@link #columns()}, row r of the listed block at index r; valid after a listing. */
    public int[] rowStarts() {
        return rowStart;
    }

    /** The listed events' columns. */
    public int[] columns() {
        return col;
    }

    /** The listed events' values, for a float32 X. */
    public float[] values32() {
        return value32;
    }

    /** The events sorted by block of gradient rows, see {@link #bucket}. */
    private int[] blockStart = new int[1];
    private int[] eventRow = new int[0];
    private int[] eventIndex = new int[0];
    private int[] blockOfColumn = new int[0];
    private int[] rowCursor = new int[0];

    /**
     * Sorts the events by the block of gradient rows that their column falls in (block q holds
     * columns {@code [m q / blocks, m (q+1) / blocks)}), each block's events kept in ascending row
     * order: {@code eventIndex[blockStart[q] ..]} with their rows in {@code eventRow}. A worker then
     * walks only its own block's events, instead of every block walking all of them.
     */
    private void bucket(int rows, int m, int blocks) {
        int events = rowStart[rows];
        if (eventRow.length < events) {
            int size = (int) Math.min(Integer.MAX_VALUE - 8, events + (long) events / 2 + 1024);
            eventRow = new int[size];
            eventIndex = new int[size];
        }
        if (blockStart.length < blocks + 1) {
            blockStart = new int[blocks + 1];
            rowCursor = new int[blocks + 1];
        }
        if (blockOfColumn.length < m) {
            blockOfColumn = new int[m];
        }
        for (int q = 0; q < blocks; q++) {
            for (int i = (int) ((long) m * q / blocks); i < (int) ((long) m * (q + 1) / blocks); i++) {
                blockOfColumn[i] = q;
            }
        }
        java.util.Arrays.fill(blockStart, 0, blocks + 1, 0);
        for (int e = 0; e < events; e++) {
            blockStart[blockOfColumn[col[e]] + 1]++;
        }
        for (int q = 0; q < blocks; q++) {
            blockStart[q + 1] += blockStart[q];
        }
        System.arraycopy(blockStart, 0, rowCursor, 0, blocks);
        for (int r = 0; r < rows; r++) {
            for (int e = rowStart[r]; e < rowStart[r + 1]; e++) {
                int f = rowCursor[blockOfColumn[col[e]]]++;
                eventRow[f] = r;
                eventIndex[f] = e;
            }
        }
    }

    /** {@code od[o + j] += v * hd[hOff + j]} for j in [0, n), in double. */
    private static void addScaled(double[] od, int o, double v, double[] hd, int hOff, int n) {
        for (int j = 0; j < n; j++) {
            od[o + j] += v * hd[hOff + j];
        }
    }

    /** Rows of this length or longer: the densest listing that can pay for any product. */
    private static final int MAX_LISTED = 300;

    /** Every how many rows {@link #clearlyDense} counts one, at least. */
    static final int SAMPLE_STRIDE = 32;
    /** The most rows {@link #clearlyDense} counts (about): more rows are sampled further apart. */
    static final int MOST_SAMPLED = 256;

    /**
     * Whether every {@link #SAMPLE_STRIDE}-th row of X's block (every {@code rows / MOST_SAMPLED}-th
     * of a longer block), counted without listing, already has more than twice
     * {@code maxDensity(n)} nonzeros: then the product is left to BLAS without the listing pass,
     * which at the Atari agent's input density (conv2's spikes, about 0.4) lists 5.5 million events
     * before it gives up (about 0.1 s per unroll). Only the choice of method depends on it (both are
     * the exact product), and it depends on X's values alone. (Every 32nd of a Fig. 3 batch's
     * 144,000 rows took 0.15 ms of the calling thread.)
     */
    static boolean clearlyDense(RealArray x, int xFirst, int rows, int m, int n) {
        final int stride = Math.max(SAMPLE_STRIDE, rows / MOST_SAMPLED);
        int sampled = (rows + stride - 1) / stride;
        if (sampled < 16) {
            return false; // too few rows to judge: the listing decides
        }
        long nnz = 0;
        if (x instanceof RealArray.F32 xf) {
            float[] d = xf.data();
            for (int r = 0; r < rows; r += stride) {
                int o = (xFirst + r) * m;
                for (int i = 0; i < m; i++) {
                    nnz += d[o + i] != 0f ? 1 : 0;
                }
            }
        } else {
            double[] d = ((RealArray.F64) x).data();
            for (int r = 0; r < rows; r += stride) {
                int o = (xFirst + r) * m;
                for (int i = 0; i < m; i++) {
                    nnz += d[o + i] != 0.0 ? 1 : 0;
                }
            }
        }
        return nnz > 2 * maxDensity(n) * sampled * m;
    }

    /** Lists X's nonzeros row by row; false as soon as there are more than {@code maxDensity(n)}. */
    private boolean index(RealArray x, int xFirst, int rows, int m, int n) {
        long limit = (long) (maxDensity(n) * rows * m);
        if (rowStart.length < rows + 1) {
            rowStart = new int[rows + 1];
        }
        // The lists grow as they fill (to the limit at most): sparse activity keeps them small.
        int base = xFirst * m;
        int nnz = 0;
        if (x instanceof RealArray.F32 xf && BatchParallel.threads() > 1 && (long) rows * m >= PARALLEL_LISTING) {
            return indexInBlocks(xf.data(), base, rows, m, limit);
        }
        if (x instanceof RealArray.F32 xf) {
            float[] d = xf.data();
            for (int r = 0; r < rows; r++) {
                rowStart[r] = nnz;
                if (Math.min(col.length, value32.length) - nnz < m) {
                    grow(nnz + m, limit + m, true);
                }
                nnz = nonzerosSkipping(d, base + r * m, m, col, value32, nnz);
                if (nnz > limit) {
                    return false;
                }
            }
        } else {
            double[] d = ((RealArray.F64) x).data();
            for (int r = 0; r < rows; r++) {
                rowStart[r] = nnz;
                if (Math.min(col.length, value64.length) - nnz < m) {
                    grow(nnz + m, limit + m, false);
                }
                int o = base + r * m;
                for (int i = 0; i < m; i++) {
                    if (d[o + i] != 0.0) {
                        col[nnz] = i;
                        value64[nnz++] = d[o + i];
                    }
                }
                if (nnz > limit) {
                    return false;
                }
            }
        }
        rowStart[rows] = nnz;
        return true;
    }

    /** Matrices of at least this many elements are listed in blocks of rows over the workers. */
    static final long PARALLEL_LISTING = 1L << 20;

    /** Per block of rows: its events (columns, values) and how many, or -1 past the limit. */
    private int[][] blockColumns = new int[0][];
    private float[][] blockValues = new float[0][];
    private int[] blockCounts = new int[0];

    /**
     * {@link #index} of a float32 block over the workers: each block of rows lists its nonzeros into
     * lists of its own (row starts relative to the block), which are then laid end to end in row
     * order; the same lists as the serial pass, which the tests compare.
     */
    private boolean indexInBlocks(float[] d, int base, int rows, int m, long limit) {
        final int blocks = Math.min(rows, 4 * BatchParallel.threads());
        if (blockColumns.length < blocks) {
            blockColumns = java.util.Arrays.copyOf(blockColumns, blocks);
            blockValues = java.util.Arrays.copyOf(blockValues, blocks);
            blockCounts = new int[blocks];
            for (int q = 0; q < blocks; q++) {
                if (blockColumns[q] == null) {
                    blockColumns[q] = new int[0];
                    blockValues[q] = new float[0];
                }
            }
        }
        final int[] starts = rowStart;
        BatchParallel.forEachSlice(blocks, (long) rows / blocks * m, (from, to) -> {
            for (int q = from; q < to; q++) {
                int r0 = (int) ((long) rows * q / blocks);
                int r1 = (int) ((long) rows * (q + 1) / blocks);
                int[] c = blockColumns[q];
                float[] v = blockValues[q];
                int k = 0;
                for (int r = r0; r < r1; r++) {
                    starts[r] = k;
                    if (c.length - k < m) {
                        int size = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(k + m, k + (long) k / 2 + 1024));
                        c = blockColumns[q] = java.util.Arrays.copyOf(c, size);
                        v = blockValues[q] = java.util.Arrays.copyOf(v, size);
                    }
                    k = nonzerosSkipping(d, base + r * m, m, c, v, k);
                    if (k > limit) {
                        k = -1;
                        break;
                    }
                }
                blockCounts[q] = k;
            }
        });
        long total = 0;
        for (int q = 0; q < blocks; q++) {
            if (blockCounts[q] < 0) {
                return false;
            }
            total += blockCounts[q];
        }
        if (total > limit) {
            return false;
        }
        if (Math.min(col.length, value32.length) < total) {
            grow(total, Integer.MAX_VALUE, true);
        }
        int offset = 0;
        for (int q = 0; q < blocks; q++) {
            int r0 = (int) ((long) rows * q / blocks);
            int r1 = (int) ((long) rows * (q + 1) / blocks);
            System.arraycopy(blockColumns[q], 0, col, offset, blockCounts[q]);
            System.arraycopy(blockValues[q], 0, value32, offset, blockCounts[q]);
            for (int r = r0; r < r1; r++) {
                starts[r] += offset;
            }
            offset += blockCounts[q];
        }
        starts[rows] = offset;
        return true;
    }

    /** Room for at least {@code need} events (half as much again, up to {@code most}), the lists kept. */
    private void grow(long need, long most, boolean f32) {
        int size = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(need, Math.min(most, need + need / 2 + 1024)));
        col = java.util.Arrays.copyOf(col, size);
        if (f32) {
            value32 = java.util.Arrays.copyOf(value32, size);
        } else {
            value64 = java.util.Arrays.copyOf(value64, size);
        }
    }

    /**
     * Appends the nonzeros of {@code d[o + from .. o + to)} (column index, value) at {@code nnz} and
     * returns the new count; stops at {@code capacity}.
     */
    static int nonzeros(float[] d, int o, int from, int to, int[] col, float[] val, int nnz, int capacity) {
        for (int i = from; i < to && nnz < capacity; i++) {
            float v = d[o + i];
            if (v != 0f) {
                col[nnz] = i;
                val[nnz++] = v;
            }
        }
        return nnz;
    }

    /**
     * {@link #nonzeros} over a whole row of m, skipping groups of 8 zeros with one test: the bits of
     * the group, sign bits masked off (-0 is a zero), or-ed together. Most groups of a sparse row are
     * all zero, and the test has no branch per element. (Plain Java: the vector API's version
     * allocates until the JIT compiles it, and this runs in every learner step.)
     */
    static int nonzerosSkipping(float[] d, int o, int m, int[] col, float[] val, int nnz) {
        int i = 0;
        for (; i + 8 <= m; i += 8) {
            int p = o + i;
            int any = Float.floatToRawIntBits(d[p]) | Float.floatToRawIntBits(d[p + 1])
                    | Float.floatToRawIntBits(d[p + 2]) | Float.floatToRawIntBits(d[p + 3])
                    | Float.floatToRawIntBits(d[p + 4]) | Float.floatToRawIntBits(d[p + 5])
                    | Float.floatToRawIntBits(d[p + 6]) | Float.floatToRawIntBits(d[p + 7]);
            if ((any & 0x7fffffff) != 0) {
                nnz = nonzeros(d, o, i, i + 8, col, val, nnz, Integer.MAX_VALUE);
            }
        }
        return nonzeros(d, o, i, m, col, val, nnz, Integer.MAX_VALUE);
    }
}
