package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

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
import org.eprop.agent.run.CheckpointStore;
import org.eprop.agent.run.RunDirectory;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.agent.spec.OptimizerSpec;
import org.eprop.agent.spec.RateRegularizationSpec;
import org.eprop.agent.spec.ReadoutSpec;
import org.eprop.agent.spec.TrainingSpec;
import org.eprop.envs.ale.AleEnvironments;
import org.eprop.envs.ale.AleParams;
import org.eprop.envs.registry.BoundEnv;
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
 * The actor-critic reading the screen through the spiking CNN, on the project's Pong test
 * cartridge with the paper's preprocessing (no ROM needed): it runs, its CNN and heads' state are
 * checkpointed with the rest, and a resumed run writes the same table as an uninterrupted one.
 */
class ActorCriticScreenTest {

    @SuppressWarnings("unchecked")
    private static RunSetup setup(CnnTraining training) {
        EnvSpec<AleParams> spec = (EnvSpec<AleParams>) AleEnvironments.all().stream()
                .filter(s -> s.id().equals(AleEnvironments.TEST_PONG)).findFirst().orElseThrow();
        AleParams d = AleParams.defaults();
        AleParams paper = new AleParams(d.romDir(), "paper", d.frameskip(), d.repeatActionProbability(),
                d.fullActionSpace(), d.maxEpisodeFrames(), d.observation(), "paper", false);
        NetworkSpec network = new NetworkSpec(Precision.FLOAT32, 12, 8, 1.0, 15.0, 70.0, 1.0, 0.1, 5.0, 0.3,
                InputConvention.CURRENT, new ReadoutSpec(2.0, ReadoutConvention.NORMALISED, true,
                        ReadoutInit.NORMAL_SCALED));
        LearningSpec learning = new LearningSpec("eprop", Feedback.Mode.RANDOM, false, 0.0,
                new OptimizerSpec("adam", 1e-3, 0.9, 0.999, 1.0), new RateRegularizationSpec(50.0, 20.0));
        return new RunSetup("screen", 2, new BoundEnv<>(spec, paper), network, learning,
                new LearningRule("eprop", "e-prop", FastEprop::new),
                new TrainingSpec(1, 4, 10, false, 0.07, 1, 2, 1000));
    }

    private static ActorCriticParams params(CnnTraining training, ActorCriticParams.Traces traces) {
        ActorCriticParams r = ActorCriticParams.reference();
        return new ActorCriticParams(2, 6, 5, 0.99, 1.0, 0.0025, 50.0, 0.02, 1e-4, true, false, 1_000_000L,
                new ActorCriticParams.Curriculum(true, 10, 2, 70_000_000L), new ActorCriticParams.Cnn(training,
                        r.cnn().voltageCost(), r.cnn().regFactor()), traces);
    }

    private static Path run(Path root, CnnTraining training, ActorCriticParams.Traces traces, Path existing)
            throws IOException {
        RunDirectory dir;
        if (existing != null) {
            dir = RunDirectory.open(existing);
        } else {
            dir = RunDirectory.create(root, "screen", Clock.systemUTC());
            dir.writeConfig("name: screen\n");
        }
        try (PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8)) {
            assertEquals(0, new ActorCriticAgent().run(new RunContext(setup(training), dir, out, existing != null),
                    params(training, traces)));
        }
        return dir.path();
    }

    @Test
    void playsFromPixelsAndResumesExactly(@TempDir Path tmp) throws IOException {
        for (CnnTraining training : CnnTraining.values()) {
            java.util.Map<ActorCriticParams.Traces, String> tables = new java.util.EnumMap<>(ActorCriticParams.Traces.class);
            for (ActorCriticParams.Traces traces : ActorCriticParams.Traces.values()) {
                String what = training + ", traces " + traces;
                Path run = run(tmp.resolve(training.name() + "-" + traces.name()), training, traces, null);
                List<String> csv = Files.readAllLines(run.resolve("metrics.csv"));
                assertEquals(5, csv.size(), what + "\n" + String.join("\n", csv));
                int frames = List.of(csv.get(0).split(",")).indexOf("frames");
                assertTrue(Double.parseDouble(csv.get(4).split(",")[frames]) == 4 * 6 * 2 * 4,
                        what + ": 4 frames per agent step: " + csv.get(4));
                byte[] whole = Files.readAllBytes(run.resolve("metrics.csv"));
                Files.delete(run.resolve("checkpoints").resolve(CheckpointStore.fileName(4)));
                run(null, training, traces, run);
                assertEquals(new String(whole, StandardCharsets.UTF_8), Files.readString(run.resolve("metrics.csv")),
                        what + ": resumed from iteration 2");
                tables.put(traces, new String(whole, StandardCharsets.UTF_8));
            }
            // from the second unroll on the gradients differ, and with them the weights and the losses
            assertNotEquals(tables.get(ActorCriticParams.Traces.CARRIED), tables.get(ActorCriticParams.Traces.TRUNCATED),
                    training + ": truncating the traces changed nothing");
        }
    }
}
