package org.eprop.learning.gradient;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.eprop.learning.tensor.Dense;
import org.eprop.learning.tensor.Precision;
import org.eprop.learning.verify.Compare;
import org.junit.jupiter.api.Test;

/** The float32 code paths against the same computation in double precision. */
class FloatPrecisionTest {

    @Test
    void float32GradientsMatchDoublePrecisionToFloatRoundOff() {
        OracleFixture d = OracleFixture.reference(2, 42, Precision.FLOAT64);
        var x32 = Precision.FLOAT32.zeros(d.x.length());
        x32.copyFrom(d.x);
        OracleFixture f32 = new OracleFixture(d.net.toPrecision(Precision.FLOAT32), x32, d.steps, d.batch, d.loss,
                d.targets, d.reg);
        assertArrayEquals(d.trajectory.spikes().toDoubleArray(), f32.trajectory.spikes().toDoubleArray(),
                "float32 and double runs spike at the same steps");
        Rng rng = new Rng(5);
        Feedback fb64 = Feedback.random(d.net, rng, false);
        Feedback fb32 = Feedback.of(Feedback.Mode.RANDOM, toFloat(fb64.matrix(d.net)), 0);
        Dense dense32 = new Dense(Precision.FLOAT32);
        Dense dense64 = new Dense(Precision.FLOAT64);
        GradientMethod[][] pairs = {
            {new FastEprop(dense32), new FastEprop(dense64)},
            {new OnlineEprop(Precision.FLOAT32), new OnlineEprop(Precision.FLOAT64)},
            {ReverseMode.cutPath(dense32), ReverseMode.cutPath(dense64)},
            {ReverseMode.bptt(dense32), ReverseMode.bptt(dense64)},
        };
        for (GradientMethod[] pair : pairs) {
            Gradients g32 = f32.gradients(pair[0], fb32);
            Gradients g64 = d.gradients(pair[1], fb64);
            for (String w : new String[] {"in", "rec", "out"}) {
                double diff = switch (w) {
                    case "in" -> Compare.maxRelativeDifference(g32.wIn(), g64.wIn());
                    case "rec" -> Compare.maxRelativeDifference(g32.wRec(), g64.wRec());
                    default -> Compare.maxRelativeDifference(g32.wOut(), g64.wOut());
                };
                assertTrue(diff < 1e-5, pair[0].id() + " W_" + w + ": float32 vs double " + diff);
                assertTrue(diff > 0 || g64.wIn().maxAbs() == 0, pair[0].id() + ": float32 run is not float32");
            }
        }
    }

    private static org.eprop.learning.tensor.RealArray toFloat(org.eprop.learning.tensor.RealArray a) {
        var out = Precision.FLOAT32.zeros(a.length());
        out.copyFrom(a);
        return out;
    }
}
