package org.eprop.learning.conv;

/**
 * An independent, slow, double-precision re-implementation of the spiking CNN for the oracles:
 * direct nested loops for the convolutions and pools, the {@code lif_dynamic} update written out,
 * and optionally a "frozen-spike" forward whose spikes are {@code H(v_ref) + S(v) - S(v_ref)} with
 * {@code S' = psi}: at the reference parameters it is the spiking forward itself, and its ordinary
 * derivative is the pseudo-derivative gradient, so central finite differences of it check the
 * exact (surrogate) gradient.
 */
final class ConvNaive {
    final SpikingCnnConfig c;
    final ConvGeometry g1;
    final ConvGeometry g2;
    final AvgPool pool1;
    final AvgPool pool2;
    final double d;
    final double th;
    final double damp;

    ConvNaive(SpikingCnnConfig c) {
        this.c = c;
        this.g1 = c.conv1();
        this.g2 = c.conv2();
        this.pool1 = c.pool1();
        this.pool2 = c.pool2();
        this.d = Math.exp(-1.0 / c.neuron().tau());
        this.th = c.neuron().threshold();
        this.damp = c.neuron().dampening();
    }

    static double[] conv(ConvGeometry g, double[] x, int xOff, double[] w, double[] b) {
        int oh = g.outHeight();
        int ow = g.outWidth();
        double[] out = new double[g.outputSize()];
        for (int oy = 0; oy < oh; oy++) {
            for (int ox = 0; ox < ow; ox++) {
                for (int co = 0; co < g.outChannels(); co++) {
                    double s = b[co];
                    for (int ky = 0; ky < g.kernelHeight(); ky++) {
                        for (int kx = 0; kx < g.kernelWidth(); kx++) {
                            for (int ci = 0; ci < g.inChannels(); ci++) {
                                int iy = oy * g.stride() + ky;
                                int ix = ox * g.stride() + kx;
                                s += w[((ky * g.kernelWidth() + kx) * g.inChannels() + ci) * g.outChannels() + co]
                                        * x[xOff + (iy * g.inWidth() + ix) * g.inChannels() + ci];
                            }
                        }
                    }
                    out[(oy * ow + ox) * g.outChannels() + co] = s;
                }
            }
        }
        return out;
    }

    /** Direct window sums; {@code inH, inW} from the pool's own sizes. */
    static double[] pool(AvgPool p, int inW, double[] x, int xOff) {
        double[] out = new double[p.outputSize()];
        int ch = p.channels();
        for (int py = 0; py < p.outHeight(); py++) {
            for (int px = 0; px < p.outWidth(); px++) {
                for (int cc = 0; cc < ch; cc++) {
                    double s = 0;
                    for (int ky = 0; ky < p.kernel(); ky++) {
                        for (int kx = 0; kx < p.kernel(); kx++) {
                            s += x[xOff + ((py * p.stride() + ky) * inW + px * p.stride() + kx) * ch + cc];
                        }
                    }
                    out[(py * p.outWidth() + px) * ch + cc] = s / (p.kernel() * p.kernel());
                }
            }
        }
        return out;
    }

    /** The integral of the triangular pseudo-derivative, so that {@code dS/dv = psi(v)}. */
    double smoothSpike(double v) {
        double u = (v - th) / th;
        double phi;
        if (u <= -1) {
            phi = 0;
        } else if (u <= 0) {
            phi = 0.5 * (1 + u) * (1 + u);
        } else if (u < 1) {
            phi = 1 - 0.5 * (1 - u) * (1 - u);
        } else {
            phi = 1;
        }
        return damp * phi;
    }

    double psi(double v) {
        return damp / th * Math.max(0, 1 - Math.abs((v - th) / th));
    }

    /** Trajectories {@code [T][B][units]} of both layers. */
    static final class Run {
        double[] v1;
        double[] z1;
        double[] v2;
        double[] z2;
        double[] pooled1;
        double[] pooled2;
    }

    /**
     * Runs K agent steps of B rows from zero voltages. With {@code frozen} non-null, spikes are
     * {@code H(v_ref) + S(v) - S(v_ref)} and conv2 reads conv1's reference spikes (stop-gradient).
     */
    Run run(double[] frames, int agentSteps, int batch, double[] w1, double[] b1, double[] w2, double[] b2,
            Run frozen) {
        int u1 = g1.outputSize();
        int u2 = g2.outputSize();
        int steps = agentSteps * c.stepsPerAgentStep();
        Run r = new Run();
        r.v1 = new double[steps * batch * u1];
        r.z1 = new double[steps * batch * u1];
        r.v2 = new double[steps * batch * u2];
        r.z2 = new double[steps * batch * u2];
        r.pooled1 = new double[steps * batch * pool1.outputSize()];
        r.pooled2 = new double[steps * batch * pool2.outputSize()];
        for (int b = 0; b < batch; b++) {
            double[] v1 = new double[u1];
            double[] v2 = new double[u2];
            double[] zOld1 = new double[u1];
            double[] zOld2 = new double[u2];
            for (int t = 0; t < steps; t++) {
                int k = t / c.stepsPerAgentStep();
                double[] i1 = conv(g1, frames, (k * batch + b) * g1.inputSize(), w1, b1);
                int row = t * batch + b;
                for (int j = 0; j < u1; j++) {
                    v1[j] = d * v1[j] + i1[j] - th * zOld1[j];
                    double z = spike(v1[j], frozen == null ? Double.NaN : frozen.v1[row * u1 + j]);
                    r.v1[row * u1 + j] = v1[j];
                    r.z1[row * u1 + j] = z;
                    zOld1[j] = z;
                }
                double[] in2 = new double[u1];
                for (int j = 0; j < u1; j++) {
                    in2[j] = frozen == null ? r.z1[row * u1 + j] : (frozen.v1[row * u1 + j] > th ? 1 : 0);
                }
                double[] i2 = conv(g2, in2, 0, w2, b2);
                for (int j = 0; j < u2; j++) {
                    v2[j] = d * v2[j] + i2[j] - th * zOld2[j];
                    double z = spike(v2[j], frozen == null ? Double.NaN : frozen.v2[row * u2 + j]);
                    r.v2[row * u2 + j] = v2[j];
                    r.z2[row * u2 + j] = z;
                    zOld2[j] = z;
                }
                System.arraycopy(pool(pool1, g1.outWidth(), r.z1, row * u1), 0, r.pooled1, row * pool1.outputSize(),
                        pool1.outputSize());
                System.arraycopy(pool(pool2, g2.outWidth(), r.z2, row * u2), 0, r.pooled2, row * pool2.outputSize(),
                        pool2.outputSize());
            }
        }
        return r;
    }

    private double spike(double v, double vRef) {
        if (Double.isNaN(vRef)) {
            return v > th ? 1 : 0;
        }
        return (vRef > th ? 1 : 0) + smoothSpike(v) - smoothSpike(vRef);
    }

    /** The reference mode's loss: task through the shortcuts scaled by taskScale, plus the voltage regulariser. */
    double loss(Run r, int steps, int batch, double[] gp1, double[] gp2, double taskScale) {
        double task = 0;
        for (int i = 0; i < gp1.length; i++) {
            task += gp1[i] * r.pooled1[i];
        }
        for (int i = 0; i < gp2.length; i++) {
            task += gp2[i] * r.pooled2[i];
        }
        return taskScale * task + regularizer(r.v1, g1.outputSize(), steps, batch)
                + regularizer(r.v2, g2.outputSize(), steps, batch);
    }

    double regularizer(double[] v, int units, int steps, int batch) {
        double sum = 0;
        for (int b = 0; b < batch; b++) {
            for (int j = 0; j < units; j++) {
                double pos = 0;
                double neg = 0;
                for (int t = 0; t < steps; t++) {
                    double x = v[(t * batch + b) * units + j];
                    pos += Math.max(0, x - th);
                    neg += Math.max(0, -x - th);
                }
                pos /= steps;
                neg /= steps;
                sum += pos * pos + neg * neg;
            }
        }
        return c.voltageCost() * sum / batch;
    }
}
