package org.eprop.supervised.timit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.eprop.envs.supervised.SupervisedTask.Split;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeatureCacheTest {

    @TempDir
    Path tmp;
    Path root;
    Path cache;
    List<TimitCorpora.Made> made;

    @BeforeEach
    void corpus() throws IOException {
        root = tmp.resolve("corpus");
        cache = tmp.resolve("cache");
        made = TimitCorpora.write(root);
    }

    private FeatureCache.Entry ensure(FeatureParams p, int hop, ByteArrayOutputStream progress) throws IOException {
        return FeatureCache.ensure(TimitCorpus.open(root), p, hop, cache,
                progress == null ? null : new PrintStream(progress, true, StandardCharsets.UTF_8));
    }

    @Test
    void holdsTheFeaturesAndLabelsOfEveryUtterance() throws IOException {
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        FeatureCache.Entry e = ensure(FeatureParams.mfcc(), 160, progress);
        assertTrue(e.built());
        String printed = progress.toString(StandardCharsets.UTF_8);
        assertTrue(printed.contains("timit features [") && printed.contains("6/6")
                && printed.contains("timit features done in"), printed);
        assertTrue(e.file().getFileName().toString().matches("timit-nltk-sample-mfcc-[0-9a-f]{16}\\.bin"),
                e.file().toString());
        SpeechFeatures f = new SpeechFeatures(FeatureParams.mfcc());
        List<String> seen = new ArrayList<>();
        FeatureCache.read(e.file(), (split, id, speaker, frames, dims, features, labels) -> {
            TimitCorpora.Made m = made.stream().filter(x -> id.equals(x.speakerFolder().replace('-', '/') + "/"
                    + x.sentence())).findFirst().orElseThrow();
            assertEquals(f.frames(m.samples().length), frames, id);
            assertEquals(13, dims);
            assertArrayEquals(f.compute(m.samples()), Arrays.copyOf(features, frames * dims), id);
            assertArrayEquals(FrameLabels.phones61(TimitCorpora.segments(m), frames, 160, m.phones(root)),
                    Arrays.copyOf(labels, frames), id);
            seen.add(split.id() + " " + id + " " + speaker);
            return true;
        });
        assertEquals(List.of("train dr1/faaa0/si1 dr1/faaa0", "train dr1/faaa0/sx2 dr1/faaa0",
                "train dr3/mbbb0/si3 dr3/mbbb0", "validation dr7/fccc0/si5 dr7/fccc0",
                "validation dr7/fccc0/sx4 dr7/fccc0", "test dr8/mddd0/sx6 dr8/mddd0"), seen);
    }

    @Test
    void reusedUntilTheSettingsOrTheCorpusChange() throws IOException {
        FeatureCache.Entry first = ensure(FeatureParams.mfcc(), 160, null);
        FileTime written = Files.getLastModifiedTime(first.file());
        ByteArrayOutputStream progress = new ByteArrayOutputStream();
        FeatureCache.Entry again = ensure(FeatureParams.mfcc(), 160, progress);
        assertFalse(again.built());
        assertEquals(first.file(), again.file());
        assertEquals(written, Files.getLastModifiedTime(again.file()));
        assertEquals("", progress.toString(StandardCharsets.UTF_8)); // no progress bar: nothing was computed

        // other settings: another file, built; the first stays and is reused when they come back
        FeatureCache.Entry fbank = ensure(FeatureParams.fbank41(), 160, null);
        FeatureCache.Entry drift = ensure(FeatureParams.mfcc(), 161, null);
        FeatureCache.Entry preemph = ensure(new FeatureParams(FeatureParams.Kind.MFCC, 16000, 400, 160, 512, 26, 13,
                0.95, 22), 160, null);
        for (FeatureCache.Entry other : List.of(fbank, drift, preemph)) {
            assertTrue(other.built());
            assertNotEquals(first.file(), other.file());
        }
        assertFalse(ensure(FeatureParams.mfcc(), 160, null).built());

        // a changed corpus file: a new key, a rebuild
        TimitCorpora.Made m = made.get(2);
        Files.writeString(m.phones(root), "0 6000 h#\n");
        FeatureCache.Entry edited = ensure(FeatureParams.mfcc(), 160, null);
        assertTrue(edited.built());
        assertNotEquals(first.file(), edited.file());
        // the same bytes with a new modification time count as a change too
        Files.setLastModifiedTime(m.audio(root), FileTime.fromMillis(Files.getLastModifiedTime(m.audio(root))
                .toMillis() + 5000));
        assertTrue(ensure(FeatureParams.mfcc(), 160, null).built());
        // and so does another split assignment (a speaker moved to dr8 is test data now)
        Files.move(root.resolve("dr7-fccc0"), root.resolve("dr8-fccc0"));
        assertTrue(ensure(FeatureParams.mfcc(), 160, null).built());
    }

    @Test
    void writesAtomically() throws IOException {
        FeatureCache.Entry e = ensure(FeatureParams.fbank41(), 160, null);
        assertEquals(List.of(e.file()), files(cache));

        // a truncated or foreign file under the cache's name is not taken for a cache
        byte[] full = Files.readAllBytes(e.file());
        Files.write(e.file(), Arrays.copyOf(full, full.length / 2));
        assertTrue(ensure(FeatureParams.fbank41(), 160, null).built());
        assertArrayEquals(full, Files.readAllBytes(e.file()));
        Files.writeString(e.file(), "something else entirely, long enough to have a header");
        assertTrue(ensure(FeatureParams.fbank41(), 160, null).built());
        assertArrayEquals(full, Files.readAllBytes(e.file()));

        // a build that fails half-way leaves neither a cache nor a temporary file
        Files.delete(e.file());
        Files.writeString(made.get(4).audio(root), "not audio");
        TimitFormatException failure = assertThrows(TimitFormatException.class,
                () -> ensure(FeatureParams.fbank41(), 160, null));
        assertEquals(made.get(4).audio(root), failure.file());
        assertEquals(List.of(), files(cache));
    }

    @Test
    void damageInsideTheFileIsReported() throws IOException {
        FeatureCache.Entry e = ensure(FeatureParams.mfcc(), 160, null);
        byte[] b = Files.readAllBytes(e.file());
        // the first split's ordinal follows the magic (10 bytes), the format (4) and the key (2 + 64)
        int at = 10 + 4 + 2 + 64;
        b[at + 3] = 2;
        Files.write(e.file(), b);
        FeatureCache.CorruptCacheException c = assertThrows(FeatureCache.CorruptCacheException.class,
                () -> FeatureCache.read(e.file(), (s, id, sp, fr, d, f, l) -> true));
        assertTrue(c.getMessage().contains("where train was expected") && c.getMessage().contains("delete the file"),
                c.getMessage());
    }

    @Test
    void wrongSampleRatesAreRefused() throws IOException {
        TimitTestFiles.writeRiff(made.get(0).audio(root), made.get(0).samples(), 8000);
        TimitFormatException e = assertThrows(TimitFormatException.class, () -> ensure(FeatureParams.mfcc(), 160, null));
        assertTrue(e.getMessage().contains("sampled at 8000 Hz; the features are defined at 16000 Hz"), e.getMessage());
    }

    private static List<Path> files(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.toList();
        }
    }

    @Test
    void splitOrderIsTrainValidationTest() {
        assertEquals(List.of(Split.TRAIN, Split.VALIDATION, Split.TEST), List.of(Split.values()));
    }
}
