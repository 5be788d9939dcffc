package org.eprop.learning.tensor;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * Which OpenBLAS kernel set ("core") the dense products run on, and whether it is the best this CPU
 * can run.
 *
 * <p>Why this exists: the OpenBLAS that ND4J 1.0.0-M2.1 bundles (0.3.19, JavaCPP 1.5.7) picks its
 * kernels by CPU model number, and falls back to its oldest x86-64 kernels ("Prescott", SSE3) on
 * processors newer than it knows, such as Intel Sapphire and Emerald Rapids. There a float32
 * matrix product runs about 4x slower than with the AVX-512 kernels the CPU supports (measured:
 * 24 against 103 GFLOP/s for 1024^3 on two cores). The choice is made once, when the library
 * loads, from the environment variable {@code OPENBLAS_CORETYPE}; a running JVM cannot change it.
 * So the {@code ./eprop} launcher sets that variable from the CPU's instruction-set flags (the same
 * rule as {@link #recommended}) when the user has not, and {@link Nd4jBackend} reports the choice, with the
 * fix, for JVMs started some other way. (OpenBLAS 0.3.19's own choice, {@code openblas_get_corename},
 * is not mapped by its JavaCPP preset, so it cannot be asked for directly.)
 */
public final class BlasCore {
    /** The variable OpenBLAS reads at load time to force its kernel set. */
    public static final String ENV = "OPENBLAS_CORETYPE";

    private BlasCore() {
    }

    /**
     * The strongest OpenBLAS core a CPU with these {@code /proc/cpuinfo} flags runs: {@code SkylakeX}
     * with AVX-512 (F, CD, BW, DQ, VL: what those kernels use), {@code Haswell} with AVX2 and FMA,
     * {@code Sandybridge} with AVX; empty otherwise (leave OpenBLAS's own choice).
     */
    public static Optional<String> recommended(Set<String> flags) {
        if (flags.containsAll(Set.of("avx512f", "avx512cd", "avx512bw", "avx512dq", "avx512vl"))) {
            return Optional.of("SkylakeX");
        }
        if (flags.containsAll(Set.of("avx2", "fma"))) {
            return Optional.of("Haswell");
        }
        if (flags.contains("avx")) {
            return Optional.of("Sandybridge");
        }
        return Optional.empty();
    }

    /** The flags of the first processor in a {@code /proc/cpuinfo} text; empty when there is none. */
    public static Set<String> flags(String cpuinfo) {
        for (String line : cpuinfo.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals("flags")) {
                return new HashSet<>(Arrays.asList(line.substring(colon + 1).trim().split("\\s+")));
            }
        }
        return Set.of();
    }

    /** This machine's CPU flags (Linux); empty elsewhere or when unreadable. */
    public static Set<String> machineFlags() {
        try {
            return flags(Files.readString(Path.of("/proc/cpuinfo")));
        } catch (IOException | RuntimeException e) {
            return Set.of();
        }
    }

    /** The core forced through {@link #ENV}; empty when OpenBLAS chooses by CPU model. */
    public static Optional<String> forced() {
        String v = System.getenv(ENV);
        return v == null || v.isBlank() ? Optional.empty() : Optional.of(v.trim());
    }
}
