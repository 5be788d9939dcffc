package org.eprop.config.plugin;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;

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
        String closest = sorted.stream().min(Comparator.comparingInt(k -> distance(k, id))).orElse(null);
        String hint = closest != null && distance(closest, id) <= Math.max(2, id.length() / 3)
                ? " Did you mean '" + closest + "'?" : "";
        return "unknown " + what + " '" + id + "'." + hint + " Known: " + String.join(", ", sorted)
                + (what.contains("environment") ? " (run 'eprop envs' for descriptions)" : "");
    }

    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            prev[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                cur[j] = Math.min(Math.min(cur[j - 1] + 1, prev[j] + 1), prev[j - 1] + cost);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
