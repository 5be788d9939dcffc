package org.eprop.envs.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The info of a reset or a step: Gymnasium's {@code info} dict made type-safe. Values are read
 * with typed {@link Key}s, so a wrapper that reads {@code lives} gets an {@code Integer} without a
 * cast, and a misspelt key is a compile error rather than a silent {@code None}.
 *
 * <p>Two kinds of instance, with the same reading methods:
 * <ul>
 *   <li><b>fixed</b> ones ({@link #empty()}, {@link #builder()}, {@link #with}, {@link #copy()})
 *       never change and may be kept;</li>
 *   <li><b>reusable</b> ones ({@link #reusable()}) belong to an environment or wrapper that refills
 *       the same instance at every step ({@link #clear()}, {@link #set}, {@link #setInt} ...), as
 *       Gymnasium's wrappers fill a dict in place. Like a reused {@link Frame}, such an info is
 *       valid until the next call on the environment that returned it; {@link #copy()} keeps it.</li>
 * </ul>
 * Why reusable infos: an emulator step allocated an info map (and wrappers a copy each to add
 * their keys) per environment and step; refilled instances that hold numbers unboxed
 * ({@link #setInt}, {@link #setLong}, {@link #setDouble}, {@link #setBoolean}, read back with
 * {@link #getInt} ...) let a step allocate nothing. The generic {@link #get} and {@link #require}
 * box such numbers when they are read.
 */
public final class Info {
    private static final Info EMPTY = new Info(false, 0);

    private static final byte REF = 0;
    private static final byte INT = 1;
    private static final byte LONG = 2;
    private static final byte DOUBLE = 3;
    private static final byte BOOLEAN = 4;

    private final boolean reusable;
    // entries in insertion order; a number set unboxed lives in bits, with kinds[i] saying how
    private Key<?>[] keys;
    private Object[] refs;
    private long[] bits;
    private byte[] kinds;
    private int size;

    private Info(boolean reusable, int capacity) {
        this.reusable = reusable;
        this.keys = new Key<?>[capacity];
        this.refs = new Object[capacity];
        this.bits = new long[capacity];
        this.kinds = new byte[capacity];
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

        // Written out, although a record has them: the generated ones go through method handles,
        // which allocate at every call until the JIT has compiled them, and infos compare keys at
        // every step of every environment.
        @Override
        public boolean equals(Object o) {
            return o instanceof Key<?> k && type == k.type && name.equals(k.name);
        }

        @Override
        public int hashCode() {
            return 31 * name.hashCode() + type.hashCode();
        }
    }

    public static Info empty() {
        return EMPTY;
    }

    public static Builder builder() {
        return new Builder(new LinkedHashMap<>());
    }

    /** A new, empty info for an owner to refill at every step (see the class comment). */
    public static Info reusable() {
        return new Info(true, 8);
    }

    /** Whether this is a {@link #reusable()} info, valid only until its owner's next call. */
    public boolean isReusable() {
        return reusable;
    }

    private int index(Key<?> key) {
        for (int i = 0; i < size; i++) {
            if (keys[i] == key) {
                return i;
            }
        }
        // keys are records: one declared again elsewhere with the same name and type is the same key
        for (int i = 0; i < size; i++) {
            if (keys[i].equals(key)) {
                return i;
            }
        }
        return -1;
    }

    private Object value(int i) {
        long b = bits[i];
        return switch (kinds[i]) {
            case INT -> (int) b;
            case LONG -> b;
            case DOUBLE -> Double.longBitsToDouble(b);
            case BOOLEAN -> b != 0;
            default -> refs[i];
        };
    }

    /** The value of {@code key}, if present. */
    public <T> Optional<T> get(Key<T> key) {
        int i = index(key);
        return i < 0 ? Optional.empty() : Optional.of(key.type().cast(value(i)));
    }

    /** The value of {@code key}; fails naming the key and the keys present when it is absent. */
    public <T> T require(Key<T> key) {
        int i = index(key);
        if (i < 0) {
            throw new IllegalStateException("info has no '" + key.name() + "'; it has " + keyNames());
        }
        return key.type().cast(value(i));
    }

    public boolean has(Key<?> key) {
        return index(key) >= 0;
    }

    /** The value of an int key, or {@code orElse} when absent; no boxing for a value set by {@link #setInt}. */
    public int getInt(Key<Integer> key, int orElse) {
        int i = index(key);
        return i < 0 ? orElse : kinds[i] == INT ? (int) bits[i] : (Integer) refs[i];
    }

    /** The value of a long key, or {@code orElse} when absent. */
    public long getLong(Key<Long> key, long orElse) {
        int i = index(key);
        return i < 0 ? orElse : kinds[i] == LONG ? bits[i] : (Long) refs[i];
    }

    /** The value of a double key, or {@code orElse} when absent. */
    public double getDouble(Key<Double> key, double orElse) {
        int i = index(key);
        return i < 0 ? orElse : kinds[i] == DOUBLE ? Double.longBitsToDouble(bits[i]) : (Double) refs[i];
    }

    /** The value of a boolean key, or {@code orElse} when absent. */
    public boolean getBoolean(Key<Boolean> key, boolean orElse) {
        int i = index(key);
        return i < 0 ? orElse : kinds[i] == BOOLEAN ? bits[i] != 0 : (Boolean) refs[i];
    }

    /** Number of entries. */
    public int size() {
        return size;
    }

    /** A copy with {@code key} set (used by wrappers to add their own entries). */
    public <T> Info with(Key<T> key, T value) {
        return toBuilder().put(key, value).build();
    }

    /**
     * This info as it is now, fixed: what to keep of a reusable info past its owner's next call.
     * Infos inside it (e.g. {@code VectorEnv.FINAL_INFO}) are copied too; other values (a final
     * observation's frame) are shared, and a caller that keeps them copies them.
     */
    public Info copy() {
        if (!reusable) {
            return this;
        }
        Info c = new Info(false, size);
        c.copyEntries(this);
        for (int i = 0; i < c.size; i++) {
            if (c.refs[i] instanceof Info inner) {
                c.refs[i] = inner.copy();
            }
        }
        return c;
    }

    public Builder toBuilder() {
        return new Builder(entries());
    }

    public Map<String, Object> asMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            m.put(keys[i].name(), value(i));
        }
        return Collections.unmodifiableMap(m);
    }

    private Map<Key<?>, Object> entries() {
        Map<Key<?>, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < size; i++) {
            m.put(keys[i], value(i));
        }
        return m;
    }

    private String keyNames() {
        String[] names = new String[size];
        for (int i = 0; i < size; i++) {
            names[i] = keys[i].name();
        }
        return Arrays.toString(names);
    }

    @Override
    public String toString() {
        return asMap().toString();
    }

    // ---- filling a reusable info ----

    private void checkReusable() {
        if (!reusable) {
            throw new UnsupportedOperationException("this info is fixed; only a reusable() info is refilled");
        }
    }

    /** Removes every entry (a reusable info, before it is refilled); returns this. */
    public Info clear() {
        checkReusable();
        Arrays.fill(refs, 0, size, null);
        size = 0;
        return this;
    }

    /** The entry of {@code key}, added at the end when new. */
    private int slot(Key<?> key) {
        int i = index(key);
        if (i >= 0) {
            return i;
        }
        if (size == keys.length) {
            int capacity = Math.max(4, 2 * size);
            keys = Arrays.copyOf(keys, capacity);
            refs = Arrays.copyOf(refs, capacity);
            bits = Arrays.copyOf(bits, capacity);
            kinds = Arrays.copyOf(kinds, capacity);
        }
        keys[size] = key;
        return size++;
    }

    /** Sets {@code key} to {@code value} (a reusable info); returns this. */
    public <T> Info set(Key<T> key, T value) {
        checkReusable();
        Object v = key.type().cast(Objects.requireNonNull(value, key.name()));
        int i = slot(key);
        refs[i] = v;
        kinds[i] = REF;
        return this;
    }

    /** Sets an int key without boxing (a reusable info); returns this. */
    public Info setInt(Key<Integer> key, int value) {
        return setBits(key, value, INT);
    }

    /** Sets a long key without boxing (a reusable info); returns this. */
    public Info setLong(Key<Long> key, long value) {
        return setBits(key, value, LONG);
    }

    /** Sets a double key without boxing (a reusable info); returns this. */
    public Info setDouble(Key<Double> key, double value) {
        return setBits(key, Double.doubleToRawLongBits(value), DOUBLE);
    }

    /** Sets a boolean key (a reusable info); returns this. */
    public Info setBoolean(Key<Boolean> key, boolean value) {
        return setBits(key, value ? 1 : 0, BOOLEAN);
    }

    private Info setBits(Key<?> key, long value, byte kind) {
        checkReusable();
        int i = slot(key);
        refs[i] = null;
        bits[i] = value;
        kinds[i] = kind;
        return this;
    }

    /**
     * Replaces the entries by those of {@code other} (a reusable info; values are shared, numbers
     * copied): how a wrapper starts its own info from the one below before adding its keys.
     */
    public Info setAll(Info other) {
        checkReusable();
        if (other == this) {
            return this;
        }
        Arrays.fill(refs, 0, size, null);
        size = 0;
        copyEntries(other);
        return this;
    }

    private void copyEntries(Info other) {
        for (int j = 0; j < other.size; j++) {
            int i = slot(other.keys[j]);
            refs[i] = other.refs[j];
            bits[i] = other.bits[j];
            kinds[i] = other.kinds[j];
        }
    }

    /** Builds a fixed {@link Info}. */
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
            Info info = new Info(false, values.size());
            values.forEach((k, v) -> {
                int i = info.size++;
                info.keys[i] = k;
                info.refs[i] = v;
            });
            return info;
        }
    }
}
