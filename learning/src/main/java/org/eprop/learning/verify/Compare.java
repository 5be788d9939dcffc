package org.eprop.learning.verify;

import org.eprop.learning.tensor.RealArray;

/**
 * How two gradients are compared throughout the project: the largest element-wise difference
 * divided by the largest magnitude of the reference, {@code max|a - ref| / max|ref|}. It is the
 * normalisation of the reference's verification scripts, without their squaring, and it does not
 * blow up on elements that are zero in both.
 *
 * <p>Edge cases, which figures and logs share by calling this one implementation: a reference
 * that is all zero gives the absolute difference {@code max|a - ref|} (exact zeros agree, and
 * rounding noise on a gradient that is zero by construction stays below the bounds); a NaN in
 * either array gives NaN, so that a broken gradient never passes or looks like agreement;
 * lengths that differ are an {@link IllegalArgumentException}.
 */
public final class Compare {
    private Compare() {
    }

    public static double maxRelativeDifference(double[] a, double[] reference) {
        if (a.length != reference.length) {
            throw new IllegalArgumentException("lengths differ: " + a.length + " vs " + reference.length);
        }
        double diff = 0;
        double scale = 0;
        for (int i = 0; i < a.length; i++) {
            diff = Math.max(diff, Math.abs(a[i] - reference[i]));
            scale = Math.max(scale, Math.abs(reference[i]));
        }
        return scale == 0 ? diff : diff / scale;
    }

    public static double maxRelativeDifference(RealArray a, RealArray reference) {
        return maxRelativeDifference(a.toDoubleArray(), reference.toDoubleArray());
    }

    public static double maxRelativeDifference(RealArray a, double[] reference) {
        return maxRelativeDifference(a.toDoubleArray(), reference);
    }
}
