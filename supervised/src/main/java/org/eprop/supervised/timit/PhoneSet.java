package org.eprop.supervised.timit;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The TIMIT phone labels with fixed ids: the 61 symbols of the {@code .PHN} files, and the 39 of the
 * usual scoring set (Lee and Hon 1989, folded as in Graves' thesis and the original e-prop code).
 *
 * <p>Ids are the silence symbol at 0 ({@code h#} of the 61, {@code sil} of the 39) and then the
 * other symbols in sorted (Java {@link String#compareTo}) order. Why fixed: the original code numbers
 * the phones in the order it meets them while walking the training folders, so its ids depend on the
 * file system; sorted ids are the same everywhere, and frames that no segment covers get 0, the
 * silence, as in the original.
 */
public final class PhoneSet {

    /** The 61 phone symbols of TIMIT's {@code .PHN} files. */
    public static final PhoneSet TIMIT_61;
    /** The 39 scoring classes. */
    public static final PhoneSet TIMIT_39;

    /** The fold to the 39 classes: the 22 symbols not listed stay as they are. */
    private static final Map<String, String> FOLD;

    static {
        List<String> all = List.of("aa", "ae", "ah", "ao", "aw", "ax", "ax-h", "axr", "ay", "b", "bcl", "ch", "d",
                "dcl", "dh", "dx", "eh", "el", "em", "en", "eng", "epi", "er", "ey", "f", "g", "gcl", "h#", "hh", "hv",
                "ih", "ix", "iy", "jh", "k", "kcl", "l", "m", "n", "ng", "nx", "ow", "oy", "p", "pau", "pcl", "q", "r",
                "s", "sh", "t", "tcl", "th", "uh", "uw", "ux", "v", "w", "y", "z", "zh");
        Map<String, String> fold = new LinkedHashMap<>();
        fold.put("ao", "aa");
        fold.put("ax", "ah");
        fold.put("ax-h", "ah");
        fold.put("axr", "er");
        fold.put("hv", "hh");
        fold.put("ix", "ih");
        fold.put("el", "l");
        fold.put("em", "m");
        fold.put("en", "n");
        fold.put("nx", "n");
        fold.put("eng", "ng");
        fold.put("zh", "sh");
        fold.put("ux", "uw");
        for (String s : List.of("pcl", "tcl", "kcl", "bcl", "dcl", "gcl", "h#", "pau", "epi", "q")) {
            fold.put(s, "sil");
        }
        FOLD = Collections.unmodifiableMap(fold);
        TIMIT_61 = new PhoneSet("h#", all);
        List<String> folded = new ArrayList<>();
        for (String s : all) {
            String f = fold.getOrDefault(s, s);
            if (!folded.contains(f)) {
                folded.add(f);
            }
        }
        TIMIT_39 = new PhoneSet("sil", folded);
    }

    private final List<String> names;
    private final Map<String, Integer> ids = new HashMap<>();

    private PhoneSet(String silence, List<String> symbols) {
        List<String> sorted = new ArrayList<>(symbols);
        sorted.remove(silence);
        Collections.sort(sorted);
        sorted.add(0, silence);
        this.names = List.copyOf(sorted);
        for (int i = 0; i < names.size(); i++) {
            ids.put(names.get(i), i);
        }
    }

    /** The set with {@code size} classes: 61 or 39. */
    public static PhoneSet of(int size) {
        return switch (size) {
            case 61 -> TIMIT_61;
            case 39 -> TIMIT_39;
            default -> throw new IllegalArgumentException("TIMIT phone sets have 61 or 39 classes, not " + size);
        };
    }

    /** Number of classes. */
    public int size() {
        return names.size();
    }

    /** The symbols by id. */
    public List<String> names() {
        return names;
    }

    /** The symbol of {@code id}. */
    public String name(int id) {
        return names.get(id);
    }

    /** The id of {@code symbol}, or -1 if it is not in this set. */
    public int id(String symbol) {
        Integer id = ids.get(symbol);
        return id == null ? -1 : id;
    }

    /** The silence symbol, id 0. */
    public String silence() {
        return names.get(0);
    }

    /** The 39-class symbol a 61-phone symbol folds to. */
    public static String fold(String phone61) {
        if (TIMIT_61.id(phone61) < 0) {
            throw new IllegalArgumentException("'" + phone61 + "' is not one of the 61 TIMIT phones");
        }
        return FOLD.getOrDefault(phone61, phone61);
    }

    /** The fold as ids: element {@code i} is the 39-class id of 61-phone id {@code i}. */
    public static int[] foldIds() {
        int[] map = new int[TIMIT_61.size()];
        for (int i = 0; i < map.length; i++) {
            map[i] = TIMIT_39.id(fold(TIMIT_61.name(i)));
        }
        return map;
    }

    @Override
    public String toString() {
        return "TIMIT " + size() + " phones";
    }
}
