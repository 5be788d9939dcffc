package org.eprop.config.yaml;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Binds YAML scalars to {@code String}, {@code boolean} and the numeric types, strictly enough to catch
 * mistakes (a quoted {@code '3'} is not a number, {@code 3.5} is not an integer, {@code 3000000000} does not
 * fit an {@code int}) and loosely enough for how people write configs ({@code 1e4} is a fine integer, and an
 * unquoted {@code 2024} is a fine string).
 */
final class Scalars {

    private Scalars() {
    }

    static Object bind(JsonNode node, Class<?> type, String path, TreeBinder errors) {
        if (type == String.class) {
            if (node.isValueNode()) {
                return node.asText();
            }
        } else if (type == boolean.class || type == Boolean.class) {
            if (node.isBoolean()) {
                return node.booleanValue();
            }
        } else if (type == double.class || type == Double.class) {
            if (node.isNumber()) {
                return node.doubleValue();
            }
        } else if (type == float.class || type == Float.class) {
            if (node.isNumber()) {
                return node.floatValue();
            }
        } else if (type == long.class || type == Long.class) {
            return integer(node, type, path, Long.MIN_VALUE, Long.MAX_VALUE, errors);
        } else if (type == int.class || type == Integer.class) {
            return (int) integer(node, type, path, Integer.MIN_VALUE, Integer.MAX_VALUE, errors);
        } else if (type == short.class || type == Short.class) {
            return (short) integer(node, type, path, Short.MIN_VALUE, Short.MAX_VALUE, errors);
        } else if (type == byte.class || type == Byte.class) {
            return (byte) integer(node, type, path, Byte.MIN_VALUE, Byte.MAX_VALUE, errors);
        } else {
            throw new IllegalArgumentException("unsupported config type " + type.getName() + " at "
                    + KeyPath.display(path) + " (use a record, List, Map<String, X>, enum, String, a primitive "
                    + "or JsonNode)");
        }
        throw errors.wrongType(node, type, path);
    }

    private static long integer(JsonNode node, Class<?> type, String path, long min, long max, TreeBinder errors) {
        boolean whole = node.isIntegralNumber()
                || node.isFloatingPointNumber() && node.doubleValue() == Math.rint(node.doubleValue());
        if (!whole) {
            throw errors.wrongType(node, type, path);
        }
        boolean fits = node.isIntegralNumber() ? node.canConvertToLong() && node.longValue() >= min
                && node.longValue() <= max : node.doubleValue() >= min && node.doubleValue() <= max;
        if (!fits) {
            throw errors.wrongType(node, "an integer from " + min + " to " + max, path, "");
        }
        return node.isIntegralNumber() ? node.longValue() : (long) node.doubleValue();
    }
}
