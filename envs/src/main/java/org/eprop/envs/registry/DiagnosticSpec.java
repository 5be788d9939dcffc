package org.eprop.envs.registry;

import java.util.Objects;
import java.util.function.Function;
import org.eprop.envs.supervised.SupervisedEnv;
import org.eprop.envs.verify.VerificationDiagnostic;

/** A gradient diagnostic ({@code verify/*}): runs a check with its own network instead of training. */
public record DiagnosticSpec<P>(String id, String description, Class<P> paramsType, P defaultParams,
        Function<P, VerificationDiagnostic> factory) implements EnvSpec<P> {

    public DiagnosticSpec {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(paramsType, "paramsType");
        Objects.requireNonNull(factory, "factory");
    }

    public VerificationDiagnostic diagnostic(P params) {
        return factory.apply(params);
    }

    /** The diagnostic's trials behind the environment interface. */
    @Override
    public SupervisedEnv env(P params) {
        return new SupervisedEnv(diagnostic(params));
    }

    @Override
    public String kind() {
        return "diagnostic";
    }
}
