package org.eprop.learning.network;

import org.eprop.learning.tensor.Simd;

/**
 * One time step of the LIF/ALIF layer for one sequence, in float32 arithmetic on float arrays: the
 * fused neuron update of {@link ForwardPass} for {@link org.eprop.learning.tensor.Precision#FLOAT32}
 * (equations in {@link org.eprop.learning.neuron.NeuronLayer}).
 *
 * <p>Every quantity is a float and every operation a float operation, in the order written below;
 * results below float's smallest normal number (a voltage decaying for thousands of silent steps)
 * are flushed to zero, as {@link org.eprop.learning.tensor.Precision#round} does, because subnormal
 * arithmetic is two orders of magnitude slower on x86. The loop has no data-dependent branch and
 * touches contiguous memory only, so it runs as one vector loop: {@link NeuronStep32Vector} with the
 * JDK's vector API where {@link Simd#ENABLED}, lane for lane the same IEEE operations as the scalar
 * loop here, which remains the reference and the fallback (bit-identical, {@code NeuronStep32Test}).
 * The loop runs over the neurons of all the rows (sequences) that one worker simulates, which lie
 * contiguously, so that a row of 100 neurons is no vector tail of its own. The spikes of the step are
 * listed per row in ascending order from what the loop finds (the vector loop keeps a word of spike
 * bits per vector and lists them after the loop, a byte at a time), so that the next step's
 * recurrent input (and the weight gradients, after the run) can be summed from the rows of the
 * neurons that spiked. (A separate scan of each step's spikes took 4-8 ms of a Fig. 3 run's 40-ms
 * time loop, measured alone.)
 *
 * <p>State, per neuron {@code k = state + j}: voltage {@code v}, adaptation {@code b}, the previous
 * step's spike {@code zPrev} (0 or 1) and the refractory steps left {@code ref} (a small whole number
 * held as a float so that the loop stays in one lane type).
 */
final class NeuronStep32 {

    private NeuronStep32() {
    }

    /**
     * The constants of the update in float: alpha, rho and beta per state element, tiled over the
     * rows of the batch (element {@code k = b*n + j} holds neuron j's), so that one loop can run over
     * the neurons of many rows at once; the thresholds shared.
     */
    static final class Constants {
        float[] alpha = new float[0];
        float[] rho = new float[0];
        float[] beta = new float[0];
        float vTh;
        float inverseVTh;
        float psiScale;
        float nRef;
        /** The vector loop's spike words, one per vector of state elements ({@link NeuronStep32Vector}). */
        int[] words = new int[0];

        /**
         * From the network (its constants are already float32 values) for {@code rows} rows of its
         * neurons, without allocating when the size holds.
         */
        void from(SpikingNetwork net, int rows) {
            int n = net.neurons();
            if (alpha.length != rows * n) {
                alpha = new float[rows * n];
                rho = new float[rows * n];
                beta = new float[rows * n];
                words = new int[rows * n / 4 + 2];
            }
            for (int j = 0; j < n; j++) {
                alpha[j] = (float) net.alpha[j];
                rho[j] = (float) net.rho[j];
                beta[j] = (float) net.beta[j];
            }
            for (int r = 1; r < rows; r++) {
                System.arraycopy(alpha, 0, alpha, r * n, n);
                System.arraycopy(rho, 0, rho, r * n, n);
                System.arraycopy(beta, 0, beta, r * n, n);
            }
            vTh = (float) net.vTh;
            inverseVTh = (float) (1.0 / net.vTh);
            psiScale = (float) (net.gamma / net.vTh);
            nRef = net.refractorySteps;
        }
    }

    /**
     * Advances the state elements {@code k} in {@code [from, to)} by one step: the neurons of one or
     * of several consecutive rows (sequences) of the batch, whose state lies contiguously, as does
     * their row of each step's recorded arrays. The vector loop where {@link Simd#ENABLED} and a row
     * of {@code n} neurons is long enough ({@link Simd#MIN_LENGTH}: small networks stay with the
     * scalar loop, whose compiled code does not wait on the JIT as the vector API's does), else the
     * scalar loop (the same bits).
     *
     * @param cur the input current of the step (input and recurrent), at {@code k + curShift}: the
     *     trajectory's row of currents, or a workspace row of the sequence
     * @param shift where the recorded arrays hold element k: at {@code k + shift}
     * @param z the spikes of the step, written at {@code k + shift}; null: not written (the lists
     *     and {@code zPrev} hold them)
     * @param psi the pseudo-derivatives of the step, written at {@code k + shift}
     * @param vRec null, or where the step's voltages are kept (at {@code k + shift})
     * @param bRec null, or where the step's adaptations are kept
     * @param lists where the step's spikes are listed per row ({@link #append} of element
     *     {@code k + listShift}), the rows' {@code counts} zeroed and their {@code starts} set by the
     *     caller; null: not listed
     * @param listShift element k's index in the row numbering of {@code starts} and {@code counts}:
     *     {@code k + listShift}, of row {@code (k + listShift) / n}. The trajectory's rows
     *     ({@code shift}), or a thread slice's rows of its own ({@code ForwardPass}).
     */
    static void advance(Constants c, int n, int from, int to, float[] v, float[] b, float[] zPrev, float[] ref,
            float[] cur, int curShift, int shift, float[] z, float[] psi, float[] vRec, float[] bRec, int[] lists,
            int listShift, int[] starts, int[] counts) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            NeuronStep32Vector.update(c, from, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, vRec, bRec, n, lists,
                    listShift, starts, counts);
        } else {
            update(c, from, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, vRec, bRec, n, lists, listShift, starts,
                    counts);
        }
    }

    /**
     * Appends the spike of trajectory element {@code i} (row {@code r = i / n}, neuron
     * {@code i - r n}) to its row's list, {@code lists[starts[r] + counts[r]++]}: called for a step's
     * elements in ascending order, so that each row's list is ascending.
     */
    static void append(int i, int n, int[] lists, int[] starts, int[] counts) {
        int r = i / n;
        lists[starts[r] + counts[r]++] = i - r * n;
    }

    /** The scalar update of state elements {@code [from, to)}: the reference, and the vector loop's tail. */
    static void update(Constants c, int from, int to, float[] v, float[] b, float[] zPrev, float[] ref, float[] cur,
            int curShift, int shift, float[] z, float[] psi, float[] vRec, float[] bRec) {
        update(c, from, to, v, b, zPrev, ref, cur, curShift, shift, z, psi, vRec, bRec, 1, null, 0, null, null);
    }

    /** {@link #update} that also lists the spikes ({@link #advance}'s {@code lists}; null: not listed). */
    static void update(Constants c, int from, int to, float[] v, float[] b, float[] zPrev, float[] ref, float[] cur,
            int curShift, int shift, float[] z, float[] psi, float[] vRec, float[] bRec, int n, int[] lists,
            int listShift, int[] starts, int[] counts) {
        final float[] alpha = c.alpha;
        final float[] rho = c.rho;
        final float[] beta = c.beta;
        final float vTh = c.vTh;
        final float inverseVTh = c.inverseVTh;
        final float psiScale = c.psiScale;
        final float nRef = c.nRef;
        for (int k = from; k < to; k++) {
            final int i = k + shift;
            final float zp = zPrev[k];
            final float bNow = flush(rho[k] * b[k] + zp);
            final float vNow = flush(alpha[k] * v[k] + cur[k + curShift] - vTh * zp);
            b[k] = bNow;
            v[k] = vNow;
            final float scaled = (vNow - vTh - beta[k] * bNow) * inverseVTh;
            final float r = ref[k];
            final boolean refractory = r > 0f;
            final boolean spike = !refractory && scaled > 0f;
            final float spikeNow = spike ? 1f : 0f;
            if (z != null) {
                z[i] = spikeNow;
            }
            zPrev[k] = spikeNow;
            if (spike && lists != null) {
                append(k + listShift, n, lists, starts, counts);
            }
            psi[i] = refractory ? 0f : psiScale * Math.max(0f, 1f - Math.abs(scaled));
            ref[k] = Math.max(0f, Math.min(r + (spike ? nRef : 0f) - 1f, nRef));
            if (vRec != null) {
                vRec[i] = vNow;
                bRec[i] = bNow;
            }
        }
    }

    /** Zero for a subnormal (or zero) value, else the value: {@link org.eprop.learning.tensor.Precision#round}'s flush. */
    static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }
}
