package org.eprop.example.plugin;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.inject.AbstractModule;
import com.google.inject.Module;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.eprop.config.cli.EpropCli;
import org.eprop.config.plugin.Bindings;
import org.eprop.config.plugin.EpropPlugin;
import org.eprop.config.plugin.Plugins;
import org.eprop.config.plugin.Registry;
import org.eprop.envs.cue.EvidenceAccumulation;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.TaskSpec;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The plugin is found with nothing but its jar (here: its classes) on the classpath. */
class PluginDiscoveryTest {

    @Test
    void serviceLoaderFindsThePlugin() {
        List<EpropPlugin> found = Plugins.find(List.of());
        assertTrue(found.stream().anyMatch(p -> p instanceof DelayedMatchPlugin), "found: " + found);
    }

    @Test
    void theRegistryHoldsTheTaskNextToTheBuiltInOnes() {
        Registry registry = Plugins.registry(List.of());
        assertTrue(registry.environments().containsKey(DelayedMatch.ID), "envs: " + registry.environments().keySet());
        assertTrue(registry.environments().containsKey(EvidenceAccumulation.ID));
        EnvSpec<?> spec = registry.environment(DelayedMatch.ID);
        assertInstanceOf(TaskSpec.class, spec, "a supervised task");
        assertEquals(DelayedMatch.Params.class, spec.paramsType());
        assertEquals(DelayedMatch.Params.defaults(), spec.defaultParams());
        assertEquals(DelayedMatchPlugin.DESCRIPTION, spec.description());
        assertInstanceOf(DelayedMatch.class, DelayedMatchPlugin.spec().task(DelayedMatch.Params.defaults()));
    }

    @Test
    void namingTheClassUnderPluginsAsWellDoesNotRegisterItTwice() {
        Registry registry = Plugins.registry(List.of(DelayedMatchPlugin.class.getName()));
        assertTrue(registry.environments().containsKey(DelayedMatch.ID));
    }

    @Test
    void eprop_envsListsTheTask() {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        int code;
        try (PrintStream out = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
            System.setOut(out);
            code = new CommandLine(new EpropCli()).execute("envs");
        } finally {
            System.setOut(saved);
        }
        String listing = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, listing);
        assertTrue(listing.lines().anyMatch(l -> l.contains(DelayedMatch.ID) && l.contains(DelayedMatchPlugin.DESCRIPTION)),
                listing);
        assertTrue(listing.contains(EvidenceAccumulation.ID), listing);
    }

    /** Why ids are namespaced: a plugin cannot quietly replace a built-in task, Guice refuses the duplicate. */
    @Test
    void aPluginCannotTakeABuiltInId() {
        EpropPlugin impostor = new EpropPlugin() {
            @Override
            public String name() {
                return "impostor";
            }

            @Override
            public Module module() {
                return new AbstractModule() {
                    @Override
                    protected void configure() {
                        Bindings.environments(binder()).addBinding(EvidenceAccumulation.ID).toInstance(new TaskSpec<>(
                                EvidenceAccumulation.ID, "not the real one", DelayedMatch.Params.class,
                                DelayedMatch.Params.defaults(), DelayedMatch::new));
                    }
                };
            }
        };
        RuntimeException e = assertThrows(RuntimeException.class,
                () -> Plugins.injector(List.of(impostor)).getInstance(Registry.class));
        assertTrue(e.getMessage().contains(EvidenceAccumulation.ID), e.getMessage());
    }
}
