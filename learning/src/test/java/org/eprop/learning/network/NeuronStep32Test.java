package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.tensor.Simd;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The float32 time step ({@link NeuronStep32}): its vector loop against its scalar loop bit for bit,
 * the scalar loop against the neuron equations written out for one neuron, and a whole float32 trial
 * of the Fig. 3 network against the float64 pass (an independent implementation in doubles).
 */
class NeuronStep32Test {

    private static NeuronStep32.Constants constants(SpikingNetwork net, int rows) {
        NeuronStep32.Constants c = new NeuronStep32.Constants();
        c.from(net, rows);
        return c;
    }

    private static SpikingNetwork fig3(Precision p, long seed) {
        return new SpikingNetwork(NeuronLayer.fig3(), Readout.fig3(), p).initialise(new Rng(seed), ReadoutInit.GLOROT_UNIFORM);
    }

    @Test
    void theVectorLoopGivesTheScalarLoopsBits() {
        Assumptions.assumeTrue(Simd.ENABLED, "the JVM runs without jdk.incubator.vector or vectors of 256 bits or more");
        Rng rng = new Rng(17);
        for (int n : new int[] {100, 37, 16, 7, 400}) {
            SpikingNetwork net = new SpikingNetwork(new NeuronLayer(3, n - n / 2, n / 2, 1.0, 20, 2000, 0.6,
                    NeuronLayer.FIG3_BETA, 5, 0.3, org.eprop.learning.neuron.InputConvention.CURRENT), Readout.fig3(),
                    Precision.FLOAT32);
            int rows = 3;
            NeuronStep32.Constants c = constants(net, rows);
            float[][] a = state(rng, rows * n, c.nRef);
            float[][] b = copy(a);
            for (int step = 0; step < 300; step++) {
                float[] cur = new float[rows * n];
                for (int i = 0; i < cur.length; i++) {
                    // thresholds crossed exactly, tiny currents that leave subnormal voltages, signed zeros
                    cur[i] = switch (i % 7) {
                        case 0 -> (float) (rng.nextGaussian() * 0.5);
                        case 1 -> (float) (rng.nextGaussian() * 1e-39);
                        case 2 -> -0f;
                        default -> (float) (rng.nextGaussian() * 0.05);
                    };
                }
                // with and without recording the state; row by row, and all rows in one range
                boolean record = step % 3 != 0;
                if (step % 2 == 0) {
                    for (int r = 0; r < rows; r++) {
                        NeuronStep32.update(c, r * n, (r + 1) * n, a[0], a[1], a[2], a[3], cur, 0, 0, a[4], a[5],
                                record ? a[6] : null, record ? a[7] : null);
                        NeuronStep32Vector.update(c, r * n, (r + 1) * n, b[0], b[1], b[2], b[3], cur, 0, 0, b[4], b[5],
                                record ? b[6] : null, record ? b[7] : null);
                    }
                } else {
                    NeuronStep32.update(c, 0, rows * n, a[0], a[1], a[2], a[3], cur, 0, 0, a[4], a[5],
                            record ? a[6] : null, record ? a[7] : null);
                    NeuronStep32Vector.update(c, 0, rows * n, b[0], b[1], b[2], b[3], cur, 0, 0, b[4], b[5],
                            record ? b[6] : null, record ? b[7] : null);
                }
                for (int k = 0; k < a.length; k++) {
                    for (int i = 0; i < a[k].length; i++) {
                        assertEquals(Float.floatToRawIntBits(a[k][i]), Float.floatToRawIntBits(b[k][i]),
                                "n " + n + ", step " + step + ", array " + k + ", element " + i);
                    }
                }
            }
        }
    }

    /**
     * The spike lists that the update makes as it goes: each row's spiking neurons in ascending
     * order, by the vector loop and the scalar loop alike, whatever the rows' width against the
     * lanes, with the update running over all the rows at once as the time-step loop does, and the
     * lists' rows numbered apart from psi's ({@code listShift}, as over several thread slices).
     */
    @Test
    void theUpdateListsEachRowsSpikesInOrder() {
        Rng rng = new Rng(23);
        for (int n : new int[] {100, 37, 16, 7, 400}) {
            SpikingNetwork net = new SpikingNetwork(new NeuronLayer(3, n - n / 2, n / 2, 1.0, 20, 2000, 0.6,
                    NeuronLayer.FIG3_BETA, 5, 0.3, org.eprop.learning.neuron.InputConvention.CURRENT), Readout.fig3(),
                    Precision.FLOAT32);
            int rows = 5;
            int shift = 3 * n; // the step's rows sit after three earlier rows, as in a trajectory
            // the lists' rows numbered apart from psi's, as a thread slice's rows of its own (ForwardPass)
            int listShift = shift - 2 * n;
            NeuronStep32.Constants c = constants(net, rows);
            int total = 0;
            for (int step = 0; step < 20; step++) {
                float[][] a = state(rng, rows * n, c.nRef);
                float[][] b = copy(a);
                float[] cur = new float[rows * n];
                for (int i = 0; i < cur.length; i++) {
                    cur[i] = (float) (rng.nextGaussian() * (i % 11 == 0 ? 2.0 : 0.3));
                }
                float[] za = new float[shift + rows * n];
                float[] zb = new float[shift + rows * n];
                float[] psi = new float[shift + rows * n];
                int region = n + 8; // a row's list, and the 8 ints the vector loop may store past its end
                int[] listsScalar = new int[za.length / n * region];
                int[] countsScalar = new int[za.length / n];
                int[] lists = new int[za.length / n * region];
                int[] counts = new int[za.length / n];
                // each row's list where the caller says (here in reverse row order), not at r*n
                int[] starts = new int[counts.length];
                for (int r = 0; r < starts.length; r++) {
                    starts[r] = (starts.length - 1 - r) * region;
                }
                NeuronStep32.update(c, 0, rows * n, a[0], a[1], a[2], a[3], cur, 0, shift, za, psi, null, null, n,
                        listsScalar, listShift, starts, countsScalar);
                if (Simd.ENABLED) {
                    NeuronStep32Vector.update(c, 0, rows * n, b[0], b[1], b[2], b[3], cur, 0, shift, zb, psi, null,
                            null, n, lists, listShift, starts, counts);
                } else {
                    NeuronStep32.advance(c, n, 0, rows * n, b[0], b[1], b[2], b[3], cur, 0, shift, zb, psi, null, null,
                            lists, listShift, starts, counts);
                }
                for (int r = 3; r < 3 + rows; r++) {
                    int l = r - 2; // its row in the lists' numbering
                    int k = 0;
                    for (int j = 0; j < n; j++) {
                        assertEquals(za[r * n + j], zb[r * n + j], "n " + n + ", row " + r + ", neuron " + j);
                        if (za[r * n + j] != 0f) {
                            assertEquals(j, lists[starts[l] + k], "n " + n + ", row " + r + ", spike " + k);
                            assertEquals(j, listsScalar[starts[l] + k], "n " + n + ", row " + r + ", spike " + k
                                    + " (scalar)");
                            k++;
                        }
                    }
                    assertEquals(k, counts[l], "n " + n + ", row " + r + ": spikes listed");
                    assertEquals(k, countsScalar[l], "n " + n + ", row " + r + ": spikes listed (scalar)");
                    total += k;
                }
            }
            assertTrue(total > 0 && total < 20 * rows * n, "n " + n + ": spikes and silent neurons, " + total + " spikes");
        }
    }

    /** v, b, zPrev, ref, z, psi, vRec, bRec with values from every regime. */
    private static float[][] state(Rng rng, int size, float nRef) {
        float[][] s = new float[8][size];
        for (int i = 0; i < size; i++) {
            s[0][i] = i % 5 == 0 ? Float.MIN_NORMAL * 1.5f : (float) rng.uniform(-1, 1.5);
            s[1][i] = (float) rng.uniform(0, 2);
            s[2][i] = rng.bernoulli(0.3) ? 1f : 0f;
            s[3][i] = (float) Math.floor(rng.uniform(0, nRef + 1));
        }
        return s;
    }

    private static float[][] copy(float[][] a) {
        float[][] c = new float[a.length][];
        for (int k = 0; k < a.length; k++) {
            c[k] = a[k].clone();
        }
        return c;
    }

    @Test
    void theScalarLoopIsTheNeuronEquationsInFloat() {
        SpikingNetwork net = fig3(Precision.FLOAT32, 1);
        NeuronStep32.Constants c = constants(net, 1);
        int n = net.neurons();
        int j = 70; // an ALIF neuron
        float alpha = (float) Math.exp(-1.0 / 20);
        float rho = (float) Math.exp(-1.0 / 2000);
        float beta = (float) NeuronLayer.FIG3_BETA;
        float vTh = 0.6f;
        float[] v = new float[n];
        float[] b = new float[n];
        float[] zPrev = new float[n];
        float[] ref = new float[n];
        float[] z = new float[n];
        float[] psi = new float[n];
        float ev = 0.5f;
        float eb = 0.25f;
        float ez = 0f;
        int eref = 0;
        float[] drive = {0.2f, 0.5f, 0.05f, 0f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, 0.9f, -0.3f};
        v[j] = ev;
        b[j] = eb;
        int spikes = 0;
        for (float in : drive) {
            float[] cur = new float[n];
            cur[j] = in;
            NeuronStep32.update(c, 0, n, v, b, zPrev, ref, cur, 0, 0, z, psi, null, null);
            // the equations of NeuronLayer, one float operation at a time
            eb = rho * eb + ez;
            ev = alpha * ev + in - vTh * ez;
            float scaled = (ev - vTh - beta * eb) / vTh;
            boolean spike = eref == 0 && scaled > 0;
            float epsi = eref > 0 ? 0f : 0.3f / vTh * Math.max(0f, 1f - Math.abs(scaled));
            eref = spike ? 4 : Math.max(0, eref - 1); // the spike's step is the first of t_ref = 5
            ez = spike ? 1f : 0f;
            spikes += spike ? 1 : 0;
            assertEquals(ev, v[j], 1e-7f * Math.abs(ev) + 1e-12f, "v");
            assertEquals(eb, b[j], 1e-7f * Math.abs(eb), "b");
            assertEquals(ez, z[j], "z");
            assertEquals(epsi, psi[j], 1e-6f, "psi");
            assertEquals(eref, ref[j], "refractory steps");
        }
        assertTrue(spikes >= 2, "the drive makes the neuron spike and then sit out its refractory period: " + spikes);
    }

    /**
     * Float32 against double over a full Fig. 3 trial (2,250 steps): voltages, adaptations,
     * pseudo-derivatives and outputs within 1e-5 while the two runs spike alike. The network is
     * chaotic, so a spike decided by less than float's resolution (the double run's distance to the
     * threshold below 1e-5) may come out the other way and the sequence goes its own way from there;
     * each sequence is compared up to such a flip, and the flip itself must be one of those ties.
     */
    @Test
    void aFloat32TrialOfTheFig3NetworkStaysWithin1e5OfDouble() {
        int steps = 2250;
        int batch = 4;
        int n = 100;
        Rng rng = new Rng(9);
        RealArray x64 = Precision.FLOAT64.zeros(steps * batch * 40);
        for (int i = 0; i < x64.length(); i++) {
            x64.set(i, rng.bernoulli(0.02) ? 1 : 0);
        }
        RealArray x32 = Precision.FLOAT32.zeros(x64.length());
        x32.copyFrom(x64);
        SpikingNetwork net32 = fig3(Precision.FLOAT32, 4);
        SpikingNetwork net64 = net32.toPrecision(Precision.FLOAT64);
        // The decays as float32 holds them: rho = e^(-1/2000) rounded to float is off by 3e-8, which
        // 2,000 steps of adaptation turn into 2e-5 per spike; that is the network's constants, not the
        // arithmetic compared here.
        for (int j = 0; j < n; j++) {
            net64.alpha[j] = net32.alpha[j];
            net64.rho[j] = net32.rho[j];
            net64.beta[j] = net32.beta[j];
        }
        Trajectory d = new ForwardPass(Precision.FLOAT64).run(net64, x64, steps, batch, true);
        Trajectory f = new ForwardPass(Precision.FLOAT32).run(net32, x32, steps, batch, true);
        double dv = 0;
        double dpsi = 0;
        double dy = 0;
        int fullSequences = 0;
        long comparedSteps = 0;
        long spikes = 0;
        for (int bb = 0; bb < batch; bb++) {
            int t = 0;
            for (; t < steps; t++) {
                int row = (t * batch + bb) * n;
                int flip = -1;
                for (int j = 0; j < n && flip < 0; j++) {
                    flip = d.spikes().get(row + j) != f.spikes().get(row + j) ? j : -1;
                }
                if (flip >= 0) {
                    double scaled = (d.voltage().get(row + flip) - net64.vTh()
                            - net64.beta(flip) * d.adaptation().get(row + flip)) / net64.vTh();
                    assertTrue(Math.abs(scaled) < 1e-5, "sequence " + bb + " step " + t + " neuron " + flip
                            + ": float32 and double spike differently " + scaled + " from the threshold");
                    break;
                }
                for (int j = 0; j < n; j++) {
                    int i = row + j;
                    spikes += (long) d.spikes().get(i);
                    dv = Math.max(dv, Math.abs(d.voltage().get(i) - f.voltage().get(i)) / (1 + Math.abs(d.voltage().get(i))));
                    dv = Math.max(dv, Math.abs(d.adaptation().get(i) - f.adaptation().get(i))
                            / (1 + Math.abs(d.adaptation().get(i))));
                    dpsi = Math.max(dpsi, Math.abs(d.psi().get(i) - f.psi().get(i)));
                }
                for (int k = 0; k < 2; k++) {
                    int i = (t * batch + bb) * 2 + k;
                    dy = Math.max(dy, Math.abs(d.outputs().get(i) - f.outputs().get(i)) / (1 + Math.abs(d.outputs().get(i))));
                }
            }
            comparedSteps += t;
            fullSequences += t == steps ? 1 : 0;
        }
        System.out.printf("float32 vs double, %d of %d sequences spike alike over all %d steps, %d steps compared: "
                + "v, b %.2e, psi %.2e, y %.2e%n", fullSequences, batch, steps, comparedSteps, dv, dpsi, dy);
        assertTrue(fullSequences >= batch / 2, fullSequences + " of " + batch + " sequences follow double to the end");
        assertTrue(spikes > comparedSteps * n * 0.002, "the network is active: " + spikes + " spikes");
        assertTrue(dv < 1e-5 && dpsi < 1e-5 && dy < 1e-5, "float32 vs double: v, b " + dv + ", psi " + dpsi + ", y " + dy);
        assertTrue(dv > 0, "the float32 run is not float32");
    }
}
