package org.eprop.learning.conv;

/**
 * The shape of one VALID convolution with a square stride: input {@code [inHeight][inWidth][inChannels]},
 * kernel {@code [kernelHeight][kernelWidth][inChannels][outChannels]}, output
 * {@code [outHeight][outWidth][outChannels]} with {@code out = (in - kernel) / stride + 1} (no padding,
 * as {@code padding='VALID'} in the original code).
 */
public record ConvGeometry(int inHeight, int inWidth, int inChannels, int kernelHeight, int kernelWidth, int stride,
        int outChannels) {

    public ConvGeometry {
        if (inHeight <= 0 || inWidth <= 0 || inChannels <= 0 || kernelHeight <= 0 || kernelWidth <= 0 || stride <= 0
                || outChannels <= 0) {
            throw new IllegalArgumentException("convolution sizes must be positive: " + inHeight + "x" + inWidth + "x"
                    + inChannels + ", kernel " + kernelHeight + "x" + kernelWidth + ", stride " + stride + ", "
                    + outChannels + " filters");
        }
        if (kernelHeight > inHeight || kernelWidth > inWidth) {
            throw new IllegalArgumentException("kernel " + kernelHeight + "x" + kernelWidth + " does not fit the input "
                    + inHeight + "x" + inWidth);
        }
    }

    public int outHeight() {
        return (inHeight - kernelHeight) / stride + 1;
    }

    public int outWidth() {
        return (inWidth - kernelWidth) / stride + 1;
    }

    /** Values per batch row of the input. */
    public int inputSize() {
        return inHeight * inWidth * inChannels;
    }

    /** Units (values per batch row) of the output. */
    public int outputSize() {
        return outHeight() * outWidth() * outChannels;
    }

    /** Inputs seen by one output unit: {@code kh * kw * cin}, the fan-in of the initialisation. */
    public int fanIn() {
        return kernelHeight * kernelWidth * inChannels;
    }

    /** Number of kernel weights {@code kh * kw * cin * cout}. */
    public int weightCount() {
        return fanIn() * outChannels;
    }
}
