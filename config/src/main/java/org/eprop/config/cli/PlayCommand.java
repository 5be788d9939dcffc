package org.eprop.config.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eprop.config.plugin.Plugins;
import org.eprop.config.plugin.Registry;
import org.eprop.config.run.RunConfig;
import org.eprop.config.yaml.ConfigLoader;
import org.eprop.config.yaml.SourceMap;
import org.eprop.envs.ale.Play;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.GameSpec;
import org.eprop.envs.wrappers.RecordVideo;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "play", mixinStandardHelpOptions = true,
        description = {"Play and record episodes of a game with a simple policy, before a trained agent exists.",
            "  eprop play ale/test-pong --episodes 2 --video videos",
            "  eprop play ale/pong --rom-dir ~/roms --episodes 3 --video videos --set preprocessing=paper",
            "  eprop play my-run.yaml --episodes 5"})
final class PlayCommand implements Callable<Integer> {
    private static final com.fasterxml.jackson.databind.ObjectMapper YAML =
            new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory());

    @Parameters(index = "0", paramLabel = "CONFIG|ENV_ID",
            description = "a game environment id (eprop envs) or a run config whose env.id is one")
    String target;

    @Option(names = "--episodes", defaultValue = "1", description = "episodes to play (default: ${DEFAULT-VALUE})")
    int episodes;

    @Option(names = "--policy", defaultValue = "random", description = "the policy: random (default)")
    String policy;

    @Option(names = "--video", paramLabel = "DIR", description = "record every episode as MP4 into DIR "
            + "(raw RGB frames, <game>-episode-<n>.mp4)")
    Path video;

    @Option(names = "--seed", defaultValue = "0", description = "seed of the game and the policy (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--rom-dir", paramLabel = "DIR", description = "directory with <game>.bin (then $EPROP_ROM_DIR, "
            + "~/.eprop/roms)")
    Path romDir;

    @Option(names = "--set", paramLabel = "KEY=VALUE", description = "set an environment parameter, e.g. "
            + "--set frameskip=1 (keys of env.params; repeatable)")
    List<String> sets = new ArrayList<>();

    @Override
    public Integer call() throws Exception {
        if (!policy.equals("random")) {
            throw new IllegalArgumentException("unknown policy '" + policy + "'; known: random");
        }
        if (episodes < 1) {
            throw new IllegalArgumentException("--episodes must be >= 1, got " + episodes);
        }
        String id;
        JsonNode params;
        SourceMap source;
        List<String> plugins = List.of();
        if (target.endsWith(".yaml") || target.endsWith(".yml") || Files.isRegularFile(Path.of(target))) {
            var loaded = ConfigLoader.loadWithSource(Path.of(target), RunConfig.class, RunConfig.defaults(), List.of());
            id = loaded.config().env().id();
            params = loaded.config().env().params();
            source = loaded.sourceMap();
            plugins = loaded.config().plugins();
        } else {
            id = target;
            params = JsonNodeFactory.instance.objectNode();
            source = new SourceMap("command line");
        }
        ObjectNode merged = params.isObject() ? ((ObjectNode) params).deepCopy() : JsonNodeFactory.instance.objectNode();
        if (romDir != null) {
            merged.put("rom_dir", romDir.toString());
        }
        for (String s : sets) {
            int eq = s.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("--set takes key=value, got '" + s + "'");
            }
            merged.set(s.substring(0, eq), YAML.readTree(s.substring(eq + 1)));
        }
        Registry registry = Plugins.registry(plugins);
        Path videoDir = video;
        String prefix = id.replace('/', '-');
        // The recorder sits directly on the game: the video shows the raw RGB screen, whatever
        // preprocessing the agent would see.
        Env<Frame, Integer> env = create(frameGame(registry.environment(id)), merged, source,
                raw -> videoDir == null ? raw : new RecordVideo<>(raw, videoDir, prefix, ep -> true, 30));
        List<Play.EpisodeResult> results = Play.play(env, episodes, seed, null, System.out);
        double mean = results.stream().mapToDouble(Play.EpisodeResult::episodeReturn).average().orElse(Double.NaN);
        System.out.printf(Locale.ROOT, "%d episodes of %s, random policy: mean return %.2f%n", results.size(), id, mean);
        if (videoDir != null) {
            System.out.println("videos: " + videoDir.toAbsolutePath());
        }
        return 0;
    }

    /** The game, if it is one with frame observations and discrete actions (what play records and acts in). */
    @SuppressWarnings("unchecked")
    private static GameSpec<?, Frame, Integer> frameGame(EnvSpec<?> spec) {
        if (!(spec instanceof GameSpec<?, ?, ?> game) || game.observationType() != Frame.class
                || game.actionType() != Integer.class) {
            throw new IllegalArgumentException("'" + spec.id() + "' is a " + spec.kind() + ", not a game with screen "
                    + "frames and discrete actions: 'eprop play' plays games such as ale/pong (see 'eprop envs'); "
                    + "train it with 'eprop train'");
        }
        return (GameSpec<?, Frame, Integer>) game;
    }

    private static <P> Env<Frame, Integer> create(GameSpec<P, Frame, Integer> game, JsonNode params, SourceMap source,
            java.util.function.UnaryOperator<Env<Frame, Integer>> raw) {
        P bound = ConfigLoader.bind(params, game.paramsType(), game.defaultParams(), "env.params", source);
        return game.env(bound, raw);
    }
}
