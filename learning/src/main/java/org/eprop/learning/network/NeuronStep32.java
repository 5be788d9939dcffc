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
 * The spikes of the step are then listed in ascending order by a separate scan, so that the next
 * step's recurrent input can be summed from the rows of the neurons that spiked.
 *
 * <p>State, per neuron {@code k = state + j}: voltage {@code v}, adaptation {@code b}, the previous
 * step's spike {@code zPrev} (0 or 1) and the refractory steps left {@code ref} (a small whole number
 * held as a float so that the loop stays in one lane type).
 */
final class NeuronStep32 {

    private NeuronStep32() {
    }

    /** The constants of the update, per neuron or shared, in float. */
    static final class Constants {
        float[] alpha = new float[0];
        float[] rho = new float[0];
        float[] beta = new float[0];
        float vTh;
        float inverseVTh;
        float psiScale;
        float nRef;

        /** From the network (its constants are already float32 values), without allocating when the size holds. */
        void from(SpikingNetwork net) {
            int n = net.neurons();
            if (alpha.length != n) {
                alpha = new float[n];
                rho = new float[n];
                beta = new float[n];
            }
            for (int j = 0; j < n; j++) {
                alpha[j] = (float) net.alpha[j];
                rho[j] = (float) net.rho[j];
                beta[j] = (float) net.beta[j];
            }
            vTh = (float) net.vTh;
            inverseVTh = (float) (1.0 / net.vTh);
            psiScale = (float) (net.gamma / net.vTh);
            nRef = net.refractorySteps;
        }
    }

    /**
     * Advances neurons {@code [0, n)} of one sequence by one step and returns how many spiked, their
     * indices written in ascending order to {@code spikeIndex[state ...]}.
     *
     * @param cur the input current of the step, {@code cur[row + j]} (input and recurrent)
     * @param z the spikes of the step, written at {@code row}
     * @param psi the pseudo-derivatives of the step, written at {@code row}
     * @param vRec null, or where the step's voltages are kept (at {@code row})
     * @param bRec null, or where the step's adaptations are kept (at {@code row})
     */
    static int step(Constants c, int n, float[] v, float[] b, float[] zPrev, float[] ref, int state,
            float[] cur, float[] z, float[] psi, float[] vRec, float[] bRec, int row, int[] spikeIndex) {
        if (Simd.ENABLED && n >= Simd.MIN_LENGTH) {
            NeuronStep32Vector.update(c, n, v, b, zPrev, ref, state, cur, z, psi, vRec, bRec, row);
            return NeuronStep32Vector.collect(z, row, n, spikeIndex, state);
        }
        update(c, n, 0, v, b, zPrev, ref, state, cur, z, psi, vRec, bRec, row);
        return collect(z, row, 0, n, spikeIndex, state, 0);
    }

    /** Appends the indices j in [from, to) with a spike at {@code z[row + j]} to the list at {@code state + count}. */
    static int collect(float[] z, int row, int from, int to, int[] spikeIndex, int state, int count) {
        for (int j = from; j < to; j++) {
            if (z[row + j] != 0f) {
                spikeIndex[state + count++] = j;
            }
        }
        return count;
    }

    /** The scalar update of neurons {@code [from, n)}: the reference, and the vector loop's tail. */
    static void update(Constants c, int n, int from, float[] v, float[] b, float[] zPrev, float[] ref, int state,
            float[] cur, float[] z, float[] psi, float[] vRec, float[] bRec, int row) {
        final float[] alpha = c.alpha;
        final float[] rho = c.rho;
        final float[] beta = c.beta;
        final float vTh = c.vTh;
        final float inverseVTh = c.inverseVTh;
        final float psiScale = c.psiScale;
        final float nRef = c.nRef;
        for (int j = from; j < n; j++) {
            final int k = state + j;
            final float zp = zPrev[k];
            final float bNow = flush(rho[j] * b[k] + zp);
            final float vNow = flush(alpha[j] * v[k] + cur[row + j] - vTh * zp);
            b[k] = bNow;
            v[k] = vNow;
            final float scaled = (vNow - vTh - beta[j] * bNow) * inverseVTh;
            final float r = ref[k];
            final boolean refractory = r > 0f;
            final boolean spike = !refractory && scaled > 0f;
            final float spikeNow = spike ? 1f : 0f;
            z[row + j] = spikeNow;
            zPrev[k] = spikeNow;
            psi[row + j] = refractory ? 0f : psiScale * Math.max(0f, 1f - Math.abs(scaled));
            ref[k] = Math.max(0f, Math.min(r + (spike ? nRef : 0f) - 1f, nRef));
            if (vRec != null) {
                vRec[row + j] = vNow;
                bRec[row + j] = bNow;
            }
        }
    }

    /** Zero for a subnormal (or zero) value, else the value: {@link org.eprop.learning.tensor.Precision#round}'s flush. */
    static float flush(float x) {
        return Math.abs(x) < Float.MIN_NORMAL ? 0f : x;
    }
}
