package org.eprop.envs.supervised;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.envs.verify.Comparison;
import org.eprop.envs.verify.VerificationDiagnostic;
import org.eprop.envs.verify.VerificationDiagnostic.Mode;
import org.eprop.learning.tensor.Precision;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class VerificationDiagnosticTest {

    @ParameterizedTest
    @EnumSource(Mode.class)
    void diagnosticsPassTheirBoundsInBothPrecisions(Mode mode) {
        VerificationDiagnostic d = new VerificationDiagnostic(mode, VerificationDiagnostic.Params.reference(mode));
        assertEquals(mode == Mode.FACTORIZATION ? 50 : mode == Mode.UNROLL_CARRY ? 100 : 10, d.steps());
        for (Precision p : Precision.values()) {
            var result = d.run(42, p);
            assertTrue(result.spikes() > 0, "the network must spike");
            for (Comparison c : result.comparisons()) {
                double bound = p == Precision.FLOAT64 ? 1e-12 : 1e-5;
                assertEquals(bound, c.bound());
                assertTrue(c.passes(), mode + " " + p + " " + c.name() + ": " + c.maxRelativeDifference());
                double max = 0;
                for (double v : c.right()) {
                    max = Math.max(max, Math.abs(v));
                }
                assertTrue(max > 0, "a zero gradient would make the comparison vacuous");
                // Two float32 computations of unroll-carry may legitimately agree to the bit.
                if (p == Precision.FLOAT32 && mode != Mode.UNROLL_CARRY) {
                    assertTrue(c.maxRelativeDifference() > 0, "float32 is float32");
                }
            }
        }
    }
}
