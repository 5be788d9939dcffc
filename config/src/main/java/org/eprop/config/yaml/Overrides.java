package org.eprop.config.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * Applies command-line {@code --set key.path=value} overrides to a config tree, so one file can drive a
 * sweep. Values are YAML ({@code 3}, {@code 1e-3}, {@code [1, 2]}, {@code {x: 1}}), so they mean exactly
 * what they would mean in the file; like the file, a mapping value merges into what is there, anything else
 * replaces it.
 *
 * <p>Keys are not checked here: each overridden path is recorded in the {@link SourceMap} as coming from
 * {@code --set}, so the binder's usual unknown-key and wrong-type errors name the override, not the file.
 * List items are addressed as {@code layers[0].size} or {@code layers.0.size}.
 */
final class Overrides {

    /** The source name that errors caused by an override carry. */
    static final String SOURCE = "--set";

    private static final SourceMap.Location HERE = SourceMap.Location.of(SOURCE);
    private static final String SYNTAX = "key.path=value";

    private Overrides() {
    }

    /** Applies {@code overrides} in order (a later one wins) to {@code tree}, which is modified. */
    static void apply(ObjectNode tree, List<String> overrides, SourceMap sourceMap) {
        for (String override : overrides) {
            applyOne(tree, override, sourceMap);
        }
    }

    private static void applyOne(ObjectNode tree, String override, SourceMap sourceMap) {
        int equals = override.indexOf('=');
        String key = equals < 0 ? "" : override.substring(0, equals).trim();
        String[] steps = key.replaceAll("\\[(\\d+)]", ".$1").split("\\.", -1);
        if (key.isEmpty() || List.of(steps).contains("")) {
            throw new ConfigException(HERE, key, SYNTAX, "malformed override '" + override
                    + "': expected " + SYNTAX + ", e.g. training.batch=32");
        }
        String text = override.substring(equals + 1);
        JsonNode value = parseValue(override, key, text);
        JsonNode parent = tree;
        String path = KeyPath.ROOT;
        for (int i = 0; i < steps.length - 1; i++) {
            String next = step(parent, path, steps[i]);
            JsonNode child = get(parent, steps[i]);
            if (child == null || !child.isContainerNode()) {
                child = JsonNodeFactory.instance.objectNode();
                set(parent, steps[i], child, next);
                sourceMap.replace(next, HERE);
            }
            parent = child;
            path = next;
        }
        String last = steps[steps.length - 1];
        String target = step(parent, path, last);
        set(parent, last, TreeMerge.merge(get(parent, last), value), target);
        locate(value, target, sourceMap);
    }

    /**
     * Marks every key the override wrote as coming from {@code --set}. A mapping merges, so the keys it does
     * not mention keep their lines; anything else replaces, so the lines of what it replaced are dropped.
     */
    private static void locate(JsonNode value, String path, SourceMap sourceMap) {
        if (value.isObject()) {
            if (sourceMap.find(path).isEmpty()) {
                sourceMap.put(path, HERE);
            }
            value.fields().forEachRemaining(e -> locate(e.getValue(), KeyPath.child(path, e.getKey()), sourceMap));
        } else {
            sourceMap.replace(path, HERE);
        }
    }

    private static JsonNode parseValue(String override, String key, String text) {
        if (text.isBlank()) {
            return JsonNodeFactory.instance.nullNode();
        }
        try {
            return YamlTreeReader.read(text, SOURCE, key, new SourceMap(SOURCE));
        } catch (ConfigException e) {
            int column = e.column() + override.indexOf('=') + 1;
            String at = e.column() > 0 ? " at column " + column + " of the override" : "";
            throw new ConfigException(HERE, key, "a YAML value", "override '" + override + "': " + e.detail() + at);
        }
    }

    /** The canonical path of {@code step} below {@code path}, checking list indices. */
    private static String step(JsonNode parent, String path, String step) {
        if (!parent.isArray()) {
            return KeyPath.child(path, step);
        }
        if (!step.matches("\\d+")) {
            throw new ConfigException(HERE, KeyPath.child(path, step), "a list index",
                    KeyPath.display(path) + " is a list: address its items as " + path + "[0], " + path + "[1], ...");
        }
        int index = Integer.parseInt(step);
        String item = KeyPath.element(path, index);
        if (index >= parent.size()) {
            throw new ConfigException(HERE, item, "an index below " + parent.size(),
                    item + ": index out of range, the list has " + parent.size() + " item(s)");
        }
        return item;
    }

    private static JsonNode get(JsonNode parent, String step) {
        return parent.isArray() ? parent.get(Integer.parseInt(step)) : parent.get(step);
    }

    private static void set(JsonNode parent, String step, JsonNode value, String path) {
        if (parent instanceof ArrayNode list) {
            list.set(Integer.parseInt(step), value);
        } else if (parent instanceof ObjectNode mapping) {
            mapping.set(step, value);
        } else {
            throw new IllegalStateException("not a container at " + path);
        }
    }
}
