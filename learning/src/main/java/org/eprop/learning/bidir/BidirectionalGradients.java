package org.eprop.learning.bidir;

import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.tensor.RealArray;

/**
 * dE/dW for every trainable array of a {@link BidirectionalNetwork}, named as its
 * {@link BidirectionalNetwork#parameters()}, plus the losses of the batch.
 */
public final class BidirectionalGradients {
    private final Gradients forward;
    private final Gradients backward;
    private final RealArray bias;
    private final Parameters parameters;
    double taskLoss;
    double regLoss;

    public BidirectionalGradients(BidirectionalNetwork net) {
        this.forward = new Gradients(net.forward());
        this.backward = new Gradients(net.backward());
        this.bias = net.precision().zeros(net.outputs());
        this.parameters = new Parameters().addAll(BidirectionalNetwork.FORWARD, forward.parameters())
                .addAll(BidirectionalNetwork.BACKWARD, backward.parameters()).add(BidirectionalNetwork.B_OUT, bias);
    }

    /** The forward half's gradients. */
    public Gradients forward() {
        return forward;
    }

    /** The backward half's gradients. */
    public Gradients backward() {
        return backward;
    }

    /** dE/db of the readout bias. */
    public RealArray bias() {
        return bias;
    }

    /** By name, as the network's parameters. */
    public Parameters parameters() {
        return parameters;
    }

    /** The task loss of the batch. */
    public double taskLoss() {
        return taskLoss;
    }

    /** The regularisers' loss (rate regulariser of both halves, plus L2 when the learner adds it). */
    public double regLoss() {
        return regLoss;
    }
}
