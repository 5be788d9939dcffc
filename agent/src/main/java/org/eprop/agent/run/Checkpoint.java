package org.eprop.agent.run;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * The state of a run at one iteration, as named entries: {@code double[]}, {@code float[]},
 * {@code long[]}, {@code int[]} and {@code String}.
 *
 * <p>Why a plain typed map rather than Java serialization of the trainer's objects: a checkpoint
 * must stay readable when classes change, must restore weights bit for bit (floats and doubles are
 * stored as raw IEEE bits, so a resumed run recomputes identical numbers), and must fail loudly
 * and by name when an expected piece of state is missing. The on-disk form is
 * {@link CheckpointFormat}; files are managed by {@link CheckpointStore}.
 *
 * <p>Immutable: arrays are copied when put and when read, so neither the caller's later changes
 * nor a reader can alter a checkpoint. Entries keep their insertion order.
 */
public final class Checkpoint {
    /** The type of an entry; the code is its tag in the file format. */
    public enum Type {
        DOUBLES(1, "double[]"),
        FLOATS(2, "float[]"),
        LONGS(3, "long[]"),
        INTS(4, "int[]"),
        STRING(5, "String");

        final byte code;
        final String javaName;

        Type(int code, String javaName) {
            this.code = (byte) code;
            this.javaName = javaName;
        }

        static Type ofCode(byte code) {
            for (Type t : values()) {
                if (t.code == code) {
                    return t;
                }
            }
            return null;
        }
    }

    private final Map<String, Object> entries;

    private Checkpoint(Map<String, Object> entries) {
        this.entries = entries;
    }

    public static Builder builder() {
        return new Builder();
    }

    /** The entry names, in insertion order. */
    public Set<String> names() {
        return Collections.unmodifiableSet(entries.keySet());
    }

    public boolean has(String name) {
        return entries.containsKey(name);
    }

    /** The type of the entry {@code name}; fails like the getters if it is missing. */
    public Type type(String name) {
        return typeOf(require(name));
    }

    public double[] doubles(String name) {
        return ((double[]) get(name, Type.DOUBLES)).clone();
    }

    public float[] floats(String name) {
        return ((float[]) get(name, Type.FLOATS)).clone();
    }

    public long[] longs(String name) {
        return ((long[]) get(name, Type.LONGS)).clone();
    }

    public int[] ints(String name) {
        return ((int[]) get(name, Type.INTS)).clone();
    }

    public String string(String name) {
        return (String) get(name, Type.STRING);
    }

    /** The stored value without a copy, for the format writer only. */
    Object raw(String name) {
        return entries.get(name);
    }

    private Object get(String name, Type expected) {
        Object v = require(name);
        Type actual = typeOf(v);
        if (actual != expected) {
            throw new IllegalArgumentException("checkpoint entry '" + name + "' is a " + actual.javaName + ", not a "
                    + expected.javaName);
        }
        return v;
    }

    private Object require(String name) {
        Object v = entries.get(name);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint has no entry '" + name + "'; entries present: "
                    + (entries.isEmpty() ? "(none)" : String.join(", ", entries.keySet())));
        }
        return v;
    }

    static Type typeOf(Object v) {
        if (v instanceof double[]) {
            return Type.DOUBLES;
        } else if (v instanceof float[]) {
            return Type.FLOATS;
        } else if (v instanceof long[]) {
            return Type.LONGS;
        } else if (v instanceof int[]) {
            return Type.INTS;
        } else if (v instanceof String) {
            return Type.STRING;
        }
        throw new IllegalStateException("unsupported checkpoint value " + v.getClass());
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Checkpoint[");
        String sep = "";
        for (Map.Entry<String, Object> e : entries.entrySet()) {
            Object v = e.getValue();
            sb.append(sep).append(e.getKey()).append(": ").append(typeOf(v).javaName);
            if (!(v instanceof String)) {
                sb.append('(').append(java.lang.reflect.Array.getLength(v)).append(')');
            }
            sep = ", ";
        }
        return sb.append(']').toString();
    }

    /** Collects entries; each name may be put once. */
    public static final class Builder {
        private final Map<String, Object> entries = new LinkedHashMap<>();

        private Builder() {
        }

        public Builder put(String name, double[] v) {
            return add(name, Objects.requireNonNull(v, name).clone());
        }

        public Builder put(String name, float[] v) {
            return add(name, Objects.requireNonNull(v, name).clone());
        }

        public Builder put(String name, long[] v) {
            return add(name, Objects.requireNonNull(v, name).clone());
        }

        public Builder put(String name, int[] v) {
            return add(name, Objects.requireNonNull(v, name).clone());
        }

        public Builder put(String name, String v) {
            return add(name, Objects.requireNonNull(v, name));
        }

        public Checkpoint build() {
            return new Checkpoint(new LinkedHashMap<>(entries));
        }

        /** Package-private: the reader adds decoded arrays without a second copy. */
        Builder add(String name, Object v) {
            if (name == null || name.isEmpty()) {
                throw new IllegalArgumentException("checkpoint entry names must be non-empty");
            }
            if (entries.containsKey(name)) {
                throw new IllegalArgumentException("checkpoint entry '" + name + "' was put twice");
            }
            entries.put(name, v);
            return this;
        }
    }
}
