package org.eprop.config.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code eprop plot} on fixture runs: one run, the mean and band of several, and bad input. */
class PlotCommandTest {

    @TempDir
    Path tmp;

    private Path run(String name, String csv) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        Files.writeString(dir.resolve("config.yaml"), "name: " + name + "\n");
        Files.writeString(dir.resolve("metrics.csv"), csv);
        return dir;
    }

    private static String header() {
        return "iteration,frames,episodes,return_mean,return_std,raw_return_mean,episode_length,policy_loss,"
                + "value_loss,entropy_loss,entropy,rate_loss,rate,unrolls,cap,return_recent\n";
    }

    /** An actor-critic metrics row: only the columns the plot reads matter. */
    private static String row(int iteration, long frames, double recent) {
        return iteration + "," + frames + ",32,-3,1,-3,200,0.1,0.1,0.1,1.0,0.01,0.02,2,200," + recent + "\n";
    }

    private static int cli(String... args) {
        PrintStream old = System.out;
        System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
        try {
            return EpropCli.run(args);
        } finally {
            System.setOut(old);
        }
    }

    private static BufferedImage png(Path file) throws IOException {
        assertTrue(Files.isRegularFile(file), file + " written");
        BufferedImage img = ImageIO.read(file.toFile());
        assertTrue(img != null && img.getWidth() >= 800 && img.getHeight() >= 500, "a decodable figure");
        return img;
    }

    @Test
    void meanAndStdBandOfSeedsAgainstFrames() throws IOException {
        // seed 1 rises by 1 per 1000 frames from -20; seed 2 by 2 from -20; seed 3 stays at -20 but
        // starts at 500 frames and ends at 4000; the common range is 500..3000 frames
        StringBuilder s1 = new StringBuilder(header());
        StringBuilder s2 = new StringBuilder(header());
        StringBuilder s3 = new StringBuilder(header());
        for (int i = 0; i <= 3; i++) {
            s1.append(row(i + 1, 1000L * i, -20 + i));
            s2.append(row(i + 1, 1000L * i, -20 + 2 * i));
        }
        s3.append(row(1, 500, -20)).append(row(2, 4000, -20));
        List<Path> runs = List.of(run("seed1", s1.toString()), run("seed2", s2.toString()), run("seed3", s3.toString()));
        Path out = tmp.resolve("out/curve.png");
        Path csv = tmp.resolve("out/curve.csv");
        assertEquals(0, cli("plot", runs.get(0).toString(), runs.get(1).toString(), runs.get(2).toString(), "--out",
                out.toString(), "--csv", csv.toString(), "--points", "6"));
        png(out);
        List<String> lines = Files.readAllLines(csv);
        assertEquals("frames,mean,lower,upper", lines.get(0));
        assertEquals(7, lines.size());
        double[] frames = {500, 1000, 1500, 2000, 2500, 3000};
        for (int p = 0; p < frames.length; p++) {
            String[] f = lines.get(p + 1).split(",");
            double t = frames[p] / 1000;
            double[] v = {-20 + t, -20 + 2 * t, -20};
            double mean = (v[0] + v[1] + v[2]) / 3;
            double ss = 0;
            for (double x : v) {
                ss += (x - mean) * (x - mean);
            }
            double sd = Math.sqrt(ss / 2);
            assertEquals(frames[p], Double.parseDouble(f[0]), 1e-9);
            assertEquals(mean, Double.parseDouble(f[1]), 1e-12, "mean at " + frames[p]);
            assertEquals(mean - sd, Double.parseDouble(f[2]), 1e-12, "lower at " + frames[p]);
            assertEquals(mean + sd, Double.parseDouble(f[3]), 1e-12, "upper at " + frames[p]);
        }

        Path minmax = tmp.resolve("minmax.csv");
        assertEquals(0, cli("plot", runs.get(0).toString(), runs.get(1).toString(), runs.get(2).toString(), "--out",
                tmp.resolve("minmax.png").toString(), "--csv", minmax.toString(), "--points", "6", "--band", "minmax"));
        String[] last = Files.readAllLines(minmax).get(6).split(",");
        assertEquals(-20, Double.parseDouble(last[2]), 1e-12, "the lowest run at 3000 frames");
        assertEquals(-14, Double.parseDouble(last[3]), 1e-12, "the highest run at 3000 frames");
        png(tmp.resolve("minmax.png"));
    }

    @Test
    void oneSupervisedRunAgainstIterations() throws IOException {
        Path r = run("fig3", "iteration,loss,reg_loss,train_error,validation_error,test_error,rate_hz\n"
                + "1,0.9,0.1,0.5,0.5,0.5,10\n2,0.8,0.1,0.4,0.4,,10\n3,0.7,0.1,0.3,0.3,0.3,10\n");
        Path out = tmp.resolve("fig3.png");
        Path csv = tmp.resolve("fig3.csv");
        assertEquals(0, cli("plot", r.toString(), "--out", out.toString(), "--csv", csv.toString()));
        png(out);
        assertEquals(List.of("iteration,test_error", "1.0,0.5", "3.0,0.3"), Files.readAllLines(csv));
        assertEquals(0, cli("plot", r.resolve("metrics.csv").toString(), "--metric", "loss", "--out", out.toString(),
                "--csv", csv.toString()));
        assertEquals(4, Files.readAllLines(csv).size(), "a metrics.csv named directly, another column");
    }

    @Test
    void badInputIsAUsageError() throws IOException {
        Path r = run("r", header() + row(1, 0, -20) + row(2, 100, -19));
        Path elsewhere = run("elsewhere", header() + row(1, 1000, -20) + row(2, 2000, -19));
        PrintStream old = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
        try {
            assertEquals(2, cli("plot", r.toString(), "--metric", "nonsense", "--out", tmp.resolve("x.png").toString()));
            assertEquals(2, cli("plot", r.toString(), elsewhere.toString(), "--out", tmp.resolve("y.png").toString()));
            assertEquals(2, cli("plot", tmp.resolve("missing").toString()));
        } finally {
            System.setErr(old);
        }
        String text = err.toString(StandardCharsets.UTF_8);
        assertTrue(text.contains("no column 'nonsense'"), text);
        assertTrue(text.contains("no common range"), text);
        assertTrue(text.contains("has no metrics.csv"), text);
    }
}
