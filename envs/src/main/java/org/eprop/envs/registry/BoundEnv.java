package org.eprop.envs.registry;

import java.util.Objects;
import org.eprop.envs.supervised.SupervisedTask;

/**
 * An environment spec with its parameters bound: what a run config's {@code env} section resolves
 * to. A supervised task is made once and shared (making it may draw a frozen pattern); games are
 * made anew by {@link #env()} for every parallel copy an agent runs.
 */
public final class BoundEnv<P> {
    private final EnvSpec<P> spec;
    private final P params;
    private SupervisedTask task;

    public BoundEnv(EnvSpec<P> spec, P params) {
        this.spec = Objects.requireNonNull(spec, "spec");
        this.params = Objects.requireNonNull(params, "params");
    }

    public EnvSpec<P> spec() {
        return spec;
    }

    public P params() {
        return params;
    }

    public String id() {
        return spec.id();
    }

    /** A new instance behind the environment interface. */
    public org.eprop.envs.api.Env<?, ?> env() {
        return spec.env(params);
    }

    /**
     * The supervised task of a {@link TaskSpec} or {@link DiagnosticSpec}, made on first use.
     *
     * @throws IllegalStateException for a game, which has no supervised targets
     */
    public synchronized SupervisedTask task() {
        if (task == null) {
            if (spec instanceof TaskSpec<P> t) {
                task = t.task(params);
            } else if (spec instanceof DiagnosticSpec<P> d) {
                task = d.diagnostic(params);
            } else {
                throw new IllegalStateException(spec.id() + " is a " + spec.kind() + ": it has no supervised targets");
            }
        }
        return task;
    }

    /**
     * The diagnostic of a {@link DiagnosticSpec}.
     *
     * @throws IllegalStateException for any other kind
     */
    public org.eprop.envs.verify.VerificationDiagnostic diagnostic() {
        if (!(spec instanceof DiagnosticSpec<P>)) {
            throw new IllegalStateException(spec.id() + " is a " + spec.kind() + ", not a diagnostic");
        }
        return (org.eprop.envs.verify.VerificationDiagnostic) task();
    }

    /** Makes whatever the spec makes once, so that bad parameters fail now rather than mid-run. */
    public BoundEnv<P> validate() {
        if (spec instanceof GameSpec<P, ?, ?> g) {
            g.env(params).close();
        } else {
            task();
        }
        return this;
    }
}
