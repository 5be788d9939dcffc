package org.eprop.learning.network;

import java.util.LinkedHashMap;
import java.util.Map;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * What a {@link SpikingNetwork} carries from one unroll to the next, per batch row: the neuron
 * state at the last step, the readout filter, and, for the gradient methods that need them, the
 * eligibility traces. With it a network runs across unrolls as the reference's Atari agent does
 * (its {@code initial_state}, carried from one 100-step unroll to the next and reset row by row on
 * {@code done}; Bellec et al. 2020, Figs. 4-5, code {@code IGITUGraz/eligibility_propagation}).
 *
 * <h2>Contents (row b, neuron j, presynaptic source p: inputs first, then neurons)</h2>
 * <pre>
 *   v_j, b_j          membrane potential and adaptation after the last step
 *   r_j               refractory count after the last step
 *   z_j               spike of the last step, z(t-1) for the next step's recurrence, reset and adaptation
 *   f_k               the readout filter f(t) = kappa f(t-1) + c_out sum_j W_out[j,k] z_j(t); y = f + b_out
 *   zbar_j            the kappa-filtered spikes zbar(t) = kappa zbar(t-1) + c_out z_j(t), which the exact
 *                     W_out gradient across a boundary needs (f is zbar W_out, but W_out changes)
 *   eps_v[b,j,p]      eligibility vector, membrane part, at the last step
 *   eps_a[b,j,p]      eligibility vector, adaptation part, already advanced to the next step:
 *                     eps_a(t+1) = (rho - beta psi(t)) eps_a(t) + psi(t) eps_v(t) needs only the past,
 *                     so the next unroll starts from it without the last pseudo-derivative
 *   ebar[b,j,p]       the kappa-filtered eligibility trace of paper eq. (25) at the last step
 * </pre>
 * The traces cost O(batch x (nIn + n) x n) and are allocated only by the methods that carry them
 * ({@link #ensureTraces()}); the forward pass never touches them except to reset rows.
 *
 * <h2>Protocol</h2>
 * A {@link ForwardPass} reads the neuron and readout parts as the state before the first step and
 * overwrites them with the state after the last one; a gradient method then reads the traces (still
 * those at the start of the unroll) and overwrites them with those at its end. A fresh state is all
 * zeros, exactly the state every run starts from without one.
 */
public final class NetworkState {

    /** What a reset of a row zeroes. */
    public enum Scope {
        /** Neurons, readout filter and traces: the row becomes a fresh state. */
        ALL,
        /**
         * The neurons (v, b, refractory count, last spikes) and their eligibility vectors eps_v and
         * eps_a; the readout filter (f, zbar) and the filtered trace ebar carry on. The reference's
         * Atari agent resets its LSNN on {@code done} but not the heads' filters.
         */
        NEURONS
    }

    private final Precision precision;
    private final int batch;
    private final int nIn;
    private final int n;
    private final int nOut;
    private final RealArray voltage;
    private final RealArray adaptation;
    private final int[] refractory;
    private final RealArray spikes;
    private final RealArray readout;
    private final RealArray filteredSpikes;
    private RealArray epsV;
    private RealArray epsA;
    private RealArray eBar;

    /** A fresh (zero) state of {@code batch} rows for {@code net}, in the network's precision. */
    public static NetworkState zeros(SpikingNetwork net, int batch) {
        return new NetworkState(net.precision(), batch, net.inputs(), net.neurons(), net.outputs());
    }

    public NetworkState(Precision precision, int batch, int nIn, int n, int nOut) {
        if (batch <= 0 || nIn < 0 || n <= 0 || nOut <= 0) {
            throw new IllegalArgumentException("state shape batch=" + batch + " nIn=" + nIn + " n=" + n + " nOut="
                    + nOut);
        }
        this.precision = precision;
        this.batch = batch;
        this.nIn = nIn;
        this.n = n;
        this.nOut = nOut;
        this.voltage = precision.zeros(batch * n);
        this.adaptation = precision.zeros(batch * n);
        this.refractory = new int[batch * n];
        this.spikes = precision.zeros(batch * n);
        this.readout = precision.zeros(batch * nOut);
        this.filteredSpikes = precision.zeros(batch * n);
    }

    public Precision precision() {
        return precision;
    }

    public int batch() {
        return batch;
    }

    public int inputs() {
        return nIn;
    }

    public int neurons() {
        return n;
    }

    public int outputs() {
        return nOut;
    }

    /** Number of presynaptic sources per neuron in the trace layout: nIn + n. */
    public int sources() {
        return nIn + n;
    }

    /** v [batch x n]. */
    public RealArray voltage() {
        return voltage;
    }

    /** b [batch x n]. */
    public RealArray adaptation() {
        return adaptation;
    }

    /** Refractory counts [batch x n]. */
    public int[] refractory() {
        return refractory;
    }

    /** z of the last step [batch x n], 0 or 1. */
    public RealArray spikes() {
        return spikes;
    }

    /** The readout filter f [batch x nOut] (the output is f + b_out). */
    public RealArray readout() {
        return readout;
    }

    /** zbar [batch x n]. */
    public RealArray filteredSpikes() {
        return filteredSpikes;
    }

    /** Whether the eligibility traces are allocated. */
    public boolean hasTraces() {
        return epsV != null;
    }

    /** Allocates zero traces if there are none (a method that carries traces calls this). */
    public NetworkState ensureTraces() {
        if (epsV == null) {
            int size = batch * n * sources();
            epsV = precision.zeros(size);
            epsA = precision.zeros(size);
            eBar = precision.zeros(size);
        }
        return this;
    }

    /** eps_v [batch x n x (nIn + n)], element (b, j, p) at {@code (b * n + j) * (nIn + n) + p}; null if none. */
    public RealArray epsV() {
        return epsV;
    }

    /**
     * eps_a advanced to the next step, layout of {@link #epsV()}; null if none. Kept for adaptive
     * neurons only: a neuron without adaptation (beta = 0) has zeros here, since every use of its
     * eps_a multiplies it by beta.
     */
    public RealArray epsA() {
        return epsA;
    }

    /** ebar, layout of {@link #epsV()}; null if none. */
    public RealArray eBar() {
        return eBar;
    }

    /** Zeroes row {@code row} entirely: it becomes a fresh state. */
    public void reset(int row) {
        reset(row, Scope.ALL);
    }

    /** Zeroes every row whose flag is set, entirely. */
    public void reset(boolean[] rows) {
        reset(rows, Scope.ALL);
    }

    public void reset(boolean[] rows, Scope scope) {
        if (rows.length != batch) {
            throw new IllegalArgumentException(rows.length + " reset flags for " + batch + " rows");
        }
        for (int r = 0; r < batch; r++) {
            if (rows[r]) {
                reset(r, scope);
            }
        }
    }

    /** Zeroes what {@code scope} names of row {@code row}. */
    public void reset(int row, Scope scope) {
        if (row < 0 || row >= batch) {
            throw new IllegalArgumentException("row " + row + " outside [0, " + batch + ")");
        }
        zero(voltage, row * n, n);
        zero(adaptation, row * n, n);
        zero(spikes, row * n, n);
        java.util.Arrays.fill(refractory, row * n, (row + 1) * n, 0);
        if (epsV != null) {
            int width = n * sources();
            zero(epsV, row * width, width);
            zero(epsA, row * width, width);
        }
        if (scope == Scope.ALL) {
            resetReadout(row);
        }
    }

    /** Zeroes the readout filter of row {@code row} (f, zbar and the filtered trace ebar). */
    public void resetReadout(int row) {
        zero(readout, row * nOut, nOut);
        zero(filteredSpikes, row * n, n);
        if (eBar != null) {
            int width = n * sources();
            zero(eBar, row * width, width);
        }
    }

    private static void zero(RealArray a, int from, int count) {
        for (int i = from; i < from + count; i++) {
            a.set(i, 0.0);
        }
    }

    /** Sets everything to zero (the traces stay allocated if they were). */
    public void clear() {
        for (int r = 0; r < batch; r++) {
            reset(r, Scope.ALL);
        }
    }

    /** A deep copy. */
    public NetworkState copy() {
        NetworkState c = new NetworkState(precision, batch, nIn, n, nOut);
        c.copyFrom(this);
        return c;
    }

    /** Copies every value of {@code other} (same shape and precision) into this state. */
    public void copyFrom(NetworkState other) {
        if (other.batch != batch || other.nIn != nIn || other.n != n || other.nOut != nOut) {
            throw new IllegalArgumentException("state shapes differ");
        }
        voltage.copyFrom(other.voltage);
        adaptation.copyFrom(other.adaptation);
        System.arraycopy(other.refractory, 0, refractory, 0, refractory.length);
        spikes.copyFrom(other.spikes);
        readout.copyFrom(other.readout);
        filteredSpikes.copyFrom(other.filteredSpikes);
        if (other.epsV == null) {
            epsV = null;
            epsA = null;
            eBar = null;
        } else {
            ensureTraces();
            epsV.copyFrom(other.epsV);
            epsA.copyFrom(other.epsA);
            eBar.copyFrom(other.eBar);
        }
    }

    /**
     * The state as named double arrays (for checkpoints): {@code shape} = {batch, nIn, n, nOut},
     * {@code v}, {@code b}, {@code refractory}, {@code z}, {@code readout}, {@code zbar}, and
     * {@code eps_v}, {@code eps_a}, {@code ebar} when the traces are allocated. Lossless: float32
     * values and the counts are exact in double.
     */
    public Map<String, double[]> save() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("shape", new double[] {batch, nIn, n, nOut});
        s.put("v", voltage.toDoubleArray());
        s.put("b", adaptation.toDoubleArray());
        double[] r = new double[refractory.length];
        for (int i = 0; i < r.length; i++) {
            r[i] = refractory[i];
        }
        s.put("refractory", r);
        s.put("z", spikes.toDoubleArray());
        s.put("readout", readout.toDoubleArray());
        s.put("zbar", filteredSpikes.toDoubleArray());
        if (epsV != null) {
            s.put("eps_v", epsV.toDoubleArray());
            s.put("eps_a", epsA.toDoubleArray());
            s.put("ebar", eBar.toDoubleArray());
        }
        return s;
    }

    /** A state rebuilt from {@link #save()}'s arrays, in {@code precision}. */
    public static NetworkState restore(Precision precision, Map<String, double[]> saved) {
        double[] shape = required(saved, "shape", 4);
        NetworkState s = new NetworkState(precision, (int) shape[0], (int) shape[1], (int) shape[2], (int) shape[3]);
        int cells = s.batch * s.n;
        load(s.voltage, required(saved, "v", cells));
        load(s.adaptation, required(saved, "b", cells));
        double[] r = required(saved, "refractory", cells);
        for (int i = 0; i < r.length; i++) {
            s.refractory[i] = (int) r[i];
        }
        load(s.spikes, required(saved, "z", cells));
        load(s.readout, required(saved, "readout", s.batch * s.nOut));
        load(s.filteredSpikes, required(saved, "zbar", cells));
        if (saved.containsKey("eps_v")) {
            s.ensureTraces();
            int size = cells * s.sources();
            load(s.epsV, required(saved, "eps_v", size));
            load(s.epsA, required(saved, "eps_a", size));
            load(s.eBar, required(saved, "ebar", size));
        }
        return s;
    }

    private static double[] required(Map<String, double[]> saved, String name, int length) {
        double[] v = saved.get(name);
        if (v == null) {
            throw new IllegalArgumentException("saved network state has no '" + name + "'; it has " + saved.keySet());
        }
        if (v.length != length) {
            throw new IllegalArgumentException("saved network state '" + name + "' has " + v.length
                    + " values, expected " + length);
        }
        return v;
    }

    private static void load(RealArray target, double[] values) {
        for (int i = 0; i < values.length; i++) {
            target.set(i, values[i]);
        }
    }
}
