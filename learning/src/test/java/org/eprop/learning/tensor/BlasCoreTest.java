package org.eprop.learning.tensor;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class BlasCoreTest {
    /** The flags line of an Emerald Rapids VM, where OpenBLAS 0.3.19 falls back to Prescott. */
    private static final String EMERALD = "processor\t: 0\nvendor_id\t: GenuineIntel\nmodel\t\t: 207\n"
            + "flags\t\t: fpu sse sse2 ssse3 fma sse4_1 sse4_2 avx avx2 avx512f avx512dq avx512cd avx512bw "
            + "avx512vl avx512_bf16\n\nprocessor\t: 1\nflags\t\t: fpu\n";

    @Test
    void recommendsTheWidestVectorUnitTheFlagsAllow() {
        assertEquals(Optional.of("SkylakeX"), BlasCore.recommended(BlasCore.flags(EMERALD)));
        assertEquals(Optional.of("Haswell"), BlasCore.recommended(Set.of("avx", "avx2", "fma", "avx512f")));
        assertEquals(Optional.of("Sandybridge"), BlasCore.recommended(Set.of("avx", "sse4_2")));
        assertEquals(Optional.empty(), BlasCore.recommended(Set.of("sse2")));
        assertEquals(Set.of(), BlasCore.flags("processor : 0\n"));
    }

    /** The launcher applies the same rule to the same flags (it cannot run Java before the JVM starts). */
    @Test
    void launcherChoosesTheSameCoreAsTheRule() throws IOException, InterruptedException {
        Path launcher = Path.of("..", "eprop");
        String script = Files.readString(launcher);
        int from = script.indexOf("if [[ -z \"${OPENBLAS_CORETYPE:-}\"");
        int to = script.indexOf("\nfi\n", script.indexOf("\n  fi\n", from)) + 4;
        String block = script.substring(from, to).replace("/proc/cpuinfo", "\"$CPUINFO\"");
        for (String flags : new String[] {EMERALD, "flags : avx avx2 fma\n", "flags : avx\n", "flags : sse2\n"}) {
            Path cpuinfo = Files.createTempFile("cpuinfo", ".txt");
            Files.writeString(cpuinfo, flags);
            ProcessBuilder pb = new ProcessBuilder("bash", "-c", "set -euo pipefail\n" + block
                    + "\necho \"${OPENBLAS_CORETYPE:-}\"");
            pb.environment().remove(BlasCore.ENV);
            pb.environment().put("CPUINFO", cpuinfo.toString());
            Process p = pb.redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            assertEquals(0, p.waitFor(), out);
            assertEquals(BlasCore.recommended(BlasCore.flags(flags)).orElse(""), out, flags);
            Files.delete(cpuinfo);
        }
    }
}
