package org.eprop.learning.rng;

/**
 * The project's random number generator: xoshiro256** seeded through SplitMix64.
 *
 * <p>Why not {@link java.util.Random}: a run must be resumable bit for bit, so the complete state
 * (four words plus the cached Gaussian) can be read with {@link #state()} and restored with
 * {@link #restore(long[])}. The generator is fast enough to draw the Poisson inputs of a batch
 * (millions of Bernoulli draws per iteration) and it allocates nothing.
 */
public final class Rng {
    private long s0;
    private long s1;
    private long s2;
    private long s3;
    private boolean haveSpareGaussian;
    private double spareGaussian;

    public Rng(long seed) {
        long x = seed;
        x += 0x9E3779B97F4A7C15L;
        s0 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s1 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s2 = mix(x);
        x += 0x9E3779B97F4A7C15L;
        s3 = mix(x);
    }

    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }

    /** A generator for an independent stream, derived from this one's next output and {@code stream}. */
    public Rng split(long stream) {
        return new Rng(nextLong() ^ mix(stream * 0x9E3779B97F4A7C15L + 1));
    }

    /**
     * Sets this generator to {@code other}'s state: from here on both give the same numbers (a
     * stream made ahead of its use, and the original moved on once its numbers are used).
     */
    public void copyFrom(Rng other) {
        s0 = other.s0;
        s1 = other.s1;
        s2 = other.s2;
        s3 = other.s3;
        haveSpareGaussian = other.haveSpareGaussian;
        spareGaussian = other.spareGaussian;
    }

    public long nextLong() {
        long result = Long.rotateLeft(s1 * 5, 7) * 9;
        long t = s1 << 17;
        s2 ^= s0;
        s3 ^= s1;
        s1 ^= s2;
        s0 ^= s3;
        s2 ^= t;
        s3 = Long.rotateLeft(s3, 45);
        return result;
    }

    /** Uniform in [0, 1) with 53 random bits. */
    public double nextDouble() {
        return (nextLong() >>> 11) * 0x1.0p-53;
    }

    /** Uniform in [lo, hi). */
    public double uniform(double lo, double hi) {
        return lo + (hi - lo) * nextDouble();
    }

    /** Uniform integer in [0, bound). */
    public int nextInt(int bound) {
        if (bound <= 0) {
            throw new IllegalArgumentException("bound must be positive: " + bound);
        }
        return (int) (((nextLong() >>> 33) * bound) >>> 31);
    }

    /** True with probability {@code p}. */
    public boolean bernoulli(double p) {
        return nextDouble() < p;
    }

    /** Standard normal (Marsaglia polar method; the second value of each pair is cached). */
    public double nextGaussian() {
        if (haveSpareGaussian) {
            haveSpareGaussian = false;
            return spareGaussian;
        }
        double u;
        double v;
        double s;
        do {
            u = 2 * nextDouble() - 1;
            v = 2 * nextDouble() - 1;
            s = u * u + v * v;
        } while (s >= 1 || s == 0);
        double f = Math.sqrt(-2 * Math.log(s) / s);
        spareGaussian = v * f;
        haveSpareGaussian = true;
        return u * f;
    }

    /** The full state, for checkpoints. */
    public long[] state() {
        return new long[] {s0, s1, s2, s3, haveSpareGaussian ? 1 : 0, Double.doubleToRawLongBits(spareGaussian)};
    }

    /** Restores a state returned by {@link #state()}. */
    public void restore(long[] state) {
        if (state.length != 6) {
            throw new IllegalArgumentException("an Rng state has 6 words, got " + state.length);
        }
        s0 = state[0];
        s1 = state[1];
        s2 = state[2];
        s3 = state[3];
        haveSpareGaussian = state[4] != 0;
        spareGaussian = Double.longBitsToDouble(state[5]);
    }
}
