package org.eprop.supervised.timit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import org.eprop.learning.gradient.Feedback;

/**
 * A command-line entry for TIMIT runs outside the config machinery (sample runs, measurements):
 * {@code TimitExperiment CORPUS OUTDIR RULE FEEDBACK LIF ALIF BATCH EPOCHS [baseline]}. Prints one
 * line per epoch and writes {@code metrics.csv} and {@code summary.txt} into OUTDIR.
 */
public final class TimitExperiment {
    private TimitExperiment() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 8) {
            System.err.println("usage: TimitExperiment CORPUS OUTDIR RULE FEEDBACK LIF ALIF BATCH EPOCHS [baseline]");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Files.createDirectories(out);
        TimitData data = TimitData.load(corpus, TimitSettings.defaults(), FeatureCache.defaultDirectory(), System.err);
        TimitTask task = new TimitTask(data, TimitTask.Mode.FRAMEWISE);
        if (args.length > 8 && args[8].equals("baseline")) {
            long t0 = System.nanoTime();
            SoftmaxBaseline.Result r = SoftmaxBaseline.train(task, Integer.parseInt(args[7]), 0.01, 10);
            String line = String.format(Locale.ROOT, "softmax baseline: best step %d, validation frame error %.4f "
                    + "(39: %.4f), test %.4f (39: %.4f), %.1f s%n", r.bestStep(), r.validation(), r.validation39(),
                    r.test(), r.test39(), (System.nanoTime() - t0) / 1e9);
            System.out.print(line);
            Files.writeString(out.resolve("summary.txt"), line);
            return;
        }
        TimitTraining.Settings s = TimitTraining.Settings.original()
                .withRule(args[2], Feedback.Mode.valueOf(args[3].toUpperCase(Locale.ROOT)))
                .withSize(Integer.parseInt(args[4]), Integer.parseInt(args[5]))
                .withTraining(Integer.parseInt(args[6]), Integer.parseInt(args[7]), 100);
        System.out.println(s);
        TimitTraining training = new TimitTraining(task, s);
        TimitTraining.Result r = training.run(out, System.out);
        String line = String.format(Locale.ROOT, "%s/%s: best epoch %d of %d, validation frame error %.4f (39: %.4f), "
                + "test at best validation %.4f (39: %.4f), %.0f s%n", s.rule(), s.feedback(), r.bestEpoch(), r.epochs(),
                r.validation().frameError(), r.validation().frameError39(), r.test().frameError(),
                r.test().frameError39(), r.seconds());
        System.out.print(line);
        Files.writeString(out.resolve("summary.txt"), line);
    }
}
