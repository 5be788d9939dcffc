package org.eprop.envs.registry;

import org.eprop.envs.supervised.SupervisedTask;

/**
 * Makes a task from its parameters; registered under an id (a Guice {@code MapBinder} in the
 * config module). {@code P} is an immutable record: the YAML {@code env.params} mapping is bound
 * to it over {@link #defaultParams()}, so unknown or mistyped keys are reported with their line.
 */
public interface TaskFactory<P> {

    /** The id users write in configs, e.g. {@code cue/evidence-accumulation}. */
    String id();

    /** One line for {@code eprop envs}. */
    String description();

    Class<P> paramsType();

    /** The reference parameters. */
    P defaultParams();

    SupervisedTask create(P params);

    /** A factory from its parts. */
    static <P> TaskFactory<P> of(String id, String description, Class<P> type, P defaults,
            java.util.function.Function<P, SupervisedTask> create) {
        return new TaskFactory<>() {
            @Override
            public String id() {
                return id;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public Class<P> paramsType() {
                return type;
            }

            @Override
            public P defaultParams() {
                return defaults;
            }

            @Override
            public SupervisedTask create(P params) {
                return create.apply(params);
            }
        };
    }
}
