package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.function.UnaryOperator;
import org.eprop.envs.supervised.SupervisedTask.Split;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TimitCorpusTest {

    @TempDir
    Path tmp;

    /** TIMIT's TRAIN speakers per dialect region (462 in all) and TEST speakers (168). */
    static final int[] TRAIN_PER_REGION = {38, 76, 76, 68, 70, 35, 77, 22};
    static final int[] TEST_PER_REGION = {11, 26, 26, 32, 28, 11, 23, 11};

    /** Two SA, three SI and five SX sentences, as every TIMIT speaker has. */
    static final List<String> SENTENCES = List.of("sa1", "sa2", "si1", "si2", "si3", "sx1", "sx2", "sx3", "sx4",
            "sx5");

    /**
     * An LDC tree of empty placeholder files (listing reads no contents): in each region
     * {@code train[r]} made-up TRAIN speakers, and the development and core test speakers of the
     * region plus made-up ones up to {@code test[r]} in TEST. {@code name} sets the case of every
     * name; {@code extensions} the files of each sentence.
     */
    static void ldcTree(Path root, int[] train, int[] test, List<String> sentences, UnaryOperator<String> name,
            String... extensions) throws IOException {
        Set<String> listed = new HashSet<>(TimitCorpus.developmentSpeakers());
        listed.addAll(TimitCorpus.coreTestSpeakers());
        int made = 0;
        for (int r = 1; r <= 8; r++) {
            List<String> trainSpeakers = new ArrayList<>();
            List<String> testSpeakers = new ArrayList<>();
            for (String s : listed) {
                if (s.startsWith("dr" + r + "/")) {
                    testSpeakers.add(s.substring(4));
                }
            }
            while (trainSpeakers.size() < train[r - 1]) {
                trainSpeakers.add(madeUpSpeaker(made++));
            }
            while (testSpeakers.size() < test[r - 1]) {
                testSpeakers.add(madeUpSpeaker(made++));
            }
            for (String half : List.of("train", "test")) {
                for (String speaker : half.equals("train") ? trainSpeakers : testSpeakers) {
                    Path dir = root.resolve(name.apply(half)).resolve(name.apply("dr" + r)).resolve(name.apply(speaker));
                    Files.createDirectories(dir);
                    for (String sentence : sentences) {
                        for (String ext : extensions) {
                            Files.createFile(dir.resolve(name.apply(sentence + "." + ext)));
                        }
                    }
                }
            }
        }
    }

    /** {@code xq<3 letters>9}: names no real speaker has. */
    private static String madeUpSpeaker(int i) {
        return (i % 2 == 0 ? "m" : "f") + (char) ('a' + i / 676 % 26) + (char) ('a' + i / 26 % 26)
                + (char) ('a' + i % 26) + "9";
    }

    @Test
    void theStandardSplitsHaveTheirSizes() throws IOException {
        ldcTree(tmp, TRAIN_PER_REGION, TEST_PER_REGION, SENTENCES, s -> s.toUpperCase(Locale.ROOT), "wav", "phn",
                "wrd", "txt");
        TimitCorpus c = TimitCorpus.open(tmp);
        assertEquals(TimitCorpus.Layout.LDC, c.layout());
        assertEquals(3696, c.utterances(Split.TRAIN).size());
        assertEquals(400, c.utterances(Split.VALIDATION).size());
        assertEquals(192, c.utterances(Split.TEST).size());
        assertEquals(462, c.speakers(Split.TRAIN).size());
        assertEquals(TimitCorpus.developmentSpeakers().stream().sorted().toList(), c.speakers(Split.VALIDATION));
        assertEquals(TimitCorpus.coreTestSpeakers().stream().sorted().toList(), c.speakers(Split.TEST));
        for (Split s : Split.values()) {
            assertTrue(c.utterances(s).stream().noneMatch(u -> u.sentence().startsWith("sa")), "SA in " + s);
        }
    }

    @Test
    void speakerListsAreTheStandardOnes() {
        List<String> core = TimitCorpus.coreTestSpeakers();
        List<String> dev = TimitCorpus.developmentSpeakers();
        assertEquals(24, new HashSet<>(core).size());
        assertEquals(50, new HashSet<>(dev).size());
        Set<String> both = new HashSet<>(core);
        both.retainAll(dev);
        assertEquals(Set.of(), both);
        for (int r = 1; r <= 8; r++) { // 2 male and 1 female core speakers per region (TIMIT's testset.doc)
            String region = "dr" + r + "/";
            assertEquals(2, core.stream().filter(s -> s.startsWith(region + "m")).count(), region);
            assertEquals(1, core.stream().filter(s -> s.startsWith(region + "f")).count(), region);
        }
        assertTrue(core.contains("dr1/mdab0") && core.contains("dr8/fmld0"));
        assertTrue(dev.contains("dr1/faks0") && dev.contains("dr7/mrjm4") && dev.contains("dr8/majc0"));
    }

    @Test
    void namesAreReadInAnyCase() throws IOException {
        int[] train = {1, 0, 0, 0, 0, 0, 0, 1};
        Path upper = tmp.resolve("upper");
        Path lower = tmp.resolve("lower");
        Path mixed = tmp.resolve("mixed");
        ldcTree(upper, train, TEST_PER_REGION, List.of("sa1", "si7", "sx8"), s -> s.toUpperCase(Locale.ROOT), "wav",
                "phn");
        ldcTree(lower, train, TEST_PER_REGION, List.of("sa1", "si7", "sx8"), s -> s, "wav", "phn");
        // folders capitalised, sentences upper case, extensions lower case
        ldcTree(mixed, train, TEST_PER_REGION, List.of("sa1", "si7", "sx8"), s -> {
            int dot = s.indexOf('.');
            return dot < 0 ? Character.toUpperCase(s.charAt(0)) + s.substring(1)
                    : s.substring(0, dot).toUpperCase(Locale.ROOT) + s.substring(dot);
        }, "wav", "phn");
        TimitCorpus u = TimitCorpus.open(upper);
        TimitCorpus l = TimitCorpus.open(lower);
        TimitCorpus m = TimitCorpus.open(mixed);
        for (Split s : Split.values()) {
            List<String> ids = l.utterances(s).stream().map(TimitCorpus.UtteranceFiles::id).toList();
            assertEquals(ids, u.utterances(s).stream().map(TimitCorpus.UtteranceFiles::id).toList(), s.id());
            assertEquals(ids, m.utterances(s).stream().map(TimitCorpus.UtteranceFiles::id).toList(), s.id());
        }
        assertEquals(4, l.utterances(Split.TRAIN).size());
        assertEquals(List.of("dr1", "dr8"), l.utterances(Split.TRAIN).stream().map(TimitCorpus.UtteranceFiles::dialect)
                .distinct().toList());
        TimitCorpus.UtteranceFiles first = u.utterances(Split.TEST).get(0);
        assertEquals("dr1/felc0/si7", first.id());
        assertEquals(upper.resolve("TEST/DR1/FELC0/SI7.WAV"), first.audio());
        assertEquals(upper.resolve("TEST/DR1/FELC0/SI7.PHN"), first.phones());
        assertNull(first.words());
        assertNull(first.text());
    }

    @Test
    void aWrappingFolderAndConvertedCopiesAreHandled() throws IOException {
        Path corpus = tmp.resolve("timit").resolve("TIMIT");
        ldcTree(corpus, new int[] {1, 0, 0, 0, 0, 0, 0, 0}, TEST_PER_REGION, List.of("si7"),
                s -> s.toUpperCase(Locale.ROOT), "wav", "phn");
        // a distribution that put RIFF copies next to the SPHERE files: SI7.WAV.wav is not a sentence
        Path dir = corpus.resolve("TEST/DR1/FELC0");
        Files.createFile(dir.resolve("SI7.WAV.wav"));
        Files.writeString(corpus.resolve("README.DOC"), "");
        TimitCorpus c = TimitCorpus.open(tmp.resolve("timit"));
        assertEquals(corpus, c.root());
        assertEquals(dir.resolve("SI7.WAV"), c.utterances(Split.TEST).get(0).audio());
        assertEquals(24, c.utterances(Split.TEST).size());
    }

    @Test
    void missingSpeakersAndFilesAreNamed() throws IOException {
        ldcTree(tmp, new int[] {1, 0, 0, 0, 0, 0, 0, 0}, TEST_PER_REGION, List.of("sa1", "si7"),
                s -> s.toUpperCase(Locale.ROOT), "wav", "phn");
        // a core test speaker with nothing but SA files counts as missing
        Files.delete(tmp.resolve("TEST/DR8/FMLD0/SI7.WAV"));
        Files.delete(tmp.resolve("TEST/DR8/FMLD0/SI7.PHN"));
        TimitFormatException e = assertThrows(TimitFormatException.class, () -> TimitCorpus.open(tmp));
        assertTrue(e.getMessage().contains("dr8/fmld0 (core test)") && e.getMessage().contains("LDC93S1"),
                e.getMessage());
        Files.createFile(tmp.resolve("TEST/DR8/FMLD0/SI7.WAV"));
        e = assertThrows(TimitFormatException.class, () -> TimitCorpus.open(tmp));
        assertEquals(tmp.resolve("TEST/DR8/FMLD0/SI7.WAV"), e.file());
        assertTrue(e.getMessage().contains("no phone alignment si7.PHN"), e.getMessage());
        Files.createFile(tmp.resolve("TEST/DR8/FMLD0/SI7.PHN"));
        Files.createFile(tmp.resolve("TEST/DR8/FMLD0/si7.phn"));
        e = assertThrows(TimitFormatException.class, () -> TimitCorpus.open(tmp));
        assertTrue(e.getMessage().contains("the same name as SI7.PHN up to case")
                || e.getMessage().contains("the same name as si7.phn up to case"), e.getMessage());
        Files.delete(tmp.resolve("TEST/DR8/FMLD0/si7.phn"));
        assertEquals(24, TimitCorpus.open(tmp).utterances(Split.TEST).size());

        Path empty = Files.createDirectories(tmp.resolve("elsewhere"));
        e = assertThrows(TimitFormatException.class, () -> TimitCorpus.open(empty));
        assertTrue(e.getMessage().contains("not a TIMIT corpus: expected TRAIN/ and TEST/"), e.getMessage());
        e = assertThrows(TimitFormatException.class, () -> TimitCorpus.open(tmp.resolve("nowhere")));
        assertTrue(e.getMessage().contains("no such folder"), e.getMessage());
    }

    @Test
    void theSampleLayoutIsSplitByDialectRegion() throws IOException {
        for (String speaker : List.of("dr1-fvmh0", "dr1-mcpm0", "dr6-fapb0", "dr7-fblv0", "dr7-madd0", "dr8-mbcg0")) {
            for (String sentence : List.of("sa1", "si1", "sx2")) {
                Files.createDirectories(tmp.resolve(speaker));
                Files.createFile(tmp.resolve(speaker).resolve(sentence + ".wav"));
                Files.createFile(tmp.resolve(speaker).resolve(sentence + ".phn"));
            }
        }
        Files.writeString(tmp.resolve("allfilelist.txt"), "");
        TimitCorpus c = TimitCorpus.open(tmp);
        assertEquals(TimitCorpus.Layout.NLTK_SAMPLE, c.layout());
        assertEquals(List.of("dr1/fvmh0", "dr1/mcpm0", "dr6/fapb0"), c.speakers(Split.TRAIN));
        assertEquals(List.of("dr7/fblv0", "dr7/madd0"), c.speakers(Split.VALIDATION));
        assertEquals(List.of("dr8/mbcg0"), c.speakers(Split.TEST));
        assertEquals(6, c.utterances(Split.TRAIN).size());
        assertEquals("dr1/fvmh0/si1", c.utterances(Split.TRAIN).get(0).id());
    }

    @Test
    void readsAnUtterance() throws IOException {
        ldcTree(tmp, new int[] {1, 0, 0, 0, 0, 0, 0, 0}, TEST_PER_REGION, List.of("si7"), s -> s, "wav", "phn");
        short[] x = TimitTestFiles.signal(900, 5);
        for (String s : TimitCorpus.coreTestSpeakers()) {
            TimitTestFiles.writeSphere(tmp.resolve("test").resolve(s).resolve("si7.wav"), x, 16000,
                    ByteOrder.LITTLE_ENDIAN);
            TimitTestFiles.writeSegments(tmp.resolve("test").resolve(s).resolve("si7.phn"), 0, 400, "h#", 400, 900, "s");
        }
        TimitCorpus c = TimitCorpus.open(tmp);
        assertEquals(1, c.utterances(Split.TRAIN).size());
        TimitCorpus.Recording r = TimitCorpus.read(c.utterances(Split.TEST).get(3));
        assertArrayEquals(x, r.audio().samples());
        assertEquals(List.of(new Segment(0, 400, "h#"), new Segment(400, 900, "s")), r.phones());
    }

    /** The NLTK sample on disk: 12 + 2 + 2 speakers, 8 utterances each without SA. */
    @Test
    void theNltkSampleSplits() throws IOException {
        TimitCorpus c = TimitCorpus.open(TimitTestFiles.sample());
        assertEquals(TimitCorpus.Layout.NLTK_SAMPLE, c.layout());
        assertEquals(96, c.utterances(Split.TRAIN).size());
        assertEquals(16, c.utterances(Split.VALIDATION).size());
        assertEquals(16, c.utterances(Split.TEST).size());
        assertEquals(List.of("dr7/fblv0", "dr7/madd0"), c.speakers(Split.VALIDATION));
        assertEquals(List.of("dr8/fbcg1", "dr8/mbcg0"), c.speakers(Split.TEST));
        for (Split s : Split.values()) {
            for (TimitCorpus.UtteranceFiles u : c.utterances(s)) {
                assertTrue(Files.isRegularFile(u.words()) && Files.isRegularFile(u.text()), u.id());
            }
        }
    }
}
