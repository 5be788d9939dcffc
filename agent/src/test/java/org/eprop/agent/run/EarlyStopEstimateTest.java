package org.eprop.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class EarlyStopEstimateTest {

    /** An exactly exponential fall, 0.5 * exp(-i / 100), crosses 0.07 at i = 100 ln(0.5 / 0.07) = 196.6. */
    @Test
    void findsTheCrossingOfAnExponentialFall() {
        EarlyStopEstimate e = new EarlyStopEstimate(0.07, 10);
        for (long i = 10; i <= 60; i += 10) {
            e.add(i, 0.5 * Math.exp(-i / 100.0));
        }
        assertEquals(OptionalLong.of(197), e.iteration());
    }

    /** The fit uses the latest window only: an early plateau does not hide the fall that follows. */
    @Test
    void forgetsPointsOlderThanTheWindow() {
        EarlyStopEstimate e = new EarlyStopEstimate(0.07, 4);
        for (long i = 10; i <= 100; i += 10) {
            e.add(i, 0.5);
        }
        assertEquals(OptionalLong.empty(), e.iteration(), "a flat trend has no crossing");
        for (long i = 110; i <= 140; i += 10) {
            e.add(i, 0.5 * Math.exp(-(i - 100) / 50.0));
        }
        // 0.5 exp(-(i - 100) / 50) = 0.07 at i = 100 + 50 ln(0.5 / 0.07) = 198.3
        assertEquals(OptionalLong.of(199), e.iteration());
    }

    @Test
    void noEstimateBeforeThreePointsOrWhileNotFalling() {
        EarlyStopEstimate e = new EarlyStopEstimate(0.07, 10);
        e.add(10, 0.4);
        e.add(20, 0.3);
        assertEquals(OptionalLong.empty(), e.iteration(), "two points");
        e.add(30, Double.NaN);
        assertEquals(OptionalLong.empty(), e.iteration(), "NaN is not a point");
        e.add(30, 0.45);
        e.add(40, 0.5);
        assertEquals(OptionalLong.empty(), e.iteration(), "rising trend");
    }

    @Test
    void anErrorAlreadyBelowTheThresholdGivesTheNextValidationPoint() {
        EarlyStopEstimate e = new EarlyStopEstimate(0.07, 10);
        e.add(10, 0.3);
        e.add(20, 0.2);
        e.add(30, 0.0); // an error of 0 is floored, not -infinity
        assertEquals(OptionalLong.of(40), e.iteration());
    }

    /** Never before the next validation point, where alone the stop can be decided. */
    @Test
    void aSteepFallIsNotEstimatedInThePast() {
        EarlyStopEstimate e = new EarlyStopEstimate(0.07, 10);
        e.add(10, 0.9);
        e.add(20, 0.08);
        e.add(30, 0.075);
        OptionalLong at = e.iteration();
        assertTrue(at.isPresent() && at.getAsLong() >= 40, at.toString());
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopEstimate(0, 10));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopEstimate(Double.POSITIVE_INFINITY, 10));
        assertThrows(IllegalArgumentException.class, () -> new EarlyStopEstimate(0.07, 2));
    }
}
