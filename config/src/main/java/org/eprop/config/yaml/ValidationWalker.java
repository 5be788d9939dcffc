package org.eprop.config.yaml;

import java.lang.reflect.RecordComponent;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;

/**
 * Runs {@link Validated#validate} on every record of a bound config, at any depth, and turns the problems
 * into one {@link ConfigException} located through the {@link SourceMap}. All problems are collected so a
 * user can fix them in one go; the paths it walks are the ones the binder used, so the lines match.
 */
final class ValidationWalker {

    private final SourceMap sourceMap;
    private final List<ConfigException> problems = new ArrayList<>();

    private ValidationWalker(SourceMap sourceMap) {
        this.sourceMap = sourceMap;
    }

    /** @throws ConfigException listing every failed check, the first as its own */
    static void validate(Object config, String path, SourceMap sourceMap) {
        ValidationWalker walker = new ValidationWalker(sourceMap);
        walker.walk(config, path);
        if (!walker.problems.isEmpty()) {
            throw ConfigException.of(walker.problems);
        }
    }

    private void walk(Object value, String path) {
        if (value instanceof Record record) {
            if (record instanceof Validated validated) {
                report(validated, path);
            }
            for (RecordComponent component : record.getClass().getRecordComponents()) {
                walk(Records.value(component, record), KeyPath.child(path, Naming.snake(component.getName())));
            }
        } else if (value instanceof List<?> items) {
            for (int i = 0; i < items.size(); i++) {
                walk(items.get(i), KeyPath.element(path, i));
            }
        } else if (value instanceof Map<?, ?> map) {
            map.forEach((k, v) -> walk(v, KeyPath.child(path, String.valueOf(k))));
        }
    }

    private void report(Validated record, String path) {
        Checks checks = new Checks();
        record.validate(checks);
        for (Checks.Problem problem : checks.problems()) {
            String key = problem.key().isEmpty() ? path : KeyPath.child(path, Naming.snake(problem.key()));
            problems.add(new ConfigException(sourceMap.locate(key), key, problem.expected(),
                    KeyPath.display(key) + " = " + shown(problem.value()) + " " + problem.verdict()
                            + ": expected " + problem.expected()));
        }
    }

    private static String shown(Object value) {
        return value instanceof String || value instanceof Enum<?> ? "'" + (value instanceof Enum<?> e
                ? Naming.kebab(e) : value) + "'" : String.valueOf(value);
    }
}
