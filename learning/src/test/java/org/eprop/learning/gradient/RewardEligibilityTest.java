package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.NetworkState;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The online reward-based rule against its definition computed the slow way: every trace as the
 * explicit sum over the past that the recursions stand for (eps_v as a sum of decayed inputs,
 * eps_a as a sum over products of the time-varying factors, ebar and the reward eligibility as
 * sums of decayed terms), from the recorded forward passes, over agent steps with resets inside.
 */
class RewardEligibilityTest {
    static final int U = 8;      // agent steps
    static final int S = 3;      // network steps per agent step
    static final int B = 2;      // rows
    static final int N_IN = 3;
    static final int N_OUT = 3;  // two logits and a value

    @ParameterizedTest
    @EnumSource(NetworkState.Scope.class)
    void everyStepEqualsTheExplicitSums(NetworkState.Scope scope) {
        Precision precision = Precision.FLOAT64;
        NeuronLayer layer = new NeuronLayer(N_IN, 3, 3, 1.0, 15.0, 70.0, 0.5, 0.2, 2.0, 0.3, InputConvention.CURRENT);
        Readout readout = new Readout(N_OUT, 2.0, ReadoutConvention.NORMALISED, true);
        Rng rng = new Rng(11);
        SpikingNetwork net = new SpikingNetwork(layer, readout, precision).initialise(rng, ReadoutInit.NORMAL);
        int n = net.neurons();
        int pre = N_IN + n;
        RealArray feedback = precision.zeros(n * N_OUT);
        for (int i = 0; i < feedback.length(); i++) {
            feedback.set(i, rng.nextGaussian());
        }
        int total = U * S;
        // the record the slow way works from, global time t = u*S + s
        double[][][] x = new double[total][B][N_IN];
        double[][][] z = new double[total][B][n];
        double[][][] psi = new double[total][B][n];
        double[][][] dy = new double[total][B][N_OUT];
        double[][][] sv = new double[total][B][n];
        double[][][] sb = new double[total][B][n];
        double[][] rate = new double[U][n];
        boolean[][] reset = new boolean[U][B]; // before the first network step of agent step u
        double[][][] learn = new double[U][B][N_OUT];
        double[][] delta = new double[U][B];
        double[][] decay = new double[U][B];
        reset[3][1] = true;
        reset[5][0] = true;
        reset[6][1] = true;
        double[][][] gIn = new double[U][N_IN][n];
        double[][][] gRec = new double[U][n][n];
        double[][][] gOut = new double[U][n][N_OUT];
        double[][] gBias = new double[U][N_OUT];

        ForwardPass pass = new ForwardPass(precision);
        NetworkState state = NetworkState.zeros(net, B);
        RewardEligibility rule = new RewardEligibility(net, B);
        BackwardInput now = new BackwardInput(precision);
        Targets shape = new Targets().resize(S, B, N_OUT);
        RateRegularizer rateReg = new RateRegularizer(0.7, 0.1);
        VoltageRegularizer voltage = new VoltageRegularizer(0.05);
        Gradients out = new Gradients(net);
        int spikes = 0;
        for (int u = 0; u < U; u++) {
            RealArray xChunk = precision.zeros(S * B * N_IN);
            boolean[] resets = new boolean[S * B];
            for (int s = 0; s < S; s++) {
                for (int b = 0; b < B; b++) {
                    for (int i = 0; i < N_IN; i++) {
                        double v = rng.bernoulli(0.5) ? rng.uniform(0, 2.5) : 0.0;
                        x[u * S + s][b][i] = v;
                        xChunk.set((s * B + b) * N_IN + i, v);
                    }
                }
            }
            for (int b = 0; b < B; b++) {
                resets[b] = reset[u][b];
                for (int k = 0; k < N_OUT; k++) {
                    learn[u][b][k] = rng.nextGaussian();
                }
                delta[u][b] = u == 0 ? 0.0 : rng.nextGaussian();
                decay[u][b] = reset[u][b] || u == 0 ? 0.0 : 0.9;
            }
            final int uu = u;
            Loss loss = new Loss() {
                @Override
                public String id() {
                    return "random";
                }

                @Override
                public double evaluate(RealArray y, Targets targets, RealArray d) {
                    for (int s = 0; s < S; s++) {
                        for (int b = 0; b < B; b++) {
                            for (int k = 0; k < N_OUT; k++) {
                                double v = Math.sin(1.3 * (uu * S + s) + 2.1 * b + 0.7 * k);
                                dy[uu * S + s][b][k] = v;
                                d.set((s * B + b) * N_OUT + k, v);
                            }
                        }
                    }
                    return 0.0;
                }
            };
            Trajectory tr = pass.run(net, xChunk, S, B, true, state, resets, scope);
            now.evaluate(tr, loss, shape, rateReg, voltage, net);
            for (int s = 0; s < S; s++) {
                for (int b = 0; b < B; b++) {
                    for (int j = 0; j < n; j++) {
                        int i = (s * B + b) * n + j;
                        z[u * S + s][b][j] = tr.spikes().get(i);
                        psi[u * S + s][b][j] = tr.psi().get(i);
                        sv[u * S + s][b][j] = now.voltageSignal().get(i);
                        sb[u * S + s][b][j] = now.adaptationSignal().get(i);
                        spikes += (int) tr.spikes().get(i);
                    }
                }
            }
            for (int j = 0; j < n; j++) {
                rate[u][j] = now.regSignal()[j];
            }
            double[] l = new double[B * N_OUT];
            for (int b = 0; b < B; b++) {
                for (int k = 0; k < N_OUT; k++) {
                    l[b * N_OUT + k] = learn[u][b][k];
                }
            }
            rule.step(net, tr, feedback, l, now, delta[u], decay[u], out);
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < N_IN; i++) {
                    gIn[u][i][j] = out.wIn().get(i * n + j);
                }
                for (int i = 0; i < n; i++) {
                    gRec[u][i][j] = out.wRec().get(i * n + j);
                }
                for (int k = 0; k < N_OUT; k++) {
                    gOut[u][j][k] = out.wOut().get(j * N_OUT + k);
                }
            }
            for (int k = 0; k < N_OUT; k++) {
                gBias[u][k] = out.bOut().get(k);
            }
        }
        assertTrue(spikes > 10, "the fixture must spike, got " + spikes + " spikes");

        // ---- the slow way ----
        double kappa = net.kappa();
        double cOut = net.readoutFactor();
        double worst = 0;
        double scale = 0;
        for (int u = 0; u < U; u++) {
            double[][] slowIn = new double[N_IN][n];
            double[][] slowRec = new double[n][n];
            double[][] slowOut = new double[n][N_OUT];
            double[] slowBias = new double[N_OUT];
            for (int b = 0; b < B; b++) {
                for (int j = 0; j < n; j++) {
                    for (int p = 0; p < pre; p++) {
                        if (p == N_IN + j) {
                            continue;
                        }
                        double g = 0;
                        // what acts at once, over the network steps of agent step u
                        for (int t = u * S; t < (u + 1) * S; t++) {
                            double immediate = 0;
                            for (int k = 0; k < N_OUT; k++) {
                                immediate += feedback.get(j * N_OUT + k) * dy[t][b][k];
                            }
                            g += immediate * eBar(net, x, z, psi, reset, b, j, p, t, neuronStart(reset, t, b),
                                    scope == NetworkState.Scope.ALL ? neuronStart(reset, t, b) : 0, kappa, cOut)
                                    + rate[u][j] * e(net, x, z, psi, reset, b, j, p, t, neuronStart(reset, t, b))
                                    + sv[t][b][j] * epsV(net, x, z, reset, b, j, p, t, neuronStart(reset, t, b))
                                    + sb[t][b][j] * epsA(net, x, z, psi, reset, b, j, p, t, neuronStart(reset, t, b));
                        }
                        // delta(u) R(u-1), R(u-1) = sum_{w <= u-1} prod_{v=w+1}^{u-1} decay(v) L(w) ebar(t_w)
                        if (u > 0) {
                            double r = 0;
                            for (int w = 0; w <= u - 1; w++) {
                                double prod = 1;
                                for (int v = w + 1; v <= u - 1; v++) {
                                    prod *= decay[v][b];
                                }
                                int tw = w * S + S - 1;
                                r += prod * learnSignal(feedback, learn[w], j, b) * eBar(net, x, z, psi, reset, b, j,
                                        p, tw, neuronStart(reset, tw, b),
                                        scope == NetworkState.Scope.ALL ? neuronStart(reset, tw, b) : 0, kappa, cOut);
                            }
                            g += delta[u][b] * r;
                        }
                        if (p < N_IN) {
                            slowIn[p][j] += g;
                        } else {
                            slowRec[p - N_IN][j] += g;
                        }
                    }
                    // the readout: zbar in place of ebar, no feedback
                    for (int k = 0; k < N_OUT; k++) {
                        double g = 0;
                        for (int t = u * S; t < (u + 1) * S; t++) {
                            g += zBar(z, reset, b, j, t, scope == NetworkState.Scope.ALL ? neuronStart(reset, t, b) : 0,
                                    kappa, cOut) * dy[t][b][k];
                        }
                        if (u > 0) {
                            double r = 0;
                            for (int w = 0; w <= u - 1; w++) {
                                double prod = 1;
                                for (int v = w + 1; v <= u - 1; v++) {
                                    prod *= decay[v][b];
                                }
                                int tw = w * S + S - 1;
                                r += prod * zBar(z, reset, b, j, tw,
                                        scope == NetworkState.Scope.ALL ? neuronStart(reset, tw, b) : 0, kappa, cOut)
                                        * learn[w][b][k];
                            }
                            g += delta[u][b] * r;
                        }
                        slowOut[j][k] += g;
                    }
                }
                for (int k = 0; k < N_OUT; k++) {
                    double g = 0;
                    for (int t = u * S; t < (u + 1) * S; t++) {
                        g += dy[t][b][k];
                    }
                    if (u > 0) {
                        double r = 0;
                        for (int w = 0; w <= u - 1; w++) {
                            double prod = 1;
                            for (int v = w + 1; v <= u - 1; v++) {
                                prod *= decay[v][b];
                            }
                            r += prod * learn[w][b][k];
                        }
                        g += delta[u][b] * r;
                    }
                    slowBias[k] += g;
                }
            }
            for (int j = 0; j < n; j++) {
                for (int i = 0; i < N_IN; i++) {
                    worst = Math.max(worst, Math.abs(gIn[u][i][j] - slowIn[i][j]));
                    scale = Math.max(scale, Math.abs(slowIn[i][j]));
                }
                for (int i = 0; i < n; i++) {
                    worst = Math.max(worst, Math.abs(gRec[u][i][j] - slowRec[i][j]));
                    scale = Math.max(scale, Math.abs(slowRec[i][j]));
                }
                for (int k = 0; k < N_OUT; k++) {
                    worst = Math.max(worst, Math.abs(gOut[u][j][k] - slowOut[j][k]));
                    scale = Math.max(scale, Math.abs(slowOut[j][k]));
                }
            }
            for (int k = 0; k < N_OUT; k++) {
                worst = Math.max(worst, Math.abs(gBias[u][k] - slowBias[k]));
            }
        }
        assertTrue(scale > 1e-3, "the gradients must not vanish: " + scale);
        assertEquals(0.0, worst / scale, 1e-12, "max |online - slow| / max |slow| = " + worst / scale);
    }

    private static double learnSignal(RealArray feedback, double[][] learnOfStep, int j, int b) {
        double l = 0;
        for (int k = 0; k < N_OUT; k++) {
            l += feedback.get(j * N_OUT + k) * learnOfStep[b][k];
        }
        return l;
    }

    /** The agent step of the last reset of row b at or before u (0 when none). */
    private static int lastReset(boolean[][] reset, int u, int b) {
        for (int v = u; v > 0; v--) {
            if (reset[v][b]) {
                return v;
            }
        }
        return 0;
    }

    /** The network step where row b's neurons last started from rest, at or before t. */
    private static int neuronStart(boolean[][] reset, int t, int b) {
        return lastReset(reset, t / S, b) * S;
    }

    /** pre_i(t): the input, or the presynaptic neuron's spike of t-1 (none at a restart). */
    private static double presyn(double[][][] x, double[][][] z, int b, int p, int t, int start) {
        if (p < N_IN) {
            return x[t][b][p];
        }
        return t > start ? z[t - 1][b][p - N_IN] : 0.0;
    }

    /** eps_v(t) = sum_{t'=start}^{t} alpha^(t-t') c_in pre(t'). */
    private static double epsV(SpikingNetwork net, double[][][] x, double[][][] z, boolean[][] reset, int b, int j,
            int p, int t, int start) {
        double sum = 0;
        for (int t1 = start; t1 <= t; t1++) {
            sum += Math.pow(net.alpha(j), t - t1) * net.inputFactor(j) * presyn(x, z, b, p, t1, start);
        }
        return sum;
    }

    /** eps_a(t) = sum_{t'=start}^{t-1} [prod_{u=t'+1}^{t-1} (rho - beta psi(u))] psi(t') eps_v(t'). */
    private static double epsA(SpikingNetwork net, double[][][] x, double[][][] z, double[][][] psi, boolean[][] reset,
            int b, int j, int p, int t, int start) {
        double sum = 0;
        for (int t1 = start; t1 < t; t1++) {
            double prod = 1;
            for (int u = t1 + 1; u < t; u++) {
                prod *= net.rho(j) - net.beta(j) * psi[u][b][j];
            }
            sum += prod * psi[t1][b][j] * epsV(net, x, z, reset, b, j, p, t1, start);
        }
        return sum;
    }

    private static double e(SpikingNetwork net, double[][][] x, double[][][] z, double[][][] psi, boolean[][] reset,
            int b, int j, int p, int t, int start) {
        return psi[t][b][j] * (epsV(net, x, z, reset, b, j, p, t, start)
                - net.beta(j) * epsA(net, x, z, psi, reset, b, j, p, t, start));
    }

    /**
     * ebar(t) = sum_{t'} kappa^(t-t') c_out e(t') from the readout's last restart; e(t') itself
     * restarts with the neurons.
     */
    private static double eBar(SpikingNetwork net, double[][][] x, double[][][] z, double[][][] psi, boolean[][] reset,
            int b, int j, int p, int t, int neuronStart, int readoutStart, double kappa, double cOut) {
        double sum = 0;
        for (int t1 = readoutStart; t1 <= t; t1++) {
            sum += Math.pow(kappa, t - t1) * cOut * e(net, x, z, psi, reset, b, j, p, t1, neuronStart(reset, t1, b));
        }
        return sum;
    }

    /** zbar(t) = sum_{t'} kappa^(t-t') c_out z(t') from the readout's last restart. */
    private static double zBar(double[][][] z, boolean[][] reset, int b, int j, int t, int readoutStart, double kappa,
            double cOut) {
        double sum = 0;
        for (int t1 = readoutStart; t1 <= t; t1++) {
            sum += Math.pow(kappa, t - t1) * cOut * z[t1][b][j];
        }
        return sum;
    }
}
