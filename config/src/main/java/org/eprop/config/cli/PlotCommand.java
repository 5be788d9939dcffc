package org.eprop.config.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eprop.agent.plot.LearningCurvePlot;
import org.eprop.agent.plot.LearningCurves;
import org.eprop.agent.run.AtomicFiles;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "plot", mixinStandardHelpOptions = true,
        description = {"Draw the learning curve of a run, or the mean and a band over several runs of one config "
                + "(seeds), from their metrics.csv.",
            "Against emulator frames when every run has a frames column (actor-critic runs), else against "
                + "iterations. Several runs are interpolated linearly on a common grid over the range all of them "
                + "cover; the band is mean ± the sample standard deviation over runs (--band std) or their "
                + "minimum and maximum (--band minmax)."})
final class PlotCommand implements Callable<Integer> {

    @Parameters(arity = "1..*", paramLabel = "RUN_DIR", description = "run directories (or their metrics.csv)")
    List<Path> runs = new ArrayList<>();

    @Option(names = "--out", paramLabel = "FILE", defaultValue = "learning-curve.png",
            description = "the PNG to write (default: ${DEFAULT-VALUE})")
    Path out;

    @Option(names = "--metric", paramLabel = "COLUMN",
            description = "the metrics.csv column to draw (default: the first of return_recent, test_error, loss "
                    + "that every run has values of)")
    String metric;

    @Option(names = "--band", defaultValue = "std", paramLabel = "std|minmax",
            description = "with several runs: std (mean ± sample std) or minmax (default: ${DEFAULT-VALUE})")
    String band;

    @Option(names = "--points", defaultValue = "200",
            description = "with several runs: points of the common grid (default: ${DEFAULT-VALUE})")
    int points;

    @Option(names = "--csv", paramLabel = "FILE", description = "also write the curve drawn (or mean and band) as CSV")
    Path csv;

    @Override
    public Integer call() throws IOException {
        LearningCurves.Band kind = switch (band.toLowerCase(Locale.ROOT)) {
            case "std" -> LearningCurves.Band.STD;
            case "minmax", "min-max" -> LearningCurves.Band.MINMAX;
            default -> throw new IllegalArgumentException("--band must be std or minmax, got " + band);
        };
        String x = LearningCurves.abscissa(runs);
        String y = metric != null ? metric : LearningCurves.defaultMetric(runs, x);
        List<LearningCurves.Curve> curves = LearningCurves.readAll(runs, x, y);
        String xLabel = x.equals("frames") ? "emulator frames" : "iteration";
        String what = y.equals("return_recent") ? "return (mean of the last 1000 training episodes)" : y;
        if (curves.size() == 1) {
            LearningCurves.Curve c = curves.get(0);
            if (c.x().length == 0) {
                throw new IllegalArgumentException(runs.get(0) + " has no values of " + y + " yet");
            }
            LearningCurvePlot.write(out, c.name() + ": " + what, xLabel, y,
                    List.of(new LearningCurvePlot.Series(c.name(), c.x(), c.y())), false);
            if (csv != null) {
                AtomicFiles.writeString(csv, LearningCurves.csv(c));
            }
            System.out.printf("%s: %s against %s, %d points%n", out, y, x, c.x().length);
            return 0;
        }
        LearningCurves.Aggregate a = LearningCurves.aggregate(curves, points, kind);
        String bandName = kind == LearningCurves.Band.STD ? "± 1 std over runs" : "min to max over runs";
        LearningCurvePlot.writeBand(out, title(curves) + ": " + what + ", " + curves.size() + " runs",
                xLabel, y, new LearningCurvePlot.Series("mean of " + curves.size() + " runs", a.x(), a.mean()),
                bandName, a.lower(), a.upper());
        if (csv != null) {
            AtomicFiles.writeString(csv, LearningCurves.csv(a));
        }
        System.out.printf("%s: %s against %s, mean and %s of %d runs on %d points from %.6g to %.6g%n", out, y, x,
                kind == LearningCurves.Band.STD ? "std" : "min-max", curves.size(), points, a.x()[0],
                a.x()[a.x().length - 1]);
        return 0;
    }

    /**
     * The runs' config name when their {@code config.yaml} files agree on one (runs of one config
     * with different seeds), else the first run's directory name and how many others there are.
     */
    private String title(List<LearningCurves.Curve> curves) {
        String common = null;
        for (Path r : runs) {
            Path config = (Files.isDirectory(r) ? r : r.toAbsolutePath().getParent()).resolve("config.yaml");
            String name = null;
            try {
                if (Files.isRegularFile(config)) {
                    for (String line : Files.readAllLines(config)) {
                        if (line.startsWith("name:")) {
                            name = line.substring(5).replaceAll("#.*", "").strip();
                            break;
                        }
                    }
                }
            } catch (IOException e) {
                name = null;
            }
            if (name == null || name.isEmpty() || (common != null && !common.equals(name))) {
                return curves.get(0).name() + " and " + (curves.size() - 1) + " more";
            }
            common = name;
        }
        return common;
    }
}
