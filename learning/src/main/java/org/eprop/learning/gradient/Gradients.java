package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.tensor.RealArray;

/**
 * dE/dW for every trainable array of a {@link SpikingNetwork}, in the network's precision and
 * layout, plus the loss values of the batch they were computed on.
 */
public final class Gradients {
    private final RealArray wIn;
    private final RealArray wRec;
    private final RealArray wOut;
    private final RealArray bOut;
    double taskLoss;
    double regLoss;

    public Gradients(SpikingNetwork net) {
        var p = net.precision();
        this.wIn = p.zeros(net.wIn().length());
        this.wRec = p.zeros(net.wRec().length());
        this.wOut = p.zeros(net.wOut().length());
        this.bOut = p.zeros(net.bOut().length());
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
