/**
 * The spiking convolutional front end of the Atari actor-critic (Figs. 4 and 5 of the paper;
 * docs/model.md §1.2(f) and §3.3; original code {@code Figure_4_and_5_ATARI/spiking_agent.py}).
 *
 * <p><b>Layout.</b> Every image-like array is channels-last, one batch row after the other:
 * element {@code (y, x, c)} of row {@code b} sits at {@code b * (h*w*c) + (y*w + x)*c + c}. Arrays
 * over an unroll are time-major, {@code [t][b][h][w][c]}, the layout of the network's input
 * {@code x[t*batch + b][i]}, so that the conv2 spikes feed the LSNN without a copy. Kernels are
 * {@code [kh][kw][cin][cout]} (TensorFlow's HWIO) and biases {@code [cout]}.
 *
 * <p><b>Pieces.</b> {@link org.eprop.learning.conv.SpikingConvLayer} is one convolution into LIF
 * units of the {@code lif_dynamic} kind ({@link org.eprop.learning.conv.ScnnNeuron});
 * {@link org.eprop.learning.conv.AvgPool} the average-pooled shortcuts;
 * {@link org.eprop.learning.conv.SpikingCnn} the two layers, the pools, their state across
 * unrolls and the gradients of both CNN training modes ({@link org.eprop.learning.conv.CnnTraining}).
 *
 * <p><b>Acting and learning share one forward.</b> {@link org.eprop.learning.conv.SpikingCnn#forwardStep}
 * runs one agent step into a recording {@link org.eprop.learning.conv.CnnUnroll} of the learner's
 * length, so the recording the gradients need is made while acting.
 */
package org.eprop.learning.conv;
