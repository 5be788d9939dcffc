package org.eprop.envs.api;

import org.eprop.learning.rng.Rng;

/** All frames of one shape ({@code uint8} pixels). */
public record FrameSpace(int height, int width, int channels) implements Space<Frame> {

    public FrameSpace {
        if (height <= 0 || width <= 0 || channels <= 0) {
            throw new IllegalArgumentException("frame dimensions must be positive: " + height + "x" + width + "x" + channels);
        }
    }

    @Override
    public boolean contains(Frame value) {
        return value != null && value.height() == height && value.width() == width && value.channels() == channels;
    }

    @Override
    public Frame sample(Rng rng) {
        byte[] p = new byte[height * width * channels];
        for (int i = 0; i < p.length; i++) {
            p[i] = (byte) rng.nextInt(256);
        }
        return new Frame(height, width, channels, p);
    }

    @Override
    public String describe() {
        return "Frame(" + height + "x" + width + "x" + channels + ", uint8)";
    }
}
