package org.eprop.learning.conv;

import org.eprop.learning.network.Parameters;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * One convolution into a sheet of {@link ScnnNeuron} LIF units: {@code i(t) = conv(x(t), W) + b},
 * VALID, square stride, channels-last ({@link ConvGeometry}). The input is either real-valued
 * (conv1: the frame) or spikes (conv2: conv1's spikes, processed event by event).
 *
 * <p>Parameters: {@code W} {@code [kh][kw][cin][cout]} and {@code b} {@code [cout]} in the layer's
 * {@link Precision}, registered as a {@link Parameters} list. The arithmetic of the kernels below
 * runs on double copies of the parameters ({@link #syncWeights}, refreshed by the owner before a
 * forward or a gradient pass, since an optimiser updates the {@link RealArray}s in place); every
 * stored current and voltage is rounded to the layer's precision, so a float32 layer behaves as a
 * float32 simulation with fused double intermediates, as the rest of the project does.
 *
 * <p>All kernels work on one batch row at given offsets and allocate nothing.
 */
public final class SpikingConvLayer {
    private final ConvGeometry geometry;
    private final ScnnNeuron neuron;
    private final Precision precision;
    private final RealArray weights;
    private final RealArray bias;
    private final Parameters parameters;
    private final double[] w;
    private final double[] b;
    private final int outH;
    private final int outW;

    public SpikingConvLayer(ConvGeometry geometry, ScnnNeuron neuron, Precision precision) {
        this.geometry = geometry;
        this.neuron = neuron;
        this.precision = precision;
        this.weights = precision.zeros(geometry.weightCount());
        this.bias = precision.zeros(geometry.outChannels());
        this.parameters = new Parameters().add("W", weights).add("b", bias);
        this.w = new double[geometry.weightCount()];
        this.b = new double[geometry.outChannels()];
        this.outH = geometry.outHeight();
        this.outW = geometry.outWidth();
    }

    public ConvGeometry geometry() {
        return geometry;
    }

    public ScnnNeuron neuron() {
        return neuron;
    }

    public Precision precision() {
        return precision;
    }

    /** {@code W} and {@code b}, the arrays themselves (an optimiser updates them in place). */
    public Parameters parameters() {
        return parameters;
    }

    public RealArray weights() {
        return weights;
    }

    public RealArray bias() {
        return bias;
    }

    /**
     * The default initialisation of the original code's sonnet {@code Conv2D}: weights from a normal
     * distribution with standard deviation {@code 1/sqrt(kh*kw*cin)} truncated at two standard
     * deviations (redrawn beyond, as TensorFlow's {@code truncated_normal}), bias zero.
     */
    public void initialise(Rng rng) {
        double std = 1.0 / Math.sqrt(geometry.fanIn());
        for (int i = 0; i < weights.length(); i++) {
            double g;
            do {
                g = rng.nextGaussian();
            } while (Math.abs(g) > 2.0);
            weights.set(i, g * std);
        }
        bias.fill(0.0);
        syncWeights();
    }

    /** Copies the parameters into the double arrays the kernels read; call after every update. */
    public void syncWeights() {
        for (int i = 0; i < w.length; i++) {
            w[i] = weights.get(i);
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = bias.get(i);
        }
    }

    /**
     * Dense convolution of one real-valued input row: {@code out[outOff + (oy*outW+ox)*cout + co] =
     * b[co] + sum_{ky,kx,ci} W[ky,kx,ci,co] in[inOff + ((oy*s+ky)*inW + ox*s+kx)*cin + ci]}, rounded
     * to the layer's precision. The innermost loop runs over the output channels, contiguous in both
     * {@code W} and {@code out}.
     */
    public void convolveDense(double[] in, int inOff, double[] out, int outOff) {
        final int cout = geometry.outChannels();
        final int cin = geometry.inChannels();
        final int kh = geometry.kernelHeight();
        final int rowLen = geometry.kernelWidth() * cin;
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = outOff + (oy * outW + ox) * cout;
                System.arraycopy(b, 0, out, o, cout);
                for (int ky = 0; ky < kh; ky++) {
                    int src = inOff + ((oy * s + ky) * inW + ox * s) * cin;
                    int wk = ky * rowLen * cout;
                    for (int j = 0; j < rowLen; j++) {
                        double x = in[src + j];
                        if (x == 0) {
                            continue;
                        }
                        int wb = wk + j * cout;
                        for (int co = 0; co < cout; co++) {
                            out[o + co] += x * w[wb + co];
                        }
                    }
                }
                if (precision == Precision.FLOAT32) {
                    for (int co = 0; co < cout; co++) {
                        out[o + co] = precision.round(out[o + co]);
                    }
                }
            }
        }
    }

    /**
     * Event-driven convolution of a spike input row given as the active input indices
     * {@code active[aOff .. aOff+count)}: the current starts at the bias and every spike adds the
     * kernel slice {@code W[ky,kx,ci,:]} to each output position whose receptive field holds it.
     * Cost is proportional to the number of spikes rather than to the input size.
     */
    public void convolveEvents(int[] active, int aOff, int count, double[] out, int outOff) {
        final int cout = geometry.outChannels();
        final int cin = geometry.inChannels();
        final int kw = geometry.kernelWidth();
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        final int n = outH * outW;
        for (int p = 0; p < n; p++) {
            System.arraycopy(b, 0, out, outOff + p * cout, cout);
        }
        for (int e = 0; e < count; e++) {
            int a = active[aOff + e];
            int ci = a % cin;
            int pix = a / cin;
            int y = pix / inW;
            int x = pix - y * inW;
            int oyMin = firstOutput(y, geometry.kernelHeight(), s);
            int oyMax = Math.min(outH - 1, y / s);
            int oxMin = firstOutput(x, kw, s);
            int oxMax = Math.min(outW - 1, x / s);
            for (int oy = oyMin; oy <= oyMax; oy++) {
                int ky = y - oy * s;
                for (int ox = oxMin; ox <= oxMax; ox++) {
                    int kx = x - ox * s;
                    int wb = ((ky * kw + kx) * cin + ci) * cout;
                    int o = outOff + (oy * outW + ox) * cout;
                    for (int co = 0; co < cout; co++) {
                        out[o + co] += w[wb + co];
                    }
                }
            }
        }
        if (precision == Precision.FLOAT32) {
            for (int i = outOff; i < outOff + n * cout; i++) {
                out[i] = precision.round(out[i]);
            }
        }
    }

    static int firstOutput(int y, int kernel, int stride) {
        int d = y - kernel + 1;
        return d <= 0 ? 0 : (d + stride - 1) / stride;
    }

    /**
     * One network step of all units of a row (docs/model.md §1.2(f)): {@code v <- d v + i - v_th
     * H(v - v_th)}, then the indices of the units with {@code v > v_th} are written to
     * {@code active[aOff ..]} in increasing order. Returns their number.
     */
    public int step(double[] v, int vOff, double[] current, int cOff, int[] active, int aOff) {
        final int n = geometry.outputSize();
        final double d = neuron.decay();
        final double th = neuron.threshold();
        int count = 0;
        for (int j = 0; j < n; j++) {
            double old = v[vOff + j];
            double reset = old > th ? th : 0.0;
            double nv = precision.round(d * old + current[cOff + j] - reset);
            v[vOff + j] = nv;
            if (nv > th) {
                active[aOff + count++] = j;
            }
        }
        return count;
    }

    /**
     * Weight gradient of a real-valued input row: {@code dW[ky,kx,ci,co] += sum_{oy,ox} g[(oy,ox),co]
     * in[(oy*s+ky, ox*s+kx), ci]} and {@code dB[co] += biasInput * sum g[.,co]}. Zero entries of
     * {@code g} (most of them: the pseudo-derivative vanishes away from threshold) are skipped.
     */
    public void correlateDense(double[] g, int gOff, double[] in, int inOff, double biasInput, double[] dW,
            double[] dB) {
        final int cout = geometry.outChannels();
        final int cin = geometry.inChannels();
        final int kh = geometry.kernelHeight();
        final int rowLen = geometry.kernelWidth() * cin;
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        for (int oy = 0; oy < outH; oy++) {
            for (int ox = 0; ox < outW; ox++) {
                int o = gOff + (oy * outW + ox) * cout;
                for (int co = 0; co < cout; co++) {
                    double gv = g[o + co];
                    if (gv == 0) {
                        continue;
                    }
                    dB[co] += gv * biasInput;
                    for (int ky = 0; ky < kh; ky++) {
                        int src = inOff + ((oy * s + ky) * inW + ox * s) * cin;
                        int wb = ky * rowLen * cout + co;
                        for (int j = 0; j < rowLen; j++) {
                            dW[wb + j * cout] += gv * in[src + j];
                        }
                    }
                }
            }
        }
    }

    /**
     * Weight gradient of a spike input row given by its active indices: every spike at
     * {@code (y, x, ci)} adds {@code g[(oy,ox),:]} to {@code dW[y-oy*s, x-ox*s, ci, :]} for the output
     * positions covering it, and {@code dB += biasInput * sum g}.
     */
    public void correlateEvents(double[] g, int gOff, int[] active, int aOff, int count, double biasInput,
            double[] dW, double[] dB) {
        final int cout = geometry.outChannels();
        final int cin = geometry.inChannels();
        final int kw = geometry.kernelWidth();
        final int inW = geometry.inWidth();
        final int s = geometry.stride();
        final int n = outH * outW;
        for (int p = 0; p < n; p++) {
            int o = gOff + p * cout;
            for (int co = 0; co < cout; co++) {
                dB[co] += biasInput * g[o + co];
            }
        }
        for (int e = 0; e < count; e++) {
            int a = active[aOff + e];
            int ci = a % cin;
            int pix = a / cin;
            int y = pix / inW;
            int x = pix - y * inW;
            int oyMin = firstOutput(y, geometry.kernelHeight(), s);
            int oyMax = Math.min(outH - 1, y / s);
            int oxMin = firstOutput(x, kw, s);
            int oxMax = Math.min(outW - 1, x / s);
            for (int oy = oyMin; oy <= oyMax; oy++) {
                int ky = y - oy * s;
                for (int ox = oxMin; ox <= oxMax; ox++) {
                    int kx = x - ox * s;
                    int wb = ((ky * kw + kx) * cin + ci) * cout;
                    int o = gOff + (oy * outW + ox) * cout;
                    for (int co = 0; co < cout; co++) {
                        dW[wb + co] += g[o + co];
                    }
                }
            }
        }
    }
}
