package org.eprop.agent.actorcritic;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.eprop.learning.rng.Rng;
import org.junit.jupiter.api.Test;

/** Tests of {@link EpisodeCurriculum}. */
class CurriculumTest {

    @Test
    void cubicGrowthGivesTheOriginalSequence() {
        int[] expected = {200, 321, 483, 692, 954, 1275, 1661, 2118, 2652, 3269, 3975};
        int cap = 200;
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i], cap, "growth " + i);
            cap = EpisodeCurriculum.grow(cap, 1, true);
        }
        assertEquals(205, EpisodeCurriculum.grow(200, 5, false));
    }

    @Test
    void referenceSettingsAreTheOriginalFlags() {
        EpisodeCurriculum.Settings s = EpisodeCurriculum.Settings.reference();
        assertEquals(200, s.initialCap());
        assertEquals(70_000_000L, s.growEvery());
        assertEquals(1, s.growBy());
        assertEquals(25, s.jitter());
        assertTrue(s.cubic());
    }

    @Test
    void baseGrowsEveryIntervalMeasuredFromTheLastGrowthWithoutJitter() {
        EpisodeCurriculum c = new EpisodeCurriculum(new EpisodeCurriculum.Settings(200, 1000, 1, 0, true), new Rng(1));
        assertEquals(200, c.cap());
        // frames after each iteration, 300 per iteration
        int[] caps = new int[12];
        for (int i = 0; i < caps.length; i++) {
            caps[i] = c.endIteration(300L * (i + 1));
        }
        // 1200 > 0 + 1000: growth after iteration 4 (frames 1200), visible from iteration 5;
        // the next needs frames > 2200, i.e. 2400 (iteration 8), visible from iteration 9
        assertArrayEquals(new int[] {200, 200, 200, 200, 321, 321, 321, 321, 483, 483, 483, 483}, caps);
        assertEquals(692, c.baseCap());
    }

    @Test
    void referenceScheduleReachesThe7e7FrameGrowthsWithJitterAroundTheBase() {
        EpisodeCurriculum c = new EpisodeCurriculum(EpisodeCurriculum.Settings.reference(), new Rng(5));
        long frames = 0;
        int previousBase = c.baseCap();
        int growths = 0;
        // 12,800 frames per iteration (32 x 100 x 4), as in the original
        while (frames < 3.6e8) {
            frames += 12_800;
            int base = c.baseCap();
            int cap = c.endIteration(frames);
            assertTrue(cap >= base - 25 && cap <= base + 24, "cap " + cap + " around base " + base);
            if (c.baseCap() != previousBase) {
                growths++;
                previousBase = c.baseCap();
            }
        }
        assertEquals(5, growths);
        assertEquals(1275, c.baseCap());
    }

    @Test
    void jitterCoversExactlyMinusJToJMinusOne() {
        EpisodeCurriculum c = new EpisodeCurriculum(new EpisodeCurriculum.Settings(200, Long.MAX_VALUE / 2, 1, 25, true),
                new Rng(9));
        int[] counts = new int[51];
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            int offset = c.endIteration(i) - 200;
            assertTrue(offset >= -25 && offset <= 24, "jitter " + offset);
            counts[offset + 25]++;
        }
        assertEquals(0, counts[50]);
        for (int k = 0; k < 50; k++) {
            assertTrue(Math.abs(counts[k] - n / 50.0) < 5 * Math.sqrt(n / 50.0), "offset " + (k - 25) + ": " + counts[k]);
        }
    }

    @Test
    void reproducibleFromASeedAndAcrossSaveAndRestore() {
        EpisodeCurriculum.Settings s = new EpisodeCurriculum.Settings(200, 10_000, 1, 25, true);
        EpisodeCurriculum a = new EpisodeCurriculum(s, new Rng(42));
        EpisodeCurriculum b = new EpisodeCurriculum(s, new Rng(42));
        for (int i = 1; i <= 100; i++) {
            assertEquals(a.endIteration(1280L * i), b.endIteration(1280L * i));
        }
        long[] saved = a.state();
        int[] continued = new int[200];
        for (int i = 0; i < continued.length; i++) {
            continued[i] = a.endIteration(1280L * (101 + i));
        }
        EpisodeCurriculum resumed = new EpisodeCurriculum(s, new Rng(0));
        resumed.restore(saved);
        assertEquals(b.baseCap(), resumed.baseCap());
        assertEquals(b.cap(), resumed.cap());
        for (int i = 0; i < continued.length; i++) {
            assertEquals(continued[i], resumed.endIteration(1280L * (101 + i)), "iteration " + (101 + i));
        }
        assertTrue(a.baseCap() > 321, "growths happened within the test: " + a.baseCap());
        assertThrows(IllegalArgumentException.class, () -> resumed.restore(new long[3]));
    }

    @Test
    void rejectsBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> new EpisodeCurriculum.Settings(0, 1, 1, 0, true));
        assertThrows(IllegalArgumentException.class, () -> new EpisodeCurriculum.Settings(20, 1, 1, 20, true));
        assertThrows(IllegalArgumentException.class, () -> new EpisodeCurriculum.Settings(200, 0, 1, 25, true));
    }

    @Test
    void anUnboundedCapThatDoesNotGrowSurvivesAnyNumberOfFrames() {
        // A disabled curriculum: cap Integer.MAX_VALUE, growth by 0. Growing it would overflow int.
        EpisodeCurriculum c = new EpisodeCurriculum(new EpisodeCurriculum.Settings(Integer.MAX_VALUE, 1000, 0, 0, true),
                new org.eprop.learning.rng.Rng(1));
        for (long frames = 0; frames <= 10_000_000_000L; frames += 1_000_000_000L) {
            assertEquals(Integer.MAX_VALUE, c.endIteration(frames), "frames " + frames);
        }
        assertEquals(Integer.MAX_VALUE, c.baseCap());
        org.junit.jupiter.api.Assertions.assertThrows(ArithmeticException.class,
                () -> EpisodeCurriculum.grow(Integer.MAX_VALUE, 1, true), "what growth would have done");
    }
}
