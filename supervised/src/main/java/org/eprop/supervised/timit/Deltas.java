package org.eprop.supervised.timit;

/**
 * Deltas and delta-deltas as the original loader appends them ({@code tools.py}, TimitDataset):
 * {@code d[t] = v[t+1] - v[t-1]} (no division by 2, unlike the usual regression formula) for the
 * inner frames, zero rows at both ends, and the second taken of the first. A {@code dims}-column
 * feature becomes {@code [v, d, dd]} with {@code 3 dims} columns.
 */
public final class Deltas {

    private Deltas() {
    }

    /**
     * Writes {@code [v, d, dd]} for the {@code frames x dims} row-major {@code base} into {@code out}
     * ({@code frames x 3 dims}). With one or two frames there is no inner frame and both deltas are 0.
     */
    public static void append(double[] base, int frames, int dims, double[] out) {
        if (base.length < frames * dims || out.length < frames * 3 * dims) {
            throw new IllegalArgumentException("arrays too short for " + frames + " frames of " + dims + " values");
        }
        int w = 3 * dims;
        for (int t = 0; t < frames; t++) {
            System.arraycopy(base, t * dims, out, t * w, dims);
        }
        for (int t = 0; t < frames; t++) {
            boolean inner = t > 0 && t < frames - 1;
            for (int k = 0; k < dims; k++) {
                out[t * w + dims + k] = inner ? base[(t + 1) * dims + k] - base[(t - 1) * dims + k] : 0;
            }
        }
        for (int t = 0; t < frames; t++) {
            boolean inner = t > 0 && t < frames - 1;
            for (int k = 0; k < dims; k++) {
                out[t * w + 2 * dims + k] = inner ? out[(t + 1) * w + dims + k] - out[(t - 1) * w + dims + k] : 0;
            }
        }
    }
}
