package org.eprop.config.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.concurrent.TimeUnit;
import org.eprop.agent.run.StopSignal;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.eprop.agent.Agent;
import org.eprop.agent.RunContext;
import org.eprop.agent.RunSetup;
import org.eprop.agent.run.RunDirectory;
import org.eprop.config.plugin.Plugins;
import org.eprop.config.plugin.Registry;
import org.eprop.config.plugin.UnknownIdException;
import org.eprop.config.yaml.ConfigException;
import org.eprop.config.yaml.ConfigLoader;
import org.eprop.config.yaml.SourceMap;
import org.eprop.envs.params.Checks;
import org.eprop.envs.registry.BoundEnv;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.learning.gradient.LearningRule;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Nd4jBackend;

/**
 * From a YAML file to a running agent: load and validate the config, resolve every id, bind the
 * environment's and the agent's parameters, let the agent check the combination, and only then
 * create the run directory and start. Every mistake in the config is reported before any work
 * starts.
 */
public final class RunLauncher {
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private RunLauncher() {
    }

    /** A config with every id resolved and every parameter bound: ready to run. */
    public record Prepared(RunConfig config, RunSetup setup, Agent<?> agent, Object agentParams, Registry registry) {

        /** The environment with its parameters. */
        public BoundEnv<?> env() {
            return setup.env();
        }
    }

    /** Loads, validates and resolves {@code file} with {@code --set} overrides. */
    public static Prepared prepare(Path file, List<String> overrides) {
        ConfigLoader.Loaded<RunConfig> loaded = ConfigLoader.loadWithSource(file, RunConfig.class, RunConfig.defaults(),
                overrides);
        return prepare(loaded.config(), loaded.sourceMap());
    }

    static Prepared prepare(RunConfig config, SourceMap source) {
        Registry registry;
        try {
            registry = Plugins.registry(config.plugins());
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source.locate("plugins"), "plugins", "loadable plugin classes", e.getMessage());
        }
        EnvSpec<?> spec = resolve(source, "env.id", () -> registry.environment(config.env().id()));
        // Who runs it is settled before the environment is made: making a game loads its ROM.
        Agent<?> agent = chooseAgent(config, spec, registry, source);
        Bound<?> env = bindEnv(spec, config.env().params(), source);
        LearningRule rule = resolve(source, "learning.rule", () -> registry.rule(config.learning().rule()));
        RunSetup setup = new RunSetup(config.name(), config.seed(), env.bound(), config.network(), config.learning(),
                rule, config.training());
        return bindAgent(agent, config, setup, env.resolvedParams(), registry, source);
    }

    private static Agent<?> chooseAgent(RunConfig config, EnvSpec<?> spec, Registry registry, SourceMap source) {
        String id = config.agent().id();
        List<String> accepting = registry.agents().values().stream().filter(a -> a.accepts(spec)).map(Agent::id)
                .toList();
        if (id == null || id.isBlank()) {
            List<Agent<?>> defaults = registry.agents().values().stream().filter(a -> a.isDefaultFor(spec)).toList();
            if (defaults.size() == 1) {
                return defaults.get(0);
            }
            String why = defaults.isEmpty()
                    ? "no agent runs the " + spec.kind() + " " + spec.id() + " by default"
                    : "several agents claim the " + spec.kind() + " " + spec.id() + " by default ("
                            + String.join(", ", defaults.stream().map(Agent::id).toList()) + ")";
            throw new ConfigException(source.locate("env.id"), "agent.id", "an agent id",
                    "agent.id: " + why + "; name one under 'agent.id' ("
                            + (accepting.isEmpty() ? "none of the known agents runs it; known: "
                                    + String.join(", ", registry.agents().keySet())
                                    : "agents that can: " + String.join(", ", accepting)) + ")");
        }
        Agent<?> agent = resolve(source, "agent.id", () -> registry.agent(id));
        if (!agent.accepts(spec)) {
            throw new ConfigException(source.locate("agent.id"), "agent.id", "an agent for " + spec.id(),
                    "agent.id: agent '" + agent.id() + "' cannot run the " + spec.kind() + " " + spec.id()
                            + (accepting.isEmpty() ? "" : "; agents that can: " + String.join(", ", accepting)));
        }
        return agent;
    }

    private static <P> Prepared bindAgent(Agent<P> agent, RunConfig config, RunSetup setup, JsonNode envParams,
            Registry registry, SourceMap source) {
        P params = ConfigLoader.bind(config.agent().params(), agent.paramsType(), agent.defaultParams(), "agent.params",
                source);
        Checks checks = new Checks();
        agent.check(setup, params, checks);
        List<ConfigException> problems = new ArrayList<>();
        for (Checks.Problem p : checks.problems()) {
            problems.add(new ConfigException(source.locate(p.key()), p.key(), p.expected(),
                    p.key() + " = " + p.value() + " " + p.verdict() + ": expected " + p.expected()));
        }
        if (!problems.isEmpty()) {
            throw ConfigException.of(problems);
        }
        RunConfig resolved = new RunConfig(config.name(), config.seed(),
                new RunConfig.Agent(agent.id(), tree(params)), config.plugins(),
                new RunConfig.Env(config.env().id(), envParams), config.network(), config.learning(),
                config.training(), config.output());
        return new Prepared(resolved, setup, agent, params, registry);
    }

    private static <T> T resolve(SourceMap source, String key, Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (UnknownIdException e) {
            throw new ConfigException(source.locate(key), key, "one of: " + String.join(", ", e.known()),
                    key + ": " + e.getMessage());
        }
    }

    /** An environment with its parameters, and those parameters with every default filled in. */
    private record Bound<P>(BoundEnv<P> bound, JsonNode resolvedParams) {
    }

    private static <P> Bound<P> bindEnv(EnvSpec<P> spec, JsonNode params, SourceMap source) {
        P bound = ConfigLoader.bind(params, spec.paramsType(), spec.defaultParams(), "env.params", source);
        BoundEnv<P> env = new BoundEnv<>(spec, bound);
        try {
            env.validate();
        } catch (org.eprop.envs.ale.RomNotFoundException | org.eprop.envs.ale.CorruptRomException e) {
            // A missing or unusable ROM is found before any native call and before any run directory.
            throw new ConfigException(source.locate("env.params.rom_dir"), "env.params.rom_dir", "a directory with "
                    + "the ROM of " + spec.id(), "env.params.rom_dir: " + e.getMessage().strip());
        } catch (org.eprop.envs.ale.UnknownRomException | org.eprop.envs.ale.EmulatorStalledException e) {
            // A file that is not a known dump of the game: refused before any native call unless
            // allow_unknown_rom, and with it, refused when the trial in a separate JVM stalled. Either
            // way before any run directory exists.
            String key = "env.params.allow_unknown_rom";
            boolean written = params != null && params.has("allow_unknown_rom");
            throw new ConfigException(source.locate(written ? key : "env.params.rom_dir"), key,
                    "a known dump of the game's ROM (or allow_unknown_rom: true for a cartridge you trust)",
                    key + ": " + e.getMessage().strip());
        } catch (IllegalArgumentException | org.eprop.envs.ale.AleException e) {
            String key = namedKey(tree(bound), "env.params", e.getMessage());
            throw new ConfigException(source.locate(key), key, "valid parameters for " + spec.id(), e.getMessage());
        }
        return new Bound<>(env, tree(bound));
    }

    /**
     * The parameter that an environment's own check names in its message (its constructor knows the
     * rule, not the config key), so the error points where that value was written, a file line or
     * {@code --set}; the whole section when the message names none.
     */
    static String namedKey(JsonNode params, String prefix, String message) {
        if (params != null && message != null) {
            for (var it = params.fieldNames(); it.hasNext(); ) {
                String name = it.next();
                if (java.util.regex.Pattern.compile("\\b" + java.util.regex.Pattern.quote(name) + "\\b")
                        .matcher(message).find()) {
                    return prefix + "." + name;
                }
            }
        }
        return prefix;
    }

    private static JsonNode tree(Object record) {
        try {
            return YAML.readTree(ConfigLoader.toYaml(record));
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-read the resolved parameters", e);
        }
    }

    /** Starts a new run: creates the run directory and runs the agent. */
    public static int start(Prepared p, Path runsRoot, List<String> commandLine, PrintStream out) throws IOException {
        Path root = runsRoot != null ? runsRoot : Path.of(p.config().output().dir());
        RunDirectory dir = RunDirectory.create(root, p.config().name(), Clock.systemDefaultZone());
        dir.lock();
        dir.writeConfig(ConfigLoader.toYaml(p.config()));
        dir.writeCommandLine(commandLine);
        dir.writeProvenance(provenance(p));
        out.println("run directory: " + dir.path());
        return runStoppable(p, dir, out, false);
    }

    /**
     * Resumes the run in {@code runDir} from its latest checkpoint; its command line is appended to
     * {@code command.txt} and this session's provenance written beside the first.
     */
    public static int resume(Path runDir, List<String> commandLine, PrintStream out) throws IOException {
        RunDirectory dir = RunDirectory.open(runDir);
        dir.lock();
        ConfigLoader.Loaded<RunConfig> loaded = ConfigLoader.loadWithSource(dir.configFile(), RunConfig.class,
                RunConfig.defaults(), List.of());
        Prepared p = prepare(loaded.config(), loaded.sourceMap());
        dir.writeCommandLine(commandLine);
        dir.writeProvenance(provenance(p));
        return runStoppable(p, dir, out, true);
    }

    /**
     * Runs the agent with the run directory locked and SIGTERM / Ctrl-C turned into a stop at the next
     * iteration boundary: the agent writes a checkpoint and returns, and the shutdown hook (which the
     * JVM runs on those signals) waits for that and prints the command that resumes the run.
     */
    private static int runStoppable(Prepared p, RunDirectory dir, PrintStream out, boolean resume) throws IOException {
        StopSignal stop = new StopSignal();
        Thread hook = new Thread(() -> {
            stop.request();
            System.err.println();
            System.err.println("eprop: stopping: finishing the iteration in progress and writing a checkpoint ...");
            try {
                boolean done = stop.awaitStopped(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
                System.err.println("eprop: " + (done ? "stopped; the checkpoint is written" : "no checkpoint within "
                        + STOP_WAIT_SECONDS + " s; the run continues from its last one") + ". Resume with:");
                System.err.println("  eprop train --resume " + RunDirectory.shellQuote(List.of(dir.path().toString())));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "eprop-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        boolean shuttingDown = false;
        try {
            return run(p, new RunContext(p.setup(), dir, out, resume, stop));
        } finally {
            stop.stopped();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                shuttingDown = true; // the hook is running: it reports, and the lock goes with the process
            }
            if (!shuttingDown) {
                dir.unlock();
            }
        }
    }

    /** How long a stop request waits for the iteration in progress and its checkpoint. */
    static final long STOP_WAIT_SECONDS = 300;

    @SuppressWarnings("unchecked")
    private static <P> int run(Prepared p, RunContext context) throws IOException {
        return ((Agent<P>) p.agent()).run(context, (P) p.agentParams());
    }

    private static Map<String, String> provenance(Prepared p) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("env", p.env().id());
        extra.put("agent", p.agent().id());
        extra.put("nd4j_backend", Nd4jBackend.describeOnce());
        extra.put("eprop_threads", Integer.toString(BatchParallel.threads()));
        return extra;
    }
}
