package org.eprop.config.cli;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.eprop.supervised.agent.DiagnosticReport;
import org.eprop.envs.verify.VerificationDiagnostic;
import org.eprop.learning.tensor.Precision;
import org.eprop.agent.run.RunDirectory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "verify", mixinStandardHelpOptions = true,
        description = {"Run the gradient diagnostics in double and float32: the two numerical verification scripts of the",
            "original repository, verify/factorization (paper eq. 1 against BPTT) and verify/hardcoded-vs-autodiff",
            "(eqs. 4 + 25 against reverse mode with the recurrent and reset paths cut), and verify/unroll-carry",
            "(every gradient method across unrolls with carried state and across episode resets). Prints the",
            "gradients and their max relative difference, writes a heat map of each comparison, and exits with 1",
            "when a difference exceeds its bound (double: 1e-12, float32: 1e-5)."})
final class VerifyCommand implements Callable<Integer> {

    @Option(names = "--seed", defaultValue = "42", description = "seed of the network and the trial (default: ${DEFAULT-VALUE})")
    long seed;

    @Option(names = "--runs-dir", defaultValue = "runs", description = "where the verify-<time> directory with the "
            + "heat maps goes (default: ${DEFAULT-VALUE})")
    Path runsDir;

    @Option(names = "--double-bound", defaultValue = "1e-12",
            description = "bound on the max relative difference in float64 (default: ${DEFAULT-VALUE})")
    double doubleBound;

    @Option(names = "--float-bound", defaultValue = "1e-5",
            description = "bound on the max relative difference in float32 (default: ${DEFAULT-VALUE})")
    double floatBound;

    @Override
    public Integer call() throws Exception {
        RunDirectory dir = RunDirectory.create(runsDir, "verify", Clock.systemDefaultZone());
        boolean ok = true;
        StringBuilder table = new StringBuilder();
        for (VerificationDiagnostic.Mode mode : VerificationDiagnostic.Mode.values()) {
            VerificationDiagnostic diagnostic = new VerificationDiagnostic(mode, VerificationDiagnostic.Params.reference(mode),
                    doubleBound, floatBound);
            for (Precision precision : new Precision[] {Precision.FLOAT64, Precision.FLOAT32}) {
                var result = diagnostic.run(seed, precision);
                ok &= DiagnosticReport.report(diagnostic, precision, result, dir.plots(), System.out);
                for (var c : result.comparisons()) {
                    table.append(String.format(Locale.ROOT, "  %-30s %-8s %-38s %10.2e %8.0e  %s%n", mode.id(),
                            precision == Precision.FLOAT64 ? "float64" : "float32", c.name(), c.maxRelativeDifference(),
                            c.bound(), c.passes() ? "PASS" : "FAIL"));
                }
            }
        }
        System.out.printf(Locale.ROOT, "%nSummary (max relative difference = max|a-b|/max|b|)%n  %-30s %-8s %-38s %10s %8s%n%s",
                "diagnostic", "precision", "weights", "max rel", "bound", table);
        System.out.println("heat maps: " + dir.plots());
        System.out.println(ok ? "all diagnostics passed" : "a diagnostic FAILED");
        return ok ? 0 : 1;
    }
}
