package org.eprop.learning.tensor;

import org.nd4j.linalg.api.buffer.DataType;

/**
 * The floating-point precision a network and its gradients are computed in.
 *
 * <p>Training runs in {@link #FLOAT32}. {@link #FLOAT64} runs the very same code paths in double
 * precision so that the gradient methods can be compared with each other to machine precision.
 */
public enum Precision {
    FLOAT32(DataType.FLOAT),
    FLOAT64(DataType.DOUBLE);

    private final DataType nd4jType;

    Precision(DataType nd4jType) {
        this.nd4jType = nd4jType;
    }

    /** The ND4J data type used for the dense products in this precision. */
    public DataType nd4jType() {
        return nd4jType;
    }

    /**
     * {@code value} rounded to this precision (the identity for float64). Float32 subnormals are
     * flushed to zero: decaying recurrences pass through here, and subnormal arithmetic is slow.
     */
    public double round(double value) {
        if (this == FLOAT64) {
            return value;
        }
        // Branch-free flush: the mask is all ones unless the exponent field is zero (zero or subnormal).
        int bits = Float.floatToRawIntBits((float) value);
        int mask = ((bits & 0x7f800000) + 0x7fffffff) >> 31;
        return Float.intBitsToFloat(bits & mask);
    }

    /** A new zero-filled array of this precision. */
    public RealArray zeros(int length) {
        return this == FLOAT32 ? new RealArray.F32(new float[length]) : new RealArray.F64(new double[length]);
    }

    /** A new array of this precision holding {@code values} (rounded where this is float32). */
    public RealArray of(double... values) {
        RealArray a = zeros(values.length);
        for (int i = 0; i < values.length; i++) {
            a.set(i, values[i]);
        }
        return a;
    }
}
