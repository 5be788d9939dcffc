package org.eprop.agent.plot;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Learning curves read from runs' {@code metrics.csv} and, for several runs of one config (seeds),
 * their mean and spread on a common abscissa.
 *
 * <p>Why a common grid: runs record a row per iteration, and iterations end at different frame
 * counts from seed to seed (an iteration lasts until every environment has finished an episode),
 * so the runs' rows do not line up. Each run is interpolated linearly at the same abscissae, over
 * the range that every run covers (nothing is extrapolated), and the statistics are taken there.
 */
public final class LearningCurves {

    /** Columns tried, in order, when no metric is named: the actor-critic's, then the supervised tasks'. */
    public static final List<String> DEFAULT_METRICS = List.of("return_recent", "test_error", "loss");

    /** What the band around the mean shows. */
    public enum Band {
        /** mean ± the standard deviation over runs (the sample one, divided by n - 1) */
        STD,
        /** the smallest and the largest run */
        MINMAX
    }

    /**
     * One run's curve: the rows of {@code metrics.csv} whose abscissa and value are both numbers,
     * in file order.
     */
    public record Curve(String name, String xColumn, String yColumn, double[] x, double[] y) {
        public Curve {
            Objects.requireNonNull(name, "name");
            if (x.length != y.length) {
                throw new IllegalArgumentException(name + ": " + x.length + " abscissae, " + y.length + " values");
            }
        }
    }

    /** The statistics over runs at each abscissa; {@code lower} and {@code upper} bound the band. */
    public record Aggregate(String xColumn, String yColumn, Band band, int runs, double[] x, double[] mean,
            double[] lower, double[] upper) {
    }

    private LearningCurves() {
    }

    /** A run's {@code metrics.csv}: the file itself, or the one in a run directory. */
    public static Path metricsFile(Path run) {
        return Files.isDirectory(run) ? run.resolve("metrics.csv") : run;
    }

    /** The header of a run's {@code metrics.csv}. */
    public static List<String> columns(Path run) throws IOException {
        Path csv = metricsFile(run);
        if (!Files.isRegularFile(csv)) {
            throw new IllegalArgumentException(run + " has no metrics.csv (is it a run directory?)");
        }
        try (var lines = Files.lines(csv)) {
            String header = lines.findFirst().orElseThrow(() -> new IllegalArgumentException(csv + " is empty"));
            return List.of(header.split(",", -1));
        }
    }

    /**
     * The abscissa for these runs: {@code frames} when every run has it (the actor-critic's
     * emulator frames), else {@code iteration} (supervised runs have no frames).
     */
    public static String abscissa(List<Path> runs) throws IOException {
        boolean frames = true;
        for (Path r : runs) {
            List<String> c = columns(r);
            if (!c.contains("frames")) {
                frames = false;
            }
            if (!c.contains("iteration")) {
                throw new IllegalArgumentException(metricsFile(r) + " has no iteration column: " + c);
            }
        }
        return frames ? "frames" : "iteration";
    }

    /**
     * The first of {@link #DEFAULT_METRICS} that every run has with at least one value, for
     * {@link #read}.
     */
    public static String defaultMetric(List<Path> runs, String xColumn) throws IOException {
        for (String metric : DEFAULT_METRICS) {
            boolean everywhere = true;
            for (Path r : runs) {
                if (!columns(r).contains(metric) || read(r, xColumn, metric).x().length == 0) {
                    everywhere = false;
                    break;
                }
            }
            if (everywhere) {
                return metric;
            }
        }
        throw new IllegalArgumentException("none of " + DEFAULT_METRICS + " has values in every run; name one "
                + "with --metric (columns of " + runs.get(0) + ": " + columns(runs.get(0)) + ")");
    }

    /** Run {@code run}'s values of {@code yColumn} against {@code xColumn}; rows without both are left out. */
    public static Curve read(Path run, String xColumn, String yColumn) throws IOException {
        List<String> lines = Files.readAllLines(metricsFile(run));
        if (lines.isEmpty()) {
            throw new IllegalArgumentException(metricsFile(run) + " is empty");
        }
        List<String> header = List.of(lines.get(0).split(",", -1));
        int xc = header.indexOf(xColumn);
        int yc = header.indexOf(yColumn);
        if (xc < 0 || yc < 0) {
            throw new IllegalArgumentException(metricsFile(run) + " has no column '" + (xc < 0 ? xColumn : yColumn)
                    + "'; it has " + header);
        }
        double[] x = new double[lines.size() - 1];
        double[] y = new double[lines.size() - 1];
        int n = 0;
        for (int i = 1; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            String[] f = lines.get(i).split(",", -1);
            double xv = f.length > xc ? number(f[xc]) : Double.NaN;
            double yv = f.length > yc ? number(f[yc]) : Double.NaN;
            if (Double.isFinite(xv) && Double.isFinite(yv)) {
                x[n] = xv;
                y[n] = yv;
                n++;
            }
        }
        Path dir = (Files.isDirectory(run) ? run : run.toAbsolutePath().getParent()).toAbsolutePath().normalize();
        String name = dir.getFileName() == null ? run.toString() : dir.getFileName().toString();
        return new Curve(name, xColumn, yColumn, java.util.Arrays.copyOf(x, n), java.util.Arrays.copyOf(y, n));
    }

    private static double number(String s) {
        if (s.isEmpty()) {
            return Double.NaN; // how MetricsLog writes a value that was not measured
        }
        try {
            return Double.parseDouble(s);
        } catch (NumberFormatException e) {
            return Double.NaN;
        }
    }

    /**
     * The mean and band of the curves at {@code points} evenly spaced abscissae from the largest
     * first abscissa to the smallest last one (both included), each curve interpolated linearly.
     *
     * @throws IllegalArgumentException with fewer than two curves, an empty curve, or curves whose
     *     ranges do not overlap
     */
    public static Aggregate aggregate(List<Curve> curves, int points, Band band) {
        if (curves.size() < 2) {
            throw new IllegalArgumentException("a mean and band need at least two runs, got " + curves.size());
        }
        if (points < 2) {
            throw new IllegalArgumentException("the grid needs at least 2 points, got " + points);
        }
        double from = Double.NEGATIVE_INFINITY;
        double to = Double.POSITIVE_INFINITY;
        for (Curve c : curves) {
            if (c.x().length == 0) {
                throw new IllegalArgumentException(c.name() + " has no values of " + c.yColumn());
            }
            checkIncreasing(c);
            from = Math.max(from, c.x()[0]);
            to = Math.min(to, c.x()[c.x().length - 1]);
        }
        if (!(from < to)) {
            throw new IllegalArgumentException("the runs cover no common range of " + curves.get(0).xColumn() + " (from "
                    + from + " to " + to + ")");
        }
        int k = curves.size();
        double[] x = new double[points];
        double[] mean = new double[points];
        double[] lower = new double[points];
        double[] upper = new double[points];
        double[] v = new double[k];
        for (int p = 0; p < points; p++) {
            x[p] = p == points - 1 ? to : from + (to - from) * p / (points - 1);
            double sum = 0;
            double lo = Double.POSITIVE_INFINITY;
            double hi = Double.NEGATIVE_INFINITY;
            for (int r = 0; r < k; r++) {
                v[r] = interpolate(curves.get(r), x[p]);
                sum += v[r];
                lo = Math.min(lo, v[r]);
                hi = Math.max(hi, v[r]);
            }
            double m = sum / k;
            mean[p] = m;
            if (band == Band.STD) {
                double ss = 0;
                for (int r = 0; r < k; r++) {
                    ss += (v[r] - m) * (v[r] - m);
                }
                double sd = Math.sqrt(ss / (k - 1));
                lower[p] = m - sd;
                upper[p] = m + sd;
            } else {
                lower[p] = lo;
                upper[p] = hi;
            }
        }
        Curve first = curves.get(0);
        return new Aggregate(first.xColumn(), first.yColumn(), band, k, x, mean, lower, upper);
    }

    private static void checkIncreasing(Curve c) {
        for (int i = 1; i < c.x().length; i++) {
            if (!(c.x()[i] > c.x()[i - 1])) {
                throw new IllegalArgumentException(c.name() + ": " + c.xColumn() + " does not increase at row " + (i + 1)
                        + " (" + c.x()[i - 1] + ", then " + c.x()[i] + ")");
            }
        }
    }

    /** The curve's value at {@code at}, linear between its neighbouring points ({@code at} within its range). */
    static double interpolate(Curve c, double at) {
        double[] x = c.x();
        double[] y = c.y();
        int i = java.util.Arrays.binarySearch(x, at);
        if (i >= 0) {
            return y[i];
        }
        int hi = -i - 1;
        int lo = hi - 1;
        if (lo < 0 || hi >= x.length) {
            throw new IllegalArgumentException(at + " is outside " + c.name() + "'s range");
        }
        double w = (at - x[lo]) / (x[hi] - x[lo]);
        return y[lo] + w * (y[hi] - y[lo]);
    }

    /** The aggregate as CSV: {@code <x>,mean,lower,upper} per abscissa. */
    public static String csv(Aggregate a) {
        StringBuilder sb = new StringBuilder(a.xColumn()).append(",mean,lower,upper\n");
        for (int p = 0; p < a.x().length; p++) {
            sb.append(a.x()[p]).append(',').append(a.mean()[p]).append(',').append(a.lower()[p]).append(',')
                    .append(a.upper()[p]).append('\n');
        }
        return sb.toString();
    }

    /** One curve as CSV: {@code <x>,<y>} per row. */
    public static String csv(Curve c) {
        StringBuilder sb = new StringBuilder(c.xColumn()).append(',').append(c.yColumn()).append('\n');
        for (int p = 0; p < c.x().length; p++) {
            sb.append(c.x()[p]).append(',').append(c.y()[p]).append('\n');
        }
        return sb.toString();
    }

    /** The runs' curves, each read with {@link #read}. */
    public static List<Curve> readAll(List<Path> runs, String xColumn, String yColumn) throws IOException {
        List<Curve> out = new ArrayList<>();
        for (Path r : runs) {
            out.add(read(r, xColumn, yColumn));
        }
        return out;
    }
}
