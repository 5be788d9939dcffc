package org.eprop.learning.conv;

import org.eprop.learning.tensor.RealArray;

/**
 * What the agent hands to {@link SpikingCnn#gradients} after its heads, all time-major per network
 * step of the unroll; an array a mode does not read may be null.
 *
 * @param pooledGradient1 {@code dE/d pooled1 [T][B][pool1 features]}: the gradient of the task loss
 *                        (the original code: policy-gradient plus value loss, without the entropy
 *                        term) with respect to the conv1 shortcut features at the head inputs,
 *                        through the heads' readout filter. {@code REFERENCE} reads it; {@code EPROP}
 *                        reads it where conv1's learning signal is {@link CnnFeedback.Source#SHORTCUT}.
 * @param pooledGradient2 the same for the conv2 shortcut {@code [T][B][pool2 features]}
 * @param outputErrors    {@code [T][B][nOut]}: the errors at the heads' linear outputs before their
 *                        readout filter (policy logits then value), i.e. the adjoint that the random
 *                        feedback matrices turn into learning signals; read by {@code EPROP} for layers
 *                        with {@link CnnFeedback.Source#RANDOM}.
 */
public record CnnSignals(RealArray pooledGradient1, RealArray pooledGradient2, RealArray outputErrors) {
}
