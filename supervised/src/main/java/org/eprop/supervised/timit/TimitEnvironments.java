package org.eprop.supervised.timit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.registry.TaskSpec;

/**
 * The TIMIT environments of the run config: {@code timit/framewise} (a phone per 10 ms frame) and
 * {@code timit/ctc} (the phone sequence, CTC), both over {@link TimitData} loaded through the feature
 * cache (docs/timit.md).
 */
public final class TimitEnvironments {
    /** The environment variable consulted when {@code env.params.corpus} is not set. */
    public static final String TIMIT_DIR = "TIMIT_DIR";

    private TimitEnvironments() {
    }

    /**
     * {@code env.params} of the TIMIT environments.
     *
     * @param corpus the corpus folder (LDC layout or the NLTK sample); relative paths are taken from
     *     the working directory; unset: the {@code TIMIT_DIR} environment variable
     * @param features {@code mfcc} (13 per frame) or {@code fbank} (41)
     * @param deltas append deltas and delta-deltas (39 or 123 inputs)
     * @param phones 61 or 39 label classes
     * @param labelDrift the original code's 161-sample label frames
     * @param cacheDir where features are cached; empty: {@code ~/.eprop/cache/timit}
     */
    public record Params(String corpus, FeatureParams.Kind features, Boolean deltas, Integer phones,
            Boolean labelDrift, String cacheDir) implements Validated {

        @Override
        public void validate(Checks c) {
            c.check(phones == 61 || phones == 39, "phones", phones, "61 or 39");
        }

        public TimitSettings settings() {
            return new TimitSettings(features, deltas, phones, labelDrift);
        }

        /** The original's: MFCC with deltas, 61 phones, labels aligned with the features. */
        public static Params reference() {
            return new Params("", FeatureParams.Kind.MFCC, true, 61, false, "");
        }
    }

    /** Both environments. */
    public static List<EnvSpec<?>> all() {
        return List.of(spec(TimitTask.Mode.FRAMEWISE), spec(TimitTask.Mode.CTC));
    }

    private static TaskSpec<Params> spec(TimitTask.Mode mode) {
        String id = mode == TimitTask.Mode.CTC ? TimitTask.CTC_ID : TimitTask.FRAMEWISE_ID;
        String text = mode == TimitTask.Mode.CTC
                ? "Fig. 2 TIMIT with CTC: the phone sequence of each utterance (61 phones + blank, PER over 39)"
                : "Fig. 2 TIMIT frame-wise: a phone per 10 ms frame (61 classes, frame error also over 39)";
        return new TaskSpec<>(id, text, Params.class, Params.reference(), p -> task(p, mode));
    }

    private static TimitTask task(Params p, TimitTask.Mode mode) {
        Path corpus = corpus(p.corpus(), System.getenv(), Path.of("").toAbsolutePath());
        Path cache = p.cacheDir() == null || p.cacheDir().isBlank() ? FeatureCache.defaultDirectory() : Path.of(p.cacheDir());
        try {
            return new TimitTask(TimitData.load(corpus, p.settings(), cache, System.err), mode);
        } catch (TimitFormatException e) {
            throw new IllegalArgumentException("corpus " + corpus + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the TIMIT corpus " + corpus + " or its cache " + cache + ": "
                    + e.getMessage(), e);
        }
    }

    /**
     * The corpus folder: {@code configured} ({@code env.params.corpus}) if set, else {@code TIMIT_DIR}
     * from {@code environment}. Throws {@link IllegalArgumentException} naming every place looked at
     * and the key to set when none holds a folder.
     *
     * @param workingDir what relative paths are taken from
     */
    public static Path corpus(String configured, Map<String, String> environment, Path workingDir) {
        List<String> searched = new ArrayList<>();
        if (configured != null && !configured.isBlank()) {
            List<Path> candidates = List.of(workingDir.resolve(configured));
            for (Path c : candidates.stream().map(Path::normalize).distinct().toList()) {
                if (Files.isDirectory(c)) {
                    return c;
                }
                searched.add(c.toString());
            }
            throw new IllegalArgumentException("env.params.corpus = '" + configured + "': no TIMIT corpus folder at "
                    + String.join(", ", searched) + "; set corpus (env.params.corpus, e.g. --set env.params.corpus=/data/"
                    + "timit) to the folder holding TRAIN/ and TEST/ (LDC) or the NLTK sample, or unset it and export "
                    + TIMIT_DIR);
        }
        searched.add("env.params.corpus (not set)");
        String dir = environment.get(TIMIT_DIR);
        if (dir != null && !dir.isBlank()) {
            Path p = workingDir.resolve(dir).normalize();
            if (Files.isDirectory(p)) {
                return p;
            }
            searched.add(TIMIT_DIR + "=" + dir + " (" + p + ": no such folder)");
        } else {
            searched.add(TIMIT_DIR + " (not set)");
        }
        throw new IllegalArgumentException("no TIMIT corpus: looked at " + String.join(", ", searched)
                + "; set corpus (env.params.corpus in the config, or --set env.params.corpus=/data/timit) or export "
                + TIMIT_DIR + "=/data/timit, pointing at the folder holding TRAIN/ and TEST/ (LDC) or the NLTK sample");
    }
}
