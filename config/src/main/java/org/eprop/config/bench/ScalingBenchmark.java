package org.eprop.config.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * How the Fig. 3 bench scales from one thread to all of them: rounds that each run the bench in a
 * fresh JVM on all threads and then in one on one thread ({@code -Deprop.threads}, which a JVM
 * fixes at start), the same iterations in both (results do not depend on the thread count), and
 * the ratio of the two medians. Alternating in rounds, rather than one long run of each, puts both
 * of a round's figures in the same minute of the machine: on a shared virtual machine the speed of
 * two threads moves by tens of per cent from one minute to the next while one thread's hardly moves
 * (README, Performance), so the spread of the rounds' ratios is part of the answer.
 */
public final class ScalingBenchmark {

    /**
     * @param rounds rounds to run, at least 1
     * @param threads the threads of the many-thread runs, at least 2
     * @param benchArgs the arguments of each bench run after {@code bench} (method, precision, batch,
     *     warm-up, iterations, seed)
     */
    public record Settings(int rounds, int threads, List<String> benchArgs) {
        public Settings {
            if (rounds < 1) {
                throw new IllegalArgumentException("--scaling needs at least 1 round, got " + rounds);
            }
            if (threads < 2) {
                throw new IllegalArgumentException("--scaling compares " + threads + " thread(s) with one: run it "
                        + "with two threads or more (-Deprop.threads, by default the available cores)");
            }
            benchArgs = List.copyOf(benchArgs);
        }
    }

    /** One round: the two medians (seconds per iteration) and the machine's load that each run printed. */
    public record Round(double manySeconds, double oneSeconds, String manyLoad, String oneLoad) {
        public double ratio() {
            return oneSeconds / manySeconds;
        }
    }

    private static final Pattern MEDIAN = Pattern.compile(
            "^median ([0-9.]+) s per iteration .* (\\d+) threads?, load ([^\\s]+)\\s*$", Pattern.MULTILINE);

    private final Settings settings;

    public ScalingBenchmark(Settings settings) {
        this.settings = settings;
    }

    /** Runs the rounds, printing each as it ends and then the summary; returns the rounds. */
    public List<Round> run(PrintStream out) throws IOException, InterruptedException {
        out.printf("thread scaling of the Fig. 3 bench (bench %s): %d rounds, each %d threads then 1 thread, "
                + "each run a fresh JVM%n", String.join(" ", settings.benchArgs()), settings.rounds(),
                settings.threads());
        List<Round> rounds = new ArrayList<>();
        for (int i = 0; i < settings.rounds(); i++) {
            Match many = runBench(settings.threads());
            Match one = runBench(1);
            Round r = new Round(many.seconds, one.seconds, many.load, one.load);
            rounds.add(r);
            out.printf(Locale.ROOT, "round %d: %d threads %.4f s (load %s), 1 thread %.4f s (load %s): %.3fx%n", i + 1,
                    settings.threads(), r.manySeconds(), r.manyLoad(), r.oneSeconds(), r.oneLoad(), r.ratio());
        }
        out.println(summary(rounds, settings.threads()));
        return rounds;
    }

    /** The summary line: the medians of the two columns, their ratio, and the rounds' ratios. */
    static String summary(List<Round> rounds, int threads) {
        double[] many = rounds.stream().mapToDouble(Round::manySeconds).sorted().toArray();
        double[] one = rounds.stream().mapToDouble(Round::oneSeconds).sorted().toArray();
        double[] ratios = rounds.stream().mapToDouble(Round::ratio).sorted().toArray();
        return String.format(Locale.ROOT, "scaling over %d rounds: %d threads median %.4f s, 1 thread median %.4f s "
                + "(%.3fx on the medians); the rounds' ratios %.3f-%.3f, median %.3f", rounds.size(), threads,
                median(many), median(one), median(one) / median(many), ratios[0], ratios[ratios.length - 1],
                median(ratios));
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : 0.5 * (sorted[n / 2 - 1] + sorted[n / 2]);
    }

    /** A bench run's median (seconds per iteration) and the load it printed. */
    record Match(double seconds, String load) {
    }

    private Match runBench(int threads) throws IOException, InterruptedException {
        List<String> command = command(threads, settings.benchArgs());
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = p.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        int code = p.waitFor();
        if (code != 0) {
            throw new IllegalStateException("the bench run on " + threads + " thread(s) exited with " + code + ":\n"
                    + tail(output));
        }
        return parse(output);
    }

    /**
     * The command line of a bench run on {@code threads} threads: this JVM's java and options (any
     * {@code -Deprop.threads} of its own replaced), its classpath, the project's command line.
     */
    static List<String> command(int threads, List<String> benchArgs) {
        List<String> c = new ArrayList<>();
        c.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        for (String arg : java.lang.management.ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (!arg.startsWith("-Deprop.threads=")) {
                c.add(arg);
            }
        }
        c.add("-Deprop.threads=" + threads);
        c.add("-cp");
        c.add(System.getProperty("java.class.path"));
        c.add("org.eprop.config.cli.EpropCli");
        c.add("bench");
        c.addAll(benchArgs);
        return c;
    }

    /** The median and load that a bench run printed ({@link Fig3Benchmark}'s summary line). */
    static Match parse(String output) {
        Matcher m = MEDIAN.matcher(output);
        if (!m.find()) {
            throw new IllegalStateException("no 'median ... s per iteration' line in the bench run's output:\n"
                    + tail(output));
        }
        return new Match(Double.parseDouble(m.group(1)), m.group(3));
    }

    private static String tail(String output) {
        String[] lines = output.split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, Math.max(0, lines.length - 15), lines.length));
    }
}
