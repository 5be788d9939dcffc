package org.eprop.agent.eval;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rational;

/**
 * One MP4 (H.264 through jcodec, as {@code RecordVideo} writes), written to a hidden temporary
 * file beside the target and moved into place by {@link #finish()}, so that an interrupted
 * evaluation never leaves a truncated video under the final name. Images must have even sides.
 */
final class Mp4Writer implements AutoCloseable {
    private final Path target;
    private final Path temp;
    private final FileChannelWrapper channel;
    private final AWTSequenceEncoder encoder;
    private final Picture picture;
    private final int width;
    private final int height;
    private boolean open = true;

    Mp4Writer(Path target, int width, int height, int fps) {
        if ((width & 1) != 0 || (height & 1) != 0) {
            throw new IllegalArgumentException("H.264 needs even sides, got " + width + "x" + height);
        }
        this.target = target;
        this.temp = target.resolveSibling("." + target.getFileName() + ".part");
        this.width = width;
        this.height = height;
        FileChannelWrapper ch = null;
        try {
            ch = NIOUtils.writableChannel(temp.toFile());
            this.encoder = new AWTSequenceEncoder(ch, Rational.R(fps, 1));
        } catch (IOException e) {
            NIOUtils.closeQuietly(ch);
            temp.toFile().delete();
            throw new UncheckedIOException("cannot start video " + target, e);
        }
        this.channel = ch;
        this.picture = Picture.create(width, height, ColorSpace.RGB);
    }

    /** Appends one frame. */
    void write(BufferedImage image) {
        if (image.getWidth() != width || image.getHeight() != height) {
            throw new IllegalArgumentException("frame is " + image.getWidth() + "x" + image.getHeight() + ", video "
                    + width + "x" + height);
        }
        byte[] dst = picture.getPlaneData(0);
        int o = 0;
        for (int y = 0; y < height; y++) {
            for (int x = 0; x < width; x++) {
                int rgb = image.getRGB(x, y);
                // jcodec stores 8-bit samples shifted by -128
                dst[o++] = (byte) (((rgb >> 16) & 0xFF) - 128);
                dst[o++] = (byte) (((rgb >> 8) & 0xFF) - 128);
                dst[o++] = (byte) ((rgb & 0xFF) - 128);
            }
        }
        try {
            encoder.encodeNativeFrame(picture);
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot write video " + target, e);
        }
    }

    /** Finishes the file and moves it into place. */
    Path finish() {
        try {
            encoder.finish();
            channel.close();
            open = false;
            try {
                Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
            }
            return target;
        } catch (IOException e) {
            close();
            throw new UncheckedIOException("cannot finish video " + target, e);
        }
    }

    /** Abandons an unfinished video: closes and deletes its temporary file. */
    @Override
    public void close() {
        if (open) {
            open = false;
            NIOUtils.closeQuietly(channel);
            temp.toFile().delete();
        }
    }
}
