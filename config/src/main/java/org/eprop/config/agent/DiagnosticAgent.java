package org.eprop.config.agent;

import java.io.IOException;
import org.eprop.envs.supervised.SupervisedTask;
import org.eprop.envs.verify.VerificationDiagnostic;

/** Runs a verification diagnostic in the configured precision and checks its bounds. */
public final class DiagnosticAgent implements Agent {
    public static final String ID = "diagnostic";

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "runs a gradient diagnostic (verify/*) and checks its bound; exit code 1 when it fails";
    }

    @Override
    public boolean accepts(SupervisedTask task) {
        return task instanceof VerificationDiagnostic;
    }

    @Override
    public int run(RunContext ctx) throws IOException {
        if (!(ctx.task() instanceof VerificationDiagnostic diagnostic)) {
            throw new IllegalArgumentException("agent 'diagnostic' runs only the verify/* environments, not "
                    + ctx.task().id());
        }
        var precision = ctx.config().network().precision();
        var result = diagnostic.run(ctx.config().seed(), precision);
        boolean ok = DiagnosticReport.report(diagnostic, precision, result, ctx.directory().plots(), ctx.out());
        ctx.out().println(ok ? "diagnostic passed" : "diagnostic FAILED");
        return ok ? 0 : 1;
    }
}
