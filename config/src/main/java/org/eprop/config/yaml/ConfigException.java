package org.eprop.config.yaml;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * A config that cannot be used, located precisely enough that a user can fix it without reading code:
 * {@code runs.yaml:14:5: unknown key 'training.bach' — did you mean 'batch'? ...}.
 *
 * <p>It is unchecked because a bad config is fatal to the run, and it is thrown before any work starts so
 * that a typo never costs hours of training. Validation may find several problems at once; the first is this
 * exception, the rest are in {@link #all()} and on the following lines of {@link #getMessage()}.
 */
public final class ConfigException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String source;
    private final int line;
    private final int column;
    private final String key;
    private final String expected;
    private final String detail;
    private final List<ConfigException> further;

    /**
     * Public so that code binding its own part of a config (a plugin reading its parameters) can report in
     * the same format.
     *
     * @param where    where the problem is, from the {@link SourceMap}
     * @param key      dotted snake_case key path; empty for the whole document
     * @param expected what would have been accepted, in words; {@code null} when the problem is not one of
     *                 form (a constructor's own complaint, say)
     * @param detail   the message without the location prefix
     */
    public ConfigException(SourceMap.Location where, String key, String expected, String detail) {
        this(where, key, expected, detail, List.of());
    }

    private ConfigException(SourceMap.Location where, String key, String expected, String detail,
                            List<ConfigException> further) {
        super(where + ": " + detail + lines(further));
        this.source = where.source();
        this.line = where.line();
        this.column = where.column();
        this.key = Objects.requireNonNull(key, "key");
        this.expected = expected;
        this.detail = detail;
        this.further = List.copyOf(further);
    }

    /** One exception that reports all of {@code problems}, the first as its own. */
    public static ConfigException of(List<ConfigException> problems) {
        ConfigException first = problems.get(0);
        if (problems.size() == 1) {
            return first;
        }
        return new ConfigException(first.where(), first.key, first.expected, first.detail,
                problems.subList(1, problems.size()));
    }

    private static String lines(List<ConfigException> further) {
        StringBuilder text = new StringBuilder();
        for (ConfigException next : further) {
            text.append('\n').append(next.getMessage());
        }
        return text.toString();
    }

    /** The file name, or {@code --set} for an override. */
    public String source() {
        return source;
    }

    /** 1-based line; 0 if unknown. */
    public int line() {
        return line;
    }

    /** 1-based column; 0 if unknown. */
    public int column() {
        return column;
    }

    /** The message without its location prefix, for wrapping into another error. */
    String detail() {
        return detail;
    }

    private SourceMap.Location where() {
        return new SourceMap.Location(source, line, column);
    }

    /** The dotted snake_case key path; empty when the problem concerns the document as a whole. */
    public String key() {
        return key;
    }

    /** What would have been accepted, in words, or {@code null} when that is not the point of the error. */
    public String expected() {
        return expected;
    }

    /** This problem followed by any others found in the same pass. */
    public List<ConfigException> all() {
        List<ConfigException> all = new ArrayList<>();
        all.add(further.isEmpty() ? this : new ConfigException(where(), key, expected, detail));
        all.addAll(further);
        return List.copyOf(all);
    }
}
