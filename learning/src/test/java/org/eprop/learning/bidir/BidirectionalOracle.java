package org.eprop.learning.bidir;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eprop.learning.network.SpikingNetwork;

/**
 * An independent oracle for the gradients of a {@link BidirectionalNetwork}: forward-mode
 * differentiation (RTRL) of the model as its class comment states it, one utterance at a time and
 * unpadded, in plain double loops. It shares no code with the training path: its own simulation, its
 * own softmax cross-entropy, its own rate regulariser over the valid steps, its own L2.
 *
 * <p>{@code cut = false}: the true gradient (all paths), what BPTT must give. {@code cut = true}:
 * the recurrent and reset paths of z(t-1) are dropped from the sensitivities (the adaptation path
 * z_j(t-1) -> b_j(t) is kept) and the readout's sensitivity uses the feedback matrices B instead of
 * W_out: the e-prop gradient (paper eq. 25 with the readout's partial derivative as the learning
 * signal). The readout weights and the bias get the exact gradient in both.
 */
final class BidirectionalOracle {
    private BidirectionalOracle() {
    }

    /** The simulation of one half on one utterance. */
    private record Run(double[][] z, double[][] psi, double[][] input) {
    }

    /**
     * @param x frames {@code [frames x batch x nIn]}
     * @param labels {@code [frames x batch]}; weights {@code [frames x batch]}, the CE weight of each frame
     * @param bF feedback of the forward half ({@code [n x nOut]}), used when {@code cut}; likewise bB
     * @return gradients by the network's parameter names, plus "loss.task" and "loss.reg"
     */
    static Map<String, double[]> gradients(BidirectionalNetwork net, double[] x, int frames, int batch, int[] len,
            int[] labels, double[] weights, double regStrength, double targetRate, double l2, boolean cut, double[] bF,
            double[] bB) {
        SpikingNetwork[] halves = {net.forward(), net.backward()};
        int nIn = net.inputs();
        int nOut = net.outputs();
        int rep = net.repeat();
        double kappa = net.kappa();
        double[][] wOut = {halves[0].wOut().toDoubleArray(), halves[1].wOut().toDoubleArray()};
        double[][] feedback = {cut ? bF : wOut[0], cut ? bB : wOut[1]};
        double[] bias = net.bias().toDoubleArray();

        Run[][] runs = new Run[2][batch];
        for (int h = 0; h < 2; h++) {
            for (int b = 0; b < batch; b++) {
                int steps = len[b] * rep;
                double[][] in = new double[steps][nIn];
                for (int s = 0; s < steps; s++) {
                    int f = h == 0 ? s / rep : len[b] - 1 - s / rep;
                    for (int i = 0; i < nIn; i++) {
                        in[s][i] = x[(f * batch + b) * nIn + i];
                    }
                }
                runs[h][b] = simulate(halves[h], in);
            }
        }
        // Frame outputs, loss and dE/dy.
        double[][][] dy = new double[batch][][];
        double taskLoss = 0;
        for (int b = 0; b < batch; b++) {
            dy[b] = new double[len[b]][nOut];
            double[] g = new double[nOut];
            for (int f = 0; f < len[b]; f++) {
                double[] y = new double[nOut];
                for (int k = 0; k < nOut; k++) {
                    double u = 0;
                    for (int q = 0; q < rep; q++) {
                        u += project(runs[0][b].z[f * rep + q], wOut[0], k, nOut)
                                + project(runs[1][b].z[(len[b] - 1 - f) * rep + q], wOut[1], k, nOut);
                    }
                    g[k] = kappa * g[k] + u / rep;
                    y[k] = g[k] + bias[k];
                }
                double max = Double.NEGATIVE_INFINITY;
                for (double v : y) {
                    max = Math.max(max, v);
                }
                double sum = 0;
                for (double v : y) {
                    sum += Math.exp(v - max);
                }
                double lse = max + Math.log(sum);
                double w = weights[f * batch + b];
                int label = labels[f * batch + b];
                taskLoss += w * (lse - y[label]);
                for (int k = 0; k < nOut; k++) {
                    dy[b][f][k] = w * (Math.exp(y[k] - lse) - (k == label ? 1 : 0));
                }
            }
        }
        // Rate regulariser over the valid steps of both halves.
        long valid = 0;
        for (int b = 0; b < batch; b++) {
            valid += (long) len[b] * rep;
        }
        double regLoss = 0;
        double[][] r = new double[2][];
        for (int h = 0; h < 2; h++) {
            int n = halves[h].neurons();
            r[h] = new double[n];
            for (int j = 0; j < n; j++) {
                double count = 0;
                for (int b = 0; b < batch; b++) {
                    for (double[] zs : runs[h][b].z) {
                        count += zs[j];
                    }
                }
                double diff = count / valid - targetRate;
                regLoss += regStrength * diff * diff;
                r[h][j] = 2 * regStrength * diff / valid;
            }
        }
        Map<String, double[]> out = new LinkedHashMap<>();
        String[] prefix = {BidirectionalNetwork.FORWARD, BidirectionalNetwork.BACKWARD};
        for (int h = 0; h < 2; h++) {
            SpikingNetwork net1 = halves[h];
            int n = net1.neurons();
            double[] wIn = net1.wIn().toDoubleArray();
            double[] wRec = net1.wRec().toDoubleArray();
            double[] gIn = new double[nIn * n];
            double[] gRec = new double[n * n];
            for (int i = 0; i < nIn; i++) {
                for (int j = 0; j < n; j++) {
                    gIn[i * n + j] = directional(net1, runs[h], len, rep, kappa, h == 1, true, i, j, cut, feedback[h],
                            dy, r[h], nOut) + 2 * l2 * wIn[i * n + j];
                }
            }
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    gRec[i * n + j] = i == j ? 0 : directional(net1, runs[h], len, rep, kappa, h == 1, false, i, j, cut,
                            feedback[h], dy, r[h], nOut) + 2 * l2 * wRec[i * n + j];
                }
            }
            double[] gOut = new double[n * nOut];
            for (int b = 0; b < batch; b++) {
                double[] zbar = new double[n];
                for (int f = 0; f < len[b]; f++) {
                    int src = h == 0 ? f : len[b] - 1 - f;
                    for (int j = 0; j < n; j++) {
                        double mean = 0;
                        for (int q = 0; q < rep; q++) {
                            mean += runs[h][b].z[src * rep + q][j];
                        }
                        zbar[j] = kappa * zbar[j] + mean / rep;
                        for (int k = 0; k < nOut; k++) {
                            gOut[j * nOut + k] += zbar[j] * dy[b][f][k];
                        }
                    }
                }
            }
            for (int i = 0; i < gOut.length; i++) {
                gOut[i] += 2 * l2 * wOut[h][i];
            }
            out.put(prefix[h] + SpikingNetwork.W_IN, gIn);
            out.put(prefix[h] + SpikingNetwork.W_REC, gRec);
            out.put(prefix[h] + SpikingNetwork.W_OUT, gOut);
            regLoss += l2 * (sumSquares(wIn) + sumSquares(wRec) + sumSquares(wOut[h]));
        }
        double[] gBias = new double[nOut];
        for (int b = 0; b < batch; b++) {
            for (int f = 0; f < len[b]; f++) {
                for (int k = 0; k < nOut; k++) {
                    gBias[k] += dy[b][f][k];
                }
            }
        }
        out.put(BidirectionalNetwork.B_OUT, gBias);
        out.put("loss.task", new double[] {taskLoss});
        out.put("loss.reg", new double[] {regLoss});
        return out;
    }

    private static double sumSquares(double[] a) {
        double s = 0;
        for (double v : a) {
            s += v * v;
        }
        return s;
    }

    private static double project(double[] z, double[] w, int k, int nOut) {
        double s = 0;
        for (int j = 0; j < z.length; j++) {
            s += z[j] * w[j * nOut + k];
        }
        return s;
    }

    /** The LIF/ALIF equations of NeuronLayer, step by step from a zero state. */
    private static Run simulate(SpikingNetwork net, double[][] in) {
        int n = net.neurons();
        int nIn = net.inputs();
        double[] wIn = net.wIn().toDoubleArray();
        double[] wRec = net.wRec().toDoubleArray();
        double vTh = net.vTh();
        int steps = in.length;
        double[][] z = new double[steps][n];
        double[][] psi = new double[steps][n];
        double[] v = new double[n];
        double[] a = new double[n];
        double[] zPrev = new double[n];
        int[] countdown = new int[n];
        for (int s = 0; s < steps; s++) {
            for (int j = 0; j < n; j++) {
                double current = 0;
                for (int i = 0; i < nIn; i++) {
                    current += in[s][i] * wIn[i * n + j];
                }
                for (int i = 0; i < n; i++) {
                    if (i != j) {
                        current += zPrev[i] * wRec[i * n + j];
                    }
                }
                a[j] = net.rho(j) * a[j] + zPrev[j];
                v[j] = net.alpha(j) * v[j] + net.inputFactor(j) * current - vTh * zPrev[j];
                double scaled = (v[j] - (vTh + net.beta(j) * a[j])) / vTh;
                boolean blocked = countdown[j] > 0;
                z[s][j] = !blocked && scaled > 0 ? 1 : 0;
                psi[s][j] = blocked ? 0 : net.gamma() / vTh * Math.max(0, 1 - Math.abs(scaled));
                countdown[j] = z[s][j] > 0 ? net.refractorySteps() - 1 : Math.max(0, countdown[j] - 1);
            }
            zPrev = z[s];
        }
        return new Run(z, psi, in);
    }

    /** dE/dW for one weight of one half, by forward sensitivities through every utterance. */
    private static double directional(SpikingNetwork net, Run[] runs, int[] len, int rep, double kappa,
            boolean reversed, boolean input, int i, int j, boolean cut, double[] readout, double[][][] dy, double[] r,
            int nOut) {
        int n = net.neurons();
        double[] wRec = net.wRec().toDoubleArray();
        double total = 0;
        for (int b = 0; b < runs.length; b++) {
            Run run = runs[b];
            int steps = len[b] * rep;
            double[] dv = new double[n];
            double[] da = new double[n];
            double[] dzPrev = new double[n];
            double[][] dU = new double[len[b]][nOut];
            for (int s = 0; s < steps; s++) {
                double[] dz = new double[n];
                for (int m = 0; m < n; m++) {
                    double dCurrent = 0;
                    if (!cut) {
                        for (int q = 0; q < n; q++) {
                            if (q != m) {
                                dCurrent += dzPrev[q] * wRec[q * n + m];
                            }
                        }
                    }
                    if (m == j) {
                        dCurrent += input ? run.input[s][i] : (s > 0 ? run.z[s - 1][i] : 0);
                    }
                    da[m] = net.rho(m) * da[m] + dzPrev[m];
                    dv[m] = net.alpha(m) * dv[m] + net.inputFactor(m) * dCurrent - (cut ? 0 : net.vTh() * dzPrev[m]);
                    dz[m] = run.psi[s][m] * (dv[m] - net.beta(m) * da[m]);
                    total += r[m] * dz[m];
                }
                int f = reversed ? len[b] - 1 - s / rep : s / rep;
                for (int k = 0; k < nOut; k++) {
                    double d = 0;
                    for (int m = 0; m < n; m++) {
                        d += dz[m] * readout[m * nOut + k];
                    }
                    dU[f][k] += d / rep;
                }
                dzPrev = dz;
            }
            double[] dG = new double[nOut];
            for (int f = 0; f < len[b]; f++) {
                for (int k = 0; k < nOut; k++) {
                    dG[k] = kappa * dG[k] + dU[f][k];
                    total += dy[b][f][k] * dG[k];
                }
            }
        }
        return total;
    }
}
