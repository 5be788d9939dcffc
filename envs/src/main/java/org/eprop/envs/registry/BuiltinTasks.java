package org.eprop.envs.registry;

import java.util.List;
import org.eprop.envs.cue.EvidenceAccumulation;
import org.eprop.envs.pattern.PatternGeneration;
import org.eprop.envs.verify.VerificationDiagnostic;

/** The supervised tasks and diagnostics that ship with the project. */
public final class BuiltinTasks {
    private BuiltinTasks() {
    }

    public static List<EnvSpec<?>> all() {
        return List.of(
                new TaskSpec<>(EvidenceAccumulation.ID,
                        "Fig. 3 evidence accumulation: 7 cues left/right, 1050 ms delay, decide the majority side",
                        EvidenceAccumulation.Timing.class, EvidenceAccumulation.Timing.reference(), EvidenceAccumulation::new),
                new TaskSpec<>(PatternGeneration.ID,
                        "Fig. S7 pattern generation: a frozen Poisson pattern drives the readout along a sum of sines",
                        PatternGeneration.Params.class, PatternGeneration.Params.reference(), PatternGeneration::new),
                diagnostic(VerificationDiagnostic.Mode.FACTORIZATION,
                        "diagnostic: paper eq. (1), eligibility traces x BPTT's dE/dz against BPTT"),
                diagnostic(VerificationDiagnostic.Mode.HARDCODED_VS_AUTODIFF,
                        "diagnostic: hard-coded e-prop (eqs. 4, 25) against autodiff with the recurrent/reset paths cut"),
                diagnostic(VerificationDiagnostic.Mode.UNROLL_CARRY,
                        "diagnostic: every gradient method across unroll boundaries (state carried) and episode resets"));
    }

    private static DiagnosticSpec<VerificationDiagnostic.Params> diagnostic(VerificationDiagnostic.Mode mode, String text) {
        return new DiagnosticSpec<>(mode.id(), text, VerificationDiagnostic.Params.class,
                VerificationDiagnostic.Params.reference(mode), p -> new VerificationDiagnostic(mode, p));
    }
}
