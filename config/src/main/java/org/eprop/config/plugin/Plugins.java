package org.eprop.config.plugin;

import com.google.inject.Guice;
import com.google.inject.Injector;
import com.google.inject.Module;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/** Finds plugins and builds the injector that holds the registries. */
public final class Plugins {
    private Plugins() {
    }

    /**
     * The plugins on the classpath (ServiceLoader) plus those named by class; a name that is not a
     * loadable {@link EpropPlugin} fails with the class name and the fix.
     */
    public static List<EpropPlugin> find(List<String> classNames) {
        Map<String, EpropPlugin> found = new LinkedHashMap<>();
        for (EpropPlugin p : ServiceLoader.load(EpropPlugin.class)) {
            found.put(p.getClass().getName(), p);
        }
        for (String name : classNames) {
            if (found.containsKey(name)) {
                continue;
            }
            try {
                Class<?> type = Class.forName(name);
                if (!EpropPlugin.class.isAssignableFrom(type)) {
                    throw new IllegalArgumentException("plugin class '" + name + "' does not implement "
                            + EpropPlugin.class.getName());
                }
                found.put(name, (EpropPlugin) type.getDeclaredConstructor().newInstance());
            } catch (ClassNotFoundException e) {
                throw new IllegalArgumentException("plugin class '" + name + "' is not on the classpath: put its jar on "
                        + "the classpath (JAVA_OPTS or the launcher) or remove it from 'plugins'", e);
            } catch (ReflectiveOperationException e) {
                throw new IllegalArgumentException("plugin class '" + name + "' needs a public no-argument constructor", e);
            }
        }
        return new ArrayList<>(found.values());
    }

    /** The injector with the core bindings and every plugin's module. */
    public static Injector injector(List<EpropPlugin> plugins) {
        List<Module> modules = new ArrayList<>();
        modules.add(new CoreModule());
        for (EpropPlugin p : plugins) {
            modules.add(p.module());
        }
        return Guice.createInjector(modules);
    }

    /** The registry with the core and all discoverable plus named plugins. */
    public static Registry registry(List<String> classNames) {
        return injector(find(classNames)).getInstance(Registry.class);
    }
}
