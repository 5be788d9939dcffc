package org.eprop.config.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.lang.reflect.RecordComponent;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Collection;
import java.util.Map;

/**
 * Turns a config object into the tree it would have been read from, with the same naming the reader
 * expects. Used both for defaults (so that a file only lays its own keys over them) and for dumping the
 * resolved config; a {@code null} record component is left out, which is what makes it required.
 */
final class TreeWriter {

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private TreeWriter() {
    }

    static JsonNode write(Object value) {
        if (value == null) {
            return NODES.nullNode();
        }
        if (value instanceof JsonNode node) {
            return node.deepCopy();
        }
        if (value instanceof Record record) {
            return record(record);
        }
        if (value instanceof Map<?, ?> map) {
            ObjectNode node = NODES.objectNode();
            map.forEach((k, v) -> node.set(k instanceof Enum<?> e ? Naming.kebab(e) : String.valueOf(k), write(v)));
            return node;
        }
        if (value instanceof Collection<?> items) {
            ArrayNode node = NODES.arrayNode();
            items.forEach(item -> node.add(write(item)));
            return node;
        }
        return scalar(value);
    }

    private static ObjectNode record(Record record) {
        ObjectNode node = NODES.objectNode();
        for (RecordComponent component : record.getClass().getRecordComponents()) {
            Object value = Records.value(component, record);
            if (value != null) {
                node.set(Naming.snake(component.getName()), write(value));
            }
        }
        return node;
    }

    private static JsonNode scalar(Object value) {
        if (value instanceof Enum<?> e) {
            return NODES.textNode(Naming.kebab(e));
        }
        if (value instanceof String || value instanceof Character) {
            return NODES.textNode(value.toString());
        }
        if (value instanceof Boolean b) {
            return NODES.booleanNode(b);
        }
        if (value instanceof Integer || value instanceof Short || value instanceof Byte) {
            return NODES.numberNode(((Number) value).intValue());
        }
        if (value instanceof Long l) {
            return NODES.numberNode(l);
        }
        if (value instanceof Float f) {
            return NODES.numberNode(f);
        }
        if (value instanceof Double d) {
            return NODES.numberNode(d);
        }
        if (value instanceof BigInteger big) {
            return NODES.numberNode(big);
        }
        if (value instanceof BigDecimal big) {
            return NODES.numberNode(big);
        }
        throw new IllegalArgumentException("cannot write a " + value.getClass().getName() + " to a config tree");
    }
}
