package org.eprop.learning.network;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * An ordered list of named arrays: the trainable parameters of a model, or their gradients, or an
 * optimiser's moments. The order is the registration order and fixes how optimisers and
 * checkpoints see the arrays; lists are paired by name, never by position alone, so a model that
 * adds a layer (a convolutional front end, a second network) only registers its arrays here and the
 * optimisers, the learner and the checkpoints follow.
 */
public final class Parameters {

    /** One named array (the array itself, not a copy). */
    public record Entry(String name, RealArray array) {
    }

    private final List<Entry> entries = new ArrayList<>();

    /** Appends {@code array} under {@code name}; names are unique. */
    public Parameters add(String name, RealArray array) {
        if (name == null || name.isEmpty()) {
            throw new IllegalArgumentException("a parameter needs a name");
        }
        if (indexOf(name) >= 0) {
            throw new IllegalArgumentException("parameter '" + name + "' is already registered");
        }
        entries.add(new Entry(name, array));
        return this;
    }

    /** Appends every entry of {@code other}, each name prefixed with {@code prefix}. */
    public Parameters addAll(String prefix, Parameters other) {
        for (Entry e : other.entries) {
            add(prefix + e.name(), e.array());
        }
        return this;
    }

    public int size() {
        return entries.size();
    }

    public List<Entry> entries() {
        return Collections.unmodifiableList(entries);
    }

    public String name(int i) {
        return entries.get(i).name();
    }

    public RealArray array(int i) {
        return entries.get(i).array();
    }

    /** Position of {@code name}, or -1. */
    public int indexOf(String name) {
        for (int i = 0; i < entries.size(); i++) {
            if (entries.get(i).name().equals(name)) {
                return i;
            }
        }
        return -1;
    }

    public boolean contains(String name) {
        return indexOf(name) >= 0;
    }

    /** The array named {@code name}. */
    public RealArray get(String name) {
        int i = indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no parameter '" + name + "'; there are " + names());
        }
        return entries.get(i).array();
    }

    public List<String> names() {
        List<String> names = new ArrayList<>();
        for (Entry e : entries) {
            names.add(e.name());
        }
        return names;
    }

    /** The arrays in order. */
    public RealArray[] arrays() {
        RealArray[] out = new RealArray[entries.size()];
        for (int i = 0; i < out.length; i++) {
            out[i] = entries.get(i).array();
        }
        return out;
    }

    /**
     * The arrays of this list in the order of {@code order}'s names, checked for matching lengths:
     * how gradients are paired with the parameters they belong to.
     */
    public RealArray[] alignedWith(Parameters order) {
        if (order.size() != size()) {
            throw new IllegalArgumentException("parameter lists differ: " + names() + " vs " + order.names());
        }
        RealArray[] out = new RealArray[order.size()];
        for (int i = 0; i < out.length; i++) {
            RealArray a = get(order.name(i));
            if (a.length() != order.array(i).length()) {
                throw new IllegalArgumentException("'" + order.name(i) + "' has " + a.length() + " values here and "
                        + order.array(i).length() + " there");
            }
            out[i] = a;
        }
        return out;
    }

    /** A list with the same names and lengths, zero-filled, in {@code precision}. */
    public Parameters zerosLike(Precision precision) {
        Parameters out = new Parameters();
        for (Entry e : entries) {
            out.add(e.name(), precision.zeros(e.array().length()));
        }
        return out;
    }

    /** Sets every array to zero. */
    public void clear() {
        for (Entry e : entries) {
            e.array().fill(0);
        }
    }
}
