package org.eprop.learning.tensor;

/**
 * Whether the project's vector kernels run ({@link VectorOps}, and the spiking CNN's
 * {@code org.eprop.learning.conv.VectorKernels}): when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code eprop} launcher and the tests do), the
 * processor has vectors of 256 bits or more (AVX2 or AVX-512: the kernels take the JVM's preferred
 * width), and {@code -Deprop.simd=false} is not set. Otherwise the scalar
 * loops run; both give the same bits. Checked once: the vector classes are not even loaded when the
 * module is absent, so the project runs on any Java 17.
 */
public final class Simd {
    public static final boolean ENABLED = detect();

    /**
     * Rows shorter than this (neurons, units) take the scalar loops even where {@link #ENABLED}: a
     * vector loop over fewer than four vectors gains little, and the vector API's fallback allocates
     * a few objects per operation until the JIT has compiled a kernel, which small networks' short
     * runs would see at every step. Long rows pay for it many times over.
     */
    public static final int MIN_LENGTH = 64;

    private Simd() {
    }

    private static boolean detect() {
        if ("false".equals(System.getProperty("eprop.simd"))
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorOps.supported();
        } catch (LinkageError e) {
            return false;
        }
    }
}
