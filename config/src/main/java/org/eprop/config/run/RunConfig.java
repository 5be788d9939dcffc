package org.eprop.config.run;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.List;
import org.eprop.agent.spec.LearningSpec;
import org.eprop.agent.spec.NetworkSpec;
import org.eprop.agent.spec.TrainingSpec;
import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;

/**
 * A run, as written in YAML (snake_case keys). Every key has a default, the reference's Fig. 3
 * setting, except {@code env.id}. See {@link #defaults()} and the README for the full list. The
 * sections {@code network}, {@code learning} and {@code training} are shared by the agents
 * ({@code org.eprop.agent.spec}); {@code env.params} and {@code agent.params} are bound to the
 * records of the chosen environment and agent.
 *
 * @param name run name; the run directory is {@code <output.dir>/<name>-<timestamp>}
 * @param seed seed of everything random in the run
 * @param agent what runs on the environment and its parameters
 * @param plugins extra plugin classes to load, beyond those found through ServiceLoader
 */
public record RunConfig(String name, Long seed, Agent agent, List<String> plugins, Env env, NetworkSpec network,
        LearningSpec learning, TrainingSpec training, Output output) implements Validated {

    /** The environment: a registered id and its parameters (defaults: the environment's reference values). */
    public record Env(String id, JsonNode params) {
    }

    /**
     * The agent: a registered id ({@code supervised}, {@code diagnostic}, a plugin's) and its
     * parameters; an empty id lets the environment choose (the first agent that accepts it).
     */
    public record Agent(String id, JsonNode params) {
    }

    /** Where run directories go. */
    public record Output(String dir) {
    }

    @Override
    public void validate(Checks c) {
        c.check(name != null && name.matches("[A-Za-z0-9._-]+"), "name", name,
                "letters, digits, '.', '_' or '-' (it names the run directory)");
        c.check(env.id() != null && !env.id().isBlank(), "env.id", env.id(), "a registered environment id");
        c.check(output == null || (output.dir() != null && !output.dir().isBlank()), "output.dir",
                output == null ? null : output.dir(), "a directory for the run directories (e.g. runs); "
                        + "an empty value would put them in the current directory");
    }

    /** Every default: the reference Fig. 3 evidence-accumulation run with random e-prop. */
    public static RunConfig defaults() {
        return new RunConfig("run", 1L, new Agent("", JsonNodeFactory.instance.objectNode()), List.of(),
                new Env(null, JsonNodeFactory.instance.objectNode()), NetworkSpec.fig3(), LearningSpec.fig3(),
                TrainingSpec.fig3(), new Output("runs"));
    }
}
