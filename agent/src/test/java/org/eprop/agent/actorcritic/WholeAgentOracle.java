package org.eprop.agent.actorcritic;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The whole spiking actor-critic written out from its equations on a {@link ScalarTape}, for the
 * gradient oracles of {@link WholeAgentGradientOracleTest}: the spiking CNN (docs/model.md
 * §1.2(f), §3.3), the LSNN with LIF and ALIF neurons, refractoriness and episode resets (§1.2(a),
 * (e)), the policy and value heads on the LSNN spikes and the CNN's pooled spikes with the leaky
 * readout filter (§1.3, §3.3), and the loss of every unroll: the advantage actor-critic loss with
 * n-step returns, masks and entropy bonus (§3.2), the LSNN rate and voltage regularisers and the
 * CNN voltage regulariser. It re-simulates recorded observations, actions, rewards and episode ends
 * from a zero state; nothing of the classes under test is called.
 *
 * <p>Which graph is built is the whole definition of each gradient:
 * <ul>
 *   <li>{@link Graph#EPROP_CUT}: the stop-gradient construction of the original code
 *       (IGITUGraz/eligibility_propagation; docs/model.md §2.5): z(t-1) is cut where it enters the
 *       recurrent current and the reset, the adaptation path z(t-1) -> b(t) is kept, and with
 *       symmetric feedback the readout is differentiated as it is (B = W_out).
 *       Across unrolls the LSNN state and the readout filter carry their derivatives (e-prop's
 *       eligibility traces carried in the learner's state).</li>
 *   <li>{@link Graph#FULL}: BPTT through the pseudo-derivative; at an unroll boundary the carried
 *       LSNN state and its readout filter are constants (truncated BPTT).</li>
 * </ul>
 * The CNN never feeds derivatives into the LSNN (its spikes enter as constants) nor from conv1 into
 * conv2, and its own graph follows its training mode:
 * <ul>
 *   <li>{@code REFERENCE} (the original code): the reset path kept; the task loss reaches each
 *       layer only through its pooled spikes into the heads, with the derivative scaled by
 *       1/reg_factor (a gradient-scaling node: the value passes unchanged); the voltage regulariser
 *       unscaled; nothing flows across an unroll boundary (the CNN state there is a constant).</li>
 *   <li>{@code EPROP} (the Fig. 4 caption; the product's {@code CnnFeedback.paperDefault}): the
 *       reset path cut (e-prop for a feedforward LIF layer); conv1 learns through its pooled spikes
 *       (its direct path to the outputs, unscaled); conv2 through a fixed random feedback matrix
 *       {@code B2 [units][nOut]} from the errors of the heads' outputs before their filter, built
 *       here as a zero-valued term {@code B2^T (z2 - stop(z2))} added to those outputs (the
 *       custom-gradient construction of random feedback), while its pooled spikes reach the heads
 *       as constants. The CNN state carries its derivative across unrolls (the presynaptic traces
 *       carried by the product).</li>
 * </ul>
 * In both modes the heads' filter of the CNN's contributions (the pooled features and the random
 * feedback term) is a constant at an unroll boundary: the product computes the CNN's learning
 * signals per unroll, so the filter's adjoint does not reach back into the previous unroll.
 */
final class WholeAgentOracle {

    enum Graph { EPROP_CUT, FULL }

    enum CnnMode { REFERENCE, EPROP }

    /** Sizes and constants, all from the test's own numbers. */
    static final class Setup {
        // screen and CNN
        int height;
        int width;
        int filters1;
        int kernel1;
        int stride1;
        int filters2;
        int kernel2;
        int stride2;
        int pool1Kernel;
        int pool1Stride;
        int pool2Kernel;
        int pool2Stride;
        double cnnTau;
        double cnnThreshold;
        double cnnDampening;
        double cnnVoltageCost;
        double regFactor;
        // LSNN and heads
        int lif;
        int alif;
        double tauM;
        double tauA;
        double vTh;
        double beta;
        int refractory;
        double gamma;
        double tauOut;
        int actions;
        // loss and schedule
        double discount;
        double baselineCost;
        double entropyCost;
        double rateCost;
        double rateTarget;
        double voltageCost;
        boolean applyAfterEnd;
        int steps;
        int unroll;
        int unrolls;
        int batch;

        int h1() {
            return (height - kernel1) / stride1 + 1;
        }

        int w1() {
            return (width - kernel1) / stride1 + 1;
        }

        int h2() {
            return (h1() - kernel2) / stride2 + 1;
        }

        int w2() {
            return (w1() - kernel2) / stride2 + 1;
        }

        int units1() {
            return h1() * w1() * filters1;
        }

        int units2() {
            return h2() * w2() * filters2;
        }

        int pooled1() {
            return ((h1() - pool1Kernel) / pool1Stride + 1) * ((w1() - pool1Kernel) / pool1Stride + 1) * filters1;
        }

        int pooled2() {
            return ((h2() - pool2Kernel) / pool2Stride + 1) * ((w2() - pool2Kernel) / pool2Stride + 1) * filters2;
        }

        int neurons() {
            return lif + alif;
        }

        int inputs() {
            return units2() + 1;
        }

        int outputs() {
            return actions + 1;
        }
    }

    /**
     * What the environments did, per global agent step g and environment b: the observation the
     * agent saw (gray, scaled to [0, 1]; index {@code unroll * unrolls} is the last bootstrap
     * observation), whether an episode began with it, the action taken, the reward and the end flag.
     */
    static final class Record {
        double[][][] frames;
        boolean[][] start;
        int[][] actions;
        double[][] rewards;
        boolean[][] dones;
    }

    /** The built graph: the loss node, the parameter leaves by array name, and the loss terms. */
    static final class Built {
        final ScalarTape tape;
        final Map<String, int[]> leaves;
        int loss;
        double policyLoss;
        double valueLoss;
        double entropyLoss;
        /** Per unroll, the LSNN regularisers' loss (rate plus voltage). */
        double[] lsnnRegLoss;

        Built(ScalarTape tape, Map<String, int[]> leaves) {
            this.tape = tape;
            this.leaves = leaves;
        }

        /** dE/dtheta of every array by the reverse sweep. */
        Map<String, double[]> reverse() {
            double[] adj = tape.gradient(loss);
            Map<String, double[]> out = new LinkedHashMap<>();
            leaves.forEach((name, ids) -> {
                double[] g = new double[ids.length];
                for (int i = 0; i < ids.length; i++) {
                    g[i] = adj[ids[i]];
                }
                out.put(name, g);
            });
            return out;
        }

        /** dE/dtheta of every array by forward sweeps. */
        Map<String, double[]> forward() {
            Map<String, double[]> out = new LinkedHashMap<>();
            leaves.forEach((name, ids) -> out.put(name, tape.tangents(ids, loss)));
            return out;
        }

        double lossValue() {
            return tape.value(loss);
        }
    }

    private final Setup s;
    private final Record rec;
    private final Graph graph;
    private final CnnMode cnnMode;
    private final double[] feedback2;
    private boolean cnnSignalsPerUnroll = true;
    private boolean truncated;

    WholeAgentOracle(Setup setup, Record record, Graph graph, CnnMode cnnMode, double[] feedback2) {
        this.s = setup;
        this.rec = record;
        this.graph = graph;
        this.cnnMode = cnnMode;
        this.feedback2 = feedback2;
    }

    /**
     * Lets the heads' filter of the CNN's contributions carry its derivative across unroll
     * boundaries (the long run's own graph), instead of cutting it there as the product does.
     */
    WholeAgentOracle acrossUnrolls() {
        cnnSignalsPerUnroll = false;
        return this;
    }

    /**
     * Makes the whole carried state a constant at every unroll boundary (the original's learner,
     * {@code traces: truncated}): the LSNN's voltages, adaptation, spikes and readout filter and the
     * CNN's voltages and spikes, whatever the graph and CNN mode. The carried values still enter the
     * next unroll (z(-1) as the recurrent input of its first step), only their derivatives stop.
     */
    WholeAgentOracle truncated() {
        truncated = true;
        return this;
    }

    /** The state carried from network step to network step (node ids), per environment. */
    private static final class State {
        int[][] v1;
        int[][] z1;
        int[][] v2;
        int[][] z2;
        int[][] v;
        int[][] a;
        int[][] z;
        int[][] ref;
        int[][] f;
        int[][] fbar;
        int[][] fcnn;

        State copy() {
            State c = new State();
            c.v1 = deep(v1);
            c.z1 = deep(z1);
            c.v2 = deep(v2);
            c.z2 = deep(z2);
            c.v = deep(v);
            c.a = deep(a);
            c.z = deep(z);
            c.ref = deep(ref);
            c.f = deep(f);
            c.fbar = deep(fbar);
            c.fcnn = deep(fcnn);
            return c;
        }

        private static int[][] deep(int[][] x) {
            int[][] c = new int[x.length][];
            for (int i = 0; i < x.length; i++) {
                c[i] = x[i].clone();
            }
            return c;
        }
    }

    /** Per-unroll sums for the regularisers (node ids). */
    private static final class Sums {
        int[][] pos1;
        int[][] neg1;
        int[][] pos2;
        int[][] neg2;
        int[] spikes;
        int voltage;
    }

    /** Builds the graph of the whole recorded run on {@code tape} with the given weights. */
    Built build(ScalarTape tape, Map<String, double[]> weights) {
        Map<String, int[]> leaves = new LinkedHashMap<>();
        for (String name : new String[] {"w_in", "w_rec", "w_out", "b_out", "head/w_feat", "front/conv1/W",
                "front/conv1/b", "front/conv2/W", "front/conv2/b"}) {
            double[] w = weights.get(name);
            int[] ids = new int[w.length];
            for (int i = 0; i < w.length; i++) {
                ids[i] = tape.leaf(w[i]);
            }
            leaves.put(name, ids);
        }
        Built built = new Built(tape, leaves);
        built.lsnnRegLoss = new double[s.unrolls];
        int zero = tape.leaf(0.0);
        int B = s.batch;
        State st = new State();
        st.v1 = filled(B, s.units1(), zero);
        st.z1 = filled(B, s.units1(), zero);
        st.v2 = filled(B, s.units2(), zero);
        st.z2 = filled(B, s.units2(), zero);
        st.v = filled(B, s.neurons(), zero);
        st.a = filled(B, s.neurons(), zero);
        st.z = filled(B, s.neurons(), zero);
        st.ref = new int[B][s.neurons()];
        st.f = filled(B, s.outputs(), zero);
        st.fbar = filled(B, s.pooled1() + s.pooled2(), zero);
        st.fcnn = filled(B, s.outputs(), zero);

        boolean[] finished = new boolean[B];
        int total = zero;
        for (int u = 0; u < s.unrolls; u++) {
            if (u > 0) {
                cutAtBoundary(tape, st, zero);
            }
            Sums sums = new Sums();
            sums.pos1 = filled(B, s.units1(), zero);
            sums.neg1 = filled(B, s.units1(), zero);
            sums.pos2 = filled(B, s.units2(), zero);
            sums.neg2 = filled(B, s.units2(), zero);
            sums.spikes = new int[s.neurons()];
            java.util.Arrays.fill(sums.spikes, zero);
            sums.voltage = zero;
            int[][][] logits = new int[s.unroll][B][];
            int[][] values = new int[s.unroll][B];
            for (int t = 0; t < s.unroll; t++) {
                int g = u * s.unroll + t;
                int[][] y = agentStep(tape, leaves, st, g, sums, zero);
                for (int b = 0; b < B; b++) {
                    logits[t][b] = java.util.Arrays.copyOf(y[b], s.actions);
                    values[t][b] = y[b][s.actions];
                }
            }
            // V(o_T) from a copy of the state, a constant for the loss.
            double[] bootstrap = new double[B];
            int[][] yBoot = agentStep(tape, leaves, st.copy(), (u + 1) * s.unroll, null, zero);
            for (int b = 0; b < B; b++) {
                bootstrap[b] = tape.constant(yBoot[b][s.actions]);
            }
            int task = actorCritic(tape, built, u, logits, values, bootstrap, finished, zero);
            int rate = rateLoss(tape, sums, zero);
            int voltage = tape.scale(sums.voltage, s.voltageCost / B);
            built.lsnnRegLoss[u] = tape.value(rate) + tape.value(voltage);
            int cnnReg = tape.add(cnnVoltageLoss(tape, sums.pos1, sums.neg1, zero),
                    cnnVoltageLoss(tape, sums.pos2, sums.neg2, zero));
            total = tape.add(total, tape.add(tape.add(task, rate), tape.add(voltage, cnnReg)));
        }
        built.loss = total;
        return built;
    }

    private static int[][] filled(int rows, int n, int node) {
        int[][] a = new int[rows][n];
        for (int[] r : a) {
            java.util.Arrays.fill(r, node);
        }
        return a;
    }

    private void cutAtBoundary(ScalarTape tape, State st, int zero) {
        for (int b = 0; b < s.batch; b++) {
            if (cnnSignalsPerUnroll) {
                stopAll(tape, st.fbar[b]);
                java.util.Arrays.fill(st.fcnn[b], zero);
            }
            if (cnnMode == CnnMode.REFERENCE || truncated) {
                stopAll(tape, st.v1[b]);
                stopAll(tape, st.z1[b]);
                stopAll(tape, st.v2[b]);
                stopAll(tape, st.z2[b]);
            }
            if (graph == Graph.FULL || truncated) {
                stopAll(tape, st.v[b]);
                stopAll(tape, st.a[b]);
                stopAll(tape, st.z[b]);
                stopAll(tape, st.f[b]);
            }
        }
    }

    private static void stopAll(ScalarTape tape, int[] nodes) {
        for (int i = 0; i < nodes.length; i++) {
            nodes[i] = tape.stop(nodes[i]);
        }
    }

    /**
     * One agent step of every environment: the frame held for S network steps; returns the head
     * outputs at the last of them ({@code [B][nOut]}). {@code sums} null: the bootstrap step, which
     * feeds no loss term.
     */
    private int[][] agentStep(ScalarTape tape, Map<String, int[]> w, State st, int g, Sums sums, int zero) {
        int B = s.batch;
        int[][] y = new int[B][];
        for (int b = 0; b < B; b++) {
            int[] current1 = conv1(tape, w, rec.frames[g][b]);
            for (int step = 0; step < s.steps; step++) {
                y[b] = networkStep(tape, w, st, b, current1, step == 0 && rec.start[g][b],
                        rec.start[g][b] ? 1.0 : 0.0, sums, zero);
            }
        }
        return y;
    }

    /** conv1's current for a frame, {@code b1 + sum W1 x}, constant over the agent step. */
    private int[] conv1(ScalarTape tape, Map<String, int[]> w, double[] frame) {
        int[] wk = w.get("front/conv1/W");
        int[] bias = w.get("front/conv1/b");
        int h1 = s.h1();
        int w1 = s.w1();
        int f1 = s.filters1;
        int k = s.kernel1;
        int[] out = new int[s.units1()];
        for (int oy = 0; oy < h1; oy++) {
            for (int ox = 0; ox < w1; ox++) {
                for (int co = 0; co < f1; co++) {
                    int sum = bias[co];
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            double x = frame[(oy * s.stride1 + ky) * s.width + ox * s.stride1 + kx];
                            if (x != 0) {
                                sum = tape.add(sum, tape.scale(wk[(ky * k + kx) * f1 + co], x));
                            }
                        }
                    }
                    out[(oy * w1 + ox) * f1 + co] = sum;
                }
            }
        }
        return out;
    }

    /** conv2's current from conv1's spikes (constants 0 or 1). */
    private int[] conv2(ScalarTape tape, Map<String, int[]> w, double[] spikes1) {
        int[] wk = w.get("front/conv2/W");
        int[] bias = w.get("front/conv2/b");
        int h2 = s.h2();
        int w2 = s.w2();
        int f1 = s.filters1;
        int f2 = s.filters2;
        int k = s.kernel2;
        int[] out = new int[s.units2()];
        for (int oy = 0; oy < h2; oy++) {
            for (int ox = 0; ox < w2; ox++) {
                for (int co = 0; co < f2; co++) {
                    int sum = bias[co];
                    for (int ky = 0; ky < k; ky++) {
                        for (int kx = 0; kx < k; kx++) {
                            for (int ci = 0; ci < f1; ci++) {
                                double x = spikes1[((oy * s.stride2 + ky) * s.w1() + ox * s.stride2 + kx) * f1 + ci];
                                if (x != 0) {
                                    sum = tape.add(sum, tape.scale(wk[((ky * k + kx) * f1 + ci) * f2 + co], x));
                                }
                            }
                        }
                    }
                    out[(oy * w2 + ox) * f2 + co] = sum;
                }
            }
        }
        return out;
    }

    /** Average pooling by window sums. */
    private static int[] pool(ScalarTape tape, int[] in, int inH, int inW, int ch, int kernel, int stride, int zero) {
        int oh = (inH - kernel) / stride + 1;
        int ow = (inW - kernel) / stride + 1;
        int[] out = new int[oh * ow * ch];
        for (int py = 0; py < oh; py++) {
            for (int px = 0; px < ow; px++) {
                for (int c = 0; c < ch; c++) {
                    int sum = zero;
                    for (int ky = 0; ky < kernel; ky++) {
                        for (int kx = 0; kx < kernel; kx++) {
                            sum = tape.add(sum, in[((py * stride + ky) * inW + px * stride + kx) * ch + c]);
                        }
                    }
                    out[(py * ow + px) * ch + c] = tape.scale(sum, 1.0 / (kernel * kernel));
                }
            }
        }
        return out;
    }

    /** A CNN LIF layer's step: {@code v = d v + i - v_th z_old}, {@code z = H((v - v_th)/v_th)}. */
    private int[] cnnLayer(ScalarTape tape, int[] v, int[] zOld, int[] current, int[] pos, int[] neg) {
        double d = Math.exp(-1.0 / s.cnnTau);
        double th = s.cnnThreshold;
        int[] z = new int[v.length];
        for (int j = 0; j < v.length; j++) {
            // REFERENCE keeps the reset in the graph; EPROP's eligibility vector is reset-free.
            int reset = cnnMode == CnnMode.REFERENCE ? zOld[j] : tape.stop(zOld[j]);
            v[j] = tape.add(tape.combine(v[j], d, reset, -th), current[j]);
            z[j] = tape.spike(tape.scale(tape.offset(v[j], -th), 1.0 / th), s.cnnDampening);
            if (pos != null) {
                pos[j] = tape.add(pos[j], tape.relu(tape.offset(v[j], -th)));
                neg[j] = tape.add(neg[j], tape.relu(tape.offset(tape.scale(v[j], -1), -th)));
            }
        }
        return z;
    }

    /** One network step of environment b; returns the head outputs {@code [nOut]} after it. */
    private int[] networkStep(ScalarTape tape, Map<String, int[]> w, State st, int b, int[] current1, boolean reset,
            double flag, Sums sums, int zero) {
        // ---- spiking CNN
        int[] z1 = cnnLayer(tape, st.v1[b], st.z1[b], current1, sums == null ? null : sums.pos1[b],
                sums == null ? null : sums.neg1[b]);
        st.z1[b] = z1;
        double[] in2 = new double[z1.length];
        for (int j = 0; j < z1.length; j++) {
            in2[j] = tape.constant(z1[j]);
        }
        int[] z2 = cnnLayer(tape, st.v2[b], st.z2[b], conv2(tape, w, in2), sums == null ? null : sums.pos2[b],
                sums == null ? null : sums.neg2[b]);
        st.z2[b] = z2;
        int[] z2stop = new int[z2.length];
        for (int j = 0; j < z2.length; j++) {
            z2stop[j] = tape.stop(z2[j]);
        }
        int[] toPool1 = new int[z1.length];
        int[] toPool2 = new int[z2.length];
        for (int j = 0; j < z1.length; j++) {
            toPool1[j] = cnnMode == CnnMode.REFERENCE ? tape.gradScale(z1[j], 1.0 / s.regFactor) : z1[j];
        }
        for (int j = 0; j < z2.length; j++) {
            toPool2[j] = cnnMode == CnnMode.REFERENCE ? tape.gradScale(z2[j], 1.0 / s.regFactor) : z2stop[j];
        }
        int[] p1 = pool(tape, toPool1, s.h1(), s.w1(), s.filters1, s.pool1Kernel, s.pool1Stride, zero);
        int[] p2 = pool(tape, toPool2, s.h2(), s.w2(), s.filters2, s.pool2Kernel, s.pool2Stride, zero);

        // ---- LSNN
        int n = s.neurons();
        if (reset) {
            java.util.Arrays.fill(st.v[b], zero);
            java.util.Arrays.fill(st.a[b], zero);
            java.util.Arrays.fill(st.z[b], zero);
            java.util.Arrays.fill(st.ref[b], 0);
        }
        double[] x = new double[s.inputs()];
        for (int j = 0; j < z2.length; j++) {
            x[j] = tape.value(z2stop[j]);
        }
        x[z2.length] = flag;
        double alpha = Math.exp(-1.0 / s.tauM);
        double rho = Math.exp(-1.0 / s.tauA);
        int[] wIn = w.get("w_in");
        int[] wRec = w.get("w_rec");
        int[] zPrev = st.z[b];
        int[] zRec = new int[n];
        for (int i = 0; i < n; i++) {
            zRec[i] = graph == Graph.EPROP_CUT ? tape.stop(zPrev[i]) : zPrev[i];
        }
        int[] zNew = new int[n];
        for (int j = 0; j < n; j++) {
            double beta = j < s.lif ? 0.0 : s.beta;
            // the adaptation sees the neuron's own emitted spike in both graphs
            int a = tape.combine(st.a[b][j], rho, zPrev[j], 1.0);
            int current = zero;
            for (int i = 0; i < x.length; i++) {
                if (x[i] != 0) {
                    current = tape.add(current, tape.scale(wIn[i * n + j], x[i]));
                }
            }
            for (int i = 0; i < n; i++) {
                if (i != j) {
                    current = tape.add(current, tape.mul(wRec[i * n + j], zRec[i]));
                }
            }
            int v = tape.add(tape.combine(st.v[b][j], alpha, zRec[j], -s.vTh), current);
            int threshold = tape.offset(tape.scale(a, beta), s.vTh);
            int margin = tape.sub(v, threshold);
            int spike;
            if (st.ref[b][j] > 0) {
                spike = zero;
            } else {
                spike = tape.spike(tape.scale(margin, 1.0 / s.vTh), s.gamma);
            }
            int r = st.ref[b][j] + (tape.fired(spike) ? s.refractory : 0) - 1;
            st.ref[b][j] = Math.max(0, Math.min(r, s.refractory));
            st.v[b][j] = v;
            st.a[b][j] = a;
            zNew[j] = spike;
            if (sums != null) {
                sums.spikes[j] = tape.add(sums.spikes[j], spike);
                int above = tape.relu(margin);
                int below = tape.relu(tape.sub(tape.scale(v, -1), threshold));
                sums.voltage = tape.add(sums.voltage, tape.add(tape.square(above), tape.square(below)));
            }
        }
        st.z[b] = zNew;

        // ---- heads: one leaky filter per path, y = f + b_out + fbar W_feat (+ the feedback term)
        double kappa = Math.exp(-1.0 / s.tauOut);
        double c = 1 - kappa;
        int nOut = s.outputs();
        int[] wOut = w.get("w_out");
        int[] bOut = w.get("b_out");
        int[] wFeat = w.get("head/w_feat");
        int[] features = new int[p1.length + p2.length];
        System.arraycopy(p1, 0, features, 0, p1.length);
        System.arraycopy(p2, 0, features, p1.length, p2.length);
        for (int i = 0; i < features.length; i++) {
            st.fbar[b][i] = tape.combine(st.fbar[b][i], kappa, features[i], c);
        }
        int[] out = new int[nOut];
        for (int k = 0; k < nOut; k++) {
            int drive = zero;
            for (int j = 0; j < n; j++) {
                drive = tape.add(drive, tape.mul(wOut[j * nOut + k], zNew[j]));
            }
            st.f[b][k] = tape.combine(st.f[b][k], kappa, drive, c);
            int yk = tape.add(st.f[b][k], bOut[k]);
            for (int i = 0; i < features.length; i++) {
                yk = tape.add(yk, tape.mul(st.fbar[b][i], wFeat[i * nOut + k]));
            }
            if (cnnMode == CnnMode.EPROP) {
                int fb = zero;
                for (int j = 0; j < z2.length; j++) {
                    fb = tape.add(fb, tape.scale(tape.sub(z2[j], z2stop[j]), feedback2[j * nOut + k]));
                }
                st.fcnn[b][k] = tape.combine(st.fcnn[b][k], kappa, fb, c);
                yk = tape.add(yk, st.fcnn[b][k]);
            }
            out[k] = yk;
        }
        return out;
    }

    /** The actor-critic loss of unroll u; the returns and advantages are constants. */
    private int actorCritic(ScalarTape tape, Built built, int u, int[][][] logits, int[][] values, double[] bootstrap,
            boolean[] finished, int zero) {
        int B = s.batch;
        int T = s.unroll;
        double[][] returns = new double[T][B];
        for (int b = 0; b < B; b++) {
            double gNext = bootstrap[b];
            for (int t = T - 1; t >= 0; t--) {
                int g = u * T + t;
                gNext = rec.rewards[g][b] + (rec.dones[g][b] ? 0.0 : s.discount) * gNext;
                returns[t][b] = gNext;
            }
        }
        double[][] mask = new double[T][B];
        for (int b = 0; b < B; b++) {
            double m = s.applyAfterEnd && finished[b] ? 0.0 : 1.0;
            for (int t = 0; t < T; t++) {
                mask[t][b] = m;
                if (s.applyAfterEnd && rec.dones[u * T + t][b]) {
                    m = 0.0;
                }
            }
            for (int t = 0; t < T; t++) {
                finished[b] |= rec.dones[u * T + t][b];
            }
        }
        int loss = zero;
        for (int t = 0; t < T; t++) {
            for (int b = 0; b < B; b++) {
                double m = mask[t][b];
                int[] y = logits[t][b];
                int top = y[0];
                for (int k = 1; k < y.length; k++) {
                    if (tape.value(y[k]) > tape.value(top)) {
                        top = y[k];
                    }
                }
                double shift = tape.constant(top);
                int sumExp = zero;
                for (int k = 0; k < y.length; k++) {
                    sumExp = tape.add(sumExp, tape.exp(tape.offset(y[k], -shift)));
                }
                int logZ = tape.offset(tape.log(sumExp), shift);
                int piLogPi = zero;
                int[] logPi = new int[y.length];
                for (int k = 0; k < y.length; k++) {
                    logPi[k] = tape.sub(y[k], logZ);
                    piLogPi = tape.add(piLogPi, tape.mul(tape.exp(logPi[k]), logPi[k]));
                }
                double advantage = returns[t][b] - tape.constant(values[t][b]);
                int pg = tape.scale(logPi[rec.actions[u * T + t][b]], -m * advantage);
                int value = tape.scale(tape.square(tape.offset(tape.scale(values[t][b], -1), returns[t][b])),
                        m * s.baselineCost * 0.5);
                // -c_H m H with H = -sum pi log pi
                int entropy = tape.scale(piLogPi, m * s.entropyCost);
                built.policyLoss += tape.value(pg);
                built.valueLoss += tape.value(value);
                built.entropyLoss += tape.value(entropy);
                loss = tape.add(loss, tape.add(pg, tape.add(value, entropy)));
            }
        }
        return loss;
    }

    /** {@code c sum_j (f_j - f0)^2}, f_j the unroll's mean spike count per network step and row. */
    private int rateLoss(ScalarTape tape, Sums sums, int zero) {
        double rows = (double) s.unroll * s.steps * s.batch;
        int loss = zero;
        for (int j = 0; j < s.neurons(); j++) {
            loss = tape.add(loss, tape.square(tape.offset(tape.scale(sums.spikes[j], 1.0 / rows), -s.rateTarget)));
        }
        return tape.scale(loss, s.rateCost);
    }

    /** {@code (c/B) sum_{b,j} [mean_t relu(v - th)]^2 + [mean_t relu(-v - th)]^2} of one layer. */
    private int cnnVoltageLoss(ScalarTape tape, int[][] pos, int[][] neg, int zero) {
        double steps = (double) s.unroll * s.steps;
        int loss = zero;
        for (int b = 0; b < s.batch; b++) {
            for (int j = 0; j < pos[b].length; j++) {
                loss = tape.add(loss, tape.add(tape.square(tape.scale(pos[b][j], 1.0 / steps)),
                        tape.square(tape.scale(neg[b][j], 1.0 / steps))));
            }
        }
        return tape.scale(loss, s.cnnVoltageCost / s.batch);
    }
}
