package org.eprop.agent.eval;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The tests against values computed by hand (and checked with scipy.stats). */
class StatisticsTest {
    private static final double[] A = {1, 0, 1, 1, -1, 1, 0, 1};
    private static final double[] B = {-1, -1, 1, -1, 0, -1, 1, -1};

    @Test
    void welchMatchesAHandComputedCase() {
        // mean A = 0.5, var A = 4/7; mean B = -0.375, var B = 47/56: t = 0.875 / sqrt(4/56 + 47/448)
        double qa = 4.0 / 7 / 8;
        double qb = 47.0 / 56 / 8;
        double t = 0.875 / Math.sqrt(qa + qb);
        double df = (qa + qb) * (qa + qb) / (qa * qa / 7 + qb * qb / 7);
        Statistics.TTest w = Statistics.welch(A, B);
        assertEquals(t, w.t(), 1e-12);
        assertEquals(2.0836919522565553, w.t(), 1e-12);
        assertEquals(df, w.df(), 1e-9);
        assertEquals(13.512836374884008, w.df(), 1e-9);
        // scipy.stats.ttest_ind(A, B, equal_var=False, alternative='greater').pvalue
        assertEquals(0.028347082105067357, w.p(), 1e-10);
        assertEquals(0.5, Statistics.mean(A), 0);
        assertEquals(Math.sqrt(4.0 / 7 / 8), Statistics.standardError(A), 1e-15);
    }

    @Test
    void pairedAndSignTests() {
        Statistics.TTest p = Statistics.pairedT(A, B);
        assertEquals(1.8248553606734539, p.t(), 1e-12);
        assertEquals(7, p.df(), 0);
        assertEquals(0.05538878150045596, p.p(), 1e-10);
        // differences 2, 1, 0, 2, -1, 2, -1, 2: 5 wins, 2 losses, 1 tie; P(Bin(7, 1/2) >= 5) = 29/128
        Statistics.SignTest s = Statistics.signTest(A, B);
        assertEquals(5, s.wins());
        assertEquals(2, s.losses());
        assertEquals(1, s.ties());
        assertEquals(29.0 / 128, s.p(), 1e-12);
    }

    @Test
    void studentTailsAndEdgeCases() {
        assertEquals(0.03669401738537018, Statistics.studentUpperTail(2.0, 10), 1e-12);
        assertEquals(0.5, Statistics.studentUpperTail(0, 3), 1e-15);
        assertEquals(1 - 0.03669401738537018, Statistics.studentUpperTail(-2.0, 10), 1e-12);
        assertEquals(0.0, Statistics.welch(new double[] {1, 1}, new double[] {0, 0}).p(), 0);
        assertTrue(Double.isNaN(Statistics.welch(new double[] {1}, B).p()), "one episode: no variance");
        assertTrue(Statistics.welch(new double[] {0, 0, 0, 1}, new double[] {0, 0, 0, 0}).p() > 0.1);
    }
}
