package org.eprop.learning.tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import org.bytedeco.javacpp.DoublePointer;
import org.bytedeco.javacpp.FloatPointer;
import org.bytedeco.openblas.global.openblas;
import org.nd4j.linalg.api.concurrency.AffinityManager;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;

/**
 * Dense matrix products through ND4J (BLAS on the CPU backend, cuBLAS under the {@code cuda}
 * profile) on {@link RealArray}s.
 *
 * <p>Only products over whole sequences go through here: input projections, readouts, learning
 * signals and weight gradients, matrices with (time x batch) rows. The per-time-step neuron update
 * stays in plain Java loops, where a library call would cost more in dispatch than the work.
 *
 * <p>Operands live in {@link Resident} buffers in ND4J memory: a matrix that several products use
 * (the inputs, the spikes, the adjoints) is copied there once. Buffers grow to the largest size
 * seen and are then reused, so repeated products of the same shapes allocate no native memory.
 *
 * <p>On the CPU backend the products call OpenBLAS's {@code cblas_?gemm} directly on the resident
 * buffers, through pointers kept with them: the same BLAS kernel that ND4J's {@code Mmul} op ends
 * in, without the op's per-call Java objects (views, shape descriptors, the op context: about 17 KB
 * per product, measured), which the actors' per-step products would otherwise allocate. Loads and
 * downloads copy through the same pointers instead of NIO views; a product cut into panels runs a
 * kept loop over them ({@link BatchParallel.Loop}) whose panels aim kept pointers at the operands
 * (a new pointer per panel and a task tree per product were about 1.7 KB per product of the Atari
 * actor, measured). So a product allocates nothing on the Java heap itself (what the fork-join pool
 * allocates when the caller waits on a join aside). On the GPU backend products go through ND4J ({@code Nd4j.gemm}, cuBLAS).
 * Not thread-safe: use one instance per thread.
 */
public final class Dense {

    /** A block of consecutive rows of a row-major matrix stored in a flat array. */
    public record Block(RealArray data, int firstRow, int rows, int cols) {
        public Block {
            if (firstRow < 0 || rows < 0 || cols <= 0 || (long) (firstRow + rows) * cols > data.length()) {
                throw new IllegalArgumentException("block rows [" + firstRow + ", " + (firstRow + rows)
                        + ") x " + cols + " columns does not fit an array of " + data.length());
            }
        }

        /** The whole array seen as a {@code rows x cols} matrix. */
        public static Block of(RealArray data, int rows, int cols) {
            if ((long) rows * cols != data.length()) {
                throw new IllegalArgumentException(rows + " x " + cols + " != length " + data.length());
            }
            return new Block(data, 0, rows, cols);
        }
    }

    /** Rows {@code [first, first+count)} of a resident matrix, as a product operand. */
    public record Operand(Resident matrix, int first, int count) {
    }

    /** A row-major matrix held in ND4J memory (off-heap, or on the GPU). */
    public final class Resident {
        private INDArray flat;
        /** CPU backend: {@code flat}'s memory, for BLAS and copies (its position is set per use). */
        private FloatPointer floats;
        private DoublePointer doubles;
        private int rows;
        private int cols;

        private Resident() {
        }

        /** Copies a block in; this matrix becomes {@code block.rows() x block.cols()}. */
        public Resident load(Block block) {
            return load(block.data(), block.firstRow(), block.rows(), block.cols());
        }

        /** {@link #load(Block)} of the block {@code src[firstRow .. firstRow+rows) x cols}, as checked there. */
        private Resident load(RealArray src, int firstRow, int rows, int cols) {
            if (src.precision() != precision) {
                throw new IllegalArgumentException("operand is " + src.precision() + ", this Dense is " + precision);
            }
            reshape(rows, cols);
            INDArray target = flat;
            int offset = firstRow * cols;
            int len = rows * cols;
            if (cpu) {
                if (src instanceof RealArray.F32 f) {
                    floats.position(0).put(f.data, offset, len);
                } else {
                    doubles.position(0).put(((RealArray.F64) src).data, offset, len);
                }
                return this;
            }
            AffinityManager affinity = Nd4j.getAffinityManager();
            affinity.ensureLocation(target, AffinityManager.Location.HOST);
            if (src instanceof RealArray.F32 f) {
                FloatBuffer nio = target.data().asNioFloat();
                nio.position(0);
                nio.put(f.data, offset, len);
            } else {
                DoubleBuffer nio = target.data().asNioDouble();
                nio.position(0);
                nio.put(((RealArray.F64) src).data, offset, len);
            }
            affinity.tagLocation(target, AffinityManager.Location.HOST);
            return this;
        }

        private void reshape(int r, int c) {
            long need = (long) r * c;
            if (flat == null || flat.length() < need) {
                flat = Nd4j.create(precision.nd4jType(), Math.max(need, flat == null ? 0 : flat.length() * 5 / 4));
                if (cpu) {
                    // a fresh array: its buffer starts at offset 0 of this pointer
                    if (precision == Precision.FLOAT32) {
                        floats = new FloatPointer(flat.data().addressPointer());
                    } else {
                        doubles = new DoublePointer(flat.data().addressPointer());
                    }
                }
            }
            rows = r;
            cols = c;
        }

        public int rows() {
            return rows;
        }

        public int cols() {
            return cols;
        }

        /** All rows. */
        public Operand all() {
            return new Operand(this, 0, rows);
        }

        /** Rows {@code [first, first+count)}. */
        public Operand rows(int first, int count) {
            if (first < 0 || count < 0 || first + count > rows) {
                throw new IllegalArgumentException("rows [" + first + ", " + (first + count) + ") of a " + rows
                        + "-row matrix");
            }
            return new Operand(this, first, count);
        }

        INDArray view(int first, int count) {
            long from = (long) first * cols;
            return flat.get(NDArrayIndex.interval(from, from + (long) count * cols)).reshape('c', count, cols);
        }

        /** Copies this {@code rows x cols} matrix out to rows {@code [firstRow, firstRow+rows)} of {@code c}. */
        void download(RealArray c, int firstRow) {
            int offset = firstRow * cols;
            int len = rows * cols;
            if (cpu) {
                if (c instanceof RealArray.F32 f) {
                    floats.position(0).get(f.data, offset, len);
                } else {
                    doubles.position(0).get(((RealArray.F64) c).data, offset, len);
                }
                return;
            }
            INDArray result = flat;
            Nd4j.getAffinityManager().ensureLocation(result, AffinityManager.Location.HOST);
            if (c instanceof RealArray.F32 f) {
                FloatBuffer nio = result.data().asNioFloat();
                nio.position(0);
                nio.get(f.data, offset, len);
            } else {
                DoubleBuffer nio = result.data().asNioDouble();
                nio.position(0);
                nio.get(((RealArray.F64) c).data, offset, len);
            }
        }
    }

    private final Precision precision;
    /** Whether ND4J runs on the CPU backend, where products go to OpenBLAS directly. */
    private final boolean cpu;
    private final Resident scratchA;
    private final Resident scratchB;
    private final Resident result;

    public Dense(Precision precision) {
        Nd4jBackend.describeOnce();
        this.precision = precision;
        this.cpu = Nd4jBackend.isCpu();
        if (cpu) {
            BlasThreads.single();
        }
        for (int p = 0; p < MAX_PANELS; p++) {
            if (precision == Precision.FLOAT32) {
                floatViews[p] = new FloatView[] {new FloatView(), new FloatView(), new FloatView()};
            } else {
                doubleViews[p] = new DoubleView[] {new DoubleView(), new DoubleView(), new DoubleView()};
            }
        }
        this.scratchA = new Resident();
        this.scratchB = new Resident();
        this.result = new Resident();
    }

    public Precision precision() {
        return precision;
    }

    /** A new resident matrix (empty until {@link Resident#load}). */
    public Resident resident() {
        return new Resident();
    }

    /** {@code C = op(A) op(B)} for blocks of Java arrays (both copied in), overwriting C. */
    public void gemm(Block a, boolean transA, Block b, boolean transB, Block c) {
        gemm(scratchA.load(a).all(), transA, scratchB.load(b).all(), transB, c);
    }

    /** {@code C = op(A) op(B)} for a resident A and a block B (copied in). */
    public void gemm(Operand a, boolean transA, Block b, boolean transB, Block c) {
        gemm(a, transA, scratchB.load(b).all(), transB, c);
    }

    /** {@code C = op(A) op(B)} for a block A (copied in) and a resident B. */
    public void gemm(Block a, boolean transA, Operand b, boolean transB, Block c) {
        gemm(scratchA.load(a).all(), transA, b, transB, c);
    }

    /**
     * {@code C = op(A) op(B)} (overwriting C), where op transposes when asked.
     *
     * @throws IllegalArgumentException when the shapes do not match
     */
    public void gemm(Operand a, boolean transA, Operand b, boolean transB, Block c) {
        product(a.matrix(), a.first(), a.count(), transA, b.matrix(), b.first(), b.count(), transB, c.data(),
                c.firstRow(), c.rows(), c.cols());
    }

    /**
     * {@code C[first .. first+rows) = A[first .. first+rows) B}: rows of a Java array (copied in)
     * times a whole resident matrix, into the same rows of another array; A has {@code b.rows()}
     * columns and C {@code b.cols()}. The form of the actors' per-step products, which it serves
     * without the operand records of the other forms (so a call allocates nothing).
     */
    public void multiplyRows(RealArray a, int first, int rows, Resident b, RealArray c) {
        int k = b.rows();
        int n = b.cols();
        if (first < 0 || rows < 0 || (long) (first + rows) * k > a.length() || (long) (first + rows) * n > c.length()) {
            throw new IllegalArgumentException("rows [" + first + ", " + (first + rows) + ") do not fit A (" + a.length()
                    + " values, " + k + " columns) or C (" + c.length() + " values, " + n + " columns)");
        }
        if (rows == 0) {
            return;
        }
        if (k == 0) {
            product(null, 0, rows, false, b, 0, 0, false, c, first, rows, n);
            return;
        }
        scratchA.load(a, first, rows, k);
        product(scratchA, 0, rows, false, b, 0, k, false, c, first, rows, n);
    }

    /** {@code C[cFirst .. cFirst+m) = op(A rows) op(B rows)}, shapes checked here. */
    private void product(Resident ra, int aFirst, int aCount, boolean transA, Resident rb, int bFirst, int bCount,
            boolean transB, RealArray c, int cFirst, int cRows, int cCols) {
        int aCols = ra == null ? 0 : ra.cols();
        int bCols = rb.cols();
        int m = transA ? aCols : aCount;
        int k = transA ? aCount : aCols;
        int kb = transB ? bCols : bCount;
        int n = transB ? bCount : bCols;
        if (k != kb || cRows != m || cCols != n) {
            throw new IllegalArgumentException("gemm shapes: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n
                    + ", C " + cRows + "x" + cCols);
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m * n; i++) {
                c.set(cFirst * n + i, 0);
            }
            return;
        }
        result.reshape(m, n);
        if (cpu) {
            blas(ra, aFirst, transA, rb, bFirst, transB, m, n, k);
            result.download(c, cFirst);
            return;
        }
        INDArray nc = result.view(0, m);
        Nd4j.gemm(ra.view(aFirst, aCount), rb.view(bFirst, bCount), nc, transA, transB, 1.0, 0.0);
        result.download(c, cFirst);
    }

    /**
     * {@code result = op(A) op(B)} by {@code cblas_?gemm} in row-major order: an operand's rows
     * {@code [first, first+count)} start at element {@code first * cols} of its buffer, and its
     * leading dimension is its stored column count whether or not it is transposed.
     *
     * <p>A large product is cut into panels of C along its longer side, and the panels run on
     * {@link BatchParallel}'s workers, each one single-threaded OpenBLAS call (see
     * {@link BlasThreads}). How a product is cut depends on its shape only, never on the number of
     * threads, so results do not depend on it. An element of C is the same dot product in a panel as
     * in the whole product, summed in the same order in float64; OpenBLAS's AVX2 sgemm orders a
     * panel's float32 sums differently, so there the cut product differs from an uncut one in the last
     * bits ({@code DenseTest}).
     */
    private void blas(Resident ra, int aFirst, boolean transA, Resident rb, int bFirst, boolean transB, int m, int n,
            int k) {
        long offA = (long) aFirst * ra.cols;
        long offB = (long) bFirst * rb.cols;
        int panels = cutProducts ? panels(m, n, k) : 1;
        if (panels < 2) {
            blasPanel(0, ra, offA, transA, rb, offB, transB, m, n, k, 0, 0, m, n);
            return;
        }
        // the product's arguments for the kept loop of this many panels (no capture, no task objects)
        pRa = ra;
        pRb = rb;
        pOffA = offA;
        pOffB = offB;
        pTransA = transA;
        pTransB = transB;
        pM = m;
        pN = n;
        pK = k;
        pPanels = panels;
        try {
            if (panelLoops[panels] == null) {
                panelLoops[panels] = new BatchParallel.Loop(this::panelRange);
            }
            panelLoops[panels].run(panels, PANEL_FLOPS);
        } finally {
            pRa = null;
            pRb = null;
        }
    }

    // The running cut product's arguments, read by the panels (set before the loop runs, which
    // publishes them to the workers).
    private Resident pRa;
    private Resident pRb;
    private long pOffA;
    private long pOffB;
    private boolean pTransA;
    private boolean pTransB;
    private int pM;
    private int pN;
    private int pK;
    private int pPanels;
    /** Per panel count, the loop over the panels, its tasks kept from product to product. */
    private final BatchParallel.Loop[] panelLoops = new BatchParallel.Loop[MAX_PANELS + 1];

    private void panelRange(int from, int to) {
        boolean byRows = pM >= pN;
        int side = byRows ? pM : pN;
        for (int p = from; p < to; p++) {
            int lo = panelStart(side, pPanels, p);
            int hi = panelStart(side, pPanels, p + 1);
            if (byRows) {
                blasPanel(p, pRa, pOffA, pTransA, pRb, pOffB, pTransB, pM, pN, pK, lo, 0, hi - lo, pN);
            } else {
                blasPanel(p, pRa, pOffA, pTransA, pRb, pOffB, pTransB, pM, pN, pK, 0, lo, pM, hi - lo);
            }
        }
    }

    /** Whether large products are cut into panels; off only in tests that compare with the whole product. */
    boolean cutProducts = true;

    /** Floating-point operations per panel of a cut product (a few milliseconds of one core). */
    private static final long PANEL_FLOPS = 40_000_000L;

    /**
     * Panel edges fall on multiples of this many rows or columns: OpenBLAS's kernels work on blocks
     * of 2 to 32 rows and columns and treat a remainder with other code, so an element of a panel
     * cut elsewhere can come out in a different last bit than in the whole product.
     */
    static final int PANEL_ALIGN = 64;

    /** The most panels a product is cut into. */
    static final int MAX_PANELS = 8;

    /** How many panels a product of this shape is cut into: by its work, at most {@link #MAX_PANELS}, all but the last {@link #PANEL_ALIGN} wide or wider. */
    static int panels(int m, int n, int k) {
        long flops = 2L * m * n * k;
        int bySize = (Math.max(m, n) + PANEL_ALIGN - 1) / PANEL_ALIGN;
        return (int) Math.max(1, Math.min(Math.min(MAX_PANELS, bySize), flops / PANEL_FLOPS));
    }

    /** Where panel p of {@code panels} starts along a side of {@code side}: an aligned edge, or the side's end. */
    static int panelStart(int side, int panels, int p) {
        int blocks = (side + PANEL_ALIGN - 1) / PANEL_ALIGN;
        return (int) Math.min(side, (long) blocks * p / panels * PANEL_ALIGN);
    }

    /**
     * Rows {@code [r0, r0+rows)} and columns {@code [c0, c0+cols)} of {@code result = op(A) op(B)}:
     * op(A)'s rows r0.. (A's columns when transposed) times op(B)'s columns c0.. (B's rows when
     * transposed), written into the same block of the m x n result.
     */
    private void blasPanel(int panel, Resident ra, long offA, boolean transA, Resident rb, long offB, boolean transB,
            int m, int n, int k, int r0, int c0, int rows, int cols) {
        int opA = transA ? openblas.CblasTrans : openblas.CblasNoTrans;
        int opB = transB ? openblas.CblasTrans : openblas.CblasNoTrans;
        long a = offA + (transA ? r0 : (long) r0 * ra.cols);
        long b = offB + (transB ? (long) c0 * rb.cols : c0);
        long c = (long) r0 * n + c0;
        // Each panel has pointers of its own (a pointer's position is its state, and panels run at
        // once on different workers), kept and re-aimed at the operands of each product.
        if (precision == Precision.FLOAT32) {
            FloatView[] v = floatViews[panel];
            openblas.cblas_sgemm(openblas.CblasRowMajor, opA, opB, rows, cols, k, 1f, v[0].at(ra.floats, a), ra.cols,
                    v[1].at(rb.floats, b), rb.cols, 0f, v[2].at(result.floats, c), n);
        } else {
            DoubleView[] v = doubleViews[panel];
            openblas.cblas_dgemm(openblas.CblasRowMajor, opA, opB, rows, cols, k, 1.0, v[0].at(ra.doubles, a), ra.cols,
                    v[1].at(rb.doubles, b), rb.cols, 0.0, v[2].at(result.doubles, c), n);
        }
    }

    /**
     * Per panel, views of A, B and C in this Dense's precision (a panel index is only ever used by one
     * worker at a time).
     */
    private final FloatView[][] floatViews = new FloatView[MAX_PANELS][];
    private final DoubleView[][] doubleViews = new DoubleView[MAX_PANELS][];

    /**
     * A pointer into another pointer's memory, re-aimed for every use: what {@code new
     * FloatPointer(base).position(element)} gives, without a new object per product. It owns no
     * memory (no deallocator); the base keeps the buffer alive.
     */
    private static final class FloatView extends FloatPointer {
        FloatView at(FloatPointer base, long element) {
            address = base.address();
            limit = base.limit();
            capacity = base.capacity();
            position = element;
            return this;
        }
    }

    /** {@link FloatView} for doubles. */
    private static final class DoubleView extends DoublePointer {
        DoubleView at(DoublePointer base, long element) {
            address = base.address();
            limit = base.limit();
            capacity = base.capacity();
            position = element;
            return this;
        }
    }
}
