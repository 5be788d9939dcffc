package org.eprop.learning.tensor;

import java.util.Optional;
import org.nd4j.linalg.factory.Nd4j;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Reports, once per JVM, which ND4J backend the dense products run on. */
public final class Nd4jBackend {
    private static final Logger LOG = LoggerFactory.getLogger(Nd4jBackend.class);
    private static final String CUDA_BACKEND = "org.nd4j.linalg.jcublas.JCublasBackend";
    private static volatile String description;

    private Nd4jBackend() {
    }

    /** A one-line description of the backend in use, e.g. {@code CpuBackend (nd4j-native)}. */
    public static String describeOnce() {
        String d = description;
        if (d == null) {
            synchronized (Nd4jBackend.class) {
                if (description == null) {
                    description = detect();
                }
                d = description;
            }
        }
        return d;
    }

    private static String detect() {
        String backend = Nd4j.getBackend().getClass().getSimpleName();
        boolean cudaOnClasspath = isPresent(CUDA_BACKEND);
        boolean onGpu = backend.contains("Cublas");
        String line;
        if (onGpu) {
            line = "ND4J backend: " + backend + " (GPU, cuda profile)";
            LOG.info(line);
        } else if (cudaOnClasspath) {
            line = "ND4J backend: " + backend + " (CPU) - the cuda profile is active but no usable GPU/CUDA 11.x "
                    + "runtime was found, so dense products fall back to the CPU backend";
            LOG.warn(line);
        } else {
            line = "ND4J backend: " + backend + " (CPU" + blasCore() + ")";
            LOG.info(line);
        }
        return line;
    }

    /**
     * ", OpenBLAS core X" for the report; where OpenBLAS chooses by CPU model, a hint with the fix,
     * since on CPUs newer than the bundled OpenBLAS that choice is its slowest kernel set (see
     * {@link BlasCore}).
     */
    private static String blasCore() {
        Optional<String> forced = BlasCore.forced();
        if (forced.isPresent()) {
            return ", OpenBLAS core " + forced.get() + " from " + BlasCore.ENV;
        }
        Optional<String> best = BlasCore.recommended(BlasCore.machineFlags());
        if (best.isPresent()) {
            LOG.info("OpenBLAS chooses its kernels by CPU model; on CPUs newer than the bundled OpenBLAS 0.3.19 that "
                    + "is its slowest set, so products may run several times slower. Set {}={} for this CPU "
                    + "(the ./eprop launcher does).", BlasCore.ENV, best.get());
            return ", OpenBLAS core chosen by CPU model; this CPU runs " + best.get();
        }
        return ", OpenBLAS core chosen by CPU model";
    }

    /** Whether ND4J computes on the CPU backend (not cuBLAS). */
    public static boolean isCpu() {
        return !Nd4j.getBackend().getClass().getSimpleName().contains("Cublas");
    }

    private static boolean isPresent(String className) {
        try {
            Class.forName(className, false, Nd4jBackend.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }
}
