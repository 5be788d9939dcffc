package org.eprop.learning.gradient;

import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Dense.Block;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The dense ends of a backward pass over whole sequences, shared by {@link FastEprop} and
 * {@link ReverseMode}: from dE/dy to the readout gradients and the projected learning signals,
 * and from the per-neuron membrane adjoints to the input and recurrent weight gradients. Each is
 * one ND4J product over the stacked (time x batch) rows.
 */
final class SequenceBackward {
    private final Precision precision;
    private final Dense dense;
    private RealArray filteredDy;
    private RealArray signal;
    private final Dense.Resident adjointMatrix;

    SequenceBackward(Dense dense) {
        this.dense = dense;
        this.adjointMatrix = dense.resident();
        this.precision = dense.precision();
    }

    /**
     * Readout gradients and learning signals. Because the readout filter is linear, the filter is
     * moved from the spikes onto the errors: {@code Gbar(t) = c dy(t) + kappa Gbar(t+1)} (a backward
     * scan), then {@code dW_out = Z^T Gbar}, and the kappa-filtered learning signal of every
     * neuron is {@code Lbar = Gbar B^T}.
     *
     * @return the {@code [steps*batch x n]} array holding {@code Lbar}; the caller may overwrite it
     */
    RealArray readoutAndSignals(SpikingNetwork net, Trajectory tr, BackwardInput in, RealArray feedback,
            Gradients out) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nOut = net.outputs();
        int rows = steps * batch;
        if (filteredDy == null || filteredDy.length() < rows * nOut) {
            filteredDy = precision.zeros(rows * nOut);
        }
        if (signal == null || signal.length() < rows * n) {
            signal = precision.zeros(rows * n);
        }
        RealArray dy = in.dy();
        double kappa = net.kappa();
        double c = net.readoutFactor();
        RealArray gBias = out.bOut();
        gBias.fill(0);
        for (int t = steps - 1; t >= 0; t--) {
            for (int b = 0; b < batch; b++) {
                for (int k = 0; k < nOut; k++) {
                    int idx = (t * batch + b) * nOut + k;
                    double next = t + 1 < steps ? filteredDy.get(idx + batch * nOut) : 0.0;
                    filteredDy.set(idx, precision.round(c * dy.get(idx) + kappa * next));
                    gBias.add(k, dy.get(idx));
                }
            }
        }
        if (!net.readout().bias()) {
            gBias.fill(0);
        }
        dense.gemm(tr.spikeMatrix().all(), true, new Block(filteredDy, 0, rows, nOut), false,
                Block.of(out.wOut(), n, nOut));
        dense.gemm(new Block(filteredDy, 0, rows, nOut), false, Block.of(feedback, n, nOut), true,
                new Block(signal, 0, rows, n));
        out.setLosses(in.taskLoss(), in.regLoss());
        return signal;
    }

    /**
     * Input and recurrent weight gradients from {@code a = c_in * dE/dv} (as produced by the
     * backward scans or the adjoint pass): {@code dW_in = X^T a} and
     * {@code dW_rec[i,j] = sum_t z_i(t-1) a_j(t)}, the second a product of the spike rows with
     * the adjoint rows one step later. The recurrent diagonal is zero.
     */
    void weightGradients(SpikingNetwork net, Trajectory tr, RealArray adjoint, Gradients out) {
        int steps = tr.steps();
        int batch = tr.batch();
        int n = net.neurons();
        int nIn = net.inputs();
        int rows = steps * batch;
        adjointMatrix.load(new Block(adjoint, 0, rows, n));
        if (nIn > 0) {
            dense.gemm(tr.inputMatrix().all(), true, adjointMatrix.all(), false, Block.of(out.wIn(), nIn, n));
        }
        if (steps > 1) {
            dense.gemm(tr.spikeMatrix().rows(0, rows - batch), true, adjointMatrix.rows(batch, rows - batch), false,
                    Block.of(out.wRec(), n, n));
        } else {
            out.wRec().fill(0);
        }
        for (int j = 0; j < n; j++) {
            out.wRec().set(j * n + j, 0.0);
        }
    }
}
