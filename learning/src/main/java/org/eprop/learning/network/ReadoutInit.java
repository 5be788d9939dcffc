package org.eprop.learning.network;

/** How the readout weights are drawn (docs/model.md §1.3: it varies by task). */
public enum ReadoutInit {
    /** TF1's default, glorot-uniform U(+-sqrt(6/(n + nOut))): the Fig. 3 cue task. */
    GLOROT_UNIFORM,
    /** N(0,1)/sqrt(n): Fig. S7 and TIMIT. */
    NORMAL_SCALED,
    /** N(0,1): the two numerical verification scripts. */
    NORMAL
}
