package org.eprop.envs.ale;

import java.util.ArrayList;
import java.util.List;
import org.eprop.envs.api.Frame;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.GameSpec;
import org.eprop.envs.vector.VectorEnv;

/**
 * The ALE games as registered environments: {@code ale/<game>} for every game ALE 0.6.1 supports
 * (the ROM is looked up when the environment is made), and {@code ale/test-pong}, which plays the
 * project's own test cartridge under ALE's Pong rules and needs no ROM.
 */
public final class AleEnvironments {
    /** The id of the bundled test cartridge. */
    public static final String TEST_PONG = "ale/test-pong";

    private AleEnvironments() {
    }

    /**
     * {@code n} ALE environments with the same settings, each created, stepped and closed on one
     * thread of the vector environment (environment i on thread i mod threads, one per core by
     * default; an emulator is confined to its thread). Environment {@code i} is seeded with
     * {@code seed + i} by {@link VectorEnv#reset(long)}.
     */
    public static VectorEnv<Frame, Integer> vector(int n, AleSettings settings) {
        return new VectorEnv<>(n, i -> new AleEnv(settings));
    }

    public static List<EnvSpec<?>> all() {
        List<EnvSpec<?>> out = new ArrayList<>();
        out.add(new GameSpec<>(TEST_PONG, "the project's own Pong-compatible test cartridge (no ROM needed), ALE v5 settings",
                AleParams.class, AleParams.defaults(), Frame.class, Integer.class,
                (p, raw) -> p.preprocess(raw.apply(new AleEnv(settings(TEST_PONG, p))))));
        for (String game : AleGames.SUPPORTED) {
            String id = "ale/" + game;
            out.add(new GameSpec<>(id, "Atari 2600 " + game + " through ALE 0.6.1 (needs " + game + ".bin)",
                    AleParams.class, AleParams.defaults(), Frame.class, Integer.class,
                    (p, raw) -> p.preprocess(raw.apply(new AleEnv(settings(id, p))))));
        }
        return out;
    }

    /**
     * The emulator settings of the registered environment {@code id} with {@code params} (the test
     * cartridge's ROM directory unless the params name one), or null for an id that is not one of them.
     */
    public static AleSettings settings(String id, AleParams params) {
        if (id.equals(TEST_PONG)) {
            return params.settings("pong").withRomDir(params.romDir() == null || params.romDir().isBlank()
                    ? TestRom.directory() : java.nio.file.Path.of(params.romDir()));
        }
        if (id.startsWith("ale/") && AleGames.SUPPORTED.contains(id.substring(4))) {
            return params.settings(id.substring(4));
        }
        return null;
    }
}
