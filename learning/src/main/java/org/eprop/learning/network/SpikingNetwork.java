package org.eprop.learning.network;

import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * A recurrent layer of LIF/ALIF neurons ({@link NeuronLayer}) with leaky readouts
 * ({@link Readout}): the trainable weights and the per-neuron constants derived from the physical
 * parameters.
 *
 * <p>Weight layout (row-major): {@code wIn [nIn x n]}, {@code wRec [n x n]} with
 * {@code wRec[i,j]} the synapse from neuron i to neuron j (zero diagonal), {@code wOut [n x nOut]},
 * {@code bOut [nOut]}. Constants are rounded to the network's precision so that a float32 network
 * is a float32 network throughout.
 */
public final class SpikingNetwork {
    private final NeuronLayer layer;
    private final Readout readout;
    private final Precision precision;
    private final int nIn;
    private final int n;
    private final int nOut;

    final double[] alpha;
    final double[] rho;
    final double[] beta;
    final double[] inputFactor;
    final double vTh;
    final double gamma;
    final int refractorySteps;
    final double kappa;
    final double readoutFactor;

    private final RealArray wIn;
    private final RealArray wRec;
    private final RealArray wOut;
    private final RealArray bOut;
    private final Parameters parameters;

    /** A network with all weights zero; see {@link #initialise(Rng, ReadoutInit)}. */
    public SpikingNetwork(NeuronLayer layer, Readout readout, Precision precision) {
        this.layer = layer;
        this.readout = readout;
        this.precision = precision;
        this.nIn = layer.nIn();
        this.n = layer.size();
        this.nOut = readout.nOut();
        this.alpha = new double[n];
        this.rho = new double[n];
        this.beta = new double[n];
        this.inputFactor = new double[n];
        double a = precision.round(layer.alpha());
        double r = precision.round(layer.rho());
        for (int j = 0; j < n; j++) {
            alpha[j] = a;
            rho[j] = r;
            beta[j] = precision.round(layer.betaOf(j));
            inputFactor[j] = precision.round(layer.input().inputFactor(a));
        }
        this.vTh = precision.round(layer.vTh());
        this.gamma = precision.round(layer.gamma());
        this.refractorySteps = layer.refractorySteps();
        this.kappa = precision.round(readout.kappa(layer.dt()));
        this.readoutFactor = precision.round(readout.convention().inputFactor(kappa));
        this.wIn = precision.zeros(nIn * n);
        this.wRec = precision.zeros(n * n);
        this.wOut = precision.zeros(n * nOut);
        this.bOut = precision.zeros(nOut);
        this.parameters = new Parameters().add(W_IN, wIn).add(W_REC, wRec).add(W_OUT, wOut);
        if (readout.bias()) {
            parameters.add(B_OUT, bOut);
        }
    }

    /** Names of the trainable arrays in {@link #parameters()}. */
    public static final String W_IN = "w_in";
    public static final String W_REC = "w_rec";
    public static final String W_OUT = "w_out";
    public static final String B_OUT = "b_out";

    /**
     * The trainable arrays, by name and in the order optimisers see them: {@code w_in}, {@code w_rec},
     * {@code w_out}, and {@code b_out} when the readout has a bias. The arrays themselves, not copies.
     */
    public Parameters parameters() {
        return parameters;
    }

    /**
     * Draws the weights as in the reference (docs/model.md §1.1): {@code W_in ~ N(0,1)/sqrt(nIn)},
     * {@code W_rec ~ N(0,1)/sqrt(n)} with zero diagonal, the readout by {@code readoutInit}, bias 0.
     */
    public SpikingNetwork initialise(Rng rng, ReadoutInit readoutInit) {
        double sIn = 1.0 / Math.sqrt(Math.max(nIn, 1));
        for (int i = 0; i < wIn.length(); i++) {
            wIn.set(i, rng.nextGaussian() * sIn);
        }
        double sRec = 1.0 / Math.sqrt(n);
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) {
                double w = rng.nextGaussian() * sRec;
                wRec.set(i * n + j, i == j ? 0.0 : w);
            }
        }
        double limit = Math.sqrt(6.0 / (n + nOut));
        for (int i = 0; i < wOut.length(); i++) {
            wOut.set(i, switch (readoutInit) {
                case GLOROT_UNIFORM -> rng.uniform(-limit, limit);
                case NORMAL_SCALED -> rng.nextGaussian() * sRec;
                case NORMAL -> rng.nextGaussian();
            });
        }
        bOut.fill(0);
        return this;
    }

    /** A deep copy in another precision (weights rounded where narrowing). */
    public SpikingNetwork toPrecision(Precision target) {
        SpikingNetwork copy = new SpikingNetwork(layer, readout, target);
        copy.wIn.copyFrom(wIn);
        copy.wRec.copyFrom(wRec);
        copy.wOut.copyFrom(wOut);
        copy.bOut.copyFrom(bOut);
        return copy;
    }

    /** Sets the recurrent diagonal back to zero (no autapses). */
    public void clearRecurrentDiagonal() {
        for (int j = 0; j < n; j++) {
            wRec.set(j * n + j, 0.0);
        }
    }

    public NeuronLayer layer() {
        return layer;
    }

    public Readout readout() {
        return readout;
    }

    public Precision precision() {
        return precision;
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

    public RealArray wIn() {
        return wIn;
    }

    public RealArray wRec() {
        return wRec;
    }

    public RealArray wOut() {
        return wOut;
    }

    public RealArray bOut() {
        return bOut;
    }

    /** Membrane decay of neuron j, rounded to the precision. */
    public double alpha(int j) {
        return alpha[j];
    }

    /** Adaptation decay of neuron j. */
    public double rho(int j) {
        return rho[j];
    }

    /** Adaptation strength of neuron j (0 for LIF). */
    public double beta(int j) {
        return beta[j];
    }

    /** Factor on the input current of neuron j: 1 or (1 - alpha). */
    public double inputFactor(int j) {
        return inputFactor[j];
    }

    public double vTh() {
        return vTh;
    }

    public double gamma() {
        return gamma;
    }

    public int refractorySteps() {
        return refractorySteps;
    }

    /** Readout decay per step. */
    public double kappa() {
        return kappa;
    }

    /** Factor on the readout input: (1 - kappa) or 1. */
    public double readoutFactor() {
        return readoutFactor;
    }
}
