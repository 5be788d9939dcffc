package org.eprop.example.plugin;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import org.eprop.config.plugin.Bindings;
import org.eprop.config.plugin.EpropPlugin;
import org.eprop.envs.registry.TaskSpec;

/**
 * Adds {@link DelayedMatch} to the environments under the id {@value DelayedMatch#ID}, and the
 * {@link ReadoutOnlyAgent} (a readout-only baseline for any supervised task) to the agents under
 * {@value ReadoutOnlyAgent#ID}.
 *
 * <p>Why a plugin and not a line in the core's list of built-in tasks: the core stays closed. This
 * class is found through {@link java.util.ServiceLoader} (the file
 * {@code META-INF/services/org.eprop.config.plugin.EpropPlugin} names it), so putting this jar on the
 * classpath is all it takes for {@code env.id: example/delayed-match} to work and for
 * {@code eprop envs} to list it. A config may also name this class under {@code plugins:}; then a
 * missing jar is reported as such rather than as an unknown environment id.
 *
 * <p>Plugins need a public no-argument constructor (both ServiceLoader and {@code plugins:} create
 * them reflectively) and should do nothing expensive before {@link #module()} is installed.
 */
public final class DelayedMatchPlugin implements EpropPlugin {

    /** The description {@code eprop envs} shows next to the id. */
    public static final String DESCRIPTION =
            "example plugin: delayed match-to-sample, sample A/B, 200 ms delay, probe A/B, decide match";

    /** The spec: the id, a line for listings, the parameter record with its defaults, and the constructor. */
    public static TaskSpec<DelayedMatch.Params> spec() {
        return new TaskSpec<>(DelayedMatch.ID, DESCRIPTION, DelayedMatch.Params.class, DelayedMatch.Params.defaults(),
                DelayedMatch::new);
    }

    @Override
    public String name() {
        return "example-plugin (delayed match-to-sample)";
    }

    @Override
    public Module module() {
        return new TaskModule();
    }

    /**
     * The Guice bindings this plugin contributes: one entry in the environment map and one in the
     * agent map. Learning rules ({@link Bindings#learningRules}) are added the same way. Guice
     * rejects two bindings of the same id, so a plugin cannot silently replace a built-in one.
     */
    static final class TaskModule extends AbstractModule {
        @Override
        protected void configure() {
            Bindings.environments(binder()).addBinding(DelayedMatch.ID).toInstance(spec());
            Bindings.agents(binder()).addBinding(ReadoutOnlyAgent.ID).to(ReadoutOnlyAgent.class);
        }
    }
}
