package org.eprop.learning.conv;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.tensor.Precision;
import org.junit.jupiter.api.Test;

/**
 * {@link SpikingCnn#keepTraces}: a forward without the presynaptic traces gives the same spikes,
 * pooled features, voltages and reference-mode gradient, bit for bit, and leaves the traces at zero;
 * with them (the default) the traces move.
 */
class CnnTracesTest {

    @Test
    void theReferenceModeDoesNotNeedTheTraces() {
        for (Precision p : Precision.values()) {
            ConvFixture with = new ConvFixture(ConvFixture.small(0.5, 1.0), p, 21, 1.5);
            ConvFixture without = new ConvFixture(ConvFixture.small(0.5, 1.0), p, 21, 1.5);
            without.cnn.keepTraces(false);
            SpikingCnnState sWith = with.cnn.zeroState(ConvFixture.BATCH);
            SpikingCnnState sWithout = without.cnn.zeroState(ConvFixture.BATCH);
            CnnUnroll uWith = with.cnn.newUnroll(ConvFixture.AGENT_STEPS, ConvFixture.BATCH, true);
            CnnUnroll uWithout = without.cnn.newUnroll(ConvFixture.AGENT_STEPS, ConvFixture.BATCH, true);
            with.cnn.forward(with.frames, sWith, uWith);
            without.cnn.forward(without.frames, sWithout, uWithout);
            assertArrayEquals(uWith.conv2Spikes().toDoubleArray(), uWithout.conv2Spikes().toDoubleArray(), 0, p + " spikes");
            assertArrayEquals(uWith.pooled1().toDoubleArray(), uWithout.pooled1().toDoubleArray(), 0, p + " pooled conv1");
            assertArrayEquals(uWith.pooled2().toDoubleArray(), uWithout.pooled2().toDoubleArray(), 0, p + " pooled conv2");
            assertArrayEquals(uWith.conv1Voltages().toDoubleArray(), uWithout.conv1Voltages().toDoubleArray(), 0,
                    p + " conv1 voltages");
            assertArrayEquals(sWith.conv2Voltage(), sWithout.conv2Voltage(), 0, p + " conv2 state");
            double[] gWith = ConvFixture.flatten(with.cnn.gradients(uWith, CnnTraining.REFERENCE, with.signals(),
                    CnnFeedback.paperDefault(with.config, ConvFixture.OUTPUTS, p, new org.eprop.learning.rng.Rng(3))));
            double[] gWithout = ConvFixture.flatten(without.cnn.gradients(uWithout, CnnTraining.REFERENCE,
                    without.signals(), CnnFeedback.paperDefault(without.config, ConvFixture.OUTPUTS, p,
                            new org.eprop.learning.rng.Rng(3))));
            assertArrayEquals(gWith, gWithout, 0, p + " reference-mode gradient");
            assertTrue(maxAbs(gWith) > 0, "a gradient to compare");
            assertTrue(maxAbs(sWith.inputTrace()) > 0 && maxAbs(sWith.conv1SpikeTrace()) > 0
                    && maxAbs(sWith.biasTrace()) > 0, p + ": the default keeps the traces");
            assertTrue(maxAbs(sWithout.inputTrace()) == 0 && maxAbs(sWithout.conv1SpikeTrace()) == 0
                    && maxAbs(sWithout.biasTrace()) == 0, p + ": without, the traces stay at zero");
        }
    }

    private static double maxAbs(double[] a) {
        double m = 0;
        for (double v : a) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }
}
