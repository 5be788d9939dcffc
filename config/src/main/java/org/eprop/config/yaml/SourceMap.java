package org.eprop.config.yaml;

import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * Where each key of a config tree was written, so that an error found long after parsing (while binding a
 * plugin's parameters, say, or validating a range) can still point at a file, line and column.
 *
 * <p>Keys are dotted paths in YAML spelling ({@code training.max_iterations}, {@code layers[0].size}). Values
 * that did not come from any text (defaults) have no entry; {@link #locate} then answers with the nearest
 * enclosing key that was written, which is where a user would have to add the missing one.
 */
public final class SourceMap {

    /**
     * A place in a config source. Lines and columns are 1-based; 0 means unknown, as for a {@code --set}
     * override or a file that could not be read.
     */
    public record Location(String source, int line, int column) {

        /** Every location names its source, so every error can say at least which input is wrong. */
        public Location {
            Objects.requireNonNull(source, "source");
        }

        /** A location that names only its source. */
        public static Location of(String source) {
            return new Location(source, 0, 0);
        }

        /** {@code source:line:column}, dropping the parts that are unknown, as compilers print it. */
        @Override
        public String toString() {
            if (line <= 0) {
                return source;
            }
            return column <= 0 ? source + ":" + line : source + ":" + line + ":" + column;
        }
    }

    private final String source;
    private final Map<String, Location> locations = new HashMap<>();

    /** @param source the name reported for keys with no recorded location (normally the file name) */
    public SourceMap(String source) {
        this.source = Objects.requireNonNull(source, "source");
    }

    /** The name of the main source, used when nothing better is known. */
    public String source() {
        return source;
    }

    /** Where exactly {@code key} was written, if it was. */
    public Optional<Location> find(String key) {
        return Optional.ofNullable(locations.get(key));
    }

    /**
     * Where {@code key} was written or, failing that, its nearest written ancestor; never {@code null}, so
     * every error can carry at least a source name.
     */
    public Location locate(String key) {
        for (String path = key; path != null; path = KeyPath.parent(path)) {
            Location where = locations.get(path);
            if (where != null) {
                return where;
            }
        }
        return Location.of(source);
    }

    void put(String key, Location where) {
        locations.put(key, where);
    }

    /** Forgets {@code key} and everything under it, for a value that has been replaced wholesale. */
    void replace(String key, Location where) {
        locations.keySet().removeIf(path -> KeyPath.isInside(path, key));
        locations.put(key, where);
    }
}
