package org.eprop.supervised.agent;

import java.io.IOException;
import org.eprop.agent.Agent;
import org.eprop.agent.RunContext;
import org.eprop.envs.params.Checks;
import org.eprop.envs.params.Validated;
import org.eprop.envs.registry.DiagnosticSpec;
import org.eprop.envs.registry.EnvSpec;
import org.eprop.envs.verify.VerificationDiagnostic;

/** Runs a verification diagnostic in the configured precision and checks its bounds. */
public final class DiagnosticAgent implements Agent<DiagnosticAgent.Params> {
    public static final String ID = "diagnostic";

    /**
     * Bounds on the max relative difference {@code max|a-b|/max|b|} of every comparison.
     *
     * @param doubleBound in float64 (machine precision: 1e-12)
     * @param floatBound in float32
     */
    public record Params(Double doubleBound, Double floatBound) implements Validated {
        @Override
        public void validate(Checks c) {
            c.positive("double_bound", doubleBound);
            c.positive("float_bound", floatBound);
        }
    }

    @Override
    public String id() {
        return ID;
    }

    @Override
    public String description() {
        return "runs a gradient diagnostic (verify/*) and checks its bound; exit code 1 when it fails";
    }

    @Override
    public Class<Params> paramsType() {
        return Params.class;
    }

    @Override
    public Params defaultParams() {
        return new Params(VerificationDiagnostic.DOUBLE_BOUND, VerificationDiagnostic.FLOAT_BOUND);
    }

    @Override
    public boolean accepts(EnvSpec<?> env) {
        return env instanceof DiagnosticSpec<?>;
    }

    @Override
    public boolean isDefaultFor(EnvSpec<?> env) {
        return accepts(env);
    }

    @Override
    public int run(RunContext ctx, Params params) throws IOException {
        VerificationDiagnostic diagnostic = ctx.setup().env().diagnostic()
                .withBounds(params.doubleBound(), params.floatBound());
        var precision = ctx.setup().network().precision();
        var result = diagnostic.run(ctx.setup().seed(), precision);
        boolean ok = DiagnosticReport.report(diagnostic, precision, result, ctx.directory().plots(), ctx.out());
        ctx.out().println(ok ? "diagnostic passed" : "diagnostic FAILED");
        return ok ? 0 : 1;
    }
}
