package org.eprop.learning.conv;

/**
 * How the spiking CNN's parameters receive gradients (docs/model.md §3.2 and §8, item 5).
 */
public enum CnnTraining {
    /**
     * As the original code ({@code avg_ba_cnn}): each layer is differentiated exactly (pseudo-derivative,
     * reset path kept) through its own dynamics over the unroll, for (a) the task loss reaching it only
     * through its pooled-spike shortcut into the heads, divided by {@code reg_factor_cnn}, and (b) the
     * CNN voltage regulariser. conv1 to conv2 and conv2 to the LSNN carry no gradient; nothing flows
     * back across unroll boundaries.
     */
    REFERENCE,
    /**
     * As the Fig. 4 caption ("the prediction error is sent back to the LSNN and the spiking CNN"):
     * each layer's gradient is e-prop for a feedforward LIF layer, learning signal times eligibility
     * trace {@code psi_j(t) xbar_i(t)} with the input filtered by the layer's own decay, summed over
     * positions and time, plus the voltage regulariser through the same (reset-free) eligibility
     * vector; presynaptic traces are carried across unrolls as an online rule would. The learning
     * signals, however, are those of the unroll: the heads' readout filter carries the CNN's
     * contribution into the next unroll, but its adjoint is not carried back (that would need
     * kappa-filtered traces per unit and weight, as the LSNN's ebar), so across unrolls this is
     * e-prop with the readout filter truncated at the boundary (docs/model.md §3.6).
     */
    EPROP
}
