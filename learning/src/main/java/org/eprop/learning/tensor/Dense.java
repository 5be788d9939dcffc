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
 * <p>Only the products over whole sequences go through here: input projections, readouts,
 * learning signals and weight gradients, i.e. matrices with batch x time rows. The per-time-step
 * neuron update stays in plain Java loops, where a library call would cost more in dispatch than
 * the work itself. Each operand is copied into a pooled off-heap buffer that grows to the largest
 * size seen and is then reused, so repeated calls of the same shapes allocate no native memory.
 *
 * <p>Not thread-safe: use one instance per thread.
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

    private final Precision precision;
    private final INDArray[] pool = new INDArray[3];

    public Dense(Precision precision) {
        Nd4jBackend.describeOnce();
        this.precision = precision;
    }

    public Precision precision() {
        return precision;
    }

    /**
     * {@code C = op(A) op(B)} (overwriting C), where op transposes when asked.
     *
     * @throws IllegalArgumentException when the shapes do not match
     */
    public void gemm(Block a, boolean transA, Block b, boolean transB, Block c) {
        int m = transA ? a.cols() : a.rows();
        int k = transA ? a.rows() : a.cols();
        int kb = transB ? b.cols() : b.rows();
        int n = transB ? b.rows() : b.cols();
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
        INDArray na = upload(0, a);
        INDArray nb = upload(1, b);
        INDArray nc = view(2, c.rows(), c.cols());
        Nd4j.gemm(na, nb, nc, transA, transB, 1.0, 0.0);
        download(nc, c);
    }

    private INDArray view(int slot, int rows, int cols) {
        long need = (long) rows * cols;
        INDArray flat = pool[slot];
        if (flat == null || flat.length() < need) {
            flat = Nd4j.create(precision.nd4jType(), Math.max(need, flat == null ? 0 : flat.length() * 5 / 4));
            pool[slot] = flat;
        }
        return flat.get(NDArrayIndex.interval(0, need)).reshape('c', rows, cols);
    }

    private INDArray upload(int slot, Block block) {
        INDArray target = view(slot, block.rows(), block.cols());
        int offset = block.firstRow() * block.cols();
        int len = block.rows() * block.cols();
        RealArray src = block.data();
        if (src.precision() != precision) {
            throw new IllegalArgumentException("operand is " + src.precision() + ", this Dense is " + precision);
        }
        AffinityManager affinity = Nd4j.getAffinityManager();
        affinity.ensureLocation(target, AffinityManager.Location.HOST);
        if (src instanceof RealArray.F32 f) {
            FloatBuffer nio = target.data().asNioFloat();
            nio.position((int) target.offset());
            nio.put(f.data, offset, len);
        } else {
            DoubleBuffer nio = target.data().asNioDouble();
            nio.position((int) target.offset());
            nio.put(((RealArray.F64) src).data, offset, len);
        }
        affinity.tagLocation(target, AffinityManager.Location.HOST);
        return target;
    }

    private void download(INDArray result, Block c) {
        Nd4j.getAffinityManager().ensureLocation(result, AffinityManager.Location.HOST);
        int offset = c.firstRow() * c.cols();
        int len = c.rows() * c.cols();
        if (c.data() instanceof RealArray.F32 f) {
            FloatBuffer nio = result.data().asNioFloat();
            nio.position((int) result.offset());
            nio.get(f.data, offset, len);
        } else {
            DoubleBuffer nio = result.data().asNioDouble();
            nio.position((int) result.offset());
            nio.get(((RealArray.F64) c.data()).data, offset, len);
        }
    }
}
