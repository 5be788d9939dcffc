package org.eprop.agent.actorcritic;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.eprop.envs.api.Frame;
import org.eprop.learning.conv.CnnFeedback;
import org.eprop.learning.conv.CnnSignals;
import org.eprop.learning.conv.CnnTraining;
import org.eprop.learning.conv.CnnUnroll;
import org.eprop.learning.conv.SpikingCnn;
import org.eprop.learning.conv.SpikingCnnConfig;
import org.eprop.learning.conv.SpikingCnnState;
import org.eprop.learning.network.Parameters;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/**
 * The original Atari agent's front end (paper Fig. 4; docs/model.md §3.3): the gray screen, scaled
 * to [0, 1], goes through the spiking CNN; conv2's spikes are the LSNN's input and the average-pooled
 * spikes of both layers are the heads' shortcut features. The CNN's state carries on across episodes
 * and unrolls, as in the original. Acting records the unroll for the gradients, so the CNN too is
 * simulated once.
 */
final class CnnFrontEnd implements FrontEnd<Frame> {
    private final SpikingCnn cnn;
    private final SpikingCnnState state;
    /** The bootstrap step's throw-away copy of {@link #state}, kept to be refilled at every peek. */
    private final SpikingCnnState peekState;
    private final CnnTraining training;
    private final CnnFeedback feedback;
    private final int rows;
    private final int steps;
    private final int pixels;
    private final int spikes;
    private final int pooled1;
    private final int pooled2;
    private final RealArray frame;
    private final CnnUnroll bootstrap;
    private CnnUnroll recording;
    private RealArray gradient1;
    private RealArray gradient2;
    private int agentStep;
    /** The accumulator's arrays for the CNN's gradients, in the CNN's parameter order, and whose they are. */
    private RealArray[] sums;
    private Parameters sumsOf;

    CnnFrontEnd(SpikingCnnConfig config, CnnTraining training, int rows, int outputs, Precision precision, Rng rng) {
        // only the CNN's e-prop training reads the presynaptic traces
        this.cnn = new SpikingCnn(config, precision).keepTraces(training == CnnTraining.EPROP);
        cnn.initialise(rng.split(1));
        this.state = cnn.zeroState(rows);
        this.peekState = cnn.zeroState(rows);
        this.training = training;
        this.feedback = CnnFeedback.paperDefault(config, outputs, precision, rng.split(2));
        this.rows = rows;
        this.steps = config.stepsPerAgentStep();
        this.pixels = config.inputHeight() * config.inputWidth() * config.inputChannels();
        this.spikes = config.conv2().outputSize();
        this.pooled1 = config.pool1().outputSize();
        this.pooled2 = config.pool2().outputSize();
        this.frame = precision.zeros(rows * pixels);
        this.bootstrap = cnn.newUnroll(1, rows, false);
    }

    /** The feedback of the CNN's {@code eprop} training (read by the whole-agent gradient oracles). */
    CnnFeedback feedback() {
        return feedback;
    }

    @Override
    public int outputs() {
        return spikes;
    }

    @Override
    public int features() {
        return pooled1 + pooled2;
    }

    @Override
    public Parameters parameters() {
        return cnn.parameters();
    }

    /** The presynaptic traces of the CNN's e-prop training restart from zero; the voltages carry on. */
    @Override
    public void dropTraces() {
        state.clearTraces();
    }

    @Override
    public void beginUnroll(int agentSteps) {
        if (recording == null || recording.agentSteps() != agentSteps) {
            recording = cnn.newUnroll(agentSteps, rows, true);
            gradient1 = cnn.precision().zeros(agentSteps * steps * rows * pooled1);
            gradient2 = cnn.precision().zeros(agentSteps * steps * rows * pooled2);
        }
        agentStep = 0;
    }

    @Override
    public void act(List<Frame> observations, RealArray x, int width, RealArray features) {
        load(observations);
        cnn.forwardStep(frame, state, recording, agentStep);
        copyOut(recording, recording.firstStep(agentStep), x, width, features);
        agentStep++;
    }

    @Override
    public void run(List<Frame> observations, RealArray x, int width, RealArray features) {
        load(observations);
        cnn.forwardStep(frame, state, bootstrap, 0);
        copyOut(bootstrap, 0, x, width, features);
    }

    @Override
    public void peek(List<Frame> observations, RealArray x, int width, RealArray features) {
        load(observations);
        peekState.copyFrom(state);
        cnn.forwardStep(frame, peekState, bootstrap, 0);
        copyOut(bootstrap, 0, x, width, features);
    }

    /** The frames of every row as values in [0, 1]. */
    private void load(List<Frame> observations) {
        for (int b = 0; b < rows; b++) {
            Frame f = observations.get(b);
            byte[] p = f.pixels();
            if (p.length != pixels) {
                throw new IllegalArgumentException("a " + f.height() + "x" + f.width() + "x" + f.channels() + " frame for "
                        + "a CNN that takes " + pixels + " values: preprocess the screen to the CNN's input (the "
                        + "paper's: gray 84x84, env.params.preprocessing: paper)");
            }
            int base = b * pixels;
            if (frame instanceof RealArray.F32 f32) {
                // the same values as (p & 0xFF) / 255.0 rounded to float, from a table
                float[] d = f32.data();
                for (int i = 0; i < pixels; i++) {
                    d[base + i] = PIXEL32[p[i] & 0xFF];
                }
            } else {
                for (int i = 0; i < pixels; i++) {
                    frame.set(base + i, (p[i] & 0xFF) / 255.0);
                }
            }
        }
    }

    /** A pixel value's float32 input, {@code (float) (v / 255.0)}. */
    private static final float[] PIXEL32 = new float[256];

    static {
        for (int v = 0; v < 256; v++) {
            PIXEL32[v] = (float) (v / 255.0);
        }
    }

    /** conv2's spikes into the LSNN input, the pooled spikes into the features, for one agent step. */
    private void copyOut(CnnUnroll u, int first, RealArray x, int width, RealArray features) {
        RealArray z = u.conv2Spikes();
        RealArray p1 = u.pooled1();
        RealArray p2 = u.pooled2();
        int nf = pooled1 + pooled2;
        for (int s = 0; s < steps; s++) {
            for (int b = 0; b < rows; b++) {
                int row = (first + s) * rows + b;
                int out = (s * rows + b) * width;
                RealArray.copy(z, row * spikes, x, out, spikes);
                int f = (s * rows + b) * nf;
                RealArray.copy(p1, row * pooled1, features, f, pooled1);
                RealArray.copy(p2, row * pooled2, features, f + pooled1, pooled2);
            }
        }
    }

    @Override
    public void gradients(RealArray dFeatures, RealArray outputErrors, Parameters into) {
        int nf = pooled1 + pooled2;
        int stepsRows = recording.steps() * rows;
        for (int r = 0; r < stepsRows; r++) {
            RealArray.copy(dFeatures, r * nf, gradient1, r * pooled1, pooled1);
            RealArray.copy(dFeatures, r * nf + pooled1, gradient2, r * pooled2, pooled2);
        }
        Parameters g = cnn.gradients(recording, training, new CnnSignals(gradient1, gradient2, outputErrors), feedback);
        if (sums == null || sumsOf != into) {
            // resolved once: the trainer passes the same accumulator every unroll
            sums = new RealArray[g.size()];
            for (int i = 0; i < g.size(); i++) {
                sums[i] = into.get("front/" + g.name(i));
            }
            sumsOf = into;
        }
        for (int i = 0; i < g.size(); i++) {
            RealArray sum = sums[i];
            RealArray add = g.array(i);
            for (int k = 0; k < sum.length(); k++) {
                sum.add(k, add.get(k));
            }
        }
    }

    @Override
    public Map<String, double[]> state() {
        Map<String, double[]> s = new LinkedHashMap<>();
        s.put("conv1_v", state.conv1Voltage().clone());
        s.put("conv2_v", state.conv2Voltage().clone());
        s.put("input_trace", state.inputTrace().clone());
        s.put("conv1_trace", state.conv1SpikeTrace().clone());
        s.put("bias_trace", state.biasTrace().clone());
        return s;
    }

    @Override
    public void restore(Map<String, double[]> saved) {
        copy(saved, "conv1_v", state.conv1Voltage());
        copy(saved, "conv2_v", state.conv2Voltage());
        copy(saved, "input_trace", state.inputTrace());
        copy(saved, "conv1_trace", state.conv1SpikeTrace());
        copy(saved, "bias_trace", state.biasTrace());
    }

    private static void copy(Map<String, double[]> saved, String name, double[] target) {
        double[] v = saved.get(name);
        if (v == null || v.length != target.length) {
            throw new IllegalArgumentException("checkpoint CNN state '" + name + "' does not fit this CNN: was it "
                    + "written with another screen size or CNN configuration?");
        }
        System.arraycopy(v, 0, target, 0, v.length);
    }
}
