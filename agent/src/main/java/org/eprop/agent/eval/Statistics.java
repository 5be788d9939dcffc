package org.eprop.agent.eval;

/**
 * The statistics of an evaluation: mean and standard error of a sample of returns, and one-sided
 * tests that a policy scores higher than another: Welch's unequal-variance t-test (independent
 * samples), the paired t-test and the sign test (the same seeds give paired episodes).
 *
 * <p>The Student t distribution is evaluated through the regularised incomplete beta function
 * (continued fraction, Numerical Recipes §6.4), accurate to about 1e-12 for the p-values here.
 */
public final class Statistics {
    private Statistics() {
    }

    /** A t-test's statistic, degrees of freedom and one-sided p-value (NaN where undefined). */
    public record TTest(double t, double df, double p) {
    }

    /** A sign test: pairs won, lost and tied, and the one-sided p-value P(wins >= observed | fair coin). */
    public record SignTest(int wins, int losses, int ties, double p) {
    }

    public static double mean(double[] x) {
        if (x.length == 0) {
            return Double.NaN;
        }
        double s = 0;
        for (double v : x) {
            s += v;
        }
        return s / x.length;
    }

    /** The unbiased sample variance (n - 1); NaN below two values. */
    public static double variance(double[] x) {
        if (x.length < 2) {
            return Double.NaN;
        }
        double m = mean(x);
        double s = 0;
        for (double v : x) {
            s += (v - m) * (v - m);
        }
        return s / (x.length - 1);
    }

    /** The standard error of the mean, {@code sqrt(var / n)}; NaN below two values. */
    public static double standardError(double[] x) {
        return Math.sqrt(variance(x) / x.length);
    }

    /**
     * Welch's t-test of {@code mean(a) > mean(b)}: {@code t = (mean a - mean b) / sqrt(va/na + vb/nb)},
     * Welch-Satterthwaite degrees of freedom, {@code p = P(T_df >= t)}. With both variances zero the
     * p-value is 0 (a higher mean), 1 (lower) or NaN (equal).
     */
    public static TTest welch(double[] a, double[] b) {
        if (a.length < 2 || b.length < 2) {
            return new TTest(Double.NaN, Double.NaN, Double.NaN);
        }
        double qa = variance(a) / a.length;
        double qb = variance(b) / b.length;
        double diff = mean(a) - mean(b);
        double se2 = qa + qb;
        if (se2 == 0) {
            return degenerate(diff);
        }
        double t = diff / Math.sqrt(se2);
        double df = se2 * se2 / (qa * qa / (a.length - 1) + qb * qb / (b.length - 1));
        return new TTest(t, df, studentUpperTail(t, df));
    }

    /** The paired t-test of {@code mean(a - b) > 0} over pairs {@code (a[i], b[i])}. */
    public static TTest pairedT(double[] a, double[] b) {
        double[] d = differences(a, b);
        if (d.length < 2) {
            return new TTest(Double.NaN, Double.NaN, Double.NaN);
        }
        double m = mean(d);
        double v = variance(d);
        if (v == 0) {
            return degenerate(m);
        }
        double t = m / Math.sqrt(v / d.length);
        double df = d.length - 1;
        return new TTest(t, df, studentUpperTail(t, df));
    }

    /** The sign test of {@code a[i] > b[i]}: ties are dropped, p = P(Binomial(wins + losses, 1/2) >= wins). */
    public static SignTest signTest(double[] a, double[] b) {
        double[] d = differences(a, b);
        int wins = 0;
        int losses = 0;
        for (double v : d) {
            if (v > 0) {
                wins++;
            } else if (v < 0) {
                losses++;
            }
        }
        int n = wins + losses;
        double p = n == 0 ? Double.NaN : 0;
        // sum_{k >= wins} C(n, k) / 2^n, in logs so that large n neither overflows nor underflows
        for (int k = wins; k <= n && n > 0; k++) {
            p += Math.exp(logChoose(n, k) - n * Math.log(2));
        }
        return new SignTest(wins, losses, d.length - n, n == 0 ? p : Math.min(1, p));
    }

    /** {@code P(T_df >= t)} for Student's t with {@code df > 0} degrees of freedom. */
    public static double studentUpperTail(double t, double df) {
        if (Double.isNaN(t) || Double.isNaN(df) || df <= 0) {
            return Double.NaN;
        }
        if (Double.isInfinite(t)) {
            return t > 0 ? 0 : 1;
        }
        double tail = 0.5 * regularizedBeta(df / (df + t * t), df / 2, 0.5); // P(T >= |t|)
        return t >= 0 ? tail : 1 - tail;
    }

    private static TTest degenerate(double diff) {
        double p = diff > 0 ? 0 : diff < 0 ? 1 : Double.NaN;
        return new TTest(diff > 0 ? Double.POSITIVE_INFINITY : diff < 0 ? Double.NEGATIVE_INFINITY : Double.NaN,
                Double.NaN, p);
    }

    private static double[] differences(double[] a, double[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("paired samples need the same length, got " + a.length + " and "
                    + b.length);
        }
        double[] d = new double[a.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = a[i] - b[i];
        }
        return d;
    }

    private static double logChoose(int n, int k) {
        return logGamma(n + 1.0) - logGamma(k + 1.0) - logGamma(n - k + 1.0);
    }

    /** I_x(a, b), the regularised incomplete beta function. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) {
            return 0;
        }
        if (x >= 1) {
            return 1;
        }
        double front = Math.exp(logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
        if (x < (a + 1) / (a + b + 2)) {
            return front * betaFraction(x, a, b) / a;
        }
        return 1 - front * betaFraction(1 - x, b, a) / b;
    }

    private static double betaFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        d = Math.abs(d) < tiny ? tiny : d;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            d = Math.abs(d) < tiny ? tiny : d;
            c = 1 + aa / c;
            c = Math.abs(c) < tiny ? tiny : c;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-15) {
                break;
            }
        }
        return h;
    }

    /** ln Gamma(x) for x > 0 (Lanczos, g = 7, n = 9; relative error below 1e-14). */
    static double logGamma(double x) {
        final double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313,
            -176.61502916214059, 12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6,
            1.5056327351493116e-7};
        if (x < 0.5) {
            return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        }
        x -= 1;
        double s = c[0];
        for (int i = 1; i < 9; i++) {
            s += c[i] / (x + i);
        }
        double t = x + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(s);
    }
}
