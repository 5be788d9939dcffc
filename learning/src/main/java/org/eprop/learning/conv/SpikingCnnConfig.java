package org.eprop.learning.conv;

/**
 * Sizes and constants of the spiking CNN front end. {@link #reference()} holds the original
 * code's flags (docs/model.md §3.3, §3.5): 84x84x1 frames, conv1 16 filters 8x8 stride 4
 * (20x20x16 units), conv2 8 filters 4x4 stride 1 (17x17x8 = 2312 units, the LSNN input), pooled
 * shortcuts 8/4 on conv1 (4x4x16 = 256) and 4/2 on conv2 (7x7x8 = 392), 5 network steps per agent
 * step, {@code voltage_cost_cnn} 0.5 and {@code reg_factor_cnn} 1e8. Output sizes are derived, never
 * stored.
 *
 * @param stepsPerAgentStep network steps per agent step; the frame's conv1 current is held for all of them
 * @param voltageCost       weight of the CNN voltage regulariser ({@code voltage_cost_cnn})
 * @param regFactor         the task gradient of the {@code reference} mode is divided by it ({@code reg_factor_cnn})
 */
public record SpikingCnnConfig(int inputHeight, int inputWidth, int inputChannels, int filters1, int kernel1,
        int stride1, int filters2, int kernel2, int stride2, int pool1Kernel, int pool1Stride, int pool2Kernel,
        int pool2Stride, ScnnNeuron neuron, int stepsPerAgentStep, double voltageCost, double regFactor) {

    public SpikingCnnConfig {
        if (stepsPerAgentStep <= 0) {
            throw new IllegalArgumentException("stepsPerAgentStep must be positive: " + stepsPerAgentStep);
        }
        if (!(voltageCost >= 0) || !(regFactor > 0)) {
            throw new IllegalArgumentException("need voltageCost >= 0 and regFactor > 0: " + voltageCost + ", "
                    + regFactor);
        }
        conv1Geometry(inputHeight, inputWidth, inputChannels, kernel1, stride1, filters1);
    }

    /** The original code's front end. */
    public static SpikingCnnConfig reference() {
        return new SpikingCnnConfig(84, 84, 1, 16, 8, 4, 8, 4, 1, 8, 4, 4, 2, ScnnNeuron.reference(), 5, 0.5, 1e8);
    }

    private static ConvGeometry conv1Geometry(int h, int w, int c, int k, int s, int f) {
        return new ConvGeometry(h, w, c, k, k, s, f);
    }

    public ConvGeometry conv1() {
        return conv1Geometry(inputHeight, inputWidth, inputChannels, kernel1, stride1, filters1);
    }

    public ConvGeometry conv2() {
        ConvGeometry c1 = conv1();
        return new ConvGeometry(c1.outHeight(), c1.outWidth(), filters1, kernel2, kernel2, stride2, filters2);
    }

    public AvgPool pool1() {
        ConvGeometry c1 = conv1();
        return new AvgPool(c1.outHeight(), c1.outWidth(), filters1, pool1Kernel, pool1Stride);
    }

    public AvgPool pool2() {
        ConvGeometry c2 = conv2();
        return new AvgPool(c2.outHeight(), c2.outWidth(), filters2, pool2Kernel, pool2Stride);
    }

    public SpikingCnnConfig withVoltageCost(double cost) {
        return new SpikingCnnConfig(inputHeight, inputWidth, inputChannels, filters1, kernel1, stride1, filters2,
                kernel2, stride2, pool1Kernel, pool1Stride, pool2Kernel, pool2Stride, neuron, stepsPerAgentStep, cost,
                regFactor);
    }

    public SpikingCnnConfig withRegFactor(double factor) {
        return new SpikingCnnConfig(inputHeight, inputWidth, inputChannels, filters1, kernel1, stride1, filters2,
                kernel2, stride2, pool1Kernel, pool1Stride, pool2Kernel, pool2Stride, neuron, stepsPerAgentStep,
                voltageCost, factor);
    }
}
