package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.eprop.envs.api.Discrete;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Info;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.Step;
import org.eprop.envs.vector.VectorEnv;
import org.eprop.learning.conv.CnnFeedback;
import org.eprop.learning.conv.CnnTraining;
import org.eprop.learning.conv.ScnnNeuron;
import org.eprop.learning.conv.SpikingCnnConfig;
import org.eprop.learning.gradient.FastEprop;
import org.eprop.learning.gradient.Feedback;
import org.eprop.learning.gradient.GradientMethod;
import org.eprop.learning.gradient.ReverseMode;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.network.ReadoutInit;
import org.eprop.learning.network.SpikingNetwork;
import org.eprop.learning.neuron.InputConvention;
import org.eprop.learning.neuron.NeuronLayer;
import org.eprop.learning.neuron.Readout;
import org.eprop.learning.neuron.ReadoutConvention;
import org.eprop.learning.optim.Optimizer;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Whole-agent gradient oracles of the spiking actor-critic, in double precision: the real
 * {@link ActorCriticTrainer} (spiking CNN front end, LSNN of LIF and ALIF neurons, policy and value
 * heads with the pooled CNN shortcuts, several network steps per action, two environments whose
 * episodes end inside the unroll, rate and voltage regularisers of the LSNN and the CNN's voltage
 * regulariser) is run for one optimiser step, and the gradient it hands to the optimiser is compared,
 * array by array, with {@link WholeAgentOracle}, an independent re-simulation of the recorded run
 * written out from the equations on a scalar tape:
 * <ul>
 *   <li>e-prop ({@code eprop}, {@code eprop-autodiff}) with symmetric
 *       feedback equals the reverse sweep of the cut graph (the stop-gradient construction of the
 *       original code, docs/model.md §2.5) to 1e-12 relative for every array, for both CNN
 *       training modes, over one unroll and over two unrolls with the state and the eligibility
 *       traces carried (also when an episode ends exactly at the boundary); the CNN's learning
 *       signals are per unroll, a truncation the oracle makes explicitly and shows to matter;</li>
 *   <li>BPTT ({@code bptt}) equals forward (tangent) sweeps of the uncut graph with the same
 *       pseudo-derivative to 1e-10, every parameter;</li>
 *   <li>the tape itself is checked against central finite differences of frozen-spike replays of
 *       the same graph (see {@link ScalarTape}), and the trainer's forward pass against the
 *       oracle's through the reported loss terms.</li>
 * </ul>
 * Relative difference: {@link Compare#maxRelativeDifference}, {@code max|a - b| / max|b|} per array.
 */
class WholeAgentGradientOracleTest {
    private static final double EPROP_BOUND = 1e-12;
    private static final double BPTT_BOUND = 1e-10;
    private static final int HEIGHT = 12;
    private static final int WIDTH = 12;
    private static final int ACTIONS = 3;
    private static final int ENVS = 2;
    private static final int STEPS = 3;
    private static final List<String> ARRAYS = List.of("w_in", "w_rec", "w_out", "b_out", "head/w_feat",
            "front/conv1/W", "front/conv1/b", "front/conv2/W", "front/conv2/b");

    /**
     * A deterministic game on a 12x12 gray screen: the picture moves with the step and the last
     * action, rewards are -1, 0 or 1 by the action, and episode e lasts {@code lengths[e % n]}
     * agent steps. It logs the actions it is given, so that the oracle can replay the run.
     */
    static final class Screen implements Env<Frame, Integer> {
        private final int id;
        private final int[] lengths;
        private int episode = -1;
        private int step;
        private int last;
        final List<Integer> actions = new ArrayList<>();

        Screen(int id, int[] lengths) {
            this.id = id;
            this.lengths = lengths;
        }

        @Override
        public String id() {
            return "test/screen";
        }

        @Override
        public Space<Frame> observationSpace() {
            return new FrameSpace(HEIGHT, WIDTH, 1);
        }

        @Override
        public Space<Integer> actionSpace() {
            return new Discrete(ACTIONS);
        }

        @Override
        public Reset<Frame> reset(long seed) {
            return reset();
        }

        @Override
        public Reset<Frame> reset() {
            episode++;
            step = 0;
            last = 0;
            return new Reset<>(frame(), Info.empty());
        }

        @Override
        public Step<Frame> step(Integer action) {
            actions.add(action);
            double reward = action == (step + id) % ACTIONS ? 1.0 : action == ACTIONS - 1 ? -1.0 : 0.0;
            step++;
            last = action;
            boolean done = step == lengths[episode % lengths.length];
            return new Step<>(frame(), reward, done, false, Info.empty());
        }

        private Frame frame() {
            byte[] p = new byte[HEIGHT * WIDTH];
            for (int y = 0; y < HEIGHT; y++) {
                for (int x = 0; x < WIDTH; x++) {
                    double v = 0.5 + 0.5 * Math.sin(0.9 * x + 0.6 * y * (id + 1) + 1.1 * step + 0.7 * last
                            + 2.3 * episode) * Math.cos(0.4 * y - 0.5 * x + 0.3 * step);
                    p[y * WIDTH + x] = (byte) Math.max(0, Math.min(255, Math.round(255 * v)));
                }
            }
            return new Frame(HEIGHT, WIDTH, 1, p);
        }
    }

    /** An optimiser that keeps the gradients it is given and leaves the parameters alone. */
    static final class Capture implements Optimizer {
        final List<double[][]> steps = new ArrayList<>();

        @Override
        public String id() {
            return "capture";
        }

        @Override
        public void step(RealArray[] params, RealArray[] grads) {
            double[][] g = new double[grads.length][];
            for (int i = 0; i < grads.length; i++) {
                g[i] = grads[i].toDoubleArray();
            }
            steps.add(g);
        }

        @Override
        public long steps() {
            return steps.size();
        }

        @Override
        public Map<String, double[]> state() {
            return Map.of();
        }

        @Override
        public void restore(Map<String, double[]> state, RealArray[] params) {
        }
    }

    /** One scenario: the unroll schedule and the episodes. */
    record Scenario(String name, int unroll, int unrolls, boolean applyAfterEnd, int[][] lengths) {
    }

    /**
     * One unroll of 6 agent steps, one optimiser step per unroll (all steps count): environment 0
     * ends episodes after agent steps 1 and 4, environment 1 after step 3.
     */
    static final Scenario ONE_UNROLL = new Scenario("one unroll", 6, 1, false, new int[][] {{2, 3}, {4}});
    /**
     * Two carried unrolls of 5 agent steps summed into one optimiser step (apply_after_end):
     * environment 0 ends episodes after steps 1 and 5, the first step of the second unroll, and is
     * masked from there on; environment 1 ends its episode at step 6, which makes the update due.
     */
    static final Scenario TWO_UNROLLS = new Scenario("two unrolls", 5, 2, true, new int[][] {{2, 4}, {7}});
    /**
     * As {@link #TWO_UNROLLS}, but environment 0's second episode ends with the first unroll's last
     * step, so the second unroll begins with its reset: the eligibility traces carried for that row
     * must not reach into the new episode.
     */
    static final Scenario EPISODE_AT_BOUNDARY = new Scenario("episode ends at the unroll boundary", 5, 2, true,
            new int[][] {{2, 3}, {7}});

    private static WholeAgentOracle.Setup setup(Scenario sc) {
        WholeAgentOracle.Setup s = new WholeAgentOracle.Setup();
        s.height = HEIGHT;
        s.width = WIDTH;
        s.filters1 = 3;
        s.kernel1 = 4;
        s.stride1 = 2;
        s.filters2 = 2;
        s.kernel2 = 2;
        s.stride2 = 1;
        s.pool1Kernel = 3;
        s.pool1Stride = 2;
        s.pool2Kernel = 2;
        s.pool2Stride = 2;
        s.cnnTau = 1.0;
        s.cnnThreshold = 0.1;
        s.cnnDampening = 1.0;
        s.cnnVoltageCost = 0.5;
        s.regFactor = 4.0;
        s.lif = 4;
        s.alif = 3;
        s.tauM = 10.0;
        s.tauA = 30.0;
        s.vTh = 0.6;
        s.beta = 0.5;
        s.refractory = 2;
        s.gamma = 0.3;
        s.tauOut = 2.0;
        s.actions = ACTIONS;
        s.discount = 0.9;
        s.baselineCost = 0.7;
        s.entropyCost = 0.05;
        s.rateCost = 3.0;
        s.rateTarget = 0.05;
        s.voltageCost = 0.01;
        s.applyAfterEnd = sc.applyAfterEnd();
        s.steps = STEPS;
        s.unroll = sc.unroll();
        s.unrolls = sc.unrolls();
        s.batch = ENVS;
        return s;
    }

    /** What one trainer run produced. */
    static final class Run {
        Map<String, double[]> gradient = new LinkedHashMap<>();
        Map<String, double[]> weights = new LinkedHashMap<>();
        WholeAgentOracle.Record record;
        double[] feedback2;
        ActorCriticTrainer.Report report;
    }

    private static GradientMethod rule(String id) {
        Dense dense = new Dense(Precision.FLOAT64);
        return switch (id) {
            case "eprop" -> new FastEprop(dense);
            case "eprop-autodiff" -> ReverseMode.cutPath(dense);
            case "bptt" -> ReverseMode.bptt(dense);
            default -> throw new IllegalArgumentException(id);
        };
    }

    /** Builds the trainer from the setup's numbers, runs one iteration and keeps its gradient and record. */
    private static Run train(Scenario sc, WholeAgentOracle.CnnMode mode, String ruleId) {
        return train(sc, mode, ruleId, ActorCriticParams.Traces.CARRIED);
    }

    private static Run train(Scenario sc, WholeAgentOracle.CnnMode mode, String ruleId,
            ActorCriticParams.Traces traces) {
        WholeAgentOracle.Setup s = setup(sc);
        SpikingCnnConfig config = new SpikingCnnConfig(s.height, s.width, 1, s.filters1, s.kernel1, s.stride1,
                s.filters2, s.kernel2, s.stride2, s.pool1Kernel, s.pool1Stride, s.pool2Kernel, s.pool2Stride,
                new ScnnNeuron(s.cnnTau, s.cnnThreshold, s.cnnDampening), STEPS, s.cnnVoltageCost, s.regFactor);
        CnnTraining training = mode == WholeAgentOracle.CnnMode.REFERENCE ? CnnTraining.REFERENCE : CnnTraining.EPROP;
        CnnFrontEnd front = new CnnFrontEnd(config, training, ENVS, ACTIONS + 1, Precision.FLOAT64, new Rng(17));
        assertEquals(s.units2(), front.outputs(), "the oracle's conv2 size");
        assertEquals(s.pooled1() + s.pooled2(), front.features(), "the oracle's feature count");
        // Non-zero biases, so that their gradients and the bias path are exercised from the start.
        Rng biasRng = new Rng(23);
        for (String b : List.of("conv1/b", "conv2/b")) {
            RealArray a = front.parameters().get(b);
            for (int i = 0; i < a.length(); i++) {
                a.set(i, 0.05 * biasRng.nextGaussian());
            }
        }
        // Weaker conv2 and stronger LSNN inputs than the default initialisation: a third of conv2's
        // units and a quarter of the LSNN's fire per step, so that spikes, refractory steps and
        // silent neurons all occur in the short run.
        front.parameters().get("conv2/W").copyFrom(scaled(front.parameters().get("conv2/W"), 0.6));
        NeuronLayer layer = new NeuronLayer(s.inputs(), s.lif, s.alif, 1.0, s.tauM, s.tauA, s.vTh, s.beta,
                s.refractory, s.gamma, InputConvention.CURRENT);
        SpikingNetwork net = new SpikingNetwork(layer, new Readout(s.outputs(), s.tauOut, ReadoutConvention.NORMALISED,
                true), Precision.FLOAT64).initialise(new Rng(29), ReadoutInit.NORMAL_SCALED);
        for (int k = 0; k < s.outputs(); k++) {
            net.bOut().set(k, 0.1 * (k - 1));
        }
        net.wIn().copyFrom(scaled(net.wIn(), 2.5));
        Screen[] screens = new Screen[ENVS];
        VectorEnv<Frame, Integer> envs = VectorEnv.synchronous(ENVS, i -> screens[i] = new Screen(i, sc.lengths()[i]),
                VectorEnv.AutoresetMode.SAME_STEP, null);
        ActorCriticParams params = new ActorCriticParams(ENVS, s.unroll, STEPS, s.discount, s.baselineCost,
                s.entropyCost, s.rateCost, s.rateTarget, s.voltageCost, true, s.applyAfterEnd, 1_000_000L,
                new ActorCriticParams.Curriculum(false, 200, 0, 70_000_000L),
                new ActorCriticParams.Cnn(training, s.cnnVoltageCost, s.regFactor), traces);
        EpisodeCurriculum curriculum = new EpisodeCurriculum(new EpisodeCurriculum.Settings(Integer.MAX_VALUE,
                70_000_000L, 1, 0, true), new Rng(31));
        Capture optimizer = new Capture();
        Run run = new Run();
        try (envs) {
            ActorCriticTrainer<Frame> trainer = new ActorCriticTrainer<>(net, ACTIONS, envs, front, 4, params,
                    rule(ruleId), Feedback.symmetric(), optimizer, new Capture(), curriculum, new Rng(37));
            Parameters trained = trainer.parameters();
            assertEquals(ARRAYS, trained.names(), "the trained arrays");
            for (int i = 0; i < trained.size(); i++) {
                run.weights.put(trained.name(i), trained.array(i).toDoubleArray());
            }
            run.report = trainer.iteration();
            assertEquals(sc.unrolls(), run.report.unrolls(), "unrolls in the iteration");
            assertEquals(1, optimizer.steps.size(), "one optimiser step");
            for (int i = 0; i < trained.size(); i++) {
                run.gradient.put(trained.name(i), optimizer.steps.get(0)[i]);
            }
        }
        CnnFeedback fb = front.feedback();
        assertEquals(CnnFeedback.Source.SHORTCUT, fb.conv1Source(), "the oracle's conv1 learning signal");
        assertEquals(CnnFeedback.Source.RANDOM, fb.conv2Source(), "the oracle's conv2 learning signal");
        run.feedback2 = fb.conv2Matrix().toDoubleArray();
        run.record = replay(sc, screens);
        return run;
    }

    private static RealArray scaled(RealArray a, double f) {
        RealArray c = a.copy();
        for (int i = 0; i < c.length(); i++) {
            c.set(i, f * c.get(i));
        }
        return c;
    }

    /**
     * The run as the agent saw it, replayed on fresh environments with the logged actions and the
     * vector environment's same-step auto-reset: an ended episode's next observation is the new
     * episode's first.
     */
    private static WholeAgentOracle.Record replay(Scenario sc, Screen[] played) {
        int steps = sc.unroll() * sc.unrolls();
        WholeAgentOracle.Record r = new WholeAgentOracle.Record();
        r.frames = new double[steps + 1][ENVS][];
        r.start = new boolean[steps + 1][ENVS];
        r.actions = new int[steps][ENVS];
        r.rewards = new double[steps][ENVS];
        r.dones = new boolean[steps][ENVS];
        for (int b = 0; b < ENVS; b++) {
            assertEquals(steps, played[b].actions.size(), "actions taken by environment " + b);
            Screen env = new Screen(b, sc.lengths()[b]);
            Frame obs = env.reset(0L).observation();
            r.start[0][b] = true;
            for (int g = 0; g < steps; g++) {
                r.frames[g][b] = gray(obs);
                int a = played[b].actions.get(g);
                Step<Frame> st = env.step(a);
                r.actions[g][b] = a;
                r.rewards[g][b] = st.reward();
                r.dones[g][b] = st.done();
                obs = st.done() ? env.reset().observation() : st.observation();
                r.start[g + 1][b] = st.done();
            }
            r.frames[steps][b] = gray(obs);
        }
        return r;
    }

    private static double[] gray(Frame f) {
        double[] x = new double[f.pixels().length];
        for (int i = 0; i < x.length; i++) {
            x[i] = (f.pixels()[i] & 0xFF) / 255.0;
        }
        return x;
    }

    private static WholeAgentOracle.Built oracle(Scenario sc, Run run, WholeAgentOracle.Graph graph,
            WholeAgentOracle.CnnMode mode) {
        WholeAgentOracle o = new WholeAgentOracle(setup(sc), run.record, graph, mode, run.feedback2);
        return o.build(new ScalarTape(), run.weights);
    }

    /** The trainer's forward pass is the oracle's: the loss terms it reports agree. */
    private static void assertSameForward(String where, Run run, WholeAgentOracle.Built o, int unrolls) {
        ActorCriticTrainer.Report r = run.report;
        double regMean = 0;
        for (double v : o.lsnnRegLoss) {
            regMean += v / unrolls;
        }
        double[][] pairs = {{r.policyLoss(), o.policyLoss}, {r.valueLoss(), o.valueLoss},
                {r.entropyLoss(), o.entropyLoss}, {r.rateLoss(), regMean}};
        String[] names = {"policy", "value", "entropy", "LSNN regularisers"};
        for (int i = 0; i < pairs.length; i++) {
            double d = Math.abs(pairs[i][0] - pairs[i][1]) / Math.max(1e-300, Math.abs(pairs[i][1]));
            assertTrue(d < 1e-12, where + ": " + names[i] + " loss " + pairs[i][0] + " (trainer) vs " + pairs[i][1]
                    + " (oracle): the two forward passes differ");
        }
    }

    /** Every array agrees within {@code bound}, and every oracle array is non-zero. */
    private static void assertGradientsAgree(String where, Map<String, double[]> got,
            Map<String, double[]> expected, double bound) {
        double[] diffs = new double[ARRAYS.size()];
        StringBuilder line = new StringBuilder(where + ":");
        for (int i = 0; i < ARRAYS.size(); i++) {
            String name = ARRAYS.get(i);
            double[] e = expected.get(name);
            diffs[i] = Compare.maxRelativeDifference(got.get(name), e);
            line.append(String.format(Locale.ROOT, " %s %.1e", name, diffs[i]));
        }
        System.out.println(line);
        for (int i = 0; i < ARRAYS.size(); i++) {
            String name = ARRAYS.get(i);
            assertTrue(maxAbs(expected.get(name)) > 0, where + ": the oracle's " + name + " gradient is zero");
            assertTrue(diffs[i] <= bound, where + ": " + name + " max relative difference " + diffs[i] + " > " + bound);
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double x : a) {
            m = Math.max(m, Math.abs(x));
        }
        return m;
    }

    @ParameterizedTest(name = "CNN {0}")
    @EnumSource(WholeAgentOracle.CnnMode.class)
    void epropWithSymmetricFeedbackIsTheCutGraphsReverseMode(WholeAgentOracle.CnnMode mode) {
        for (Scenario sc : List.of(ONE_UNROLL, TWO_UNROLLS, EPISODE_AT_BOUNDARY)) {
            // eprop-online is the actor-critic's online rule (per-step updates, vector observations),
            // checked against its definition and the n-step loss in OnlineActorCriticTest.
            for (String ruleId : List.of("eprop", "eprop-autodiff")) {
                Run run = train(sc, mode, ruleId);
                WholeAgentOracle.Built o = oracle(sc, run, WholeAgentOracle.Graph.EPROP_CUT, mode);
                String where = ruleId + ", CNN " + mode + ", " + sc.name();
                assertSameForward(where, run, o, sc.unrolls());
                assertGradientsAgree(where, run.gradient, o.reverse(), EPROP_BOUND);
                if (sc.unrolls() > 1 && ruleId.equals("eprop")) {
                    assertCnnSignalsArePerUnroll(where, sc, mode, run);
                }
            }
        }
    }

    /**
     * {@code traces: truncated} (the original's learner): e-prop equals the reverse sweep of the cut
     * graph whose whole carried state is a constant at the unroll boundary, for both CNN modes, also
     * with an episode ending exactly there. The truncation is real on these runs: the carried
     * graph's gradient differs in the LSNN's arrays, and in the CNN's under its e-prop training
     * (its presynaptic traces); the reference CNN is truncated either way.
     */
    @ParameterizedTest(name = "CNN {0}")
    @EnumSource(WholeAgentOracle.CnnMode.class)
    void truncatedEpropIsTheCutGraphWithTheCarriedStateConstant(WholeAgentOracle.CnnMode mode) {
        for (Scenario sc : List.of(TWO_UNROLLS, EPISODE_AT_BOUNDARY)) {
            for (String ruleId : List.of("eprop", "eprop-autodiff")) {
                Run run = train(sc, mode, ruleId, ActorCriticParams.Traces.TRUNCATED);
                WholeAgentOracle.Built o = new WholeAgentOracle(setup(sc), run.record, WholeAgentOracle.Graph.EPROP_CUT,
                        mode, run.feedback2).truncated().build(new ScalarTape(), run.weights);
                String where = ruleId + " truncated, CNN " + mode + ", " + sc.name();
                assertSameForward(where, run, o, sc.unrolls());
                assertGradientsAgree(where, run.gradient, o.reverse(), EPROP_BOUND);
                Map<String, double[]> carried = oracle(sc, run, WholeAgentOracle.Graph.EPROP_CUT, mode).reverse();
                List<String> cut = new ArrayList<>(List.of("w_in", "w_rec", "w_out"));
                if (mode == WholeAgentOracle.CnnMode.EPROP) {
                    cut.add("front/conv2/W");
                }
                for (String name : cut) {
                    double d = Compare.maxRelativeDifference(run.gradient.get(name), carried.get(name));
                    assertTrue(d > 1e-6, where + ": " + name + " is the carried graph's gradient (" + d
                            + "): the truncation was not tested");
                }
            }
        }
    }

    /**
     * The one place where the trainer's CNN gradient is not the long run's: the heads' filter
     * carries the CNN's contributions into the next unroll, but the CNN's learning signals are
     * computed per unroll, so that filter's adjoint does not reach back (documented in
     * {@code CnnTraining} and docs/model.md §3.6; the oracle cuts it there). The LSNN and the heads'
     * weights are unaffected; the CNN's gradient differs measurably from the uncut graph's, which
     * shows that the cut in the oracle is not a no-op.
     */
    private static void assertCnnSignalsArePerUnroll(String where, Scenario sc, WholeAgentOracle.CnnMode mode,
            Run run) {
        Map<String, double[]> whole = new WholeAgentOracle(setup(sc), run.record, WholeAgentOracle.Graph.EPROP_CUT,
                mode, run.feedback2).acrossUnrolls().build(new ScalarTape(), run.weights).reverse();
        StringBuilder line = new StringBuilder(where + ", vs the graph with the heads' filter uncut at the boundary:");
        for (String name : ARRAYS) {
            double d = Compare.maxRelativeDifference(run.gradient.get(name), whole.get(name));
            line.append(String.format(Locale.ROOT, " %s %.1e", name, d));
            if (name.startsWith("front/")) {
                assertTrue(d > 1e-6, where + ": " + name + " is the uncut graph's gradient (" + d + "): if the CNN's "
                        + "signals now reach across unrolls, the oracle's cut is to go");
            } else {
                assertTrue(d <= EPROP_BOUND, where + ": " + name + " depends on the CNN's boundary: " + d);
            }
        }
        System.out.println(line);
    }

    @ParameterizedTest(name = "CNN {0}")
    @EnumSource(WholeAgentOracle.CnnMode.class)
    void bpttIsTheForwardModeGradientOfTheFullGraph(WholeAgentOracle.CnnMode mode) {
        for (Scenario sc : List.of(ONE_UNROLL, EPISODE_AT_BOUNDARY)) {
            Run run = train(sc, mode, "bptt");
            WholeAgentOracle.Built o = oracle(sc, run, WholeAgentOracle.Graph.FULL, mode);
            String where = "bptt, CNN " + mode + ", " + sc.name();
            assertSameForward(where, run, o, sc.unrolls());
            Map<String, double[]> forward = o.forward();
            assertGradientsAgree(where + " vs forward mode", run.gradient, forward, BPTT_BOUND);
            // The oracle's two sweeps of the same graph agree to rounding.
            assertGradientsAgree("oracle, " + where + ": reverse vs forward sweeps", o.reverse(), forward, 1e-13);
            // The cuts of e-prop are real on this run: the two graphs give different LSNN gradients.
            Map<String, double[]> cut = oracle(sc, run, WholeAgentOracle.Graph.EPROP_CUT, mode).reverse();
            for (String name : List.of("w_in", "w_rec")) {
                double d = Compare.maxRelativeDifference(cut.get(name), forward.get(name));
                assertTrue(d > 1e-3, where + ": e-prop and BPTT agree on " + name + " (" + d + "): no cut was tested");
            }
        }
    }

    /**
     * The oracle's own check: its gradient is the derivative of the graph's surrogate loss (frozen-spike replays, see {@link ScalarTape}) by central finite
     * differences on a spread of parameters of every array, for the uncut graph with the reference
     * CNN and for the cut graph with the e-prop CNN (between them every cut, scaling and feedback
     * node of the oracle). With h = 1e-6 the truncation error is O(h^2) and the rounding error
     * about 1e-16 |E| / h, some 1e-9 of the gradient's scale here; the bound leaves a factor 10.
     */
    @Test
    void theOracleIsTheDerivativeOfItsGraph() {
        record Variant(WholeAgentOracle.Graph graph, WholeAgentOracle.CnnMode mode) {
        }
        for (Variant variant : List.of(new Variant(WholeAgentOracle.Graph.FULL, WholeAgentOracle.CnnMode.REFERENCE),
                new Variant(WholeAgentOracle.Graph.EPROP_CUT, WholeAgentOracle.CnnMode.EPROP))) {
            Scenario sc = ONE_UNROLL;
            Run run = train(sc, variant.mode(), "bptt");
            WholeAgentOracle oracle = new WholeAgentOracle(setup(sc), run.record, variant.graph(), variant.mode(),
                    run.feedback2);
            WholeAgentOracle.Built o = oracle.build(new ScalarTape(), run.weights);
            String where = "oracle, " + variant.graph() + ", CNN " + variant.mode();
            assertTrue(o.tape.spikeMargin() > 1e-5, where + ": a spike too close to a kink for finite differences: "
                    + o.tape.spikeMargin());
            Map<String, double[]> reverse = o.reverse();
            double h = 1e-6;
            StringBuilder line = new StringBuilder(where + ", reverse vs finite differences:");
            for (String name : ARRAYS) {
                double[] g = reverse.get(name);
                double scale = maxAbs(g);
                double worst = 0;
                for (int i = 0; i < g.length; i += Math.max(1, (g.length + 1) / 2)) {
                    Map<String, double[]> w = copy(run.weights);
                    double keep = w.get(name)[i];
                    w.get(name)[i] = keep + h;
                    double up = oracle.build(ScalarTape.frozen(o.tape), w).lossValue();
                    w.get(name)[i] = keep - h;
                    double down = oracle.build(ScalarTape.frozen(o.tape), w).lossValue();
                    worst = Math.max(worst, Math.abs((up - down) / (2 * h) - g[i]) / scale);
                }
                line.append(String.format(Locale.ROOT, " %s %.1e", name, worst));
                assertTrue(worst < 1e-8, where + ": " + name + " vs finite differences " + worst);
            }
            System.out.println(line);
        }
    }

    private static Map<String, double[]> copy(Map<String, double[]> m) {
        Map<String, double[]> c = new LinkedHashMap<>();
        m.forEach((k, v) -> c.put(k, v.clone()));
        return c;
    }
}
