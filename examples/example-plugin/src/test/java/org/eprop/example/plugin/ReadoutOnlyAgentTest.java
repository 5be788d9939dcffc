package org.eprop.example.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.eprop.agent.run.CheckpointStore;
import org.eprop.config.run.RunLauncher;
import org.eprop.learning.gradient.BackwardInput;
import org.eprop.learning.gradient.CrossEntropy;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.Gradients;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.network.ForwardPass;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.network.Trajectory;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The plugin's own agent: chosen in YAML, run through the core's launcher, exact, resumable. */
class ReadoutOnlyAgentTest {
    private static final String AGENT = """
            agent:
              id: example/readout-only
              params:
                l2: 0.001
            """;

    private static int train(Path yaml, Path runs) throws IOException {
        RunLauncher.Prepared prepared = RunLauncher.prepare(yaml, List.of());
        try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            return RunLauncher.start(prepared, runs, List.of("eprop", "train", yaml.toString()), out);
        }
    }

    private static Path onlyRun(Path runs) throws IOException {
        try (Stream<Path> dirs = Files.list(runs)) {
            List<Path> all = dirs.toList();
            assertEquals(1, all.size(), all.toString());
            return all.get(0);
        }
    }

    @Test
    void aYamlRunWithThePluginsAgentWritesItsMetricsAndResumesExactly(@TempDir Path tmp) throws IOException {
        Path yaml = tmp.resolve("readout.yaml");
        Files.writeString(yaml, AGENT + TinyConfig.yaml(DelayedMatch.ID, ""));
        Path runs = tmp.resolve("runs");
        assertEquals(0, train(yaml, runs));
        Path run = onlyRun(runs);

        String config = Files.readString(run.resolve("config.yaml"));
        assertTrue(config.contains("id: " + ReadoutOnlyAgent.ID) && config.contains("l2: 0.001"), config);
        List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
        assertEquals(String.join(",", ReadoutOnlyAgent.COLUMNS), csv.get(0));
        assertEquals(7, csv.size(), String.join("\n", csv));
        assertTrue(!csv.get(6).endsWith(",,") && csv.get(6).split(",", -1)[4].length() > 0, "test error at the end");

        // Lose everything after the checkpoint of iteration 3, as a kill between 3 and 6 would, and resume.
        byte[] uninterrupted = Files.readAllBytes(run.resolve("metrics.csv"));
        Files.delete(run.resolve("checkpoints").resolve(CheckpointStore.fileName(6)));
        try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(0, RunLauncher.resume(run, List.of("eprop", "train", "--resume", run.toString()), out));
        }
        assertEquals(new String(uninterrupted, StandardCharsets.UTF_8),
                Files.readString(run.resolve("metrics.csv")), "the resumed table equals the uninterrupted one");
    }

    /** The agent's readout gradient against the core's: the same dE/dW_out on the same forward pass. */
    @Test
    void theReadoutGradientIsTheCoresReadoutGradient() {
        DelayedMatch task = new DelayedMatch(DelayedMatch.Params.defaults());
        SpikingNetwork net = new SpikingNetwork(NeuronLayer.fig3().withSizes(task.inputs(), 6, 6),
                new Readout(2, 20.0, org.eprop.learning.neuron.ReadoutConvention.NORMALISED, true),
                Precision.FLOAT64).initialise(new Rng(4), ReadoutInit.GLOROT_UNIFORM);
        int batch = 3;
        RealArray x = Precision.FLOAT64.zeros(task.steps() * batch * task.inputs());
        Targets targets = new Targets();
        int steps = task.sampleBatch(org.eprop.envs.supervised.SupervisedTask.Split.TRAIN, new Rng(5), batch, x,
                targets);
        ForwardPass forward = new ForwardPass(Precision.FLOAT64);
        Trajectory tr = forward.run(net, x, steps, batch, false);
        assertTrue(tr.spikes().sum() > 0, "the network spikes");
        BackwardInput in = new BackwardInput(Precision.FLOAT64).evaluate(tr, new CrossEntropy(), targets,
                RateRegularizer.NONE);
        Gradients core = new Gradients(net);
        new FastEprop(forward.dense()).compute(net, tr, in, Feedback.symmetric(), core);
        RealArray gOut = Precision.FLOAT64.zeros(net.wOut().length());
        RealArray gBias = Precision.FLOAT64.zeros(net.bOut().length());
        ReadoutOnlyAgent.readoutGradient(net, tr, in.dy(), 0.0, gOut, gBias);
        assertTrue(Compare.maxRelativeDifference(gOut, core.wOut()) < 1e-12,
                "W_out: " + Compare.maxRelativeDifference(gOut, core.wOut()));
        assertTrue(Compare.maxRelativeDifference(gBias, core.bOut()) < 1e-12,
                "b_out: " + Compare.maxRelativeDifference(gBias, core.bOut()));

        // and the ridge term is l2 W_out on top
        RealArray withL2 = Precision.FLOAT64.zeros(net.wOut().length());
        ReadoutOnlyAgent.readoutGradient(net, tr, in.dy(), 0.5, withL2, gBias);
        for (int i = 0; i < withL2.length(); i++) {
            assertEquals(gOut.get(i) + 0.5 * net.wOut().get(i), withL2.get(i), 1e-15);
        }
    }
}
