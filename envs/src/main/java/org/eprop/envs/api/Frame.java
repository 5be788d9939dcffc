package org.eprop.envs.api;

/**
 * An image observation: {@code height x width x channels} bytes (0..255 as unsigned), row-major
 * with channels last, like Gymnasium's {@code uint8} Atari observations (210x160x3 RGB, or 84x84x1
 * after preprocessing).
 *
 * <p>Environments and wrappers that step fast reuse one frame per step: a frame returned by
 * {@code step} or {@code reset} is valid until the next call on the same environment. Keep a
 * {@link #copy()} to hold on to it.
 */
public record Frame(int height, int width, int channels, byte[] pixels) {

    public Frame {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("frame dimensions must be positive: " + height + "x" + width + "x" + channels);
        }
        if (pixels.length != height * width * channels) {
            throw new IllegalArgumentException("a " + height + "x" + width + "x" + channels + " frame needs "
                    + height * width * channels + " bytes, got " + pixels.length);
        }
    }

    /** A zero frame. */
    public static Frame blank(int height, int width, int channels) {
        return new Frame(height, width, channels, new byte[height * width * channels]);
    }

    /** Value of pixel (y, x), channel c, as 0..255. */
    public int get(int y, int x, int c) {
        return pixels[(y * width + x) * channels + c] & 0xFF;
    }

    /** A deep copy. */
    public Frame copy() {
        return new Frame(height, width, channels, pixels.clone());
    }

    /** Whether the two frames hold the same shape and pixels. */
    public boolean samePixels(Frame other) {
        return other != null && height == other.height && width == other.width && channels == other.channels
                && java.util.Arrays.equals(pixels, other.pixels);
    }

    /** The space of frames of this shape. */
    public FrameSpace space() {
        return new FrameSpace(height, width, channels);
    }
}
