package org.eprop.supervised.timit;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eprop.envs.supervised.SupervisedTask.Split;
import org.eprop.learning.bidir.BidirectionalLearner;
import org.eprop.learning.bidir.BidirectionalNetwork;
import org.eprop.learning.bidir.BidirectionalPass;
import org.eprop.learning.ctc.CtcDecoder;
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
import org.eprop.learning.network.Parameters;
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

        public Settings withLearningRate(double lr) {
            return new Settings(lif, alif, tauM, tauA, vTh, beta, refractory, gamma, repeat, kappa, rule, feedback,
                    adaptiveDecay, lr, epsilon, warmup, l2, rateStrength, rateHz, batch, epochs, precision, seed);
        }

        public Settings withRate(double strength, double hz) {
            return new Settings(lif, alif, tauM, tauA, vTh, beta, refractory, gamma, repeat, kappa, rule, feedback,
                    adaptiveDecay, learningRate, epsilon, warmup, l2, strength, hz, batch, epochs, precision, seed);
        }

        public Settings withSeed(long s) {
            return new Settings(lif, alif, tauM, tauA, vTh, beta, refractory, gamma, repeat, kappa, rule, feedback,
                    adaptiveDecay, learningRate, epsilon, warmup, l2, rateStrength, rateHz, batch, epochs, precision, s);
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

    /**
     * Scores of one split: frame errors over 61 (or the task's) and 39 classes (NaN for CTC, whose
     * outputs are not frame-aligned), the loss, and the phone error rate of the decoded sequences (NaN
     * for the frame-wise task).
     */
    public record Scores(double frameError, double frameError39, double loss, double phoneErrorRate) {
        /** The figure runs are selected by: PER for CTC, else the frame error. */
        public double selection() {
            return Double.isNaN(phoneErrorRate) ? frameError : phoneErrorRate;
        }
    }

    /** One row per epoch; {@code rateHz} is the mean firing rate of both halves during the epoch's training. */
    public record Epoch(int epoch, long iteration, double trainLoss, double regLoss, double rateHz, Scores validation,
            Scores test, double seconds) {
    }

    /** How a run ended: the epoch of the best development figure and the test scores there. */
    public record Result(int epochs, int bestEpoch, Scores validation, Scores test, double seconds, boolean interrupted) {
    }

    /** What a driver of {@link #run(Listener)} hears; every method may be left out. */
    public interface Listener {
        /** After every training iteration, with its losses (before the update) and firing rate. */
        default void iteration(long iteration, double taskLoss, double regLoss, double rateHz) {
        }

        /** After every epoch's evaluation. */
        default void epoch(Epoch e) {
        }

        /** After every epoch and when stopping on request: the moment to write a checkpoint. */
        default void checkpoint(long iteration) {
        }

        /** Polled after every iteration: true ends the run there (after {@link #checkpoint}). */
        default boolean stopRequested() {
            return false;
        }
    }

    private final TimitTask task;
    private final Settings settings;
    private final BidirectionalLearner learner;
    private final BidirectionalPass evaluator;
    private final RealArray x;
    private final Targets targets = new Targets();
    private final Rng shuffle;
    private final CtcDecoder decoder;
    // Where the run stands (saved by state() so that a resumed run continues the same epoch).
    private int epoch;
    private long iteration;
    private int position;
    private int[] order;
    private double lossSum;
    private double regSum;
    private double rateSum;
    private double secondsBefore;
    private int bestEpoch;
    private Scores bestValidation;
    private Scores testAtBest;

    public TimitTraining(TimitTask task, Settings settings) {
        this(task, settings, 1);
    }

    /**
     * @param beamWidth the CTC decoder's beam (1: greedy best path); unused by the frame-wise task
     */
    public TimitTraining(TimitTask task, Settings settings, int beamWidth) {
        this.task = task;
        this.settings = settings;
        Dense dense = new Dense(settings.precision());
        Rng root = new Rng(settings.seed());
        this.learner = learner(task, settings, dense, root.split(1));
        this.evaluator = new BidirectionalPass(dense);
        this.x = settings.precision().zeros(Math.max(task.steps(), 1) * settings.batch() * task.inputs());
        this.shuffle = root.split(2);
        this.decoder = task.mode() == TimitTask.Mode.CTC ? new CtcDecoder(task.blank(), beamWidth) : null;
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
        StringBuilder csv = new StringBuilder("epoch,iteration,train_loss,reg_loss,rate_hz,validation_frame_error,"
                + "validation_frame_error39,validation_per,validation_loss,test_frame_error,test_frame_error39,"
                + "test_per,test_loss,seconds\n");
        IOException[] failed = new IOException[1];
        Result r = run(new Listener() {
            @Override
            public void epoch(Epoch e) {
                Scores v = e.validation();
                Scores t = e.test();
                csv.append(String.format(Locale.ROOT, "%d,%d,%.6f,%.6f,%.2f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.1f%n",
                        e.epoch(), e.iteration(), e.trainLoss(), e.regLoss(), e.rateHz(), v.frameError(),
                        v.frameError39(), v.phoneErrorRate(), v.loss(), t.frameError(), t.frameError39(),
                        t.phoneErrorRate(), t.loss(), e.seconds()));
                if (out != null) {
                    out.println(describe(e));
                }
                if (dir != null && failed[0] == null) {
                    try {
                        Files.writeString(dir.resolve("metrics.csv"), csv);
                    } catch (IOException ex) {
                        failed[0] = ex;
                    }
                }
            }
        });
        if (failed[0] != null) {
            throw failed[0];
        }
        return r;
    }

    /** One line for a log. */
    public static String describe(Epoch e) {
        Scores v = e.validation();
        Scores t = e.test();
        String scores = Double.isNaN(v.phoneErrorRate())
                ? String.format(Locale.ROOT, "val frame error %.4f (39: %.4f)  test %.4f (39: %.4f)", v.frameError(),
                        v.frameError39(), t.frameError(), t.frameError39())
                : String.format(Locale.ROOT, "val PER %.4f  test PER %.4f", v.phoneErrorRate(), t.phoneErrorRate());
        return String.format(Locale.ROOT, "epoch %d (%d it): loss %.4f reg %.3f rate %.1f Hz  %s  %.0f s", e.epoch(),
                e.iteration(), e.trainLoss(), e.regLoss(), e.rateHz(), scores, e.seconds());
    }

    /**
     * Trains until the settings' epochs are done or {@code listener} asks to stop, continuing from
     * where {@link #restore} left the run (else from the start).
     */
    public Result run(Listener listener) {
        List<Utterance> train = task.utterances(Split.TRAIN);
        int batch = settings.batch();
        if (train.size() < batch) {
            throw new IllegalArgumentException("training.batch = " + batch + " but the training split has only "
                    + train.size() + " utterances: set training.batch to at most " + train.size());
        }
        int perEpoch = train.size() / batch;
        long started = System.nanoTime();
        List<Utterance> chosen = new ArrayList<>(batch);
        while (epoch < settings.epochs()) {
            if (order == null) {
                order = TimitTask.permutation(train.size(), shuffle);
                position = 0;
                lossSum = 0;
                regSum = 0;
                rateSum = 0;
            }
            while (position < perEpoch) {
                chosen.clear();
                for (int b = 0; b < batch; b++) {
                    chosen.add(train.get(order[position * batch + b]));
                }
                int frames = task.fill(chosen, x, targets);
                BidirectionalLearner.Step step = learner.step(x, frames, batch, targets);
                double rate = rateHz(step.pass(), settings.repeat());
                lossSum += step.taskLoss();
                regSum += step.regLoss();
                rateSum += rate;
                position++;
                iteration++;
                listener.iteration(iteration, step.taskLoss(), step.regLoss(), rate);
                if (listener.stopRequested()) {
                    secondsBefore += (System.nanoTime() - started) / 1e9;
                    listener.checkpoint(iteration);
                    return new Result(epoch, bestEpoch, bestValidation, testAtBest, secondsBefore, true);
                }
            }
            epoch++;
            Scores val = evaluate(Split.VALIDATION);
            Scores test = evaluate(Split.TEST);
            if (bestValidation == null || val.selection() < bestValidation.selection()) {
                bestValidation = val;
                testAtBest = test;
                bestEpoch = epoch;
            }
            double seconds = secondsBefore + (System.nanoTime() - started) / 1e9;
            Epoch e = new Epoch(epoch, iteration, lossSum / perEpoch, regSum / perEpoch, rateSum / perEpoch, val, test,
                    seconds);
            order = null;
            listener.epoch(e);
            listener.checkpoint(iteration);
        }
        secondsBefore += (System.nanoTime() - started) / 1e9;
        return new Result(epoch, bestEpoch, bestValidation, testAtBest, secondsBefore, false);
    }

    /** Completed epochs. */
    public int epoch() {
        return epoch;
    }

    /** Training iterations so far. */
    public long iteration() {
        return iteration;
    }

    /**
     * Where the run stands, for a checkpoint: the weights and optimiser state of the learner
     * ({@code net.*}, {@code optimizer.*}, {@code feedback.*}) and the loop's position
     * ({@code trainer.*}: epoch, iteration, the epoch's order and position, the shuffling generator,
     * the best development scores).
     */
    public Map<String, double[]> state() {
        Map<String, double[]> s = new LinkedHashMap<>();
        BidirectionalNetwork net = learner.network();
        for (Parameters.Entry e : net.parameters().entries()) {
            s.put("net." + e.name(), e.array().toDoubleArray());
        }
        if (learner.forwardFeedback().mode() != Feedback.Mode.SYMMETRIC) {
            s.put("feedback.fwd", learner.forwardFeedback().matrix(net.forward()).toDoubleArray());
            s.put("feedback.bwd", learner.backwardFeedback().matrix(net.backward()).toDoubleArray());
        }
        learner.optimizer().state().forEach((k, v) -> s.put("optimizer." + k, v));
        if (learner.feedbackOptimizer() != null) {
            learner.feedbackOptimizer().state().forEach((k, v) -> s.put("feedback_optimizer." + k, v));
        }
        long[] rng = shuffle.state();
        double[] rngBits = new double[rng.length * 2];
        for (int i = 0; i < rng.length; i++) {
            // two exact 32-bit halves: a double holds integers up to 2^53 exactly
            rngBits[2 * i] = rng[i] >>> 32;
            rngBits[2 * i + 1] = rng[i] & 0xffffffffL;
        }
        s.put("trainer.rng", rngBits);
        s.put("trainer.position", new double[] {epoch, iteration, order == null ? -1 : position, lossSum, regSum,
            rateSum, secondsBefore, bestEpoch});
        if (order != null) {
            double[] o = new double[order.length];
            for (int i = 0; i < o.length; i++) {
                o[i] = order[i];
            }
            s.put("trainer.order", o);
        }
        if (bestValidation != null) {
            s.put("trainer.best", new double[] {bestValidation.frameError(), bestValidation.frameError39(),
                bestValidation.loss(), bestValidation.phoneErrorRate(), testAtBest.frameError(), testAtBest.frameError39(),
                testAtBest.loss(), testAtBest.phoneErrorRate()});
        }
        return s;
    }

    /** Restores what {@link #state()} returned (by a run of the same settings and task). */
    public void restore(Map<String, double[]> s) {
        BidirectionalNetwork net = learner.network();
        for (Parameters.Entry e : net.parameters().entries()) {
            copy(s, "net." + e.name(), e.array());
        }
        if (learner.forwardFeedback().mode() != Feedback.Mode.SYMMETRIC) {
            copy(s, "feedback.fwd", learner.forwardFeedback().matrix(net.forward()));
            copy(s, "feedback.bwd", learner.backwardFeedback().matrix(net.backward()));
        }
        learner.optimizer().restore(prefixed(s, "optimizer."), net.parameters());
        if (learner.feedbackOptimizer() != null) {
            learner.feedbackOptimizer().restore(prefixed(s, "feedback_optimizer."), learner.feedbackParameters());
        }
        double[] bits = required(s, "trainer.rng");
        long[] rng = new long[bits.length / 2];
        for (int i = 0; i < rng.length; i++) {
            rng[i] = ((long) bits[2 * i] << 32) | (long) bits[2 * i + 1];
        }
        shuffle.restore(rng);
        double[] p = required(s, "trainer.position");
        epoch = (int) p[0];
        iteration = (long) p[1];
        lossSum = p[3];
        regSum = p[4];
        rateSum = p[5];
        secondsBefore = p[6];
        bestEpoch = (int) p[7];
        if (p[2] >= 0) {
            double[] o = required(s, "trainer.order");
            order = new int[o.length];
            for (int i = 0; i < o.length; i++) {
                order[i] = (int) o[i];
            }
            position = (int) p[2];
        } else {
            order = null;
            position = 0;
        }
        double[] b = s.get("trainer.best");
        if (b != null) {
            bestValidation = new Scores(b[0], b[1], b[2], b[3]);
            testAtBest = new Scores(b[4], b[5], b[6], b[7]);
        }
    }

    private static Map<String, double[]> prefixed(Map<String, double[]> s, String prefix) {
        Map<String, double[]> out = new LinkedHashMap<>();
        s.forEach((k, v) -> {
            if (k.startsWith(prefix)) {
                out.put(k.substring(prefix.length()), v);
            }
        });
        return out;
    }

    private static double[] required(Map<String, double[]> s, String name) {
        double[] v = s.get(name);
        if (v == null) {
            throw new IllegalArgumentException("checkpoint has no '" + name + "'; it has " + s.keySet());
        }
        return v;
    }

    private static void copy(Map<String, double[]> s, String name, RealArray target) {
        double[] v = required(s, name);
        if (v.length != target.length()) {
            throw new IllegalArgumentException("checkpoint '" + name + "' has " + v.length + " values, the network "
                    + target.length() + ": was it written by a run with another network size?");
        }
        for (int i = 0; i < v.length; i++) {
            target.set(i, v[i]);
        }
    }

    /**
     * The mean firing rate in Hz (dt = 1 ms) of both halves over the valid steps of the last pass: the
     * padding's spikes stay as simulated and would otherwise count.
     */
    public static double rateHz(BidirectionalPass pass, int repeat) {
        double spikes = 0;
        long cells = 0;
        int batch = pass.batch();
        int[] lengths = new int[batch]; // once per training step, not per time step
        for (int b = 0; b < batch; b++) {
            lengths[b] = pass.length(b) * repeat;
        }
        for (var tr : new org.eprop.learning.network.Trajectory[] {pass.forwardTrajectory(), pass.backwardTrajectory()}) {
            int n = tr.neurons();
            double[] counts = new double[n];
            if (tr.countSpikes(lengths, counts)) { // float32: from the time loop's spike lists
                for (int j = 0; j < n; j++) {
                    spikes += counts[j];
                }
            } else {
                RealArray z = tr.spikes();
                for (int b = 0; b < batch; b++) {
                    for (int t = 0; t < lengths[b]; t++) {
                        int base = (t * batch + b) * n;
                        for (int j = 0; j < n; j++) {
                            spikes += z.get(base + j);
                        }
                    }
                }
            }
            for (int b = 0; b < batch; b++) {
                cells += (long) lengths[b] * n;
            }
        }
        return cells == 0 ? 0 : 1000.0 * spikes / cells;
    }

    /**
     * Scores every utterance of {@code split}, in batches of utterances of similar length so that
     * little is padding. Frame-wise: the frame error per utterance, then the mean (the original's
     * printed figure), over the task's classes and folded to 39. CTC: each utterance's output decoded
     * (greedy for a beam of 1, else prefix beam search), both sequences folded to the 39 scoring
     * phones (no merging of repeats after the fold, as the original), the edit distance over the
     * reference's length per utterance, then the mean (the original's normalised edit distance).
     */
    public Scores evaluate(Split split) {
        List<Utterance> all = new ArrayList<>(task.utterances(split));
        all.sort(Comparator.comparingInt(Utterance::frames));
        int[] fold = task.phones() == 61 ? PhoneSet.foldIds() : null;
        int batch = settings.batch();
        double sum = 0;
        double sum39 = 0;
        double per = 0;
        double loss = 0;
        Targets t = new Targets();
        int[] lengths = new int[batch];
        RealArray dy = null;
        boolean ctc = task.mode() == TimitTask.Mode.CTC;
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
                Utterance u = chunk.get(b);
                if (ctc) {
                    int[] hyp = decoder.width() == 1 ? decoder.greedy(y, b, chunk.size(), task.outputs(), u.frames())
                            : decoder.beamSearch(y, b, chunk.size(), task.outputs(), u.frames());
                    per += phoneErrorRate(hyp, TimitTask.labelSequence(u), fold);
                } else {
                    int[] labels = u.labels();
                    sum += FrameScores.utteranceError(y, b, chunk.size(), task.outputs(), task.phones(), labels, null);
                    sum39 += fold == null ? 0
                            : FrameScores.utteranceError(y, b, chunk.size(), task.outputs(), task.phones(), labels, fold);
                }
            }
        }
        int n = all.size();
        if (ctc) {
            return new Scores(Double.NaN, Double.NaN, loss / n, per / n);
        }
        return new Scores(sum / n, fold == null ? sum / n : sum39 / n, loss / n, Double.NaN);
    }

    /**
     * The phone error rate of one utterance: the edit distance between the decoded and the reference
     * sequence, both folded by {@code fold} (null: as they are), over the reference's length.
     */
    public static double phoneErrorRate(int[] hypothesis, int[] reference, int[] fold) {
        if (reference.length == 0) {
            throw new IllegalArgumentException("an utterance without phones has no phone error rate");
        }
        int[] h = fold == null ? hypothesis : apply(fold, hypothesis);
        int[] r = fold == null ? reference : apply(fold, reference);
        return CtcDecoder.editDistance(h, r) / (double) r.length;
    }

    private static int[] apply(int[] fold, int[] ids) {
        int[] out = new int[ids.length];
        for (int i = 0; i < ids.length; i++) {
            out[i] = fold[ids[i]];
        }
        return out;
    }
}
