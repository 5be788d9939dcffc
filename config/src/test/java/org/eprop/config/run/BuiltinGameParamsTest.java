package org.eprop.config.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.List;
import org.eprop.config.yaml.ConfigException;
import org.eprop.config.yaml.ConfigLoader;
import org.eprop.envs.ale.AleEnvironments;
import org.eprop.envs.ale.AleParams;
import org.eprop.envs.cue.EvidenceAccumulation;
import org.eprop.envs.cue.EvidenceAccumulationRl;
import org.eprop.envs.registry.BuiltinGames;
import org.eprop.envs.registry.GameSpec;
import org.eprop.envs.toy.Catch;
import org.junit.jupiter.api.Test;

/** {@code env.params} of the built-in games bound from YAML as a run binds them: snake_case keys over the defaults. */
class BuiltinGameParamsTest {

    private static <P> P bind(GameSpec<P, ?, ?> game, String yaml) {
        ConfigLoader.Loaded<JsonNode> loaded = ConfigLoader.loadWithSource(yaml, "game.yaml", JsonNode.class, null,
                List.of());
        return ConfigLoader.bind(loaded.tree().path("env").get("params"), game.paramsType(), game.defaultParams(),
                "env.params", loaded.sourceMap());
    }

    @Test
    void catchParamsBindOverBsuitesDefaults() {
        assertEquals(new Catch.Params(10, 5), bind(BuiltinGames.catchGame(), "env:\n  id: toy/catch\n"));
        assertEquals(new Catch.Params(12, 5), bind(BuiltinGames.catchGame(), """
                env:
                  id: toy/catch
                  params:
                    rows: 12
                """));
        ConfigException e = assertThrows(ConfigException.class, () -> bind(BuiltinGames.catchGame(), """
                env:
                  id: toy/catch
                  params:
                    columns: 0
                """));
        assertTrue(e.getMessage().contains("env.params.columns: columns must be >= 1, got 0"), e.getMessage());
        assertEquals(4, e.line(), "located at the key the message names: " + e.getMessage());
        assertEquals("env.params.columns", e.key());
    }

    @Test
    void evidenceAccumulationRlTakesTheSupervisedTasksTimingKeysAndTheRewardRule() {
        EvidenceAccumulationRl.Params t = bind(BuiltinGames.evidenceAccumulationRl(), """
                env:
                  id: cue/evidence-accumulation-rl
                  params:
                    delay_ms: 500
                    cues: 5
                """);
        EvidenceAccumulation.Timing ref = EvidenceAccumulation.Timing.reference();
        assertEquals(500.0, t.delayMs());
        assertEquals(5, t.cues());
        assertEquals(ref.recallMs(), t.recallMs());
        assertEquals(EvidenceAccumulationRl.Reward.RECALL_WINDOW, t.reward(), "the default rule");
        assertEquals(EvidenceAccumulationRl.Reward.LAST_STEP, bind(BuiltinGames.evidenceAccumulationRl(), """
                env:
                  id: cue/evidence-accumulation-rl
                  params:
                    reward: last-step
                """).reward());
        ConfigException rule = assertThrows(ConfigException.class, () -> bind(BuiltinGames.evidenceAccumulationRl(),
                """
                env:
                  id: cue/evidence-accumulation-rl
                  params:
                    reward: last_stp
                """));
        assertTrue(rule.getMessage().contains("env.params.reward"), rule.getMessage());
        assertTrue(rule.getMessage().contains("last-step"), "names the accepted values: " + rule.getMessage());
        ConfigException e = assertThrows(ConfigException.class, () -> bind(BuiltinGames.evidenceAccumulationRl(), """
                env:
                  id: cue/evidence-accumulation-rl
                  params:
                    cues: 4
                """));
        assertTrue(e.getMessage().contains("cues must be a positive odd number"), e.getMessage());
    }

    @Test
    void aleParamsTakeAllowUnknownRomDefaultingToFalse() {
        @SuppressWarnings("unchecked")
        GameSpec<AleParams, ?, ?> pong = (GameSpec<AleParams, ?, ?>) AleEnvironments.all().stream()
                .filter(s -> s.id().equals("ale/pong")).findFirst().orElseThrow();
        AleParams defaults = bind(pong, "env:\n  id: ale/pong\n");
        assertEquals(Boolean.FALSE, defaults.allowUnknownRom());
        assertFalse(defaults.settings("pong").allowUnknownRom(), "unknown ROMs are refused unless asked for");
        AleParams allowed = bind(pong, """
                env:
                  id: ale/pong
                  params:
                    rom_dir: /roms
                    allow_unknown_rom: true
                """);
        assertEquals(Boolean.TRUE, allowed.allowUnknownRom());
        assertTrue(allowed.settings("pong").allowUnknownRom());
        assertEquals("/roms", allowed.romDir());
        ConfigException e = assertThrows(ConfigException.class, () -> bind(pong, """
                env:
                  id: ale/pong
                  params:
                    allow_unknown_roms: true
                """));
        assertTrue(e.getMessage().contains("did you mean 'allow_unknown_rom'?"), e.getMessage());
    }
}
