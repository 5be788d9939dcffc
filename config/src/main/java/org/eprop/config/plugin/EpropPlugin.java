package org.eprop.config.plugin;

import com.google.inject.Module;

/**
 * A plugin: a Guice module that adds environments, learning rules or agents to the registries
 * ({@link Bindings}). Plugins are found on the classpath through {@link java.util.ServiceLoader}
 * (a {@code META-INF/services/org.eprop.config.plugin.EpropPlugin} file naming the class) or
 * named in a run config under {@code plugins:}. The core never needs to change to add one.
 */
public interface EpropPlugin {

    /** A short name for logs and errors. */
    String name();

    /** The bindings this plugin contributes. */
    Module module();
}
