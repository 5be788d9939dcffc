package org.eprop.envs.wrappers;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.IntPredicate;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.FrameSpace;
import org.eprop.envs.api.Step;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RecordVideoTest {
    @TempDir
    Path dir;

    /** Plays one episode to its end; returns the number of steps. */
    private static int playOut(RecordVideo<Integer> env) {
        env.reset();
        int steps = 0;
        Step<Frame> s;
        do {
            s = env.step(steps % 4);
            steps++;
        } while (!s.done());
        return steps;
    }

    private List<String> files() throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void writesTriggeredEpisodesWithOneFramePerStepPlusTheResetFrame() throws IOException {
        FakeGame g = FakeGame.atari().gameLengths(episode -> 12 + episode);
        RecordVideo<Integer> env = new RecordVideo<>(g, dir, "pong", RecordVideo.everyN(2), 30);
        int[] steps = new int[3];
        for (int e = 0; e < 3; e++) {
            steps[e] = playOut(env);
            assertEquals(e, env.episode());
        }
        assertEquals(List.of("pong-episode-0.mp4", "pong-episode-2.mp4"), files(), "episodes 0 and 2, no temp files");
        assertEquals(steps[0] + 1, VideoFiles.countFrames(dir.resolve("pong-episode-0.mp4")));
        assertEquals(12, steps[0]);
        assertEquals(14, steps[2]);
        assertEquals(15, VideoFiles.countFrames(env.videoPath(2)));
        assertEquals(new VideoFiles.Dimensions(160, 210), VideoFiles.dimensions(env.videoPath(0)));
        assertEquals(List.of(env.videoPath(0), env.videoPath(2)), env.videos());
        // frame 5 shows the screen after step 5: compare brightness (H.264 keeps it at full
        // resolution; colour is shared by 2x2 pixels, which smears the 2x2 square's edges)
        Frame decoded = VideoFiles.frame(env.videoPath(0), 5);
        assertEquals(new FrameSpace(210, 160, 3), decoded.space());
        int worst = brightnessError(g, decoded, 5);
        assertTrue(worst <= 30, "decoded brightness differs from the game by up to " + worst);
        assertTrue(brightnessError(g, decoded, 4) > 60 && brightnessError(g, decoded, 6) > 60, "it is frame 5, not a neighbour");
        env.close();
        assertTrue(g.closed);
    }

    private static int brightnessError(FakeGame g, Frame decoded, int step) {
        int worst = 0;
        for (int y = 0; y < decoded.height(); y++) {
            for (int x = 0; x < decoded.width(); x++) {
                int got = GrayscaleResize.luma(decoded.get(y, x, 0), decoded.get(y, x, 1), decoded.get(y, x, 2));
                int want = GrayscaleResize.luma(g.expected(step, y, x, 0), g.expected(step, y, x, 1), g.expected(step, y, x, 2));
                worst = Math.max(worst, Math.abs(got - want));
            }
        }
        return worst;
    }

    @Test
    void oddFrameSidesArePaddedToEven() throws IOException {
        RecordVideo<Integer> env = new RecordVideo<>(new FakeGame(7, 9, 1).gameLength(5), dir);
        playOut(env);
        Path video = dir.resolve("rl-video-episode-0.mp4");
        assertEquals(new VideoFiles.Dimensions(10, 8), VideoFiles.dimensions(video));
        assertEquals(6, VideoFiles.countFrames(video));
    }

    @Test
    void aVideoCutShortByResetOrCloseIsStillWritten() throws IOException {
        RecordVideo<Integer> env = new RecordVideo<>(FakeGame.atari(), dir, "cut", e -> true, 15);
        env.reset();
        for (int i = 0; i < 4; i++) {
            env.step(0);
        }
        assertTrue(env.recording());
        assertFalse(Files.exists(env.videoPath(0)), "not under its final name while being written");
        env.reset(); // episode 0 cut after 4 steps
        assertEquals(5, VideoFiles.countFrames(env.videoPath(0)));
        env.step(0);
        env.close(); // episode 1 cut after 1 step
        assertEquals(2, VideoFiles.countFrames(env.videoPath(1)));
        assertEquals(List.of("cut-episode-0.mp4", "cut-episode-1.mp4"), files());
    }

    @Test
    void grayPreprocessedFramesCanBeRecordedToo() throws IOException {
        RecordVideo<Integer> env = new RecordVideo<>(new GrayscaleResize<>(FakeGame.atari().gameLength(3)), dir);
        playOut(env);
        assertEquals(new VideoFiles.Dimensions(84, 84), VideoFiles.dimensions(env.videoPath(0)));
        assertEquals(4, VideoFiles.countFrames(env.videoPath(0)));
    }

    @Test
    void triggers() {
        IntPredicate cubic = RecordVideo.cappedCubic();
        assertEquals(List.of(0, 1, 8, 27, 64, 125, 216, 343, 512, 729, 1000, 2000, 3000),
                IntStream.rangeClosed(0, 3500).filter(cubic).boxed().toList());
        assertEquals(List.of(0, 3, 6, 9), IntStream.range(0, 11).filter(RecordVideo.everyN(3)).boxed().toList());
        assertThrows(IllegalArgumentException.class, () -> RecordVideo.everyN(0));
        assertEquals(15, RecordVideo.realTimeFps(new FakeGame(6, 8, 4)));
        assertEquals(60, RecordVideo.realTimeFps(new FakeGame(6, 8, 1)));
        assertEquals(15, RecordVideo.realTimeFps(new MaxAndSkip<>(new FakeGame(6, 8, 1), 4)));
    }

    @Test
    void rejectsBadNamesAndStackedFrames() {
        assertThrows(IllegalArgumentException.class, () -> new RecordVideo<>(FakeGame.atari(), dir, "a/b", e -> true, 30));
        assertThrows(IllegalArgumentException.class, () -> new RecordVideo<>(FakeGame.atari(), dir, "x", e -> true, 0));
        assertThrows(IllegalArgumentException.class,
                () -> new RecordVideo<>(new FrameStack<>(FakeGame.atari(), 2), dir, "x", e -> true, 30));
    }
}
