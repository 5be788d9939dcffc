package org.eprop.config.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads YAML config files into immutable records, failing before any work starts, with an error that names
 * file, line, column and key, whenever the config is not exactly right.
 *
 * <p>A config is resolved in layers: the {@code defaults} record, then the file, then the {@code --set}
 * overrides, merged key by key; the result is bound to the record type, every key and value checked
 * against it, and every {@link org.eprop.envs.params.Validated} record in it validated. YAML keys are the snake_case forms of the
 * record components ({@code max_iterations} for {@code maxIterations}); enum values are matched ignoring case
 * and {@code -}/{@code _}.
 *
 * <p>A record component whose default is {@code null} is required. A {@link JsonNode} component holds a
 * free-form sub-tree (plugin parameters, say) that is not checked on load; bind it once its type is known
 * with {@link #bind}, passing the {@link SourceMap} from {@link #loadWithSource} so that its errors still point
 * into the file.
 */
public final class ConfigLoader {

    /**
     * A loaded config together with what is needed to bind parts of it later: the resolved tree (defaults,
     * file and overrides merged) and where each key of it was written.
     */
    public record Loaded<T>(T config, JsonNode tree, SourceMap sourceMap) {
    }

    private ConfigLoader() {
    }

    /**
     * Loads {@code file} as a {@code type}.
     *
     * @param defaults  values for keys the file leaves out; {@code null} makes every key required
     * @param overrides {@code key.path=value} strings, as given to {@code --set}, applied in order
     * @throws ConfigException if the file cannot be read, is not valid YAML, or does not fit {@code type}
     */
    public static <T> T load(Path file, Class<T> type, T defaults, List<String> overrides) {
        return loadWithSource(file, type, defaults, overrides).config();
    }

    /** As {@link #load(Path, Class, Object, List)}, for text from elsewhere; {@code sourceName} heads errors. */
    public static <T> T load(String yamlText, String sourceName, Class<T> type, T defaults, List<String> overrides) {
        return loadWithSource(yamlText, sourceName, type, defaults, overrides).config();
    }

    /** As {@link #load(Path, Class, Object, List)}, keeping the tree and source map for {@link #bind}. */
    public static <T> Loaded<T> loadWithSource(Path file, Class<T> type, T defaults, List<String> overrides) {
        return loadWithSource(read(file), file.toString(), type, defaults, overrides);
    }

    /** As {@link #load(String, String, Class, Object, List)}, keeping the tree and source map for {@link #bind}. */
    public static <T> Loaded<T> loadWithSource(String yamlText, String sourceName, Class<T> type, T defaults,
                                               List<String> overrides) {
        if (yamlText.length() > MAX_BYTES) {
            throw new ConfigException(SourceMap.Location.of(sourceName), KeyPath.ROOT,
                    "YAML text of at most " + MAX_BYTES + " characters", String.format(java.util.Locale.ROOT,
                    "the config is %,d characters, more than the %,d a config may have", yamlText.length(), MAX_BYTES));
        }
        SourceMap sourceMap = new SourceMap(sourceName);
        JsonNode written = YamlTreeReader.read(yamlText, sourceName, KeyPath.ROOT, sourceMap);
        JsonNode tree = TreeMerge.merge(defaultsTree(defaults), written);
        if (tree instanceof ObjectNode mapping && overrides != null) {
            Overrides.apply(mapping, overrides, sourceMap);
        }
        return new Loaded<>(bindAndValidate(tree, type, KeyPath.ROOT, sourceMap), tree, sourceMap);
    }

    /**
     * Binds a sub-tree that was left free-form on load, once it is known what it should be (a plugin's
     * parameters, once the plugin is chosen), with the same defaults, checks and error locations as a load.
     *
     * @param node      the sub-tree, usually taken from {@link Loaded#tree()}; {@code null} or an empty value
     *                  counts as an empty mapping, so that the defaults apply
     * @param keyPrefix the sub-tree's dotted path in the whole config, e.g. {@code params}, so that errors
     *                  name the full key and the source map finds its lines
     * @param sourceMap from {@link Loaded#sourceMap()}
     * @throws ConfigException as for a load
     */
    public static <T> T bind(JsonNode node, Class<T> type, T defaults, String keyPrefix, SourceMap sourceMap) {
        JsonNode written = node == null || node.isMissingNode() || node.isNull() ? null : node;
        JsonNode tree = TreeMerge.merge(defaultsTree(defaults), written);
        return bindAndValidate(tree == null ? JsonNodeFactory.instance.objectNode() : tree, type, keyPrefix,
                sourceMap);
    }

    /**
     * The YAML that {@link #load} would read back as an equal {@code config}: snake_case keys, kebab-case
     * enums, text quoted only where it would otherwise read as something else. Meant for saving the
     * resolved config next to a run's results, so the run can be repeated exactly.
     */
    public static String toYaml(Object config) {
        return YamlDumper.dump(TreeWriter.write(config));
    }

    @SuppressWarnings("unchecked")
    private static <T> T bindAndValidate(JsonNode tree, Class<T> type, String path, SourceMap sourceMap) {
        T config = (T) new TreeBinder(sourceMap).bind(tree, type, path);
        ValidationWalker.validate(config, path, sourceMap);
        return config;
    }

    private static JsonNode defaultsTree(Object defaults) {
        return defaults == null ? null : TreeWriter.write(defaults);
    }

    /**
     * The largest config accepted, checked before parsing: a run config is a few kilobytes, and the
     * YAML parser's time grows faster than linearly with a long scalar (a 50 MB one parses for minutes).
     */
    static final long MAX_BYTES = 1 << 20;

    private static String read(Path file) {
        try {
            long size = Files.size(file);
            if (size > MAX_BYTES) {
                throw new ConfigException(SourceMap.Location.of(file.toString()), KeyPath.ROOT,
                        "a YAML file of at most " + MAX_BYTES + " bytes", String.format(java.util.Locale.ROOT,
                        "the config file is %,d bytes, more than the %,d a config may have (run configs are a few "
                                + "kilobytes): is it the right file?", size, MAX_BYTES));
            }
            return Files.readString(file);
        } catch (NoSuchFileException e) {
            throw unreadable(file, "no such file");
        } catch (IOException e) {
            throw unreadable(file, e.toString());
        }
    }

    private static ConfigException unreadable(Path file, String why) {
        return new ConfigException(SourceMap.Location.of(file.toString()), KeyPath.ROOT, "a readable YAML file",
                "cannot read the config file: " + why);
    }
}
