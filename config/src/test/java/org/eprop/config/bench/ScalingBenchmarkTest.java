package org.eprop.config.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ScalingBenchmarkTest {

    private static final String BENCH_OUTPUT = """
            WARNING: Using incubator modules: jdk.incubator.vector
              iteration 21: 0.031 s (batch sampling 0.001 s), loss 0.6926, rate reg 0.34650, 1728 B allocated
            median 0.0310 s per iteration (min 0.0281 s, max 0.0353 s = 1.14x the median; batch sampling 0.0013 s of it) over 10 iterations after 20 of warm-up, 2 threads, load 2.5
            JIT: 17 ms of compilation during the measured iterations
            """;

    @Test
    void aBenchRunsMedianAndLoadAreReadFromItsSummaryLine() {
        ScalingBenchmark.Match m = ScalingBenchmark.parse(BENCH_OUTPUT);
        assertEquals(0.0310, m.seconds(), 0.0);
        assertEquals("2.5", m.load());
        ScalingBenchmark.Match one = ScalingBenchmark.parse(BENCH_OUTPUT.replace("2 threads, load 2.5",
                "1 threads, load n/a"));
        assertEquals("n/a", one.load());
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> ScalingBenchmark.parse("Exception in thread \"main\" java.lang.OutOfMemoryError\n"));
        assertTrue(e.getMessage().contains("no 'median ... s per iteration' line")
                && e.getMessage().contains("OutOfMemoryError"), e.getMessage());
    }

    @Test
    void eachRunIsThisJvmWithItsThreadCountReplaced() {
        List<String> c = ScalingBenchmark.command(1, List.of("--iterations", "3"));
        assertEquals(1, Collections.frequency(c, "-Deprop.threads=1"), c.toString());
        assertEquals(1, c.stream().filter(a -> a.startsWith("-Deprop.threads=")).count(), c.toString());
        assertEquals(List.of("org.eprop.config.cli.EpropCli", "bench", "--iterations", "3"),
                c.subList(c.size() - 4, c.size()));
        assertEquals(System.getProperty("java.class.path"), c.get(c.indexOf("-cp") + 1));
        assertTrue(c.get(0).endsWith("java") || c.get(0).endsWith("java.exe"), c.get(0));
    }

    @Test
    void theSummaryGivesBothColumnsMediansTheirRatioAndTheRoundsSpread() {
        List<ScalingBenchmark.Round> rounds = List.of(
                new ScalingBenchmark.Round(0.030, 0.060, "1.0", "1.0"), // 2.0
                new ScalingBenchmark.Round(0.040, 0.062, "1.0", "1.0"), // 1.55
                new ScalingBenchmark.Round(0.033, 0.064, "1.0", "1.0")); // 1.939
        assertEquals("scaling over 3 rounds: 2 threads median 0.0330 s, 1 thread median 0.0620 s (1.879x on the "
                + "medians); the rounds' ratios 1.550-2.000, median 1.939", ScalingBenchmark.summary(rounds, 2));
    }

    @Test
    void itNeedsARoundAndTwoThreads() {
        IllegalArgumentException rounds = assertThrows(IllegalArgumentException.class,
                () -> new ScalingBenchmark.Settings(0, 2, List.of()));
        assertTrue(rounds.getMessage().contains("at least 1 round, got 0"), rounds.getMessage());
        IllegalArgumentException threads = assertThrows(IllegalArgumentException.class,
                () -> new ScalingBenchmark.Settings(3, 1, List.of()));
        assertTrue(threads.getMessage().contains("-Deprop.threads"), threads.getMessage());
    }

    @Test
    void aRoundRunsTheBenchInTwoFreshJvms() throws Exception {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        List<ScalingBenchmark.Round> rounds = new ScalingBenchmark(new ScalingBenchmark.Settings(1, 2,
                List.of("--batch", "2", "--warmup", "0", "--iterations", "1")))
                .run(new PrintStream(buffer, true, StandardCharsets.UTF_8));
        String out = buffer.toString(StandardCharsets.UTF_8);
        assertEquals(1, rounds.size(), out);
        assertTrue(rounds.get(0).manySeconds() > 0 && rounds.get(0).oneSeconds() > 0, out);
        assertTrue(out.contains("round 1: 2 threads ") && out.contains("scaling over 1 rounds"), out);
    }
}
