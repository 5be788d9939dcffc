package org.eprop.learning.bidir;

import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * A bidirectional LSNN over sequences of frames, as the TIMIT network of Bellec et al. 2020
 * (Fig. 2; IGITUGraz/eligibility_propagation, {@code Figure_2_TIMIT}; docs/model.md §1.3, §4.3): a
 * forward network that reads the frames in order and a backward network that reads them in
 * reverse, each an independent {@link SpikingNetwork} of LIF and ALIF neurons
 * ({@link NeuronLayer} for their equations), and one leaky readout at frame rate on the spikes of
 * both.
 *
 * <h2>Equations</h2>
 * An utterance of {@code L} frames {@code x(0..L-1)} becomes, for each half, {@code S = R L}
 * network steps: frame f is held for the {@code R} steps {@code s = R f .. R f + R - 1}. The
 * forward half sees {@code x(floor(s / R))}, the backward half {@code x(L - 1 - floor(s / R))}:
 * each utterance is reversed within its own length, never the padded buffer. With the halves'
 * spikes {@code z^F(s)}, {@code z^B(s)} and readout weights {@code W^F}, {@code W^B}:
 * <pre>
 *   u_k(f) = (1/R) sum_{r &lt; R} [ sum_j W^F[j,k] z^F_j(R f + r) + sum_j W^B[j,k] z^B_j(R (L-1-f) + r) ]
 *   G_k(f) = kappa G_k(f-1) + u_k(f)              G(-1) = 0, no (1 - kappa) factor
 *   y_k(f) = G_k(f) + b_k
 * </pre>
 * The spikes are averaged over the steps of a frame, then filtered at frame rate, as the original
 * frame-wise script does. Outputs of frames beyond an utterance's length are 0.
 *
 * <h2>Parameters</h2>
 * <table>
 *   <caption>Bidirectional network parameters (defaults: the original's frame-wise TIMIT network)</caption>
 *   <tr><th>name</th><th>unit</th><th>TIMIT</th><th>meaning</th></tr>
 *   <tr><td>layer</td><td>-</td><td>300 LIF + 100 ALIF, tau_m 20 ms, tau_a 200 ms, v_th 0.2050,
 *       beta 0.1841, t_ref 2 ms, gamma 0.3, dt 1 ms</td><td>the neurons of each half</td></tr>
 *   <tr><td>nOut</td><td>-</td><td>61 (+1 blank for CTC)</td><td>readouts (classes)</td></tr>
 *   <tr><td>repeat R</td><td>steps</td><td>5</td><td>network steps per frame</td></tr>
 *   <tr><td>kappa</td><td>-</td><td>e^{-1/3}</td><td>readout decay per frame</td></tr>
 * </table>
 * Initial weights: each half's W_in ~ N(0,1)/sqrt(nIn), W_rec ~ N(0,1)/sqrt(n) with zero diagonal;
 * W^F and W^B ~ N(0,1)/sqrt(n_F + n_B) (the readout's fan-in is the concatenation); b = 0.
 *
 * <p>Each half's own readout is {@link Readout#passThrough} (kappa 0, no bias): its per-step output
 * {@code W^T z(s)} is what the frame readout averages, and the gradient methods, given the
 * per-step {@code dE/d(W^T z(s))}, return exactly this model's gradient (see
 * {@link BidirectionalBackward}).
 */
public final class BidirectionalNetwork {
    /** Prefix of the forward half's parameters. */
    public static final String FORWARD = "fwd.";
    /** Prefix of the backward half's parameters. */
    public static final String BACKWARD = "bwd.";
    /** Name of the readout bias. */
    public static final String B_OUT = "b_out";

    private final SpikingNetwork forward;
    private final SpikingNetwork backward;
    private final int repeat;
    private final double kappa;
    private final RealArray bias;
    private final Parameters parameters;

    /**
     * A network with all weights zero; see {@link #initialise}.
     *
     * @param layer the neurons of each half (the same for both)
     * @param nOut readouts
     * @param repeat network steps per frame, at least 1
     * @param kappa readout decay per frame, in [0, 1)
     */
    public BidirectionalNetwork(NeuronLayer layer, int nOut, int repeat, double kappa, Precision precision) {
        if (repeat < 1) {
            throw new IllegalArgumentException("repeat (network steps per frame) must be >= 1, got " + repeat);
        }
        if (!(kappa >= 0 && kappa < 1)) {
            throw new IllegalArgumentException("the frame readout's kappa must lie in [0, 1), got " + kappa);
        }
        this.forward = new SpikingNetwork(layer, Readout.passThrough(nOut), precision);
        this.backward = new SpikingNetwork(layer, Readout.passThrough(nOut), precision);
        this.repeat = repeat;
        this.kappa = precision.round(kappa);
        this.bias = precision.zeros(nOut);
        this.parameters = new Parameters().addAll(FORWARD, forward.parameters()).addAll(BACKWARD,
                backward.parameters()).add(B_OUT, bias);
    }

    /** Draws the initial weights (see the class comment) from {@code rng}. */
    public BidirectionalNetwork initialise(Rng rng) {
        forward.initialise(rng.split(1), ReadoutInit.NORMAL);
        backward.initialise(rng.split(2), ReadoutInit.NORMAL);
        double s = 1.0 / Math.sqrt(forward.neurons() + backward.neurons());
        Rng out = rng.split(3);
        for (SpikingNetwork half : new SpikingNetwork[] {forward, backward}) {
            RealArray w = half.wOut();
            for (int i = 0; i < w.length(); i++) {
                w.set(i, out.nextGaussian() * s);
            }
        }
        bias.fill(0);
        return this;
    }

    /** The half that reads the frames in order. */
    public SpikingNetwork forward() {
        return forward;
    }

    /** The half that reads each utterance from its last frame to its first. */
    public SpikingNetwork backward() {
        return backward;
    }

    /** Network steps per frame. */
    public int repeat() {
        return repeat;
    }

    /** Readout decay per frame. */
    public double kappa() {
        return kappa;
    }

    /** The readout bias b [nOut]. */
    public RealArray bias() {
        return bias;
    }

    public int inputs() {
        return forward.inputs();
    }

    public int outputs() {
        return forward.outputs();
    }

    /** Neurons of both halves. */
    public int neurons() {
        return forward.neurons() + backward.neurons();
    }

    public Precision precision() {
        return forward.precision();
    }

    /**
     * The trainable arrays: {@code fwd.w_in, fwd.w_rec, fwd.w_out, bwd.w_in, bwd.w_rec, bwd.w_out,
     * b_out} (the arrays themselves).
     */
    public Parameters parameters() {
        return parameters;
    }

    /** Sets both recurrent diagonals back to zero. */
    public void clearRecurrentDiagonals() {
        forward.clearRecurrentDiagonal();
        backward.clearRecurrentDiagonal();
    }
}
