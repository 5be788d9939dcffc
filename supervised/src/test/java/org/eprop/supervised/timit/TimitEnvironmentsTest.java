package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the TIMIT environments look for the corpus, and what they say when it is not there. */
class TimitEnvironmentsTest {
    @TempDir
    Path tmp;

    @Test
    void aMissingCorpusNamesThePlacesSearchedAndTheKey() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimitEnvironments.corpus("", Map.of(), tmp));
        String m = e.getMessage();
        assertTrue(m.contains("env.params.corpus (not set)") && m.contains("TIMIT_DIR (not set)"), m);
        assertTrue(m.contains("set corpus (env.params.corpus") && m.contains("export TIMIT_DIR"), m);

        e = assertThrows(IllegalArgumentException.class,
                () -> TimitEnvironments.corpus("", Map.of("TIMIT_DIR", "nowhere"), tmp));
        assertTrue(e.getMessage().contains("TIMIT_DIR=nowhere (" + tmp.resolve("nowhere") + ": no such folder)"),
                e.getMessage());

        e = assertThrows(IllegalArgumentException.class, () -> TimitEnvironments.corpus("data/timit", Map.of(), tmp));
        assertTrue(e.getMessage().startsWith("env.params.corpus = 'data/timit': no TIMIT corpus folder at "
                + tmp.resolve("data/timit")), e.getMessage());
    }

    @Test
    void theKeyComesBeforeTheEnvironmentVariable() throws IOException {
        Path a = Files.createDirectories(tmp.resolve("a"));
        Path b = Files.createDirectories(tmp.resolve("b"));
        assertEquals(a, TimitEnvironments.corpus("a", Map.of("TIMIT_DIR", b.toString()), tmp));
        assertEquals(b, TimitEnvironments.corpus("", Map.of("TIMIT_DIR", b.toString()), tmp));
    }

    @Test
    void aRelativeCorpusIsTakenFromTheWorkingDirectoryAndAMissingOneIsNamed() throws IOException {
        Path sample = Files.createDirectories(tmp.resolve("shared-data/timit-sample"));
        Path repo = Files.createDirectories(tmp.resolve("repo"));
        assertEquals(sample, TimitEnvironments.corpus("../shared-data/timit-sample", Map.of(), repo));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TimitEnvironments.corpus("../nothing", Map.of(), repo));
        assertTrue(e.getMessage().contains(tmp.resolve("nothing").toString()) && e.getMessage().contains("TIMIT_DIR"),
                e.getMessage());
    }

    @Test
    void phoneErrorRateIsTheFoldedEditDistanceOverTheReference() {
        int[] fold = PhoneSet.foldIds();
        PhoneSet p = PhoneSet.TIMIT_61;
        int[] ref = {p.id("h#"), p.id("sh"), p.id("ix"), p.id("hv"), p.id("h#")};
        // ix -> ih and hv -> hh fold to the same classes: only the deleted last phone counts
        int[] hyp = {p.id("pau"), p.id("sh"), p.id("ih"), p.id("hh")};
        assertEquals(1.0 / 5, TimitTraining.phoneErrorRate(hyp, ref, fold), 0);
        // unfolded: pau/h#, ix/ih, hv/hh substitutions plus the deletion
        assertEquals(4.0 / 5, TimitTraining.phoneErrorRate(hyp, ref, null), 0);
    }
}
