package org.eprop.envs.api;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The info of a reset or a step: Gymnasium's {@code info} dict made type-safe. Values are read
 * with typed {@link Key}s, so a wrapper that reads {@code lives} gets an {@code Integer} without a
 * cast, and a misspelt key is a compile error rather than a silent {@code None}.
 */
public final class Info {
    private static final Info EMPTY = new Info(Map.of());
    private final Map<Key<?>, Object> values;

    private Info(Map<Key<?>, Object> values) {
        this.values = values;
    }

    /** A typed key: a name and the type of its value. */
    public record Key<T>(String name, Class<T> type) {
        public Key {
            Objects.requireNonNull(name);
            Objects.requireNonNull(type);
        }

        public static <T> Key<T> of(String name, Class<T> type) {
            return new Key<>(name, type);
        }
    }

    public static Info empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder(new LinkedHashMap<>());
    }

    /** The value of {@code key}, if present. */
    public <T> Optional<T> get(Key<T> key) {
        return Optional.ofNullable(key.type().cast(values.get(key)));
    }

    /** The value of {@code key}; fails naming the key and the keys present when it is absent. */
    public <T> T require(Key<T> key) {
        Object v = values.get(key);
        if (v == null) {
            throw new IllegalStateException("info has no '" + key.name() + "'; it has " + keyNames());
        }
        return key.type().cast(v);
    }

    public boolean has(Key<?> key) {
        return values.containsKey(key);
    }

    /** A copy with {@code key} set (used by wrappers to add their own entries). */
    public <T> Info with(Key<T> key, T value) {
        return toBuilder().put(key, value).build();
    }

    public Builder toBuilder() {
        return new Builder(new LinkedHashMap<>(values));
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        values.forEach((k, v) -> m.put(k.name(), v));
        return Collections.unmodifiableMap(m);
    }

    private String keyNames() {
        return values.keySet().stream().map(Key::name).toList().toString();
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    /** Builds an immutable {@link Info}. */
    public static final class Builder {
        private final Map<Key<?>, Object> values;

        private Builder(Map<Key<?>, Object> values) {
            this.values = values;
        }

        public <T> Builder put(Key<T> key, T value) {
            values.put(key, key.type().cast(Objects.requireNonNull(value, key.name())));
            return this;
        }

        public Info build() {
            return new Info(Collections.unmodifiableMap(new LinkedHashMap<>(values)));
        }
    }
}
