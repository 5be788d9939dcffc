package org.eprop.envs.registry;

import java.util.Objects;
import java.util.function.Function;
import org.eprop.envs.supervised.SupervisedEnv;
import org.eprop.envs.supervised.SupervisedTask;

/**
 * A supervised task: trials of inputs with targets, drawn in batches by the supervised trainer
 * and presented step by step as a {@link SupervisedEnv}.
 */
public record TaskSpec<P>(String id, String description, Class<P> paramsType, P defaultParams,
        Function<P, SupervisedTask> factory) implements EnvSpec<P> {

    public TaskSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(paramsType, "paramsType");
        Objects.requireNonNull(factory, "factory");
    }

    /** A new task; throws {@link IllegalArgumentException} on parameters it cannot run with. */
    public SupervisedTask task(P params) {
        return factory.apply(params);
    }

    @Override
    public SupervisedEnv env(P params) {
        return new SupervisedEnv(task(params));
    }

    @Override
    public String kind() {
        return "supervised task";
    }
}
