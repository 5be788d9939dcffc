package org.eprop.config.yaml;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Parses YAML text into a Jackson tree while recording, in a {@link SourceMap}, where every key and list
 * item was written. Jackson's own tree reader forgets positions, and errors found later (binding,
 * validation) need them.
 *
 * <p>Beyond a plain tree read it resolves aliases ({@code *name}) to anchored mappings and lists and merge
 * keys ({@code <<: *name}), and rejects duplicate keys and multi-document streams, which would otherwise
 * lose values silently. Jackson's parser does not report anchors on single values, so aliases to those
 * are rejected with an explanation rather than read as the anchor's name.
 *
 * <p>A document may expand to at most {@link #MAX_VALUES} values, aliases counted at their expanded
 * size: nested aliases grow exponentially (nine levels of nine aliases make a billion values, the
 * "billion laughs" file), so the budget is checked before an alias is copied, not after.
 */
final class YamlTreeReader {

    private static final YAMLFactory FACTORY = new YAMLFactory();
    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    private static final String MERGE_KEY = "<<";
    /** The most values a document may expand to; a run config has a few hundred. */
    static final int MAX_VALUES = 100_000;

    private final YAMLParser parser;
    private final String source;
    private final SourceMap sourceMap;
    private final Map<String, JsonNode> anchors = new HashMap<>();
    private final Map<String, Integer> anchorSizes = new HashMap<>();
    /** Values made so far, aliases counted at their expanded size. */
    private int nodes;

    private YamlTreeReader(YAMLParser parser, String source, SourceMap sourceMap) {
        this.parser = parser;
        this.source = source;
        this.sourceMap = sourceMap;
    }

    /**
     * Reads one YAML document, recording locations under {@code rootPath} in {@code sourceMap}. An empty
     * document reads as an empty mapping.
     *
     * @throws ConfigException for text that is not valid YAML, with the parser's line and column
     */
    static JsonNode read(String text, String source, String rootPath, SourceMap sourceMap) {
        try (YAMLParser parser = FACTORY.createParser(text)) {
            return new YamlTreeReader(parser, source, sourceMap).document(rootPath);
        } catch (JsonProcessingException e) {
            throw syntaxError(e, source);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private JsonNode document(String rootPath) throws IOException {
        JsonToken first = parser.nextToken();
        if (first == null) {
            sourceMap.put(rootPath, new SourceMap.Location(source, 1, 1));
            return NODES.objectNode();
        }
        sourceMap.put(rootPath, here());
        JsonNode root = value(first, rootPath);
        SourceMap.Location end = here();
        if (parser.nextToken() != null) {
            throw new ConfigException(end, rootPath, "a single YAML document",
                    "a second YAML document follows; a config file holds exactly one");
        }
        return root;
    }

    private JsonNode value(JsonToken token, String path) throws IOException {
        if (parser.isCurrentAlias()) {
            return alias(path);
        }
        int before = nodes;
        count(1, path);
        String anchor = parser.getObjectId();
        JsonNode node = switch (token) {
            case START_OBJECT -> mapping(path);
            case START_ARRAY -> list(path);
            case VALUE_STRING -> NODES.textNode(parser.getText());
            case VALUE_NUMBER_INT -> integer();
            case VALUE_NUMBER_FLOAT -> decimal();
            case VALUE_TRUE -> NODES.booleanNode(true);
            case VALUE_FALSE -> NODES.booleanNode(false);
            case VALUE_NULL -> NODES.nullNode();
            default -> throw new ConfigException(here(), path, "a plain YAML value",
                    KeyPath.display(path) + ": unsupported YAML value (" + token + ")");
        };
        if (anchor != null) {
            anchors.put(anchor, node);
            anchorSizes.put(anchor, nodes - before);
        }
        return node;
    }

    private void count(int values, String path) {
        if ((long) nodes + values > MAX_VALUES) {
            throw new ConfigException(here(), path, "at most " + MAX_VALUES + " values",
                    KeyPath.display(path) + ": the document expands to more than " + MAX_VALUES
                            + " values (nested aliases multiply: is this a 'billion laughs' file?); write the "
                            + "values out or nest fewer aliases");
        }
        nodes += values;
    }

    private ObjectNode mapping(String path) throws IOException {
        ObjectNode node = NODES.objectNode();
        List<JsonNode> merged = new ArrayList<>();
        Map<String, SourceMap.Location> seen = new HashMap<>();
        JsonToken token;
        while ((token = parser.nextToken()) == JsonToken.FIELD_NAME) {
            String name = parser.currentName();
            SourceMap.Location keyAt = here();
            String childPath = KeyPath.child(path, name);
            JsonToken valueToken = parser.nextToken();
            if (MERGE_KEY.equals(name)) {
                merged.add(value(valueToken, path));
                continue;
            }
            SourceMap.Location earlier = seen.putIfAbsent(name, keyAt);
            if (earlier != null) {
                throw new ConfigException(keyAt, childPath, "each key once per mapping",
                        "duplicate key '" + childPath + "' (first written at line " + earlier.line() + ")");
            }
            sourceMap.put(childPath, keyAt);
            node.set(name, value(valueToken, childPath));
        }
        expect(token, JsonToken.END_OBJECT, path);
        for (JsonNode from : merged) {
            mergeInto(node, from, path);
        }
        return node;
    }

    /** YAML merge keys: explicit keys win, then earlier merged mappings win over later ones. */
    private void mergeInto(ObjectNode node, JsonNode from, String path) {
        if (from.isArray()) {
            from.forEach(each -> mergeInto(node, each, path));
        } else if (from.isObject()) {
            from.fields().forEachRemaining(e -> {
                if (!node.has(e.getKey())) {
                    node.set(e.getKey(), e.getValue().deepCopy());
                }
            });
        } else {
            throw new ConfigException(sourceMap.locate(path), path, "a mapping or a list of mappings",
                    KeyPath.display(path) + ": '<<' merges a mapping into this one, found " + TypeWords.found(from));
        }
    }

    private ArrayNode list(String path) throws IOException {
        ArrayNode node = NODES.arrayNode();
        JsonToken token;
        while ((token = parser.nextToken()) != JsonToken.END_ARRAY && token != null) {
            String itemPath = KeyPath.element(path, node.size());
            sourceMap.put(itemPath, here());
            node.add(value(token, itemPath));
        }
        expect(token, JsonToken.END_ARRAY, path);
        return node;
    }

    private JsonNode alias(String path) {
        String name = textOrEmpty();
        JsonNode target = anchors.get(name);
        if (target == null) {
            throw new ConfigException(here(), path, "an alias to a mapping or list anchored earlier",
                    KeyPath.display(path) + ": unknown alias '*" + name + "' (anchors are supported on mappings "
                            + "and lists, not on single values)");
        }
        count(anchorSizes.get(name), path);
        return target.deepCopy();
    }

    private String textOrEmpty() {
        try {
            return parser.getText();
        } catch (IOException e) {
            return "";
        }
    }

    private JsonNode integer() throws IOException {
        return switch (parser.getNumberType()) {
            case INT -> NODES.numberNode(parser.getIntValue());
            case LONG -> NODES.numberNode(parser.getLongValue());
            default -> NODES.numberNode(parser.getBigIntegerValue());
        };
    }

    /** YAML's {@code .inf} and {@code .nan} are numbers that Jackson's number parsing does not accept. */
    private JsonNode decimal() throws IOException {
        String lower = parser.getText().trim().toLowerCase(Locale.ROOT);
        if (lower.equals(".nan")) {
            return NODES.numberNode(Double.NaN);
        }
        if (lower.matches("[+-]?\\.inf")) {
            return NODES.numberNode(lower.startsWith("-") ? Double.NEGATIVE_INFINITY : Double.POSITIVE_INFINITY);
        }
        return NODES.numberNode(parser.getDoubleValue());
    }

    private void expect(JsonToken actual, JsonToken wanted, String path) {
        if (actual != wanted) {
            throw new ConfigException(here(), path, "valid YAML",
                    "invalid YAML: unexpected " + (actual == null ? "end of input" : actual.toString()));
        }
    }

    private SourceMap.Location here() {
        JsonLocation at = parser.currentTokenLocation();
        return new SourceMap.Location(source, at.getLineNr(), at.getColumnNr());
    }

    /** Puts the YAML parser's complaint, at the parser's position, into the common error format. */
    private static ConfigException syntaxError(JsonProcessingException e, String source) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof MarkedYAMLException marked && marked.getProblemMark() != null) {
                Mark mark = marked.getProblemMark();
                SourceMap.Location at = new SourceMap.Location(source, mark.getLine() + 1, mark.getColumn() + 1);
                return new ConfigException(at, KeyPath.ROOT, "valid YAML", "invalid YAML: " + describe(marked));
            }
        }
        JsonLocation loc = e.getLocation();
        SourceMap.Location at = loc == null ? SourceMap.Location.of(source)
                : new SourceMap.Location(source, Math.max(0, loc.getLineNr()), Math.max(0, loc.getColumnNr()));
        return new ConfigException(at, KeyPath.ROOT, "valid YAML", "invalid YAML: " + e.getOriginalMessage());
    }

    private static String describe(MarkedYAMLException e) {
        String problem = e.getProblem() == null ? "syntax error" : e.getProblem();
        StringBuilder text = new StringBuilder(problem);
        if (e.getContext() != null) {
            text.append(" (").append(e.getContext());
            if (e.getContextMark() != null) {
                text.append(" that starts at line ").append(e.getContextMark().getLine() + 1)
                        .append(", column ").append(e.getContextMark().getColumn() + 1);
            }
            text.append(')');
        }
        if (problem.contains("<block end>") || problem.contains("<block mapping start>")) {
            text.append("; check the indentation");
        }
        return text.toString();
    }
}
