package org.eprop.learning.rng;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import org.junit.jupiter.api.Test;

class RngTest {
    @Test
    void restoringTheStateReplaysTheStreamIncludingTheCachedGaussian() {
        Rng rng = new Rng(42);
        rng.nextGaussian(); // leaves a cached second value
        long[] state = rng.state();
        double[] first = {rng.nextGaussian(), rng.nextDouble(), rng.nextGaussian(), rng.nextInt(10)};
        Rng other = new Rng(7);
        other.restore(state);
        double[] second = {other.nextGaussian(), other.nextDouble(), other.nextGaussian(), other.nextInt(10)};
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
    }

    @Test
    void aCopyGivesTheSameNumbersAndTheOriginalGoesOn() {
        Rng rng = new Rng(42);
        rng.nextGaussian(); // leaves a cached second value
        Rng copy = new Rng(7);
        copy.copyFrom(rng);
        double[] first = {rng.nextGaussian(), rng.nextDouble(), rng.nextGaussian(), rng.nextInt(10)};
        double[] second = {copy.nextGaussian(), copy.nextDouble(), copy.nextGaussian(), copy.nextInt(10)};
        assertEquals(java.util.Arrays.toString(first), java.util.Arrays.toString(second));
        rng.nextLong();
        assertNotEquals(rng.nextLong(), copy.nextLong(), "the two are independent objects");
    }

    @Test
    void momentsAreRight() {
        Rng rng = new Rng(1);
        int n = 200_000;
        double s = 0;
        double s2 = 0;
        double u = 0;
        int hits = 0;
        for (int i = 0; i < n; i++) {
            double g = rng.nextGaussian();
            s += g;
            s2 += g * g;
            u += rng.nextDouble();
            hits += rng.bernoulli(0.04) ? 1 : 0;
        }
        assertEquals(0.0, s / n, 0.01);
        assertEquals(1.0, s2 / n, 0.01);
        assertEquals(0.5, u / n, 0.005);
        assertEquals(0.04, hits / (double) n, 0.002);
    }

    @Test
    void seedsAndSplitsGiveDifferentStreams() {
        assertNotEquals(new Rng(1).nextLong(), new Rng(2).nextLong());
        Rng a = new Rng(1);
        assertNotEquals(a.split(1).nextLong(), a.split(1).nextLong());
        assertEquals(new Rng(3).split(5).nextLong(), new Rng(3).split(5).nextLong());
    }
}
