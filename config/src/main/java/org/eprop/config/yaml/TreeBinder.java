package org.eprop.config.yaml;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.reflect.Constructor;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.ParameterizedType;
import java.lang.reflect.RecordComponent;
import java.lang.reflect.Type;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Builds immutable records from a config tree, checking every key and value against the record types and
 * stopping at the first problem with a located {@link ConfigException}. Reflection over record components
 * (rather than Jackson data binding) keeps full control of the wording of each error.
 *
 * <p>Supported component types: records, {@code List<X>}, {@code Map<String, X>}, enums, {@code String},
 * primitives and their boxes, and {@link JsonNode} for free-form sub-trees that are not checked here.
 * Anything else is a programming error and fails with {@link IllegalArgumentException}.
 */
final class TreeBinder {

    private final SourceMap sourceMap;

    TreeBinder(SourceMap sourceMap) {
        this.sourceMap = sourceMap;
    }

    /** Binds {@code node}, which sits at {@code path} in the whole config, to {@code type}. */
    Object bind(JsonNode node, Type type, String path) {
        if (type instanceof ParameterizedType generic) {
            return bindGeneric(node, generic, path);
        }
        if (!(type instanceof Class<?> c)) {
            throw new IllegalArgumentException("unsupported config type " + type + " at " + KeyPath.display(path));
        }
        if (JsonNode.class.isAssignableFrom(c)) {
            return node.deepCopy();
        }
        if (node.isNull()) {
            throw wrongType(node, type, path);
        }
        if (c.isRecord()) {
            return bindRecord(node, c, path);
        }
        if (c.isEnum()) {
            return bindEnum(node, c, path);
        }
        return Scalars.bind(node, c, path, this);
    }

    private Object bindGeneric(JsonNode node, ParameterizedType generic, String path) {
        Type raw = generic.getRawType();
        Type[] args = generic.getActualTypeArguments();
        if (raw == List.class) {
            if (!node.isArray()) {
                throw wrongType(node, generic, path);
            }
            List<Object> items = new ArrayList<>();
            for (int i = 0; i < node.size(); i++) {
                items.add(bind(node.get(i), args[0], KeyPath.element(path, i)));
            }
            return Collections.unmodifiableList(items);
        }
        if (raw == Map.class && args[0] == String.class) {
            if (!node.isObject()) {
                throw wrongType(node, generic, path);
            }
            Map<String, Object> entries = new LinkedHashMap<>();
            node.fields().forEachRemaining(e ->
                    entries.put(e.getKey(), bind(e.getValue(), args[1], KeyPath.child(path, e.getKey()))));
            return Collections.unmodifiableMap(entries);
        }
        throw new IllegalArgumentException("unsupported config type " + generic + " at " + KeyPath.display(path)
                + " (use List<X> or Map<String, X>)");
    }

    private Object bindRecord(JsonNode node, Class<?> type, String path) {
        if (!node.isObject()) {
            throw wrongType(node, type, path);
        }
        RecordComponent[] components = type.getRecordComponents();
        List<String> known = new ArrayList<>();
        for (RecordComponent component : components) {
            known.add(Naming.snake(component.getName()));
        }
        rejectUnknownKeys(node, path, known);
        Object[] values = new Object[components.length];
        for (int i = 0; i < components.length; i++) {
            String childPath = KeyPath.child(path, known.get(i));
            JsonNode child = node.get(known.get(i));
            if (child == null) {
                String expected = TypeWords.expected(components[i].getGenericType());
                throw new ConfigException(sourceMap.locate(path), childPath, expected,
                        "missing required key '" + childPath + "': expected " + expected);
            }
            values[i] = bind(child, components[i].getGenericType(), childPath);
        }
        return construct(type, components, values, path);
    }

    private void rejectUnknownKeys(JsonNode node, String path, List<String> known) {
        Set<String> allowed = Set.copyOf(known);
        for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
            String name = names.next();
            if (!allowed.contains(name)) {
                String key = KeyPath.child(path, name);
                Optional<String> guess = Spelling.closest(name, known);
                String where = path.isEmpty() ? "Known top-level keys: " : "Known keys under '" + path + "': ";
                throw new ConfigException(sourceMap.locate(key), key, "one of: " + String.join(", ", known),
                        "unknown key '" + key + "'" + guess.map(g -> " — did you mean '" + g + "'?").orElse(".")
                                + " " + where + String.join(", ", known));
            }
        }
    }

    private Object construct(Class<?> type, RecordComponent[] components, Object[] values, String path) {
        Class<?>[] parameterTypes = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            parameterTypes[i] = components[i].getType();
        }
        try {
            Constructor<?> constructor = type.getDeclaredConstructor(parameterTypes);
            constructor.setAccessible(true);
            return constructor.newInstance(values);
        } catch (InvocationTargetException e) {
            if (e.getCause() instanceof IllegalArgumentException rejected) {
                // The record's constructor knows the rule, not the config key: point at the component
                // its message names, so the error shows where that value was written (a line, --set).
                String key = path;
                for (RecordComponent c : components) {
                    String name = Naming.snake(c.getName());
                    if (rejected.getMessage() != null && java.util.regex.Pattern.compile(
                            "\\b" + java.util.regex.Pattern.quote(name) + "\\b").matcher(rejected.getMessage()).find()) {
                        key = KeyPath.child(path, name);
                        break;
                    }
                }
                throw new ConfigException(sourceMap.locate(key), key, null,
                        (key.isEmpty() ? "" : KeyPath.display(key) + ": ") + rejected.getMessage());
            }
            throw new IllegalStateException("constructing " + type.getName() + " failed", e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot construct " + type.getName(), e);
        }
    }

    private Object bindEnum(JsonNode node, Class<?> type, String path) {
        if (node.isTextual()) {
            String wanted = Naming.enumKey(node.asText());
            for (Object constant : type.getEnumConstants()) {
                if (Naming.enumKey(((Enum<?>) constant).name()).equals(wanted)) {
                    return constant;
                }
            }
        }
        String hint = node.isTextual()
                ? Spelling.closest(node.asText(), TypeWords.enumNames(type)).map(g -> " — did you mean '" + g + "'?")
                .orElse("") : "";
        throw wrongType(node, TypeWords.expected(type), path, hint);
    }

    /** A wrong-type error at {@code path}: "training.batch: expected an integer, found 'sixteen'". */
    ConfigException wrongType(JsonNode node, Type type, String path) {
        return wrongType(node, TypeWords.expected(type), path, "");
    }

    ConfigException wrongType(JsonNode node, String expected, String path, String hint) {
        return new ConfigException(sourceMap.locate(path), path, expected,
                KeyPath.display(path) + ": expected " + expected + ", found " + TypeWords.found(node) + hint);
    }
}
