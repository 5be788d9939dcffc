package org.eprop.config.plugin;

import java.util.Collection;
import java.util.List;
import org.eprop.config.yaml.Spelling;

/** An id that no registry knows; the message lists the known ids and the closest one. */
public final class UnknownIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final List<String> known;

    public UnknownIdException(String what, String id, Collection<String> known) {
        super(message(what, id, known));
        this.known = known.stream().sorted().toList();
    }

    public List<String> known() {
        return known;
    }

    private static String message(String what, String id, Collection<String> known) {
        List<String> sorted = known.stream().sorted().toList();
        String hint = Spelling.closest(id, sorted).map(c -> " Did you mean '" + c + "'?").orElse("");
        return "unknown " + what + " '" + id + "'." + hint + " Known: " + String.join(", ", sorted)
                + (what.contains("environment") ? " (run 'eprop envs' for descriptions)" : "");
    }
}
