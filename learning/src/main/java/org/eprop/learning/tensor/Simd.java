package org.eprop.learning.tensor;

/**
 * Whether the project's vector kernels run ({@link VectorOps}, and the spiking CNN's
 * {@code org.eprop.learning.conv.VectorKernels}): when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code eprop} launcher and the tests do), the
 * processor has 512-bit vectors, and {@code -Deprop.simd=false} is not set. Otherwise the scalar
 * loops run; both give the same bits. Checked once: the vector classes are not even loaded when the
 * module is absent, so the project runs on any Java 17.
 */
public final class Simd {
    public static final boolean ENABLED = detect();

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
