package org.eprop.supervised.timit;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.eprop.learning.gradient.Feedback;

/**
 * A command-line entry for TIMIT runs outside the config machinery (sample runs, measurements):
 * {@code TimitExperiment CORPUS OUTDIR [key=value ...]} with the keys {@code rule} (bptt, eprop, ...),
 * {@code feedback} (symmetric, random, adaptive), {@code lif}, {@code alif}, {@code batch},
 * {@code epochs}, {@code warmup} (iterations of the learning-rate ramp), {@code lr}, {@code seed}, {@code rate_strength}, {@code rate_hz}, {@code mode} (framewise or ctc),
 * {@code beam} (CTC decoding; 1 is greedy), and
 * {@code baseline=STEPS} (with {@code lr}) for the softmax regression instead of a network; unset keys
 * keep {@link TimitTraining.Settings#original()}. Prints one line per epoch and writes
 * {@code metrics.csv} and {@code summary.txt} into OUTDIR.
 */
public final class TimitExperiment {
    private TimitExperiment() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: TimitExperiment CORPUS OUTDIR [rule=eprop] [feedback=random] [lif=300] [alif=100] "
                    + "[batch=32] [epochs=80] [warmup=100] [lr=0.01] [seed=1] [baseline=STEPS]");
            System.exit(2);
        }
        Path corpus = Path.of(args[0]);
        Path out = Path.of(args[1]);
        Map<String, String> opt = new LinkedHashMap<>();
        for (int i = 2; i < args.length; i++) {
            int eq = args[i].indexOf('=');
            if (eq < 1) {
                System.err.println("argument '" + args[i] + "' is not key=value");
                System.exit(2);
            }
            opt.put(args[i].substring(0, eq), args[i].substring(eq + 1));
        }
        Files.createDirectories(out);
        TimitData data = TimitData.load(corpus, TimitSettings.defaults(), FeatureCache.defaultDirectory(), System.err);
        boolean ctc = opt.getOrDefault("mode", "framewise").equals("ctc");
        TimitTask task = new TimitTask(data, ctc ? TimitTask.Mode.CTC : TimitTask.Mode.FRAMEWISE);
        TimitTraining.Settings o = TimitTraining.Settings.original();
        double lr = Double.parseDouble(opt.getOrDefault("lr", Double.toString(o.learningRate())));
        if (opt.containsKey("baseline")) {
            long t0 = System.nanoTime();
            SoftmaxBaseline.Result r = SoftmaxBaseline.train(task, Integer.parseInt(opt.get("baseline")), lr, 10);
            String line = String.format(Locale.ROOT, "softmax baseline (lr %s): best step %d, validation frame error "
                    + "%.4f (39: %.4f), test %.4f (39: %.4f), %.1f s%n", lr, r.bestStep(), r.validation(),
                    r.validation39(), r.test(), r.test39(), (System.nanoTime() - t0) / 1e9);
            System.out.print(line);
            Files.writeString(out.resolve("summary.txt"), line);
            return;
        }
        TimitTraining.Settings s = o
                .withRule(opt.getOrDefault("rule", o.rule()),
                        Feedback.Mode.valueOf(opt.getOrDefault("feedback", o.feedback().name()).toUpperCase(Locale.ROOT)))
                .withSize(Integer.parseInt(opt.getOrDefault("lif", "" + o.lif())),
                        Integer.parseInt(opt.getOrDefault("alif", "" + o.alif())))
                .withTraining(Integer.parseInt(opt.getOrDefault("batch", "" + o.batch())),
                        Integer.parseInt(opt.getOrDefault("epochs", "" + o.epochs())),
                        Long.parseLong(opt.getOrDefault("warmup", "" + o.warmup())))
                .withLearningRate(lr)
                .withRate(Double.parseDouble(opt.getOrDefault("rate_strength", "" + o.rateStrength())),
                        Double.parseDouble(opt.getOrDefault("rate_hz", "" + o.rateHz())))
                .withSeed(Long.parseLong(opt.getOrDefault("seed", "" + o.seed())));
        System.out.println(s);
        TimitTraining training = new TimitTraining(task, s, Integer.parseInt(opt.getOrDefault("beam", "1")));
        TimitTraining.Result r = training.run(out, System.out);
        String line = String.format(Locale.ROOT, "%s/%s: best epoch %d of %d, validation frame error %.4f (39: %.4f) "
                + "PER %.4f, test at best validation %.4f (39: %.4f) PER %.4f, %.0f s%n", s.rule(), s.feedback(),
                r.bestEpoch(), r.epochs(), r.validation().frameError(), r.validation().frameError39(),
                r.validation().phoneErrorRate(), r.test().frameError(), r.test().frameError39(),
                r.test().phoneErrorRate(), r.seconds());
        System.out.print(line);
        Files.writeString(out.resolve("summary.txt"), line);
    }
}
