package org.eprop.config.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eprop.config.agent.Agent;
import org.eprop.config.agent.RunContext;
import org.eprop.config.plugin.Plugins;
import org.eprop.config.plugin.Registry;
import org.eprop.config.plugin.UnknownIdException;
import org.eprop.config.yaml.ConfigException;
import org.eprop.config.yaml.ConfigLoader;
import org.eprop.config.yaml.SourceMap;
import org.eprop.envs.registry.TaskFactory;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.learning.tensor.BatchParallel;
import org.eprop.learning.tensor.Nd4jBackend;
import org.eprop.supervised.run.RunDirectory;

/**
 * From a YAML file to a running agent: load and validate the config, resolve every id, bind the
 * environment's parameters, and only then create the run directory and start. Every mistake in
 * the config is reported before any work starts.
 */
public final class RunLauncher {
    private RunLauncher() {
    }

    /** A config with every id resolved: ready to run. */
    public record Prepared(RunConfig config, SupervisedTask task, Agent agent, Registry registry) {
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
        TaskFactory<?> factory = resolve(source, "env.id", () -> registry.task(config.env().id()));
        Created created = create(factory, config.env().params(), source);
        SupervisedTask task = created.task();
        resolve(source, "learning.rule", () -> registry.rule(config.learning().rule()));
        if (!(task instanceof org.eprop.envs.verify.VerificationDiagnostic)
                && Math.abs(config.network().dt() - task.dtMs()) > 1e-12) {
            throw new ConfigException(source.locate("network.dt"), "network.dt", task.dtMs() + " (the environment's step)",
                    "network.dt = " + config.network().dt() + " ms but the environment " + task.id() + " steps at "
                            + task.dtMs() + " ms");
        }
        Agent agent;
        if (config.agent() == null || config.agent().isBlank()) {
            agent = registry.agents().values().stream().filter(a -> a.accepts(task)).findFirst()
                    .orElseThrow(() -> new ConfigException(source.locate("env.id"), "agent", "an agent id",
                            "no agent accepts the environment " + task.id() + "; name one under 'agent'"));
        } else {
            agent = resolve(source, "agent", () -> registry.agent(config.agent()));
            if (!agent.accepts(task)) {
                throw new ConfigException(source.locate("agent"), "agent", "an agent for " + task.id(),
                        "agent '" + agent.id() + "' cannot run the environment " + task.id());
            }
        }
        RunConfig resolved = new RunConfig(config.name(), config.seed(), agent.id(), config.plugins(),
                new RunConfig.Env(config.env().id(), created.resolvedParams()),
                config.network(), config.learning(), config.training(), config.output());
        return new Prepared(resolved, task, agent, registry);
    }

    private static <T> T resolve(SourceMap source, String key, java.util.function.Supplier<T> lookup) {
        try {
            return lookup.get();
        } catch (UnknownIdException e) {
            throw new ConfigException(source.locate(key), key, "one of: " + String.join(", ", e.known()),
                    key + ": " + e.getMessage());
        }
    }

    /** A task and its parameters with every default filled in (for the resolved config). */
    private record Created(SupervisedTask task, JsonNode resolvedParams) {
    }

    private static <P> Created create(TaskFactory<P> factory, JsonNode params, SourceMap source) {
        P bound = ConfigLoader.bind(params, factory.paramsType(), factory.defaultParams(), "env.params", source);
        SupervisedTask task;
        try {
            task = factory.create(bound);
        } catch (IllegalArgumentException e) {
            throw new ConfigException(source.locate("env.params"), "env.params", "valid parameters for "
                    + factory.id(), e.getMessage());
        }
        try {
            return new Created(task, new ObjectMapper(new YAMLFactory()).readTree(ConfigLoader.toYaml(bound)));
        } catch (IOException e) {
            throw new IllegalStateException("cannot re-read the resolved parameters", e);
        }
    }

    /** Starts a new run: creates the run directory and runs the agent. */
    public static int start(Prepared p, Path runsRoot, List<String> commandLine, PrintStream out) throws IOException {
        Path root = runsRoot != null ? runsRoot : Path.of(p.config().output().dir());
        RunDirectory dir = RunDirectory.create(root, p.config().name(), Clock.systemDefaultZone());
        dir.writeConfig(ConfigLoader.toYaml(p.config()));
        dir.writeCommandLine(commandLine);
        dir.writeProvenance(provenance(p));
        out.println("run directory: " + dir.path());
        return p.agent().run(new RunContext(p.config(), p.task(), dir, p.registry(), out, false));
    }

    /** Resumes the run in {@code runDir} from its latest checkpoint. */
    public static int resume(Path runDir, List<String> commandLine, PrintStream out) throws IOException {
        RunDirectory dir = RunDirectory.open(runDir);
        ConfigLoader.Loaded<RunConfig> loaded = ConfigLoader.loadWithSource(dir.configFile(), RunConfig.class,
                RunConfig.defaults(), List.of());
        Prepared p = prepare(loaded.config(), loaded.sourceMap());
        return p.agent().run(new RunContext(p.config(), p.task(), dir, p.registry(), out, true));
    }

    private static Map<String, String> provenance(Prepared p) {
        Map<String, String> extra = new LinkedHashMap<>();
        extra.put("env", p.task().id());
        extra.put("agent", p.agent().id());
        extra.put("nd4j_backend", Nd4jBackend.describeOnce());
        extra.put("eprop_threads", Integer.toString(BatchParallel.threads()));
        return extra;
    }
}
