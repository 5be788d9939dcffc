package org.eprop.config.yaml;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Lays one config tree over another, which is how defaults, the file and overrides combine: mappings merge
 * key by key at every depth, anything else (scalars, lists, an explicit empty value) replaces outright.
 */
final class TreeMerge {

    private TreeMerge() {
    }

    /** A new tree; neither argument is modified. A {@code null} side counts as absent. */
    static JsonNode merge(JsonNode base, JsonNode overlay) {
        if (overlay == null || overlay.isMissingNode()) {
            return base == null ? null : base.deepCopy();
        }
        if (base == null || !base.isObject() || !overlay.isObject()) {
            return overlay.deepCopy();
        }
        ObjectNode merged = ((ObjectNode) base).deepCopy();
        overlay.fields().forEachRemaining(e -> merged.set(e.getKey(), merge(merged.get(e.getKey()), e.getValue())));
        return merged;
    }
}
