package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import org.eprop.agent.RunContext;
import org.eprop.agent.RunSetup;
import org.eprop.agent.run.AllocationMeter;
import org.eprop.agent.run.RunDirectory;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.agent.spec.OptimizerSpec;
import org.eprop.agent.spec.RateRegularizationSpec;
import org.eprop.agent.spec.ReadoutSpec;
import org.eprop.agent.spec.TrainingSpec;
import org.eprop.envs.ale.AleEnvironments;
import org.eprop.envs.ale.AleParams;
import org.eprop.envs.ale.AleSettings;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.envs.registry.BuiltinGames;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.learning.conv.CnnTraining;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.LearningRule;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.tensor.Precision;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The training loop's per-step work allocates (almost) nothing once warm: the acting (front end,
 * LSNN, heads, sampling, the vector of environments with their wrappers) and the learner, measured
 * over all threads by the trainer and written to {@code timing.csv}. Two ROM-free set-ups: Catch on
 * a synchronous vector (vector observations), and the project's Pong test cartridge with the
 * paper's preprocessing on one thread per emulator, observed as luma (as the Atari configs do), read
 * through the spiking CNN. (Measured on 2026-12-06: about 100 bytes per step while acting and 150
 * while learning, per-unroll work spread over unrolls of 10 and 20 steps.)
 *
 * <p>The bound, 1 KB per step of the vector, is far below what the loop allocated before (about
 * 50 KB per step of 8 Pong environments in the acting alone, ~340 KB per unroll in the learner);
 * what remains is per episode or per unroll (finished episodes' records, the unroll handle), a few
 * bytes per step on average.
 */
class ActorCriticAllocationTest {
    private static final double BYTES_PER_STEP = 1024;
    /**
     * Iterations left out: the vector kernels (the CNN's, on the test cartridge) allocate until the
     * JIT has compiled them, which on a loaded 2-core machine took up to 5 iterations.
     */
    private static final int WARMUP = 7;

    private static NetworkSpec network(int lif, int alif) {
        return new NetworkSpec(Precision.FLOAT32, lif, alif, 1.0, 15.0, 70.0, 0.5, 0.1, 2.0, 0.3,
                InputConvention.CURRENT, new ReadoutSpec(2.0, ReadoutConvention.NORMALISED, true,
                        ReadoutInit.NORMAL_SCALED));
    }

    private static RunSetup setup(BoundEnv<?> env, NetworkSpec network, int iterations) {
        LearningSpec learning = new LearningSpec("eprop", Feedback.Mode.RANDOM, false, 0.0,
                new OptimizerSpec("adam", 1e-3, 0.9, 0.999, 1.0), new RateRegularizationSpec(50.0, 20.0));
        return new RunSetup("allocation", 5, env, network, learning, new LearningRule("eprop", "e-prop",
                FastEprop::new), new TrainingSpec(1, iterations, 10, false, 0.07, 1, 1000, 1000));
    }

    private static ActorCriticParams params(int envs, int unroll, boolean applyAfterEnd,
            ActorCriticParams.Traces traces) {
        ActorCriticParams r = ActorCriticParams.reference();
        return new ActorCriticParams(envs, unroll, 5, 0.99, 1.0, 0.0025, 50.0, 0.02, 1e-4, true, applyAfterEnd,
                1_000_000_000L, new ActorCriticParams.Curriculum(true, 12, 2, 70_000_000L),
                new ActorCriticParams.Cnn(CnnTraining.REFERENCE, r.cnn().voltageCost(), r.cnn().regFactor()), traces);
    }

    /** Runs, then checks the bytes per step of the vector over the iterations after the warm-up. */
    private static void check(Path tmp, RunSetup setup, ActorCriticParams params, int framesPerStep)
            throws IOException {
        assumeTrue(AllocationMeter.supported(), "this JVM does not count allocated bytes per thread");
        RunDirectory dir = RunDirectory.create(tmp, "allocation", Clock.systemUTC());
        dir.writeConfig("name: allocation\n");
        try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(0, new ActorCriticAgent().run(new RunContext(setup, dir, out, false), params));
        }
        List<String> timing = Files.readAllLines(dir.path().resolve("timing.csv"));
        List<String> metrics = Files.readAllLines(dir.path().resolve("metrics.csv"));
        int acting = List.of(timing.get(0).split(",")).indexOf("acting_bytes");
        int learner = List.of(timing.get(0).split(",")).indexOf("learner_bytes");
        int frames = List.of(metrics.get(0).split(",")).indexOf("frames");
        assertTrue(acting > 0 && learner > 0, timing.get(0));
        long actingBytes = 0;
        long learnerBytes = 0;
        double firstActingBytes = Double.parseDouble(timing.get(1).split(",")[acting]);
        for (int row = 1 + WARMUP; row < timing.size(); row++) {
            actingBytes += Long.parseLong(timing.get(row).split(",")[acting]);
            learnerBytes += Long.parseLong(timing.get(row).split(",")[learner]);
        }
        double steps = (Double.parseDouble(metrics.get(metrics.size() - 1).split(",")[frames])
                - Double.parseDouble(metrics.get(WARMUP).split(",")[frames])) / (framesPerStep * params.envs());
        assertTrue(steps >= 50, "enough steps measured: " + steps);
        String what = String.format("%s: acting %.1f, learner %.1f bytes per step of the vector over %.0f steps "
                + "(the first iteration's acting: %.0f bytes)", setup.env().id(), actingBytes / steps,
                learnerBytes / steps, steps, firstActingBytes);
        assertTrue(firstActingBytes > 0, "the meter counts (the first iteration sizes its buffers): " + what);
        assertTrue(actingBytes / steps < BYTES_PER_STEP, what);
        assertTrue(learnerBytes / steps < BYTES_PER_STEP, what);
    }

    @Test
    void catchOnOneThreadAllocatesNothingPerStep(@TempDir Path tmp) throws IOException {
        RunSetup setup = setup(new BoundEnv<>(BuiltinGames.catchGame(), BuiltinGames.catchGame().defaultParams()),
                network(20, 10), 17);
        check(tmp, setup, params(8, 20, false, ActorCriticParams.Traces.CARRIED), 1);
    }

    @Test
    @SuppressWarnings("unchecked")
    void pongFromPixelsWithAThreadPerEmulatorAllocatesNothingPerStep(@TempDir Path tmp) throws IOException {
        EnvSpec<AleParams> spec = (EnvSpec<AleParams>) AleEnvironments.all().stream()
                .filter(s -> s.id().equals(AleEnvironments.TEST_PONG)).findFirst().orElseThrow();
        AleParams d = AleParams.defaults();
        // the Atari configs' observation (the screen's luma from the palette indices) and traces (truncated)
        AleParams paper = new AleParams(d.romDir(), "paper", d.frameskip(), d.repeatActionProbability(),
                d.fullActionSpace(), d.maxEpisodeFrames(), AleSettings.Observation.LUMA, "paper", false);
        check(tmp, setup(new BoundEnv<>(spec, paper), network(12, 8), 16),
                params(2, 10, true, ActorCriticParams.Traces.TRUNCATED), 4);
    }
}
