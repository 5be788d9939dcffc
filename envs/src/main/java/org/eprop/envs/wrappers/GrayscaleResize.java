package org.eprop.envs.wrappers;

import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Space;
import org.eprop.envs.api.ObservationWrapper;

/**
 * Turns RGB frames into small grayscale ones: the 84x84x1 observation of DQN and of the e-prop
 * paper. Why: colour and the full 210x160 resolution add inputs (100,800 against 7,056) without
 * helping in most games, and every published baseline learns from this size.
 *
 * <p>Gray is the ITU-R BT.601 luma that {@code cv2.cvtColor(frame, cv2.COLOR_RGB2GRAY)} computes,
 * in its fixed-point form {@code (4899 R + 9617 G + 1868 B + 8192) >> 14} (weights 0.299, 0.587,
 * 0.114 scaled by 2^14); the resize is {@link AreaResize}, OpenCV's {@code INTER_AREA}. So the
 * output matches SB3's {@code WarpFrame} pixel for pixel up to float rounding. (Gymnasium's
 * {@code AtariPreprocessing} instead reads ALE's own palette grayscale; the two differ by a few
 * levels.) A 1-channel input is taken as gray already and only resized.
 *
 * <p>The output frame is reused from step to step, as the frames of the layer below are.
 */
public final class GrayscaleResize<A> extends ObservationWrapper<Frame, A, Frame> {
    /** DQN's side length. */
    public static final int DEFAULT_SIZE = 84;

    private final int height;
    private final int width;
    private final FrameSpace space;
    private final byte[] out;
    private final Frame outFrame;
    private byte[] gray = new byte[0];
    private AreaResize resize;
    private int inHeight;
    private int inWidth;

    /** 84x84 gray. */
    public GrayscaleResize(Env<Frame, A> env) {
        this(env, DEFAULT_SIZE, DEFAULT_SIZE);
    }

    /** {@code height x width} gray. */
    public GrayscaleResize(Env<Frame, A> env, int height, int width) {
        super(env);
        this.space = new FrameSpace(height, width, 1);
        if (env.observationSpace() instanceof FrameSpace in) {
            checkChannels(in.channels());
            prepare(in.height(), in.width());
        }
        this.height = height;
        this.width = width;
        this.out = new byte[height * width];
        this.outFrame = new Frame(height, width, 1, out);
    }

    private void checkChannels(int channels) {
        if (channels != 1 && channels != 3) {
            throw new IllegalArgumentException("GrayscaleResize takes RGB or gray frames, got " + channels + " channels from " + env.id());
        }
    }

    private void prepare(int h, int w) {
        resize = new AreaResize(h, w, space.height(), space.width(), 1);
        inHeight = h;
        inWidth = w;
        gray = new byte[h * w];
    }

    /** BT.601 luma of an RGB pixel, as OpenCV's 8-bit {@code RGB2GRAY} rounds it. */
    public static int luma(int r, int g, int b) {
        return (r * 4899 + g * 9617 + b * 1868 + (1 << 13)) >> 14;
    }

    /** Gray values of an RGB frame into {@code out} ({@code height * width} bytes). */
    public static void toGray(Frame rgb, byte[] out) {
        if (rgb.channels() != 3) {
            throw new IllegalArgumentException("expected an RGB frame, got " + rgb.channels() + " channels");
        }
        byte[] p = rgb.pixels();
        for (int i = 0, j = 0; i < out.length; i++, j += 3) {
            out[i] = (byte) luma(p[j] & 0xFF, p[j + 1] & 0xFF, p[j + 2] & 0xFF);
        }
    }

    /** A new {@code height x width x 1} gray frame from {@code frame} (allocates; for tools and tests). */
    public static Frame apply(Frame frame, int height, int width) {
        byte[] g = frame.pixels();
        if (frame.channels() == 3) {
            g = new byte[frame.height() * frame.width()];
            toGray(frame, g);
        } else if (frame.channels() != 1) {
            throw new IllegalArgumentException("expected an RGB or gray frame, got " + frame.channels() + " channels");
        }
        byte[] o = new byte[height * width];
        new AreaResize(frame.height(), frame.width(), height, width, 1).apply(g, o);
        return new Frame(height, width, 1, o);
    }

    @Override
    public Space<Frame> observationSpace() {
        return space;
    }

    @Override
    protected Frame observation(Frame in) {
        return convert(in);
    }

    private Frame convert(Frame in) {
        checkChannels(in.channels());
        if (resize == null || in.height() != inHeight || in.width() != inWidth) {
            prepare(in.height(), in.width());
        }
        byte[] g;
        if (in.channels() == 3) {
            toGray(in, gray);
            g = gray;
        } else {
            g = in.pixels();
        }
        resize.apply(g, out);
        return outFrame;
    }

    @Override
    public String toString() {
        return "GrayscaleResize(" + height + "x" + width + ")";
    }
}
