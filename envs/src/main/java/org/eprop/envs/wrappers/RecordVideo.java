package org.eprop.envs.wrappers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Objects;
import java.util.function.IntPredicate;
import org.eprop.envs.api.Env;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSkipping;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Reset;
import org.eprop.envs.api.RgbScreen;
import org.eprop.envs.api.Step;
import org.eprop.envs.api.Wrapper;
import org.jcodec.api.awt.AWTSequenceEncoder;
import org.jcodec.common.io.FileChannelWrapper;
import org.jcodec.common.io.NIOUtils;
import org.jcodec.common.model.ColorSpace;
import org.jcodec.common.model.Picture;
import org.jcodec.common.model.Rational;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes selected episodes as MP4 (H.264 through jcodec, pure Java): the answer to "how do I see
 * what my policy does?". Files are {@code <dir>/<prefix>-episode-<n>.mp4} with {@code n} the
 * zero-based episode number (Gymnasium's {@code RecordVideo} naming); {@code episodeTrigger}
 * decides which episodes, by default {@link #cappedCubic()} (0, 1, 8, 27, ..., 729, 1000, 2000, ...).
 *
 * <p>A video holds the reset frame and one frame per step, so an episode of {@code T} steps gives
 * {@code T + 1} frames ({@link VideoFiles#countFrames} reads them back). It is written to a hidden
 * temporary file in the same directory and moved into place when the episode ends (or at
 * {@link #close()}, or when a reset cuts an episode short), so a crashed run never leaves a
 * truncated file under the final name. Frames with an odd side are padded with black to even
 * sides, as H.264's 4:2:0 sampling requires; gray frames are written as gray RGB.
 *
 * <p>Stack it directly on the game, below every preprocessing layer: it then records the real
 * 210x160 RGB screen while the agent sees 84x84 gray, and episodes are real games (all lives)
 * even under {@link EpisodicLife}; the no-ops of {@link NoopReset} above it are in the video. It
 * warns when frame-changing layers are under it.
 *
 * <p>Playback speed: one video frame per step. The Atari runs at 60 frames/s, so real time is
 * {@code 60 / frameskip} frames/s ({@link #realTimeFps}: 15 for frameskip 4); the default
 * {@value #DEFAULT_FPS} (Gymnasium's fallback) plays a frameskip-4 game at double speed, which is
 * usually what one wants to skim an episode.
 *
 * <p>Cost: encoding runs on the stepping thread, a few milliseconds per 210x160 frame, and only
 * in recorded episodes; the sparse default schedule keeps it negligible over a run.
 */
public final class RecordVideo<A> extends Wrapper<Frame, A> {
    private static final Logger LOG = LoggerFactory.getLogger(RecordVideo.class);

    public static final String DEFAULT_PREFIX = "rl-video";
    public static final int DEFAULT_FPS = 30;

    private final Path dir;
    private final String prefix;
    private final IntPredicate episodeTrigger;
    private final int fps;
    private final List<Path> written = new ArrayList<>();
    private int episode = -1;
    private Recording recording;

    /** Capped-cubic episodes at 30 frames/s, named {@code rl-video-episode-<n>.mp4}. */
    public RecordVideo(Env<Frame, A> env, Path dir) {
        this(env, dir, DEFAULT_PREFIX, cappedCubic(), DEFAULT_FPS);
    }

    public RecordVideo(Env<Frame, A> env, Path dir, String prefix, IntPredicate episodeTrigger, int fps) {
        super(env);
        this.dir = Objects.requireNonNull(dir, "video directory");
        this.prefix = Objects.requireNonNull(prefix, "name prefix");
        this.episodeTrigger = Objects.requireNonNull(episodeTrigger, "episode trigger");
        if (fps <= 0) {
            throw new IllegalArgumentException("fps must be positive, got " + fps);
        }
        if (prefix.isEmpty() || prefix.contains("/") || prefix.contains("\\")) {
            throw new IllegalArgumentException("name prefix must be a plain file name part, got '" + prefix + "'");
        }
        if (env.observationSpace() instanceof FrameSpace fs && fs.channels() != 1 && fs.channels() != 3) {
            throw new IllegalArgumentException("RecordVideo writes RGB or gray frames, " + env.id() + " has " + fs.describe());
        }
        this.fps = fps;
        for (Env<?, ?> e : Wrappers.chain(env)) {
            if (e instanceof GrayscaleResize<?> || e instanceof FrameStack<?> || e instanceof MaxAndSkip<?>) {
                LOG.warn("RecordVideo is stacked above {}: the video shows preprocessed frames, not the game; "
                        + "put RecordVideo directly on the environment", e);
                break;
            }
        }
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create video directory " + dir, e);
        }
    }

    /** Gymnasium's default schedule: cubes below 1000 (0, 1, 8, ..., 729), then every 1000th. */
    public static IntPredicate cappedCubic() {
        return n -> {
            if (n < 0) {
                return false;
            }
            if (n >= 1000) {
                return n % 1000 == 0;
            }
            int root = (int) Math.round(Math.cbrt(n));
            return root * root * root == n;
        };
    }

    /** Episodes 0, n, 2n, ... */
    public static IntPredicate everyN(int n) {
        if (n <= 0) {
            throw new IllegalArgumentException("everyN needs n > 0, got " + n);
        }
        return e -> e >= 0 && e % n == 0;
    }

    /** Frames per second that play {@code env} in real time: 60 over its frame skip. */
    public static int realTimeFps(Env<?, ?> env) {
        return Math.max(1, Math.round(60f / FrameSkipping.total(env)));
    }

    /** The file of episode {@code n}. */
    public Path videoPath(int n) {
        return dir.resolve(prefix + "-episode-" + n + ".mp4");
    }

    /** Zero-based number of the current episode (-1 before the first reset). */
    public int episode() {
        return episode;
    }

    /** Whether the current episode is being recorded. */
    public boolean recording() {
        return recording != null;
    }

    /** Videos finished so far, oldest first. */
    public List<Path> videos() {
        return Collections.unmodifiableList(written);
    }

    @Override
    public Reset<Frame> reset(long seed) {
        finish();
        Reset<Frame> r = env.reset(seed);
        begin(r.observation());
        return r;
    }

    @Override
    public Reset<Frame> reset() {
        finish();
        Reset<Frame> r = env.reset();
        begin(r.observation());
        return r;
    }

    @Override
    public Step<Frame> step(A action) {
        Step<Frame> s = env.step(action);
        if (recording != null) {
            recording.encode(shown(s.observation()));
            if (s.done()) {
                finish();
            }
        }
        return s;
    }

    /** Finishes a video in progress, then closes the environment. */
    @Override
    public void close() {
        try {
            finish();
        } finally {
            env.close();
        }
    }

    /**
     * What the video shows of an observation: the game's colour screen where the wrapped
     * environment draws one ({@link RgbScreen}, an Atari game observed as gray), as Gymnasium's
     * RecordVideo records {@code render()}; else the observation itself.
     */
    private Frame shown(Frame observation) {
        return env instanceof RgbScreen screen ? screen.render() : observation;
    }

    private void begin(Frame observation) {
        episode++;
        if (!episodeTrigger.test(episode)) {
            return;
        }
        Frame first = shown(observation);
        Path target = videoPath(episode);
        if (Files.exists(target)) {
            LOG.warn("overwriting {}", target);
        }
        recording = new Recording(target, first);
        recording.encode(first);
    }

    private void finish() {
        if (recording == null) {
            return;
        }
        Recording r = recording;
        recording = null;
        written.add(r.finish());
    }

    @Override
    public String toString() {
        return "RecordVideo(" + dir + ", " + prefix + ", " + fps + " fps)";
    }

    /** One video being written: the encoder, its temporary file and a reusable picture. */
    private final class Recording {
        private final Path target;
        private final Path temp;
        private final FileChannelWrapper channel;
        private final AWTSequenceEncoder encoder;
        private final Picture picture;
        private final int width;
        private final int height;

        Recording(Path target, Frame first) {
            this.target = target;
            this.temp = target.resolveSibling("." + target.getFileName() + ".part");
            this.width = first.width() + (first.width() & 1);
            this.height = first.height() + (first.height() & 1);
            FileChannelWrapper ch = null;
            try {
                ch = NIOUtils.writableChannel(temp.toFile());
                this.encoder = new AWTSequenceEncoder(ch, Rational.R(fps, 1));
            } catch (IOException e) {
                NIOUtils.closeQuietly(ch);
                deleteQuietly(temp);
                throw new UncheckedIOException("cannot start video " + target, e);
            }
            this.channel = ch;
            this.picture = Picture.create(width, height, ColorSpace.RGB);
            // jcodec stores 8-bit samples shifted by -128: -128 is black, for the padding
            java.util.Arrays.fill(picture.getPlaneData(0), (byte) -128);
        }

        void encode(Frame f) {
            if (f.width() + (f.width() & 1) != width || f.height() + (f.height() & 1) != height) {
                abort();
                throw new IllegalStateException("frame size changed during a recorded episode: " + f.width() + "x"
                        + f.height() + ", video is " + width + "x" + height);
            }
            byte[] dst = picture.getPlaneData(0);
            byte[] src = f.pixels();
            int c = f.channels();
            if (c != 1 && c != 3) {
                abort();
                throw new IllegalStateException("RecordVideo writes RGB or gray frames, got " + c + " channels");
            }
            for (int y = 0; y < f.height(); y++) {
                int o = y * width * 3;
                int i = y * f.width() * c;
                for (int x = 0; x < f.width(); x++, i += c) {
                    if (c == 3) {
                        dst[o++] = (byte) ((src[i] & 0xFF) - 128);
                        dst[o++] = (byte) ((src[i + 1] & 0xFF) - 128);
                        dst[o++] = (byte) ((src[i + 2] & 0xFF) - 128);
                    } else {
                        byte v = (byte) ((src[i] & 0xFF) - 128);
                        dst[o++] = v;
                        dst[o++] = v;
                        dst[o++] = v;
                    }
                }
            }
            try {
                encoder.encodeNativeFrame(picture);
            } catch (IOException e) {
                abort();
                throw new UncheckedIOException("cannot write video " + target, e);
            }
        }

        Path finish() {
            try {
                encoder.finish();
                channel.close();
                try {
                    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
                } catch (AtomicMoveNotSupportedException e) {
                    Files.move(temp, target, StandardCopyOption.REPLACE_EXISTING);
                }
                return target;
            } catch (IOException e) {
                abort();
                throw new UncheckedIOException("cannot finish video " + target, e);
            }
        }

        void abort() {
            NIOUtils.closeQuietly(channel);
            deleteQuietly(temp);
            if (recording == this) {
                recording = null;
            }
        }
    }

    private static void deleteQuietly(Path p) {
        try {
            Files.deleteIfExists(p);
        } catch (IOException e) {
            LOG.warn("cannot delete {}: {}", p, e.toString());
        }
    }
}
