package org.eprop.learning.tensor;

import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
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
        private int rows;
        private int cols;

        private Resident() {
        }

        /** Copies a block in; this matrix becomes {@code block.rows() x block.cols()}. */
        public Resident load(Block block) {
            RealArray src = block.data();
            if (src.precision() != precision) {
                throw new IllegalArgumentException("operand is " + src.precision() + ", this Dense is " + precision);
            }
            reshape(block.rows(), block.cols());
            INDArray target = flat;
            int offset = block.firstRow() * block.cols();
            int len = block.rows() * block.cols();
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

        void download(Block c) {
            INDArray result = flat;
            Nd4j.getAffinityManager().ensureLocation(result, AffinityManager.Location.HOST);
            int offset = c.firstRow() * c.cols();
            int len = c.rows() * c.cols();
            if (c.data() instanceof RealArray.F32 f) {
                FloatBuffer nio = result.data().asNioFloat();
                nio.position(0);
                nio.get(f.data, offset, len);
            } else {
                DoubleBuffer nio = result.data().asNioDouble();
                nio.position(0);
                nio.get(((RealArray.F64) c.data()).data, offset, len);
            }
        }
    }

    private final Precision precision;
    private final Resident scratchA;
    private final Resident scratchB;
    private final Resident result;

    public Dense(Precision precision) {
        Nd4jBackend.describeOnce();
        this.precision = precision;
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
        int aCols = a.matrix().cols();
        int bCols = b.matrix().cols();
        int m = transA ? aCols : a.count();
        int k = transA ? a.count() : aCols;
        int kb = transB ? bCols : b.count();
        int n = transB ? b.count() : bCols;
        if (k != kb || c.rows() != m || c.cols() != n) {
            throw new IllegalArgumentException("gemm shapes: op(A) " + m + "x" + k + ", op(B) " + kb + "x" + n
                    + ", C " + c.rows() + "x" + c.cols());
        }
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            for (int i = 0; i < m * n; i++) {
                c.data().set(c.firstRow() * n + i, 0);
            }
            return;
        }
        result.reshape(m, n);
        INDArray nc = result.view(0, m);
        Nd4j.gemm(a.matrix().view(a.first(), a.count()), b.matrix().view(b.first(), b.count()), nc, transA, transB,
                1.0, 0.0);
        result.download(c);
    }
}
