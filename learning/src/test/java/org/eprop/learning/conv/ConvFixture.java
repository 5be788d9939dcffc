package org.eprop.learning.conv;

import org.eprop.learning.network.Parameters;
import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.tensor.RealArray;

/** A small front end (12x12 frames, 2 filters per layer) with random frames and head gradients. */
final class ConvFixture {
    static final int AGENT_STEPS = 3;
    static final int BATCH = 2;
    static final int OUTPUTS = 3;

    final SpikingCnnConfig config;
    final SpikingCnn cnn;
    final RealArray frames;
    final RealArray gp1;
    final RealArray gp2;
    final RealArray errors;
    final int steps;

    ConvFixture(SpikingCnnConfig config, Precision precision, long seed, double frameScale) {
        this.config = config;
        this.cnn = new SpikingCnn(config, precision);
        Rng rng = new Rng(seed);
        cnn.initialise(rng);
        for (int i = 0; i < cnn.conv1().bias().length(); i++) {
            cnn.conv1().bias().set(i, 0.05 * rng.nextGaussian());
        }
        for (int i = 0; i < cnn.conv2().bias().length(); i++) {
            cnn.conv2().bias().set(i, 0.05 * rng.nextGaussian());
        }
        this.steps = AGENT_STEPS * config.stepsPerAgentStep();
        this.frames = random(precision, AGENT_STEPS * BATCH * config.conv1().inputSize(), rng, 0, frameScale);
        this.gp1 = random(precision, steps * BATCH * config.pool1().outputSize(), rng, -1, 1);
        this.gp2 = random(precision, steps * BATCH * config.pool2().outputSize(), rng, -1, 1);
        this.errors = random(precision, steps * BATCH * OUTPUTS, rng, -1, 1);
    }

    /** 12x12x1 frames, conv1 2 filters 4x4 stride 2 (5x5x2), conv2 2 filters 2x2 stride 1 (4x4x2), pools 2/1 and 2/2. */
    static SpikingCnnConfig small(double voltageCost, double regFactor) {
        return new SpikingCnnConfig(12, 12, 1, 2, 4, 2, 2, 2, 1, 2, 1, 2, 2, ScnnNeuron.reference(), 5, voltageCost,
                regFactor);
    }

    static RealArray random(Precision p, int n, Rng rng, double lo, double hi) {
        RealArray a = p.zeros(n);
        for (int i = 0; i < n; i++) {
            a.set(i, rng.uniform(lo, hi));
        }
        return a;
    }

    CnnUnroll run() {
        CnnUnroll u = cnn.newUnroll(AGENT_STEPS, BATCH, true);
        cnn.forward(frames, cnn.zeroState(BATCH), u);
        return u;
    }

    CnnSignals signals() {
        return new CnnSignals(gp1, gp2, errors);
    }

    /** The parameters in the order conv1/W, conv1/b, conv2/W, conv2/b, concatenated. */
    static double[] flatten(Parameters p) {
        int n = 0;
        for (RealArray a : p.arrays()) {
            n += a.length();
        }
        double[] out = new double[n];
        int o = 0;
        for (RealArray a : p.arrays()) {
            for (int i = 0; i < a.length(); i++) {
                out[o++] = a.get(i);
            }
        }
        return out;
    }
}
