package org.eprop.config.yaml;

/**
 * Dotted key paths ({@code network.layers[0].size}) as used in messages, in the {@link SourceMap} and in
 * {@code --set} overrides. Map keys are used verbatim, so a map key containing a dot is ambiguous.
 */
final class KeyPath {

    static final String ROOT = "";

    private KeyPath() {
    }

    static String child(String parent, String name) {
        return parent.isEmpty() ? name : parent + "." + name;
    }

    static String element(String parent, int index) {
        return parent + "[" + index + "]";
    }

    /** The enclosing path, or {@code null} for the root. */
    static String parent(String path) {
        if (path.isEmpty()) {
            return null;
        }
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? ROOT : path.substring(0, cut);
    }

    /** Whether {@code path} lies strictly inside {@code ancestor}. */
    static boolean isInside(String path, String ancestor) {
        if (ancestor.isEmpty()) {
            return !path.isEmpty();
        }
        return path.length() > ancestor.length() && path.startsWith(ancestor)
                && (path.charAt(ancestor.length()) == '.' || path.charAt(ancestor.length()) == '[');
    }

    /** How a path is named in a sentence; the root has no key of its own. */
    static String display(String path) {
        return path.isEmpty() ? "the top level" : path;
    }
}
