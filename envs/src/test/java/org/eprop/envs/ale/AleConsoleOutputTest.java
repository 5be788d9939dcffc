package org.eprop.envs.ale;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ALE prints its banner and ROM details from native code, straight to the process's file
 * descriptors; only a child JVM can see them. Quiet by default, shown with verbose.
 */
class AleConsoleOutputTest {
    @TempDir
    Path tmp;

    record Output(int rc, String stdout, String stderr) {
    }

    private Output runChild(Path roms, boolean verbose) throws IOException, InterruptedException {
        Path out = tmp.resolve("out-" + verbose + ".txt");
        Path err = tmp.resolve("err-" + verbose + ".txt");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        // The JDK options that the launcher and the test JVMs pass, this JVM's passed on: without
        // them JDK 24 and later print their own warnings about JavaCPP's JNI and Unsafe use, which
        // are the JVM's, not the emulator's.
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(a -> a.startsWith("--enable-native-access") || a.startsWith("--sun-misc-unsafe-memory-access"))
                .forEach(command::add);
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), ConsoleMain.class.getName(),
                roms.toString(), Boolean.toString(verbose)));
        Process p = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("child JVM did not finish in 60 s");
        }
        return new Output(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                Files.readString(err, StandardCharsets.UTF_8));
    }

    @Test
    void resetsAndStepsPrintNothingUnlessVerbose() throws Exception {
        // The project's test cartridge, so that the check runs on every machine.
        Path roms = TestRom.directory();
        Output quiet = runChild(roms, false);
        assertEquals(0, quiet.rc(), quiet.stderr());
        assertEquals("", quiet.stdout(), "nothing on stdout");
        // Nothing at all: not ALE's banner, nor JavaCPP's note that the ALE preset was built for
        // another JavaCPP version, nor SLF4J's "no providers" note (the child JVM has no options but
        // the JDK's native-access ones).
        assertEquals("", quiet.stderr(), "nothing on stderr");

        Output loud = runChild(roms, true);
        assertEquals(0, loud.rc(), loud.stderr());
        String all = loud.stdout() + loud.stderr();
        for (String expected : List.of("A.L.E: Arcade Learning Environment", "Game console created",
                "Random seed is")) {
            assertTrue(all.contains(expected), "verbose shows '" + expected + "':\n" + all);
        }
        assertFalse(all.contains("Versions of org.bytedeco:javacpp") || all.contains("SLF4J"),
                "verbose shows ALE's messages, not JavaCPP's or SLF4J's notes:\n" + all);
    }
}
