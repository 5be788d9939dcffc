package org.eprop.envs.wrappers;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Path;
import org.eprop.envs.api.Frame;
import org.jcodec.api.FrameGrab;
import org.jcodec.api.JCodecException;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.Picture;
import org.jcodec.scale.AWTUtil;

/**
 * Reads back videos written by {@link RecordVideo}, to check them in tests and tools without a
 * video player: a written file that does not decode, or decodes to a different number of frames
 * than the episode had steps plus one, is a broken recording.
 */
public final class VideoFiles {
    private VideoFiles() {
    }

    /** Width and height of a video, in pixels. */
    public record Dimensions(int width, int height) {
    }

    /** Number of frames in an MP4 file, by decoding every frame. */
    public static int countFrames(Path mp4) throws IOException {
        try (FileChannelWrapper ch = NIOUtils.readableChannel(mp4.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(ch);
            int n = 0;
            while (grab.getNativeFrame() != null) {
                n++;
            }
            return n;
        } catch (JCodecException e) {
            throw new IOException("cannot decode " + mp4 + ": " + e.getMessage(), e);
        }
    }

    /**
     * Width and height of the first decoded frame of an MP4 file, as displayed (the coded size
     * is rounded up to whole 16x16 macroblocks; the decoder crops it back).
     */
    public static Dimensions dimensions(Path mp4) throws IOException {
        try (FileChannelWrapper ch = NIOUtils.readableChannel(mp4.toFile())) {
            Picture first = FrameGrab.createFrameGrab(ch).getNativeFrame();
            if (first == null) {
                throw new IOException(mp4 + " has no frames");
            }
            return new Dimensions(first.getCroppedWidth(), first.getCroppedHeight());
        } catch (JCodecException e) {
            throw new IOException("cannot decode " + mp4 + ": " + e.getMessage(), e);
        }
    }

    /**
     * Frame {@code index} (from 0) of an MP4 file decoded to RGB, cropped to its displayed size.
     * H.264 is lossy: expect pixels within a few levels of what was recorded, not equal.
     */
    public static Frame frame(Path mp4, int index) throws IOException {
        Picture pic;
        try (FileChannelWrapper ch = NIOUtils.readableChannel(mp4.toFile())) {
            FrameGrab grab = FrameGrab.createFrameGrab(ch);
            pic = grab.getNativeFrame();
            for (int i = 0; i < index && pic != null; i++) {
                pic = grab.getNativeFrame();
            }
        } catch (JCodecException e) {
            throw new IOException("cannot decode " + mp4 + ": " + e.getMessage(), e);
        }
        if (pic == null) {
            throw new IOException(mp4 + " has no frame " + index);
        }
        BufferedImage img = AWTUtil.toBufferedImage(pic);
        int w = Math.min(img.getWidth(), pic.getCroppedWidth());
        int h = Math.min(img.getHeight(), pic.getCroppedHeight());
        byte[] p = new byte[h * w * 3];
        for (int y = 0, o = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                int rgb = img.getRGB(x, y);
                p[o++] = (byte) (rgb >> 16);
                p[o++] = (byte) (rgb >> 8);
                p[o++] = (byte) rgb;
            }
        }
        return new Frame(h, w, 3, p);
    }
}
