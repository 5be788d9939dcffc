package org.eprop.config.yaml;

import com.fasterxml.jackson.databind.JsonNode;

import java.lang.reflect.ParameterizedType;
import java.lang.reflect.Type;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Types and values described in words a user who has never seen the Java code understands: "an integer",
 * "one of: float32, float64", "found 'sixteen'".
 */
final class TypeWords {

    private static final int MAX_SHOWN = 40;

    private TypeWords() {
    }

    static String expected(Type type) {
        if (type instanceof ParameterizedType generic) {
            return expected(generic.getRawType());
        }
        if (!(type instanceof Class<?> c)) {
            return "a value";
        }
        if (c == int.class || c == Integer.class || c == long.class || c == Long.class
                || c == short.class || c == Short.class || c == byte.class || c == Byte.class) {
            return "an integer";
        }
        if (c == double.class || c == Double.class || c == float.class || c == Float.class) {
            return "a number";
        }
        if (c == boolean.class || c == Boolean.class) {
            return "true or false";
        }
        if (c == String.class) {
            return "a string";
        }
        if (c.isEnum()) {
            return "one of: " + String.join(", ", enumNames(c));
        }
        if (c.isRecord() || Map.class.isAssignableFrom(c)) {
            return "a mapping";
        }
        if (List.class.isAssignableFrom(c)) {
            return "a list";
        }
        return "any value";
    }

    /** The YAML spellings of an enum's constants, in declaration order. */
    static List<String> enumNames(Class<?> enumType) {
        return Arrays.stream(enumType.getEnumConstants()).map(e -> Naming.kebab((Enum<?>) e))
                .collect(Collectors.toList());
    }

    /** What was actually written, quoted when it is text so that {@code '3'} and {@code 3} differ visibly. */
    static String found(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "nothing (an empty value)";
        }
        if (node.isObject()) {
            return "a mapping";
        }
        if (node.isArray()) {
            return "a list";
        }
        if (node.isTextual()) {
            return "'" + shorten(node.asText()) + "'";
        }
        return shorten(node.asText());
    }

    private static String shorten(String text) {
        return text.length() <= MAX_SHOWN ? text : text.substring(0, MAX_SHOWN) + "...";
    }
}
