package org.eprop.learning.gradient;

import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.tensor.RealArray;

/**
 * dE/dW for every trainable array of a {@link SpikingNetwork}, in the network's precision and
 * layout, plus the loss values of the batch they were computed on. {@link #parameters()} mirrors
 * {@link SpikingNetwork#parameters()} name by name; the optimisers go through it.
 *
 * <p>{@link #bOut()} exists for every network (zero without a readout bias) so that every method
 * can write it unconditionally; it is in the named list only when the bias is trained.
 */
public final class Gradients {
    private final RealArray wIn;
    private final RealArray wRec;
    private final RealArray wOut;
    private final RealArray bOut;
    private final Parameters parameters;
    double taskLoss;
    double regLoss;

    public Gradients(SpikingNetwork net) {
        var p = net.precision();
        this.wIn = p.zeros(net.wIn().length());
        this.wRec = p.zeros(net.wRec().length());
        this.wOut = p.zeros(net.wOut().length());
        this.bOut = p.zeros(net.bOut().length());
        this.parameters = new Parameters().add(SpikingNetwork.W_IN, wIn).add(SpikingNetwork.W_REC, wRec)
                .add(SpikingNetwork.W_OUT, wOut);
        if (net.parameters().contains(SpikingNetwork.B_OUT)) {
            parameters.add(SpikingNetwork.B_OUT, bOut);
        }
    }

    /** The gradients by name, the same names as the network's {@link SpikingNetwork#parameters()}. */
    public Parameters parameters() {
        return parameters;
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

    /** The task loss E of the batch. */
    public double taskLoss() {
        return taskLoss;
    }

    /** The firing-rate regularisation loss of the batch. */
    public double regLoss() {
        return regLoss;
    }

    void setLosses(double task, double reg) {
        this.taskLoss = task;
        this.regLoss = reg;
    }

    /** Sets every gradient to zero. */
    public void clear() {
        wIn.fill(0);
        wRec.fill(0);
        wOut.fill(0);
        bOut.fill(0);
    }
}
