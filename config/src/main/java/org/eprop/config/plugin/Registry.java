package org.eprop.config.plugin;

import com.google.inject.Inject;
import java.util.Map;
import java.util.TreeMap;
import org.eprop.agent.Agent;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.learning.gradient.LearningRule;

/** Looks up environments, learning rules and agents by id; an unknown id lists the known ones. */
public final class Registry {
    private final Map<String, EnvSpec<?>> environments;
    private final Map<String, LearningRule> rules;
    private final Map<String, Agent<?>> agents;

    @Inject
    public Registry(Map<String, EnvSpec<?>> environments, Map<String, LearningRule> rules,
            Map<String, Agent<?>> agents) {
        this.environments = new TreeMap<>(environments);
        this.rules = new TreeMap<>(rules);
        this.agents = new TreeMap<>(agents);
    }

    /** An environment of any kind (supervised task, game, diagnostic). */
    public EnvSpec<?> environment(String id) {
        EnvSpec<?> spec = environments.get(id);
        if (spec == null) {
            throw new UnknownIdException("environment id", id, environments.keySet());
        }
        return spec;
    }

    /** Every environment, sorted by id. */
    public Map<String, EnvSpec<?>> environments() {
        return environments;
    }

    public LearningRule rule(String id) {
        LearningRule r = rules.get(id);
        if (r == null) {
            throw new UnknownIdException("learning rule", id, rules.keySet());
        }
        return r;
    }

    public Agent<?> agent(String id) {
        Agent<?> a = agents.get(id);
        if (a == null) {
            throw new UnknownIdException("agent", id, agents.keySet());
        }
        return a;
    }

    public Map<String, LearningRule> rules() {
        return rules;
    }

    public Map<String, Agent<?>> agents() {
        return agents;
    }
}
