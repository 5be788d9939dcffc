package org.eprop.supervised.timit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.eprop.envs.supervised.SupervisedTask.Split;
import org.eprop.learning.bidir.BidirectionalLearner;
import org.eprop.learning.bidir.BidirectionalNetwork;
import org.eprop.learning.bidir.BidirectionalPass;
import org.eprop.learning.ctc.CtcLoss;
import org.eprop.learning.gradient.CrossEntropy;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.Loss;
import org.eprop.learning.gradient.OnlineEprop;
import org.eprop.learning.gradient.RateRegularizer;
import org.eprop.learning.gradient.ReverseMode;
import org.eprop.learning.gradient.Targets;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.optim.Adam;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * Trains the bidirectional LSNN on TIMIT as the original frame-wise script does
 * (IGITUGraz/eligibility_propagation, {@code Figure_2_TIMIT/solve_timit_with_framewise_lsnn.py};
 * docs/timit.md): epochs of a random permutation of the training utterances cut into
 * {@code n_train / batch} batches (the remainder is left out, reshuffled every epoch), an
 * evaluation of the development and test sets after every epoch, and the test figure reported at the
 * best development figure.
 */
public final class TimitTraining {

    /**
     * Everything a run needs; {@link #original()} gives the frame-wise script's values.
     *
     * @param rule {@code bptt}, {@code eprop} (backward scans), {@code eprop-online} or
     *     {@code eprop-autodiff}
     * @param kappa the readout's decay per frame
     * @param rateHz target rate of the rate regulariser; its strength {@code rateStrength}
     */
    public record Settings(int lif, int alif, double tauM, double tauA, double vTh, double beta, double refractory,
            double gamma, int repeat, double kappa, String rule, Feedback.Mode feedback, double adaptiveDecay,
            double learningRate, double epsilon, long warmup, double l2, double rateStrength, double rateHz, int batch,
            int epochs, Precision precision, long seed) {

        /** The original's frame-wise LSNN (docs/model.md §4.3), e-prop with random feedback. */
        public static Settings original() {
            return new Settings(300, 100, 20.0, 200.0, 0.2050, 0.1841, 2.0, 0.3, 5, Math.exp(-1.0 / 3), "eprop",
                    Feedback.Mode.RANDOM, 1e-2, 0.01, 1e-5, 100, 1e-5, 50.0, 10.0, 32, 80, Precision.FLOAT32, 1);
        }

        public Settings withRule(String r, Feedback.Mode f) {
            return new Settings(lif, alif, tauM, tauA, vTh, beta, refractory, gamma, repeat, kappa, r, f, adaptiveDecay,
                    learningRate, epsilon, warmup, l2, rateStrength, rateHz, batch, epochs, precision, seed);
        }

        public Settings withSize(int l, int a) {
            return new Settings(l, a, tauM, tauA, vTh, beta, refractory, gamma, repeat, kappa, rule, feedback,
                    adaptiveDecay, learningRate, epsilon, warmup, l2, rateStrength, rateHz, batch, epochs, precision, seed);
        }

        public Settings withTraining(int b, int e, long w) {
            return new Settings(lif, alif, tauM, tauA, vTh, beta, refractory, gamma, repeat, kappa, rule, feedback,
                    adaptiveDecay, learningRate, epsilon, w, l2, rateStrength, rateHz, b, e, precision, seed);
        }

        public Settings withPrecision(Precision p) {
            return new Settings(lif, alif, tauM, tauA, vTh, beta, refractory, gamma, repeat, kappa, rule, feedback,
                    adaptiveDecay, learningRate, epsilon, warmup, l2, rateStrength, rateHz, batch, epochs, p, seed);
        }

        public NeuronLayer layer(int inputs) {
            return new NeuronLayer(inputs, lif, alif, 1.0, tauM, tauA, vTh, beta, refractory, gamma,
                    InputConvention.CURRENT);
        }
    }

    /** Scores of one split: frame errors over 61 (or the task's) and 39 classes. */
    public record Scores(double frameError, double frameError39, double loss) {
    }

    /** One row per epoch. */
    public record Epoch(int epoch, long iteration, double trainLoss, double regLoss, Scores validation, Scores test,
            double seconds) {
    }

    /** How a run ended: the epoch of the best development frame error and the test scores there. */
    public record Result(int epochs, int bestEpoch, Scores validation, Scores test, double seconds) {
    }

    private final TimitTask task;
    private final Settings settings;
    private final BidirectionalLearner learner;
    private final BidirectionalPass evaluator;
    private final RealArray x;
    private final Targets targets = new Targets();
    private final Rng shuffle;

    public TimitTraining(TimitTask task, Settings settings) {
        this.task = task;
        this.settings = settings;
        Dense dense = new Dense(settings.precision());
        Rng root = new Rng(settings.seed());
        this.learner = learner(task, settings, dense, root.split(1));
        this.evaluator = new BidirectionalPass(dense);
        this.x = settings.precision().zeros(Math.max(task.steps(), 1) * settings.batch() * task.inputs());
        this.shuffle = root.split(2);
    }

    /** The network and learner of {@code settings}, initialised from {@code rng}. */
    public static BidirectionalLearner learner(TimitTask task, Settings s, Dense dense, Rng rng) {
        return learner(task.inputs(), task.outputs(), task.mode(), task.blank(), s, dense, rng);
    }

    /** The same for a task of this shape ({@code blank}: the CTC blank's index, else -1). */
    public static BidirectionalLearner learner(int inputs, int outputs, TimitTask.Mode mode, int blank, Settings s,
            Dense dense, Rng rng) {
        BidirectionalNetwork net = new BidirectionalNetwork(s.layer(inputs), outputs, s.repeat(),
                s.kappa(), s.precision()).initialise(rng.split(1));
        Feedback[] fb = new Feedback[2];
        for (int h = 0; h < 2; h++) {
            var half = h == 0 ? net.forward() : net.backward();
            fb[h] = switch (s.feedback()) {
                case SYMMETRIC -> Feedback.symmetric();
                case RANDOM -> Feedback.random(half, rng.split(10 + h), false);
                case ADAPTIVE -> Feedback.adaptive(half, rng.split(10 + h), s.adaptiveDecay());
            };
        }
        Loss loss = mode == TimitTask.Mode.CTC ? new CtcLoss(blank) : new CrossEntropy();
        RateRegularizer reg = new RateRegularizer(s.rateStrength(), s.rateHz() / 1000.0);
        return new BidirectionalLearner(net, new BidirectionalPass(dense), method(s.rule(), dense),
                method(s.rule(), dense), fb[0], fb[1], adam(s), adam(s), loss, reg, s.l2());
    }

    private static Adam adam(Settings s) {
        return new Adam(s.learningRate(), 0.9, 0.999, s.epsilon(), s.warmup());
    }

    /** A new instance of the gradient method named {@code rule}. */
    public static GradientMethod method(String rule, Dense dense) {
        return switch (rule) {
            case "bptt" -> ReverseMode.bptt(dense);
            case "eprop" -> new FastEprop(dense);
            case "eprop-online" -> new OnlineEprop(dense.precision());
            case "eprop-autodiff" -> ReverseMode.cutPath(dense);
            default -> throw new IllegalArgumentException("unknown learning rule '" + rule
                    + "'; known: bptt, eprop, eprop-online, eprop-autodiff");
        };
    }

    public BidirectionalLearner learner() {
        return learner;
    }

    /**
     * Trains for the settings' epochs, writing {@code metrics.csv} into {@code dir} (null: nowhere)
     * and a progress line per epoch to {@code out}.
     */
    public Result run(Path dir, PrintStream out) throws IOException {
        List<Utterance> train = task.utterances(Split.TRAIN);
        int batch = settings.batch();
        int perEpoch = Math.max(1, train.size() / batch);
        if (train.size() < batch) {
            throw new IllegalArgumentException("training.batch = " + batch + " but the training split has only "
                    + train.size() + " utterances: set training.batch to at most " + train.size());
        }
        StringBuilder csv = new StringBuilder("epoch,iteration,train_loss,reg_loss,validation_frame_error,"
                + "validation_frame_error39,validation_loss,test_frame_error,test_frame_error39,test_loss,seconds\n");
        long started = System.nanoTime();
        long iteration = 0;
        int bestEpoch = 0;
        Scores bestVal = null;
        Scores testAtBest = null;
        for (int epoch = 1; epoch <= settings.epochs(); epoch++) {
            int[] order = TimitTask.permutation(train.size(), shuffle);
            double lossSum = 0;
            double regSum = 0;
            for (int i = 0; i < perEpoch; i++) {
                List<Utterance> chosen = new ArrayList<>(batch);
                for (int b = 0; b < batch; b++) {
                    chosen.add(train.get(order[i * batch + b]));
                }
                int frames = task.fill(chosen, x, targets);
                BidirectionalLearner.Step step = learner.step(x, frames, batch, targets);
                lossSum += step.taskLoss();
                regSum += step.regLoss();
                iteration++;
            }
            Scores val = evaluate(Split.VALIDATION);
            Scores test = evaluate(Split.TEST);
            double seconds = (System.nanoTime() - started) / 1e9;
            if (bestVal == null || val.frameError() < bestVal.frameError()) {
                bestVal = val;
                testAtBest = test;
                bestEpoch = epoch;
            }
            csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.1f%n", epoch,
                    iteration, lossSum / perEpoch, regSum / perEpoch, val.frameError(), val.frameError39(), val.loss(),
                    test.frameError(), test.frameError39(), test.loss(), seconds));
            if (out != null) {
                out.printf(Locale.ROOT, "epoch %d (%d it): loss %.4f  val frame error %.4f (39: %.4f)  test %.4f "
                        + "(39: %.4f)  %.0f s%n", epoch, iteration, lossSum / perEpoch, val.frameError(),
                        val.frameError39(), test.frameError(), test.frameError39(), seconds);
            }
            if (dir != null) {
                Files.writeString(dir.resolve("metrics.csv"), csv);
            }
        }
        return new Result(settings.epochs(), bestEpoch, bestVal, testAtBest, (System.nanoTime() - started) / 1e9);
    }

    /**
     * Frame errors of every utterance of {@code split} (per utterance, then the mean), in batches of
     * utterances of similar length so that little is padding.
     */
    public Scores evaluate(Split split) {
        List<Utterance> all = new ArrayList<>(task.utterances(split));
        all.sort(Comparator.comparingInt(Utterance::frames));
        int[] fold = task.phones() == 61 ? PhoneSet.foldIds() : null;
        int batch = settings.batch();
        double sum = 0;
        double sum39 = 0;
        double loss = 0;
        Targets t = new Targets();
        int[] lengths = new int[batch];
        RealArray dy = null;
        for (int from = 0; from < all.size(); from += batch) {
            List<Utterance> chunk = all.subList(from, Math.min(all.size(), from + batch));
            int frames = task.fill(chunk, x, t);
            t.lengths(lengths);
            evaluator.run(learner.network(), x, frames, chunk.size(), lengths, false);
            RealArray y = evaluator.outputs();
            if (dy == null || dy.length() < y.length()) {
                dy = settings.precision().zeros(y.length());
            }
            loss += learner.loss().evaluate(y, t, dy) * chunk.size();
            for (int b = 0; b < chunk.size(); b++) {
                int[] labels = chunk.get(b).labels();
                sum += FrameScores.utteranceError(y, b, chunk.size(), task.outputs(), task.phones(), labels, null);
                sum39 += fold == null ? 0
                        : FrameScores.utteranceError(y, b, chunk.size(), task.outputs(), task.phones(), labels, fold);
            }
        }
        int n = all.size();
        return new Scores(sum / n, fold == null ? sum / n : sum39 / n, loss / n);
    }
}
