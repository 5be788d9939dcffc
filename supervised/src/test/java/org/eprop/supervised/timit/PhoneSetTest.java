package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class PhoneSetTest {

    @Test
    void sixtyOnePhonesSortedWithSilenceFirst() {
        PhoneSet p = PhoneSet.TIMIT_61;
        assertEquals(61, p.size());
        assertEquals("h#", p.name(0));
        List<String> rest = new ArrayList<>(p.names().subList(1, 61));
        assertEquals(new ArrayList<>(new TreeSet<>(rest)), rest);
        // the symbols the NLTK sample's README lists (all 61 of them occur there)
        String fromReadme = "aa ae ah ao aw ax ax-h axr ay b bcl ch d dcl dh dx eh el em en eng epi er ey f g gcl "
                + "h# hh hv ih ix iy jh k kcl l m n ng nx ow oy p pau pcl q r s sh t tcl th uh uw ux v w y z zh";
        assertEquals(new TreeSet<>(List.of(fromReadme.split(" "))), new TreeSet<>(p.names()));
        assertEquals(1, p.id("aa"));
        assertEquals(-1, p.id("sil"));
    }

    @Test
    void thirtyNineClassesAfterTheFold() {
        PhoneSet p = PhoneSet.TIMIT_39;
        assertEquals(39, p.size());
        assertEquals("sil", p.name(0));
        List<String> expected = List.of("sil", "aa", "ae", "ah", "aw", "ay", "b", "ch", "d", "dh", "dx", "eh", "er",
                "ey", "f", "g", "hh", "ih", "iy", "jh", "k", "l", "m", "n", "ng", "ow", "oy", "p", "r", "s", "sh", "t",
                "th", "uh", "uw", "v", "w", "y", "z");
        assertEquals(expected, p.names());
    }

    @Test
    void theFoldOfLeeAndHonAsInGravesThesis() {
        Map<String, String> folded = Map.ofEntries(Map.entry("ao", "aa"), Map.entry("ax", "ah"),
                Map.entry("ax-h", "ah"), Map.entry("axr", "er"), Map.entry("hv", "hh"), Map.entry("ix", "ih"),
                Map.entry("el", "l"), Map.entry("em", "m"), Map.entry("en", "n"), Map.entry("nx", "n"),
                Map.entry("eng", "ng"), Map.entry("zh", "sh"), Map.entry("ux", "uw"), Map.entry("pcl", "sil"),
                Map.entry("tcl", "sil"), Map.entry("kcl", "sil"), Map.entry("bcl", "sil"), Map.entry("dcl", "sil"),
                Map.entry("gcl", "sil"), Map.entry("h#", "sil"), Map.entry("pau", "sil"), Map.entry("epi", "sil"),
                Map.entry("q", "sil"));
        assertEquals(23, folded.size());
        int[] ids = PhoneSet.foldIds();
        for (String s : PhoneSet.TIMIT_61.names()) {
            String expected = folded.getOrDefault(s, s);
            assertEquals(expected, PhoneSet.fold(s), s);
            assertEquals(PhoneSet.TIMIT_39.id(expected), ids[PhoneSet.TIMIT_61.id(s)], s);
        }
        assertEquals(0, ids[0]); // silence stays 0
        assertThrows(IllegalArgumentException.class, () -> PhoneSet.fold("sil"));
        assertThrows(IllegalArgumentException.class, () -> PhoneSet.of(48));
    }
}
