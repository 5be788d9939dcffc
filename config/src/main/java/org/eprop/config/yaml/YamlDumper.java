package org.eprop.config.yaml;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLParser;
import com.fasterxml.jackson.dataformat.yaml.util.StringQuotingChecker;

import java.io.IOException;

/**
 * Writes a config tree as readable YAML that reads back to the same tree. Strings are left unquoted where
 * that is safe; any string that would read back as something else ({@code "1e-3"}, {@code "yes"},
 * {@code "null"}) is quoted, which Jackson's own minimal quoting does not fully guarantee.
 */
final class YamlDumper {

    private static final YAMLFactory READ = new YAMLFactory();
    private static final YAMLMapper WRITE = new YAMLMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS)
            .stringQuotingChecker(new RoundTripQuoting())
            .build());

    private YamlDumper() {
    }

    static String dump(JsonNode tree) {
        try {
            return WRITE.writeValueAsString(tree);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write config tree as YAML", e);
        }
    }

    /** Quotes whatever Jackson would quote, plus any text that would not read back as that same text. */
    private static final class RoundTripQuoting extends StringQuotingChecker {

        private static final long serialVersionUID = 1L;
        private final StringQuotingChecker usual = StringQuotingChecker.Default.instance();

        @Override
        public boolean needToQuoteName(String name) {
            return usual.needToQuoteName(name) || !readsBackAsText(name);
        }

        @Override
        public boolean needToQuoteValue(String value) {
            return usual.needToQuoteValue(value) || !readsBackAsText(value);
        }

        private static boolean readsBackAsText(String text) {
            try (YAMLParser parser = READ.createParser(text)) {
                return parser.nextToken() == JsonToken.VALUE_STRING && text.equals(parser.getText())
                        && parser.nextToken() == null;
            } catch (IOException | RuntimeException e) {
                return false;
            }
        }
    }
}
