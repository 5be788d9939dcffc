package org.eprop.config.yaml;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * The one place that decides how Java names look in YAML, so that reading, writing, error messages and
 * validation keys can never disagree: components are snake_case, enum constants kebab-case.
 */
final class Naming {

    private static final Pattern LOWER_THEN_UPPER = Pattern.compile("([a-z0-9])([A-Z])");
    private static final Pattern ACRONYM_THEN_WORD = Pattern.compile("([A-Z]+)([A-Z][a-z])");

    private Naming() {
    }

    /** {@code maxIterations -> max_iterations}, {@code useGPU -> use_gpu}; snake_case input is returned as is. */
    static String snake(String camel) {
        String split = ACRONYM_THEN_WORD.matcher(camel).replaceAll("$1_$2");
        return LOWER_THEN_UPPER.matcher(split).replaceAll("$1_$2").toLowerCase(Locale.ROOT);
    }

    /** {@code GLOROT_UNIFORM -> glorot-uniform}. */
    static String kebab(Enum<?> constant) {
        return constant.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** The form in which enum spellings are compared: case and {@code -}/{@code _} do not matter. */
    static String enumKey(String spelling) {
        return spelling.trim().toUpperCase(Locale.ROOT).replace('-', '_');
    }
}
