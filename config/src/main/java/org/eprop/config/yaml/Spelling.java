package org.eprop.config.yaml;

import java.util.Collection;
import java.util.Locale;
import java.util.Optional;

/**
 * Finds the name a user probably meant, so that an unknown key or enum value comes with a "did you mean".
 * Uses the optimal-string-alignment distance (Levenshtein plus adjacent transpositions, the commonest typo)
 * and only suggests names close enough that the suggestion is more likely helpful than confusing.
 */
public final class Spelling {

    private Spelling() {
    }

    /** The closest of {@code names} to {@code typed}, if any is reasonably close; ties go to the earliest. */
    public static Optional<String> closest(String typed, Collection<String> names) {
        String wrong = normal(typed);
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String name : names) {
            String right = normal(name);
            int distance = plain(wrong).equals(plain(right)) ? 0 : distance(wrong, right);
            if (distance < bestDistance && isClose(wrong, right, distance)) {
                best = name;
                bestDistance = distance;
            }
        }
        return Optional.ofNullable(best);
    }

    private static boolean isClose(String wrong, String right, int distance) {
        int shorter = Math.min(wrong.length(), right.length());
        boolean prefix = shorter >= 3 && (wrong.startsWith(right) || right.startsWith(wrong));
        return distance <= Math.max(1, shorter / 4) || prefix;
    }

    private static String normal(String name) {
        return name.toLowerCase(Locale.ROOT).replace('-', '_');
    }

    /** Without separators, so that {@code maxIterations} matches {@code max_iterations} outright. */
    private static String plain(String name) {
        return name.replace("_", "");
    }

    /** Optimal string alignment distance between {@code a} and {@code b}. */
    static int distance(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                d[i][j] = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
                }
            }
        }
        return d[a.length()][b.length()];
    }
}
