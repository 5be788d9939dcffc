package org.eprop.learning.network;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.MeanSquaredError;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.ReverseMode;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.gradient.VoltageRegularizer;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.junit.jupiter.api.Test;

/**
 * An unroll recorded chunk by chunk ({@link ForwardPass#begin}) against one {@code run} of the
 * concatenated input from the same state: every recorded array, the state handed back and the
 * gradients of every method must be equal to the bit where the dense products give a row the same
 * bits whatever the number of rows (small K here); at Atari sizes the input product's rounding may
 * differ per chunk, which is bounded.
 */
class UnrollTest {
    private static final int STEPS = 60;
    private static final int BATCH = 3;

    private static SpikingNetwork network(Precision p, long seed) {
        NeuronLayer layer = new NeuronLayer(4, 5, 5, 1.0, 20.0, 200.0, 0.6, 0.2, 2, 0.3, InputConvention.CURRENT);
        Readout readout = new Readout(3, 5.0, ReadoutConvention.NORMALISED, true);
        SpikingNetwork net = new SpikingNetwork(layer, readout, p).initialise(new Rng(seed), ReadoutInit.NORMAL);
        for (int i = 0; i < net.bOut().length(); i++) {
            net.bOut().set(i, 0.1 * (i + 1));
        }
        return net;
    }

    private static RealArray input(Precision p, int steps, long seed) {
        Rng rng = new Rng(seed);
        RealArray x = p.zeros(steps * BATCH * 4);
        for (int i = 0; i < x.length(); i++) {
            // Real-valued currents and spikes mixed, so the input product has non-trivial rounding.
            x.set(i, i % 3 == 0 ? rng.uniform(-0.5, 1.5) : rng.bernoulli(0.2) ? 1.0 : 0.0);
        }
        return x;
    }

    private static RealArray slice(RealArray x, int fromRow, int rows, int width) {
        RealArray out = x.precision().zeros(rows * width);
        for (int i = 0; i < rows * width; i++) {
            out.set(i, x.get(fromRow * width + i));
        }
        return out;
    }

    /** A carried state that is not zero, with traces: a warm-up run and an online e-prop pass over it. */
    private static NetworkState warmState(SpikingNetwork net, Precision p) {
        NetworkState s = NetworkState.zeros(net, BATCH);
        ForwardPass f = new ForwardPass(p);
        Trajectory tr = f.run(net, input(p, 30, 5), 30, BATCH, false, s, null, NetworkState.Scope.ALL);
        BackwardInput in = new BackwardInput(p).evaluate(tr, new MeanSquaredError(), targets(30, 9),
                RateRegularizer.NONE);
        new OnlineEprop(p).compute(net, tr, in, Feedback.symmetric(), new Gradients(net), s);
        return s;
    }

    private static Targets targets(int steps, long seed) {
        Rng rng = new Rng(seed);
        Targets t = new Targets().resize(steps, BATCH, 3);
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < BATCH; b++) {
                t.setWeight(s, b, rng.uniform(0, 1));
                for (int k = 0; k < 3; k++) {
                    t.setValue(s, b, k, rng.nextGaussian());
                }
            }
        }
        return t;
    }

    private static boolean[] resets(int chunk) {
        boolean[] r = new boolean[STEPS * BATCH];
        r[0 * BATCH + 1] = true; // at step 0: applied to the carried state
        int start = chunk < STEPS / 2 ? 2 * chunk : 30;
        r[start * BATCH + 0] = true; // at a chunk start (inside the one chunk when it is the whole run)
        r[((start + chunk / 2 + 1) % STEPS) * BATCH + 2] = true; // inside a chunk (at its start for chunk 1)
        r[(STEPS - 2) * BATCH + 1] = true;
        return r;
    }

    private static void assertSame(String what, RealArray expected, RealArray actual, int length) {
        for (int i = 0; i < length; i++) {
            assertEquals(expected.get(i), actual.get(i), 0.0, what + " at " + i);
        }
    }

    private static void assertSameState(String what, NetworkState expected, NetworkState actual) {
        int cells = expected.batch() * expected.neurons();
        assertSame(what + " v", expected.voltage(), actual.voltage(), cells);
        assertSame(what + " b", expected.adaptation(), actual.adaptation(), cells);
        assertSame(what + " z", expected.spikes(), actual.spikes(), cells);
        assertSame(what + " zbar", expected.filteredSpikes(), actual.filteredSpikes(), cells);
        assertSame(what + " f", expected.readout(), actual.readout(), expected.batch() * expected.outputs());
        assertArrayEquals(expected.refractory(), actual.refractory(), what + " refractory");
        if (expected.hasTraces()) {
            int size = cells * expected.sources();
            assertSame(what + " eps_v", expected.epsV(), actual.epsV(), size);
            assertSame(what + " eps_a", expected.epsA(), actual.epsA(), size);
            assertSame(what + " ebar", expected.eBar(), actual.eBar(), size);
        }
    }

    private static void assertSameGradients(String what, Gradients expected, Gradients actual) {
        for (Parameters.Entry e : expected.parameters().entries()) {
            assertSame(what + " " + e.name(), e.array(), actual.parameters().get(e.name()), e.array().length());
        }
        assertEquals(expected.taskLoss(), actual.taskLoss(), 0.0, what + " task loss");
    }

    private void check(Precision p, int chunk, boolean withResets, NetworkState.Scope scope, boolean fromState) {
        String where = p + " chunk " + chunk + (withResets ? " resets " + scope : "") + (fromState ? " from state" : "");
        SpikingNetwork net = network(p, 11);
        RealArray x = input(p, STEPS, 12);
        boolean[] resets = withResets ? resets(chunk) : null;
        NetworkState warm = fromState ? warmState(net, p) : null;
        NetworkState sRun = warm == null ? null : warm.copy();
        NetworkState sUnroll = warm == null ? null : warm.copy();

        Dense dense = new Dense(p);
        Trajectory whole = new ForwardPass(dense).run(net, x, STEPS, BATCH, true, sRun, resets, scope);
        ForwardPass pass = new ForwardPass(dense);
        ForwardPass.Unroll unroll = pass.begin(net, BATCH, STEPS + 7, sUnroll, scope, true);
        int nOut = net.outputs();
        for (int t = 0; t < STEPS; t += chunk) {
            int len = Math.min(chunk, STEPS - t);
            boolean[] r = null;
            if (resets != null) {
                r = new boolean[len * BATCH];
                System.arraycopy(resets, t * BATCH, r, 0, len * BATCH);
            }
            unroll.advance(slice(x, t * BATCH, len * BATCH, 4), len, r);
            int last = t + len - 1;
            for (int b = 0; b < BATCH; b++) {
                for (int k = 0; k < nOut; k++) {
                    assertEquals(whole.outputs().get((last * BATCH + b) * nOut + k), unroll.output(b, k), 0.0,
                            where + " y of the last step " + last);
                }
            }
            if (sUnroll != null && last < STEPS - 1) {
                assertTrue(sUnroll.voltage().maxAbs() >= 0, "the state is live");
            }
        }
        Trajectory chunks = unroll.finish();
        assertEquals(STEPS, chunks.steps(), where);
        int rows = STEPS * BATCH;
        assertSame(where + " spikes", whole.spikes(), chunks.spikes(), rows * net.neurons());
        assertSame(where + " psi", whole.psi(), chunks.psi(), rows * net.neurons());
        assertSame(where + " v", whole.voltage(), chunks.voltage(), rows * net.neurons());
        assertSame(where + " b", whole.adaptation(), chunks.adaptation(), rows * net.neurons());
        assertSame(where + " y", whole.outputs(), chunks.outputs(), rows * nOut);
        assertSame(where + " x", whole.input(), chunks.input(), rows * 4);
        assertTrue(whole.spikes().sum() > 20, where + ": the network must spike to prove anything");
        assertEquals(whole.startsFromState(), chunks.startsFromState());
        if (fromState) {
            assertSame(where + " z(-1)", whole.initialSpikes(), chunks.initialSpikes(), BATCH * net.neurons());
            assertSame(where + " zbar(-1)", whole.initialFilteredSpikes(), chunks.initialFilteredSpikes(),
                    BATCH * net.neurons());
            assertSameState(where + " state after", sRun, sUnroll);
        }
        if (resets == null) {
            assertNull(chunks.resets());
        } else {
            assertArrayEquals(resets, chunks.resets(), where);
        }

        Targets targets = targets(STEPS, 13);
        BackwardInput inRun = new BackwardInput(p).evaluate(whole, new MeanSquaredError(), targets,
                new RateRegularizer(0.5, 0.02));
        BackwardInput inChunks = new BackwardInput(p).evaluate(chunks, new MeanSquaredError(), targets,
                new RateRegularizer(0.5, 0.02));
       VoltageRegularizer volt = new VoltageRegularizer(1e-2);
       inRun.withVoltageCost(whole, net, volt);
       inChunks.withVoltageCost(chunks, net, volt);
        for (GradientMethod m : List.of(new FastEprop(dense), new OnlineEprop(p), ReverseMode.cutPath(dense),
                ReverseMode.bptt(dense))) {
            NetworkState cRun = sRun == null ? null : sRun.copy();
            NetworkState cChunks = sUnroll == null ? null : sUnroll.copy();
            Gradients gRun = new Gradients(net);
            Gradients gChunks = new Gradients(net);
            m.compute(net, whole, inRun, Feedback.symmetric(), gRun, cRun);
            m.compute(net, chunks, inChunks, Feedback.symmetric(), gChunks, cChunks);
            assertSameGradients(where + " " + m.id(), gRun, gChunks);
            if (cRun != null) {
                assertSameState(where + " " + m.id() + " traces out", cRun, cChunks);
            }
        }
    }

    @Test
    void chunksGiveTheRunBitForBit() {
        for (Precision p : List.of(Precision.FLOAT64, Precision.FLOAT32)) {
            for (int chunk : new int[] {1, 5, 7, 60}) {
                check(p, chunk, false, NetworkState.Scope.ALL, false);
                check(p, chunk, true, NetworkState.Scope.ALL, true);
                check(p, chunk, true, NetworkState.Scope.NEURONS, true);
            }
            check(p, 5, false, NetworkState.Scope.ALL, true);
            check(p, 13, true, NetworkState.Scope.NEURONS, false);
        }
    }

    /**
     * At the reference Atari LSNN's sizes (2312 conv2 inputs + done flag, 400 neurons, 32
     * environments, 5 steps per agent step) the CPU BLAS picks other kernels for a 160-row chunk
     * than for the whole unroll, with another order of the sums over the 2313 inputs: a row of the
     * input projection can differ in its last bits. Everything else is continued exactly, so the
     * membrane potentials differ by that rounding, carried by the leak, until a spike flips. The
     * bound: before a row's first spike difference, |dv| <= 1e-5 (1 + |v|) in float32 and 1e-13 in
     * float64, against roughly 2313 x eps x max|x W_in| of the worst-case gemm bound.
     */
    @Test
    void atariSizedChunksDifferOnlyByTheRoundingOfTheInputProduct() {
        for (Precision p : List.of(Precision.FLOAT32, Precision.FLOAT64)) {
            NeuronLayer layer = new NeuronLayer(2313, 240, 160, 1.0, 15.0, 70.0, 1.0, 0.1, 5, 0.3,
                    InputConvention.CURRENT);
            SpikingNetwork net = new SpikingNetwork(layer, new Readout(7, 2.0, ReadoutConvention.NORMALISED, true), p)
                    .initialise(new Rng(8), ReadoutInit.NORMAL_SCALED);
            int batch = 32;
            int steps = 40;
            int n = 400;
            Rng rng = new Rng(9);
            RealArray x = p.zeros(steps * batch * 2313);
            for (int i = 0; i < x.length(); i++) {
                x.set(i, rng.bernoulli(0.05) ? 1.0 : 0.0);
            }
            Dense dense = new Dense(p);
            Trajectory whole = new ForwardPass(dense).run(net, x, steps, batch, true);
            ForwardPass.Unroll u = new ForwardPass(dense).begin(net, batch, steps, null, NetworkState.Scope.NEURONS,
                    true);
            for (int t = 0; t < steps; t += 5) {
                u.advance(slice(x, t * batch, 5 * batch, 2313), 5, null);
            }
            Trajectory chunks = u.finish();
            assertTrue(whole.spikes().sum() > 100, "the network must spike");
            double worst = 0;
            int differing = 0;
            for (int b = 0; b < batch; b++) {
                for (int t = 0; t < steps; t++) {
                    boolean flipped = false;
                    for (int j = 0; j < n; j++) {
                        int i = (t * batch + b) * n + j;
                        double v = whole.voltage().get(i);
                        worst = Math.max(worst, Math.abs(chunks.voltage().get(i) - v) / (1 + Math.abs(v)));
                        differing += chunks.voltage().get(i) != v ? 1 : 0;
                        flipped |= chunks.spikes().get(i) != whole.spikes().get(i);
                    }
                    if (flipped) {
                        break;
                    }
                }
            }
            double bound = p == Precision.FLOAT32 ? 1e-5 : 1e-13;
            System.out.println("unroll in chunks of 5 steps at Atari sizes, " + p + ": " + differing
                    + " membrane values differ from one run, max |dv|/(1+|v|) " + worst);
            assertTrue(worst <= bound, p + ": max |dv|/(1+|v|) " + worst + " > " + bound);
        }
    }

    @Test
    void anUnrollEndsWhenItsPassRunsAgainAndKeepsToItsCapacity() {
        SpikingNetwork net = network(Precision.FLOAT64, 3);
        ForwardPass pass = new ForwardPass(Precision.FLOAT64);
        ForwardPass.Unroll u = pass.begin(net, BATCH, 10, null, NetworkState.Scope.ALL, false);
        u.advance(input(Precision.FLOAT64, 6, 1), 6, null);
        assertThrows(IllegalStateException.class, () -> u.advance(input(Precision.FLOAT64, 5, 1), 5, null));
        pass.run(net, input(Precision.FLOAT64, 4, 2), 4, BATCH, false);
        assertThrows(IllegalStateException.class, u::finish);
        assertThrows(IllegalStateException.class, () -> pass.begin(net, BATCH, 4, null, NetworkState.Scope.ALL, false)
                .finish());
    }

    /**
     * Advancing an unroll allocates nothing per step once the JIT has compiled the time loop. Checked
     * in a JVM of its own ({@link UnrollAllocation}): in this one the kernels of the tests before (the
     * spiking CNN's half-width float vectors) share the vector API's type profiles with the neuron
     * step, and the JIT then compiled the step with its vectors boxed in about one run of the module's
     * tests in four, allocating at every step for the rest of the JVM (docs/fast-eprop.md, "JIT"); in
     * a JVM that runs the LSNN alone, as a training run does, it did in none of ten.
     */
    @Test
    void advancingAllocatesNothingPerStep() throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse(
                java.nio.file.Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-agentlib") && !arg.startsWith("-javaagent")) {
                command.add(arg);
            }
        }
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(UnrollAllocation.class.getName());
        // its output to a file, so that a child that hangs is stopped by the timeout, not read forever
        java.nio.file.Path log = java.nio.file.Files.createTempFile("unroll-allocation", ".log");
        try {
            Process child = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
            boolean ended = child.waitFor(120, java.util.concurrent.TimeUnit.SECONDS);
            if (!ended) {
                child.destroyForcibly().waitFor();
            }
            String output = java.nio.file.Files.readString(log);
            assertTrue(ended, "the child JVM did not end within 120 s: " + output);
            assertEquals(0, child.exitValue(), output);
            assertTrue(output.contains("allocation-free"), output);
            System.out.println("unroll in a JVM of its own, " + output.trim());
        } finally {
            java.nio.file.Files.deleteIfExists(log);
        }
    }
}
