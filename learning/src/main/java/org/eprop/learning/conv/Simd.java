package org.eprop.learning.conv;

/**
 * Whether the CNN uses its {@link VectorKernels}: when the JVM was started with
 * {@code --add-modules jdk.incubator.vector} (the {@code eprop} launcher and the tests do), the
 * processor has 512-bit vectors, and {@code -Deprop.conv.scalar=true} is not set. Otherwise the
 * scalar kernels run; both give the same bits. Checked once: {@link VectorKernels} is not even
 * loaded when the module is absent, so the project runs on any Java 17.
 */
final class Simd {
    static final boolean ENABLED = detect();

    private Simd() {
    }

    private static boolean detect() {
        if (Boolean.getBoolean("eprop.conv.scalar")
                || ModuleLayer.boot().findModule("jdk.incubator.vector").isEmpty()) {
            return false;
        }
        try {
            return VectorKernels.supported();
        } catch (LinkageError e) {
            return false;
        }
    }
}
