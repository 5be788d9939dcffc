package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import org.eprop.envs.api.Frame;
import org.eprop.envs.api.Wrapper;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PlayTest {
    @TempDir
    Path tmp;

    @Test
    void playsSeededRandomEpisodesThroughTheWrappingHook() {
        Path roms = TestRoms.pongDir(tmp);
        AleSettings s = TestRoms.pong(roms).withMaxEpisodeFrames(600);
        AtomicBoolean wrapped = new AtomicBoolean();
        AtomicBoolean closed = new AtomicBoolean();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        List<Play.EpisodeResult> a = Play.play(s, 2, 4, env -> {
            wrapped.set(true);
            // everything else passes through to the game
            return new Wrapper<Frame, Integer>(env) {
                @Override
                public void close() {
                    closed.set(true);
                    super.close();
                }
            };
        }, new PrintStream(bytes, true, StandardCharsets.UTF_8));
        assertTrue(wrapped.get() && closed.get(), "the hook wraps the env and the wrapper is closed");
        assertEquals(2, a.size());
        assertEquals(600, a.get(0).frames());
        assertEquals(150, a.get(0).length());
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains("ale/pong episode 1/2: return "), out);
        assertTrue(out.contains("length 150 steps, 600 frames (truncated)"), out);
        List<Play.EpisodeResult> b = Play.play(new AleEnv(s), 2, 4, null, null);
        assertEquals(a, b, "same seed, same episodes");
    }
}
