package org.eprop.supervised.timit;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.eprop.envs.supervised.SupervisedTask.Split;

/**
 * The utterances of a TIMIT corpus on disk, assigned to the train, development (validation) and
 * core test splits. Only folder listings are read here; {@link #read} loads one utterance's audio
 * and phone segments.
 *
 * <p>Two layouts are recognised, with file and folder names in any case:
 * <ul>
 * <li>{@link Layout#LDC}: the LDC distribution (LDC93S1), {@code TRAIN/} and {@code TEST/}, then
 * {@code DR1}..{@code DR8}, then one folder per speaker holding {@code <sentence>.WAV} (NIST SPHERE
 * or RIFF), {@code .PHN}, {@code .WRD} and {@code .TXT}. The root may also be the folder one level
 * above {@code TRAIN/} and {@code TEST/} (distributions that wrap them in {@code TIMIT/} or
 * {@code data/}). Splits: every {@code TRAIN/} speaker (train, 462 speakers, 3,696 utterances),
 * the 50 development speakers of {@code TEST/} (validation, 400) and the 24 core test speakers
 * (test, 192); the two lists are resources of this package (from the TIMIT documentation and the
 * standard recipes). The other 94 {@code TEST/} speakers are not used.</li>
 * <li>{@link Layout#NLTK_SAMPLE}: the NLTK "timit" sample, 16 speakers of the training set in
 * {@code dr<N>-<speaker>/} folders with lower-case RIFF {@code .wav} files. Its documented split is
 * by dialect region, so that no speaker is in two splits: train dr1-dr6 (12 speakers, 96
 * utterances), validation dr7 (2 speakers, 16), test dr8 (2 speakers, 16).</li>
 * </ul>
 * In both, the SA1/SA2 sentences (read by every speaker) are left out, as in the original code and
 * the standard recipes.
 */
public final class TimitCorpus {

    /** How the corpus is laid out on disk. */
    public enum Layout {
        /** {@code TRAIN/DR1/FCJF0/SI1027.WAV} and its siblings (upper or lower case). */
        LDC,
        /** {@code dr1-fvmh0/si1466.wav} and its siblings. */
        NLTK_SAMPLE
    }

    /**
     * The files of one utterance.
     *
     * @param id {@code <dialect>/<speaker>/<sentence>}, lower case, e.g. {@code dr1/fcjf0/si1027}
     * @param words the {@code .WRD} file, or null if the corpus has none for this utterance
     * @param text the {@code .TXT} file, or null if the corpus has none for this utterance
     */
    public record UtteranceFiles(String id, String dialect, String speaker, String sentence, Path audio, Path phones,
            Path words, Path text) {
    }

    /** One utterance as read from disk: the raw samples and the phone segments. */
    public record Recording(UtteranceFiles files, Audio audio, List<Segment> phones) {
    }

    /** The first of the NLTK sample's dialect regions that is not trained on: dr7 validates, dr8 tests. */
    static final int SAMPLE_FIRST_VALIDATION_REGION = 7;
    static final int SAMPLE_TEST_REGION = 8;

    private static final Pattern DIALECT = Pattern.compile("dr([1-8])");
    private static final Pattern SAMPLE_SPEAKER = Pattern.compile("dr([0-9]+)-([a-z0-9]+)");

    private final Path root;
    private final Layout layout;
    private final Map<Split, List<UtteranceFiles>> splits;

    private TimitCorpus(Path root, Layout layout, Map<Split, List<UtteranceFiles>> splits) {
        this.root = root;
        this.layout = layout;
        this.splits = splits;
    }

    /**
     * Lists the corpus at {@code root}.
     *
     * @throws TimitFormatException when {@code root} holds neither layout, when a development or core
     *     test speaker is missing, or when an utterance lacks its audio or {@code .PHN} file
     */
    public static TimitCorpus open(Path root) throws IOException {
        Path dir = root.toAbsolutePath().normalize();
        if (!Files.isDirectory(dir)) {
            throw new TimitFormatException(dir, "no such folder; set the TIMIT corpus folder (the one holding TRAIN/ "
                    + "and TEST/, or the NLTK sample's dr<N>-<speaker>/ folders)");
        }
        Path ldc = ldcRoot(dir);
        if (ldc != null) {
            return new TimitCorpus(ldc, Layout.LDC, readLdc(ldc));
        }
        if (children(dir).values().stream().anyMatch(p -> Files.isDirectory(p)
                && SAMPLE_SPEAKER.matcher(lower(p)).matches())) {
            return new TimitCorpus(dir, Layout.NLTK_SAMPLE, readSample(dir));
        }
        throw new TimitFormatException(dir, "not a TIMIT corpus: expected TRAIN/ and TEST/ folders (the LDC layout, "
                + "here or one folder down) or dr<N>-<speaker>/ folders (the NLTK sample)");
    }

    /** The folder the utterance paths are under (for the LDC layout, the one holding TRAIN/ and TEST/). */
    public Path root() {
        return root;
    }

    public Layout layout() {
        return layout;
    }

    /** The utterances of {@code split}, sorted by id. */
    public List<UtteranceFiles> utterances(Split split) {
        return splits.get(split);
    }

    /** The speakers of {@code split} ({@code <dialect>/<speaker>}), sorted. */
    public List<String> speakers(Split split) {
        return splits.get(split).stream().map(u -> u.dialect() + "/" + u.speaker()).distinct().toList();
    }

    /** Reads the audio and the phone segments of {@code u}. */
    public static Recording read(UtteranceFiles u) throws IOException {
        return new Recording(u, Audio.read(u.audio()), Transcripts.readSegments(u.phones()));
    }

    /** The development (validation) speakers of the LDC layout, {@code <dialect>/<speaker>}. */
    public static List<String> developmentSpeakers() {
        return speakerList("development-speakers.txt");
    }

    /** The core test speakers of the LDC layout, {@code <dialect>/<speaker>}. */
    public static List<String> coreTestSpeakers() {
        return speakerList("core-test-speakers.txt");
    }

    @Override
    public String toString() {
        return "TIMIT (" + layout + ") at " + root + ": " + splits.get(Split.TRAIN).size() + " train, "
                + splits.get(Split.VALIDATION).size() + " validation, " + splits.get(Split.TEST).size()
                + " test utterances";
    }

    // ---- the LDC layout --------------------------------------------------------------------------

    private static Path ldcRoot(Path dir) throws IOException {
        if (hasTrainAndTest(dir)) {
            return dir;
        }
        List<Path> found = new ArrayList<>();
        for (Path child : children(dir).values()) {
            if (Files.isDirectory(child) && hasTrainAndTest(child)) {
                found.add(child);
            }
        }
        if (found.size() > 1) {
            throw new TimitFormatException(dir, "several folders hold TRAIN/ and TEST/ " + found
                    + "; point to one of them");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static boolean hasTrainAndTest(Path dir) throws IOException {
        Map<String, Path> c = children(dir);
        return c.containsKey("train") && Files.isDirectory(c.get("train")) && c.containsKey("test")
                && Files.isDirectory(c.get("test"));
    }

    private static Map<Split, List<UtteranceFiles>> readLdc(Path root) throws IOException {
        Map<String, Path> top = children(root);
        Map<Split, List<UtteranceFiles>> out = emptySplits();
        out.get(Split.TRAIN).addAll(readLdcHalf(top.get("train"), null));
        Map<String, Split> selected = new TreeMap<>();
        developmentSpeakers().forEach(s -> selected.put(s, Split.VALIDATION));
        coreTestSpeakers().forEach(s -> selected.put(s, Split.TEST));
        List<UtteranceFiles> test = readLdcHalf(top.get("test"), selected);
        for (UtteranceFiles u : test) {
            out.get(selected.get(u.dialect() + "/" + u.speaker())).add(u);
        }
        List<String> missing = new ArrayList<>();
        for (Map.Entry<String, Split> e : selected.entrySet()) {
            if (test.stream().noneMatch(u -> e.getKey().equals(u.dialect() + "/" + u.speaker()))) {
                missing.add(e.getKey() + " (" + (e.getValue() == Split.TEST ? "core test" : "development") + ")");
            }
        }
        if (!missing.isEmpty()) {
            throw new TimitFormatException(top.get("test"), "the standard splits need these speakers, which are "
                    + "missing (or have no utterances besides SA1/SA2): " + missing
                    + "; use the complete corpus (LDC93S1)");
        }
        return sorted(out);
    }

    /** The utterances under TRAIN/ or TEST/; with {@code only} set, just the speakers it lists. */
    private static List<UtteranceFiles> readLdcHalf(Path half, Map<String, Split> only) throws IOException {
        List<UtteranceFiles> out = new ArrayList<>();
        for (Map.Entry<String, Path> d : children(half).entrySet()) {
            if (!DIALECT.matcher(d.getKey()).matches() || !Files.isDirectory(d.getValue())) {
                continue; // README files and the like next to the dialect regions
            }
            for (Map.Entry<String, Path> s : children(d.getValue()).entrySet()) {
                if (!Files.isDirectory(s.getValue())) {
                    continue;
                }
                String speaker = s.getKey();
                if (only == null || only.containsKey(d.getKey() + "/" + speaker)) {
                    out.addAll(readSpeaker(s.getValue(), d.getKey(), speaker));
                } else if (selectedElsewhere(only, speaker) != null) {
                    throw new TimitFormatException(s.getValue(), "speaker " + speaker + " is listed in "
                            + selectedElsewhere(only, speaker) + ", not in " + d.getKey()
                            + "; the corpus folders look rearranged");
                }
            }
        }
        return out;
    }

    private static String selectedElsewhere(Map<String, Split> only, String speaker) {
        return only.keySet().stream().filter(k -> k.endsWith("/" + speaker)).findFirst().orElse(null);
    }

    // ---- the NLTK sample ---------------------------------------------------------------------------

    private static Map<Split, List<UtteranceFiles>> readSample(Path root) throws IOException {
        Map<Split, List<UtteranceFiles>> out = emptySplits();
        for (Map.Entry<String, Path> e : children(root).entrySet()) {
            Matcher m = SAMPLE_SPEAKER.matcher(e.getKey());
            if (!m.matches() || !Files.isDirectory(e.getValue())) {
                continue; // the sample's top-level documents (allfilelist.txt, spkrinfo.txt, ...)
            }
            int region = Integer.parseInt(m.group(1));
            if (region < 1 || region > 8) {
                throw new TimitFormatException(e.getValue(), "dialect region " + region + " is not one of TIMIT's 1-8");
            }
            Split split = region >= SAMPLE_TEST_REGION ? Split.TEST
                    : region >= SAMPLE_FIRST_VALIDATION_REGION ? Split.VALIDATION : Split.TRAIN;
            out.get(split).addAll(readSpeaker(e.getValue(), "dr" + region, m.group(2)));
        }
        return sorted(out);
    }

    // ---- shared ------------------------------------------------------------------------------------

    private static List<UtteranceFiles> readSpeaker(Path dir, String dialect, String speaker) throws IOException {
        // sentence -> extension -> file; the extension is everything after the first dot, so that
        // converted copies such as SA1.WAV.wav are not taken for the sentence's audio
        Map<String, Map<String, Path>> bySentence = new TreeMap<>();
        for (Map.Entry<String, Path> e : children(dir).entrySet()) {
            String name = e.getKey();
            int dot = name.indexOf('.');
            if (dot <= 0 || !Files.isRegularFile(e.getValue())) {
                continue;
            }
            String ext = name.substring(dot + 1);
            if (ext.equals("wav") || ext.equals("phn") || ext.equals("wrd") || ext.equals("txt")) {
                bySentence.computeIfAbsent(name.substring(0, dot), k -> new LinkedHashMap<>()).put(ext, e.getValue());
            }
        }
        List<UtteranceFiles> out = new ArrayList<>();
        for (Map.Entry<String, Map<String, Path>> e : bySentence.entrySet()) {
            String sentence = e.getKey();
            if (sentence.startsWith("sa")) {
                continue; // SA1/SA2: the same two sentences for every speaker; excluded everywhere
            }
            Map<String, Path> f = e.getValue();
            if (!f.containsKey("wav")) {
                throw new TimitFormatException(f.values().iterator().next(), "no audio file " + sentence
                        + ".WAV next to it; restore it or remove the utterance's other files");
            }
            if (!f.containsKey("phn")) {
                throw new TimitFormatException(f.get("wav"), "no phone alignment " + sentence
                        + ".PHN next to it; restore it or remove the utterance's other files");
            }
            out.add(new UtteranceFiles(dialect + "/" + speaker + "/" + sentence, dialect, speaker, sentence,
                    f.get("wav"), f.get("phn"), f.get("wrd"), f.get("txt")));
        }
        return out;
    }

    /** The entries of {@code dir} by lower-case name (hidden ones left out). */
    private static Map<String, Path> children(Path dir) throws IOException {
        Map<String, Path> out = new TreeMap<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path p : (Iterable<Path>) s::iterator) {
                String name = lower(p);
                if (name.startsWith(".")) {
                    continue;
                }
                Path previous = out.put(name, p);
                if (previous != null) {
                    throw new TimitFormatException(p, "the same name as " + previous.getFileName()
                            + " up to case; TIMIT names are read case-insensitively, remove one of them");
                }
            }
        }
        return out;
    }

    private static String lower(Path p) {
        return p.getFileName().toString().toLowerCase(Locale.ROOT);
    }

    private static Map<Split, List<UtteranceFiles>> emptySplits() {
        Map<Split, List<UtteranceFiles>> out = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            out.put(s, new ArrayList<>());
        }
        return out;
    }

    private static Map<Split, List<UtteranceFiles>> sorted(Map<Split, List<UtteranceFiles>> splits) {
        Map<Split, List<UtteranceFiles>> out = new EnumMap<>(Split.class);
        splits.forEach((k, v) -> out.put(k, v.stream().sorted(Comparator.comparing(UtteranceFiles::id)).toList()));
        return out;
    }

    private static List<String> speakerList(String resource) {
        try (InputStream in = TimitCorpus.class.getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("resource " + resource + " is missing from the eprop-supervised jar");
            }
            List<String> out = new ArrayList<>();
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String l = line.strip();
                if (!l.isEmpty() && !l.startsWith("#")) {
                    String[] f = l.split("\\s+");
                    out.add(f[0] + "/" + f[1]);
                }
            }
            return List.copyOf(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
