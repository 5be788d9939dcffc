package org.eprop.envs.registry;

import java.util.List;
import org.eprop.envs.cue.EvidenceAccumulationRl;
import org.eprop.envs.toy.Catch;

/**
 * The reward tasks that ship with the project and need no ROM: small games, with {@code float[]}
 * observations and {@code Integer} actions, on which reward-based learning can be checked in
 * minutes (the Atari games are in {@code AleEnvironments}).
 */
public final class BuiltinGames {
    private BuiltinGames() {
    }

    public static List<EnvSpec<?>> all() {
        return List.of(catchGame(), evidenceAccumulationRl());
    }

    /** {@code toy/catch}: bsuite's Catch. */
    public static GameSpec<Catch.Params, float[], Integer> catchGame() {
        return new GameSpec<>(Catch.ID,
                "bsuite Catch: 10x5 grid, catch the falling ball with a paddle (left/stay/right), reward +1/-1 at the bottom",
                Catch.Params.class, Catch.Params.defaults(), float[].class, Integer.class,
                (p, raw) -> raw.apply(new Catch(p)));
    }

    /** {@code cue/evidence-accumulation-rl}: the Fig. 3 trial with a rewarded left/right choice. */
    public static GameSpec<EvidenceAccumulationRl.Params, float[], Integer> evidenceAccumulationRl() {
        return new GameSpec<>(EvidenceAccumulationRl.ID,
                "Fig. 3 trial as a reward task: choose left/right in the recall window, +-1 per trial for the majority side (1050 ms delay)",
                EvidenceAccumulationRl.Params.class, EvidenceAccumulationRl.Params.reference(), float[].class,
                Integer.class, (p, raw) -> raw.apply(new EvidenceAccumulationRl(p)));
    }
}
