package org.eprop.supervised.agent;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Locale;
import org.eprop.envs.verify.Comparison;
import org.eprop.envs.verify.VerificationDiagnostic;
import org.eprop.learning.tensor.Precision;
import org.eprop.agent.plot.GradientComparisonPlot;

/** Prints a diagnostic's comparisons for a reader and draws one heat map per comparison. */
public final class DiagnosticReport {
    private DiagnosticReport() {
    }

    /**
     * Prints and plots one diagnostic run.
     *
     * @return whether every comparison is within its bound
     */
    public static boolean report(VerificationDiagnostic diagnostic, Precision precision,
            VerificationDiagnostic.Result result, Path plotDir, PrintStream out) throws IOException {
        String p = precision == Precision.FLOAT64 ? "float64" : "float32";
        out.printf(Locale.ROOT, "%n== %s, %s: %d steps, %d spikes, loss %.6g%n", diagnostic.id(), p,
                diagnostic.steps(), result.spikes(), result.loss());
        boolean ok = true;
        for (Comparison c : result.comparisons()) {
            out.printf(Locale.ROOT, "%n%s gradient (rows: presynaptic i, columns: postsynaptic j)%n", c.name());
            printMatrix(out, c.leftName(), c.left(), c.rows(), c.cols());
            printMatrix(out, c.rightName(), c.right(), c.rows(), c.cols());
            double d = c.maxRelativeDifference();
            boolean pass = c.passes();
            ok &= pass;
            out.printf(Locale.ROOT, "max relative difference max|a-b|/max|b| = %.2e  (bound %.0e)  %s%n", d, c.bound(),
                    pass ? "PASS" : "FAIL");
            String file = diagnostic.id().replace('/', '-') + "-" + p + "-" + c.name().toLowerCase(Locale.ROOT)
                    .replace("_", "") + ".png";
            GradientComparisonPlot.write(plotDir.resolve(file), diagnostic.id() + " (" + p + "), " + c.name(),
                    c.leftName(), Comparison.matrix(c.left(), c.rows(), c.cols()), c.rightName(),
                    Comparison.matrix(c.right(), c.rows(), c.cols()));
            out.println("heat map: " + plotDir.resolve(file));
        }
        return ok;
    }

    private static void printMatrix(PrintStream out, String name, double[] m, int rows, int cols) {
        out.println("  " + name + ":");
        for (int i = 0; i < rows; i++) {
            StringBuilder line = new StringBuilder("    ");
            for (int j = 0; j < cols; j++) {
                line.append(String.format(Locale.ROOT, "%12.4e", m[i * cols + j]));
            }
            out.println(line);
        }
    }
}
