package org.eprop.config.plugin;

import com.google.inject.Inject;
import java.util.Map;
import java.util.TreeMap;
import org.eprop.config.agent.Agent;
import org.eprop.envs.registry.EnvFactory;
import org.eprop.envs.registry.TaskFactory;

/** Looks up environments, learning rules and agents by id. */
public final class Registry {
    private final Map<String, TaskFactory<?>> tasks;
    private final Map<String, EnvFactory<?>> environments;
    private final Map<String, LearningRule> rules;
    private final Map<String, Agent> agents;

    @Inject
    public Registry(Map<String, TaskFactory<?>> tasks, Map<String, EnvFactory<?>> environments,
            Map<String, LearningRule> rules, Map<String, Agent> agents) {
        this.tasks = new TreeMap<>(tasks);
        this.environments = new TreeMap<>(environments);
        this.rules = new TreeMap<>(rules);
        this.agents = new TreeMap<>(agents);
    }

    /** A supervised task; the error lists every environment id (tasks and games). */
    public TaskFactory<?> task(String id) {
        TaskFactory<?> f = tasks.get(id);
        if (f == null) {
            if (environments.containsKey(id)) {
                throw new IllegalArgumentException("'" + id + "' is a game environment: it has no supervised targets, "
                        + "so it cannot be trained with the supervised agent yet; try 'eprop play " + id + "'");
            }
            throw new UnknownIdException("environment id", id, tasks.keySet());
        }
        return f;
    }

    /** A game environment such as {@code ale/pong}. */
    public EnvFactory<?> environment(String id) {
        EnvFactory<?> f = environments.get(id);
        if (f == null) {
            throw new UnknownIdException("game environment id", id, environments.keySet());
        }
        return f;
    }

    public Map<String, EnvFactory<?>> environments() {
        return environments;
    }

    public LearningRule rule(String id) {
        LearningRule r = rules.get(id);
        if (r == null) {
            throw new UnknownIdException("learning rule", id, rules.keySet());
        }
        return r;
    }

    public Agent agent(String id) {
        Agent a = agents.get(id);
        if (a == null) {
            throw new UnknownIdException("agent", id, agents.keySet());
        }
        return a;
    }

    public Map<String, TaskFactory<?>> tasks() {
        return tasks;
    }

    public Map<String, LearningRule> rules() {
        return rules;
    }

    public Map<String, Agent> agents() {
        return agents;
    }
}
