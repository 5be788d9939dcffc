package org.eprop.config.plugin;

import com.google.inject.Binder;
import com.google.inject.TypeLiteral;
import com.google.inject.multibindings.MapBinder;
import org.eprop.config.agent.Agent;
import org.eprop.envs.registry.EnvFactory;
import org.eprop.envs.registry.TaskFactory;

/**
 * The three registries, each a Guice {@link MapBinder} keyed by id. A plugin module adds to them:
 * <pre>
 *   Bindings.tasks(binder()).addBinding("toy/my-task").toInstance(myFactory);
 * </pre>
 */
public final class Bindings {
    private Bindings() {
    }

    public static MapBinder<String, TaskFactory<?>> tasks(Binder binder) {
        return MapBinder.newMapBinder(binder, new TypeLiteral<String>() { }, new TypeLiteral<TaskFactory<?>>() { });
    }

    /** Game environments (frame observations, discrete actions), e.g. {@code ale/pong}. */
    public static MapBinder<String, EnvFactory<?>> environments(Binder binder) {
        return MapBinder.newMapBinder(binder, new TypeLiteral<String>() { }, new TypeLiteral<EnvFactory<?>>() { });
    }

    public static MapBinder<String, LearningRule> learningRules(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, LearningRule.class);
    }

    public static MapBinder<String, Agent> agents(Binder binder) {
        return MapBinder.newMapBinder(binder, String.class, Agent.class);
    }
}
