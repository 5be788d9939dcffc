package org.eprop.agent.eval;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.agent.run.Checkpoint;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.agent.spec.ReadoutSpec;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.envs.registry.BuiltinGames;
import org.eprop.envs.toy.Catch;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.junit.jupiter.api.Test;

/** A checkpoint is checked against the network of the config and the game before it is used. */
class ActorCriticPolicyTest {
    private static final NetworkSpec SPEC = new NetworkSpec(Precision.FLOAT32, 6, 4, 1.0, 15.0, 70.0, 0.5, 0.1, 2.0,
            0.3, InputConvention.CURRENT, new ReadoutSpec(2.0, ReadoutConvention.NORMALISED, true,
                    ReadoutInit.NORMAL_SCALED));
    private static final BoundEnv<Catch.Params> CATCH = new BoundEnv<>(BuiltinGames.catchGame(),
            Catch.Params.defaults());

    private static Checkpoint of(SpikingNetwork net) {
        Checkpoint.Builder b = Checkpoint.builder();
        net.parameters().entries().forEach(e -> b.put("net." + e.name(), e.array().toDoubleArray()));
        return b.build();
    }

    @Test
    void aCheckpointOfAnotherActionCountOrSizeIsRefusedWithTheFileAndTheMismatch() {
        SpikingNetwork want = org.eprop.agent.actorcritic.ActorCriticAgent.network(SPEC, 51, 4, new Rng(1));
        ActorCriticPolicy.checkShapes(want, of(want), "ckpt-000000010.bin", CATCH, "50 observation values + the episode-start input", 3);

        SpikingNetwork twoActions = org.eprop.agent.actorcritic.ActorCriticAgent.network(SPEC, 51, 3, new Rng(1));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> ActorCriticPolicy.checkShapes(
                want, of(twoActions), "ckpt-000000010.bin", CATCH, "50 observation values + the episode-start input", 3));
        assertTrue(e.getMessage().contains("ckpt-000000010.bin") && e.getMessage().contains("it has 2 actions (+ value), "
                + "toy/catch has 3") && e.getMessage().contains("readout bias has 3 values")
                && e.getMessage().contains("Fix:"), e.getMessage());

        SpikingNetwork noDoneInput = org.eprop.agent.actorcritic.ActorCriticAgent.network(SPEC, 50, 4, new Rng(1));
        e = assertThrows(IllegalArgumentException.class, () -> ActorCriticPolicy.checkShapes(want, of(noDoneInput),
                "ckpt-000000010.bin", CATCH, "50 observation values + the episode-start input", 3));
        assertTrue(e.getMessage().contains("it takes 50 inputs, toy/catch and the config give 51 (from 50 "
                + "observation values + the episode-start input)"), e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> ActorCriticPolicy.checkShapes(want,
                Checkpoint.builder().put("x", new double[1]).build(), "ckpt-000000010.bin", CATCH, "50 observation values + the episode-start input", 3));
        assertTrue(e.getMessage().contains("not an actor-critic checkpoint"), e.getMessage());
    }
}
