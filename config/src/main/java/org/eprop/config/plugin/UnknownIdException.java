package org.eprop.config.plugin;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.eprop.config.yaml.Spelling;

/**
 * An id that no registry knows; the message suggests the closest id and lists the known ones. A
 * family of many ids under one prefix (the 77 Atari games under {@code ale/}) is listed as one
 * entry, {@code ale/<...> (77 ids)}, so the list stays readable; the suggestion still looks at all.
 */
public final class UnknownIdException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    /** A prefix with more ids than this is listed as one entry. */
    static final int FAMILY = 8;
    private final List<String> known;

    public UnknownIdException(String what, String id, Collection<String> known) {
        super(message(what, id, known));
        this.known = listed(known);
    }

    /** The known ids as listed in the message (families collapsed). */
    public List<String> known() {
        return known;
    }

    private static String message(String what, String id, Collection<String> known) {
        List<String> sorted = known.stream().sorted().toList();
        String hint = Spelling.closest(id, sorted).map(c -> " Did you mean '" + c + "'?").orElse("");
        return "unknown " + what + " '" + id + "'." + hint + " Known: " + String.join(", ", listed(known))
                + (what.contains("environment") ? " (run 'eprop envs' for descriptions)" : "");
    }

    static List<String> listed(Collection<String> known) {
        Map<String, List<String>> byPrefix = new TreeMap<>();
        for (String id : known.stream().sorted().toList()) {
            int slash = id.indexOf('/');
            byPrefix.computeIfAbsent(slash < 0 ? id : id.substring(0, slash + 1), k -> new ArrayList<>()).add(id);
        }
        List<String> out = new ArrayList<>();
        byPrefix.forEach((prefix, ids) -> {
            if (ids.size() > FAMILY && prefix.endsWith("/")) {
                out.add(prefix + "<...> (" + ids.size() + " ids)");
            } else {
                out.addAll(ids);
            }
        });
        return out;
    }
}
