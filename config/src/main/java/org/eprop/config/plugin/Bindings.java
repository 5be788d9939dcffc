package org.eprop.config.plugin;

import com.google.inject.Binder;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import org.eprop.agent.Agent;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.learning.gradient.LearningRule;

/**
 * The three registries, each a Guice {@link MapBinder} keyed by id. A plugin module adds to them:
 * <pre>
 *   Bindings.environments(binder()).addBinding("toy/my-task").toInstance(new TaskSpec&lt;&gt;(...));
 *   Bindings.agents(binder()).addBinding("my-agent").to(MyAgent.class);
 * </pre>
 */
public final class Bindings {
    private Bindings() {
    }

    /** Environments of every kind (supervised tasks, games, diagnostics), e.g. {@code ale/pong}. */
    public static MapBinder<String, EnvSpec<?>> environments(Binder binder) {
        return MapBinder.newMapBinder(binder, new TypeLiteral<String>() { }, new TypeLiteral<EnvSpec<?>>() { });
    }

    public static MapBinder<String, LearningRule> learningRules(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, LearningRule.class);
    }

    public static MapBinder<String, Agent<?>> agents(Binder binder) {
        return MapBinder.newMapBinder(binder, new TypeLiteral<String>() { }, new TypeLiteral<Agent<?>>() { });
    }
}
