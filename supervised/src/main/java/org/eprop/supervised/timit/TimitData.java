package org.eprop.supervised.timit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.eprop.envs.supervised.SupervisedTask.Split;

/**
 * A TIMIT corpus as a network sees it: for every utterance of the train, validation (development)
 * and test (core test) splits, standardised features ({@code frames x inputs}) and one phone label
 * per frame.
 *
 * <p>Loading takes the raw features and frame labels from the {@link FeatureCache} (building it on
 * first use), appends deltas and delta-deltas if the settings ask for them, and standardises every
 * column with the mean and standard deviation of the training split ({@link ZScore}). The original
 * standardises the base features when preprocessing and everything again after appending deltas;
 * since a delta is a difference, deltas of standardised features are the raw deltas over the base
 * std, so one standardisation after the deltas gives the same values.
 */
public final class TimitData {

    private final TimitCorpus corpus;
    private final TimitSettings settings;
    private final Path cacheFile;
    private final ZScore zscore;
    private final Map<Split, List<Utterance>> splits;

    private TimitData(TimitCorpus corpus, TimitSettings settings, Path cacheFile, ZScore zscore,
            Map<Split, List<Utterance>> splits) {
        this.corpus = corpus;
        this.settings = settings;
        this.cacheFile = cacheFile;
        this.zscore = zscore;
        this.splits = splits;
    }

    /**
     * Loads the corpus at {@code root} (see {@link TimitCorpus#open}).
     *
     * @param cacheDir where the features are cached ({@link FeatureCache#defaultDirectory()} unless a run says otherwise)
     * @param progress where a progress bar is drawn while the cache is built; null for none
     */
    public static TimitData load(Path root, TimitSettings settings, Path cacheDir, PrintStream progress)
            throws IOException {
        return load(TimitCorpus.open(root), settings, cacheDir, progress);
    }

    /** Loads {@code corpus} with {@code settings}, through the cache in {@code cacheDir}. */
    public static TimitData load(TimitCorpus corpus, TimitSettings settings, Path cacheDir, PrintStream progress)
            throws IOException {
        if (corpus.utterances(Split.TRAIN).isEmpty()) {
            throw new TimitFormatException(corpus.root(), "the training split is empty; the standardisation needs "
                    + "its statistics");
        }
        FeatureCache.Entry entry = FeatureCache.ensure(corpus, settings.featureParams(), settings.labelHop(), cacheDir,
                progress);
        try {
            return fromCache(corpus, settings, entry.file());
        } catch (FeatureCache.CorruptCacheException e) {
            if (entry.built()) {
                throw e; // just written and unreadable: rebuilding would not help
            }
            if (progress != null) {
                progress.println("timit features: " + e.getMessage() + "; rebuilding");
            }
            Files.deleteIfExists(entry.file());
            entry = FeatureCache.ensure(corpus, settings.featureParams(), settings.labelHop(), cacheDir, progress);
            return fromCache(corpus, settings, entry.file());
        }
    }

    private static TimitData fromCache(TimitCorpus corpus, TimitSettings settings, Path file) throws IOException {
        int inputs = settings.inputs();
        Expander expander = new Expander(settings.deltas());
        ZScore.Accumulator acc = new ZScore.Accumulator(inputs);
        FeatureCache.read(file, (split, id, speaker, frames, dims, features, labels) -> {
            if (split != Split.TRAIN) {
                return false; // the statistics come from the training split alone, which is stored first
            }
            acc.add(expander.expand(features, frames, dims), frames);
            return true;
        });
        ZScore zscore = acc.finish();
        int[] fold = settings.phones() == 39 ? PhoneSet.foldIds() : null;
        Map<Split, List<Utterance>> splits = new EnumMap<>(Split.class);
        for (Split s : Split.values()) {
            splits.put(s, new ArrayList<>(corpus.utterances(s).size()));
        }
        FeatureCache.read(file, (split, id, speaker, frames, dims, features, labels) -> {
            float[] z = new float[frames * inputs];
            zscore.apply(expander.expand(features, frames, dims), frames, z);
            int[] l = new int[frames];
            for (int t = 0; t < frames; t++) {
                l[t] = fold == null ? labels[t] : fold[labels[t]];
            }
            splits.get(split).add(new Utterance(id, speaker, frames, inputs, z, l));
            return true;
        });
        for (Split s : Split.values()) {
            if (splits.get(s).size() != corpus.utterances(s).size()) {
                throw new FeatureCache.CorruptCacheException(file, splits.get(s).size() + " " + s.id()
                        + " utterances where the corpus has " + corpus.utterances(s).size());
            }
            splits.put(s, Collections.unmodifiableList(splits.get(s)));
        }
        return new TimitData(corpus, settings, file, zscore, splits);
    }

    /** The utterances of {@code split}, sorted by id. */
    public List<Utterance> utterances(Split split) {
        return splits.get(split);
    }

    public TimitCorpus corpus() {
        return corpus;
    }

    public TimitSettings settings() {
        return settings;
    }

    /** Inputs per frame: 13, 39, 41 or 123. */
    public int inputs() {
        return settings.inputs();
    }

    /** The label classes (61 or 39 phones). */
    public PhoneSet phones() {
        return settings.phoneSet();
    }

    /** The training-split statistics every split was standardised with. */
    public ZScore zscore() {
        return zscore;
    }

    /** The cache file the features came from. */
    public Path cacheFile() {
        return cacheFile;
    }

    /** The longest utterance of any split, in frames (the size a batch buffer needs). */
    public int maxFrames() {
        int max = 0;
        for (List<Utterance> l : splits.values()) {
            for (Utterance u : l) {
                max = Math.max(max, u.frames());
            }
        }
        return max;
    }

    /** Appends deltas into a buffer reused across utterances. */
    private static final class Expander {
        private final boolean deltas;
        private double[] buffer = new double[0];

        Expander(boolean deltas) {
            this.deltas = deltas;
        }

        double[] expand(double[] base, int frames, int dims) {
            if (!deltas) {
                return base;
            }
            if (buffer.length < frames * 3 * dims) {
                buffer = new double[frames * 3 * dims];
            }
            Deltas.append(base, frames, dims, buffer);
            return buffer;
        }
    }
}
