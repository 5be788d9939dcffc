package org.eprop.config.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eprop.envs.wrappers.VideoFiles;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eprop play} on the bundled test cartridge, with recorded gameplay. */
class PlayCommandTest {

    @Test
    void playsAndRecordsEpisodesWhoseVideosHoldEveryFrame(@TempDir Path tmp) throws Exception {
        PrintStream old = System.out;
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        System.setOut(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        int code;
        try {
            code = EpropCli.run("play", "ale/test-pong", "--episodes", "2", "--seed", "3", "--video", tmp.toString(),
                    "--set", "frameskip=8");
        } finally {
            System.setOut(old);
        }
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(0, code, out);
        Matcher m = Pattern.compile("episode (\\d)/2: return (-?[0-9.]+), length (\\d+) steps").matcher(out);
        int episodes = 0;
        while (m.find()) {
            int episode = Integer.parseInt(m.group(1));
            int steps = Integer.parseInt(m.group(3));
            Path video = tmp.resolve("ale-test-pong-episode-" + (episode - 1) + ".mp4");
            assertTrue(Files.exists(video), "video of episode " + episode + " in " + tmp);
            assertEquals(steps + 1, VideoFiles.countFrames(video), "the reset frame and one per step");
            episodes++;
        }
        assertEquals(2, episodes, out);
        assertTrue(out.contains("mean return"), out);
    }

    @Test
    void anUnsupportedGameOrAMissingRomIsReportedWithoutCrashing(@TempDir Path tmp) {
        PrintStream oldErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, EpropCli.run("play", "ale/pong", "--rom-dir", tmp.toString()));
            String text = err.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("No ROM for the Atari game 'pong'") && text.contains(tmp.toString()), text);
            err.reset();
            assertEquals(2, EpropCli.run("play", "ale/pongg"));
            text = err.toString(StandardCharsets.UTF_8);
            assertTrue(text.contains("ale/pong") && text.contains("Known"), text);
        } finally {
            System.setErr(oldErr);
        }
    }
}
