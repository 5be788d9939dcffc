package org.eprop.envs.verify;

import org.eprop.learning.verify.Compare;

/**
 * Two gradients of one weight matrix computed two ways, as {@code rows x cols} row-major arrays
 * (rows: presynaptic, columns: postsynaptic), with the bound their difference must stay under.
 */
public record Comparison(String name, String leftName, double[] left, String rightName, double[] right, int rows,
        int cols, double bound) {

    /** {@code max|left - right| / max|right|}. */
    public double maxRelativeDifference() {
        return Compare.maxRelativeDifference(left, right);
    }

    public boolean passes() {
        return maxRelativeDifference() <= bound;
    }

    /** Element (i, j) of an array as a matrix row, for printing. */
    public static double[][] matrix(double[] flat, int rows, int cols) {
        double[][] m = new double[rows][cols];
        for (int i = 0; i < rows; i++) {
            System.arraycopy(flat, i * cols, m[i], 0, cols);
        }
        return m;
    }
}
