package org.eprop.learning.network;

import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The allocation check of {@code UnrollTest#advancingAllocatesNothingPerStep}, run in a JVM of its
 * own: advances an unroll of the Fig. 3 network by a chunk of 200 steps and by one of 400, round after
 * round, and compares what the calling thread allocated for each. Prints "allocation-free" and exits
 * with 0 when doubling the chunk allocated less than 400 more bytes in the quietest round, else
 * prints the figures and exits with 1.
 */
final class UnrollAllocation {

    private UnrollAllocation() {
    }

    public static void main(String[] args) {
        SpikingNetwork net = new SpikingNetwork(NeuronLayer.fig3(), Readout.fig3(), Precision.FLOAT32)
                .initialise(new Rng(2), ReadoutInit.GLOROT_UNIFORM);
        ForwardPass forward = new ForwardPass(Precision.FLOAT32);
        Rng rng = new Rng(3);
        int batch = 4;
        RealArray longChunk = Precision.FLOAT32.zeros(400 * batch * 40);
        for (int i = 0; i < longChunk.length(); i++) {
            longChunk.set(i, rng.bernoulli(0.03) ? 1 : 0);
        }
        RealArray shortChunk = Precision.FLOAT32.zeros(200 * batch * 40);
        RealArray.copy(longChunk, 0, shortChunk, 0, shortChunk.length());
        boolean[] shortResets = new boolean[200 * batch];
        boolean[] longResets = new boolean[400 * batch];
        shortResets[50 * batch] = true;
        longResets[50 * batch] = true;
        NetworkState state = NetworkState.zeros(net, batch);
        var threads = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
        long shortBytes = Long.MAX_VALUE;
        long longBytes = Long.MAX_VALUE;
        // Warm up and take the least noisy round. The float32 neuron step's vector kernel allocates
        // until the JIT has compiled it (the vector API's fallback boxes its vectors): allocation-free
        // means once compiled, so rounds go on until then.
        int round = 0;
        for (; round < 400 && (round < 5 || longBytes - shortBytes >= 400); round++) {
            ForwardPass.Unroll u = forward.begin(net, batch, 1400, state, NetworkState.Scope.NEURONS, true);
            u.advance(shortChunk, 200, shortResets); // the first chunk copies the initial state
            long a = threads.getCurrentThreadAllocatedBytes();
            u.advance(shortChunk, 200, shortResets);
            long b = threads.getCurrentThreadAllocatedBytes();
            u.advance(longChunk, 400, longResets);
            long c = threads.getCurrentThreadAllocatedBytes();
            shortBytes = Math.min(shortBytes, b - a);
            longBytes = Math.min(longBytes, c - b);
        }
        String figures = shortBytes + " bytes for 200 steps, " + longBytes + " for 400, after " + round + " rounds";
        if (longBytes - shortBytes < 400) {
            System.out.println("allocation-free: " + figures);
            System.exit(0);
        }
        System.out.println("doubling the chunk allocated " + (longBytes - shortBytes) + " more bytes (" + figures
                + "): advancing allocates per step");
        System.exit(1);
    }
}
