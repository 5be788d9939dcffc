package org.eprop.agent.run;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressBarTest {
    private static final String NL = System.lineSeparator();

    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    private final AtomicLong nanos = new AtomicLong();

    private void at(double seconds) {
        nanos.set(Math.round(seconds * 1e9));
    }

    private String output() {
        return bytes.toString(StandardCharsets.UTF_8);
    }

    @Test
    void interactiveRedrawsOneLineInPlace() {
        ProgressBar bar = new ProgressBar(out, "train", 0, 600, true, nanos::get);
        at(50);
        bar.update(120, "loss 0.512 err 23.4%");
        String first = "train [####................] 120/600  2.4 it/s  ETA 3:20  loss 0.512 err 23.4%";
        assertEquals("\r" + first, output());

        at(50.05);
        bar.update(121, "loss 0.511 err 23.3%"); // within 100 ms of the last redraw: skipped
        assertEquals("\r" + first, output());

        at(50.2);
        bar.update(122, ""); // shorter: the rest of the old line is blanked
        String second = "train [####................] 122/600  2.4 it/s  ETA 3:17";
        assertEquals("\r" + first + "\r" + second + " ".repeat(first.length() - second.length()), output());

        bytes.reset();
        at(250);
        bar.update(600, "loss 0.3"); // the last one is always drawn
        String last = "train [####################] 600/600  2.4 it/s  ETA 0:00  loss 0.3";
        assertEquals("\r" + last, output()); // longer than the line before it: nothing to blank

        bytes.reset();
        bar.finish("final loss 0.3");
        assertEquals("\ntrain done in 4:10  final loss 0.3" + NL, output());
    }

    @Test
    void interactiveFinishDrawsAnUpdateTheRedrawLimitSkipped() {
        ProgressBar bar = new ProgressBar(out, "eval", 0, 10, true, nanos::get);
        at(1);
        bar.update(1, "");
        at(1.01);
        bar.update(2, "");
        bytes.reset();
        bar.finish("");
        String line = "eval [####................] 2/10  2.0 it/s  ETA 0:04";
        assertEquals("\r" + line + "\neval done in 0:01" + NL, output());
    }

    @Test
    void nonInteractivePrintsFullLinesAtTenPercentSteps() {
        ProgressBar bar = new ProgressBar(out, "train", 0, 100, false, nanos::get);
        for (int i = 1; i <= 100; i++) {
            at(0.5 * i);
            bar.update(i, "loss " + i);
        }
        bar.finish("done");
        String[] lines = output().split(NL);
        assertEquals(12, lines.length, output());
        assertEquals("train [....................] 1/100  2.0 it/s  ETA 0:50  loss 1", lines[0]);
        assertEquals("train [##..................] 10/100  2.0 it/s  ETA 0:45  loss 10", lines[1]);
        assertEquals("train [####################] 100/100  2.0 it/s  ETA 0:00  loss 100", lines[10]);
        assertEquals("train done in 0:50  done", lines[11]);
        assertEquals(-1, output().indexOf('\r'));
    }

    @Test
    void nonInteractivePrintsAtMostEveryTenSecondsBetweenSteps() {
        ProgressBar bar = new ProgressBar(out, "train", 0, 1000, false, nanos::get);
        for (int i = 1; i <= 12; i++) {
            at(3.0 * i);
            bar.update(i, "");
        }
        assertEquals(List.of(
                "train [....................] 1/1000  3.0 s/it  ETA 49:57",
                "train [....................] 5/1000  3.0 s/it  ETA 49:45",
                "train [....................] 9/1000  3.0 s/it  ETA 49:33"), List.of(output().split(NL)));
    }

    @Test
    void aResumedRunCountsItsSpeedFromWhereItStarted() {
        ProgressBar bar = new ProgressBar(out, "train", 3000, 10000, false, nanos::get);
        at(3600);
        bar.update(6600, "");
        assertEquals("train [#############.......] 6600/10000  1.0 it/s  ETA 56:40" + NL, output());
        bytes.reset();
        at(7000);
        bar.update(10000, "");
        assertEquals("train [####################] 10000/10000  1.0 it/s  ETA 0:00" + NL, output());
        bytes.reset();
        bar.finish(null);
        assertEquals("train done in 1:56:40" + NL, output());
    }

    @Test
    void withoutATotalShowsTheCountAndSpeedOnly() {
        ProgressBar bar = new ProgressBar(out, "steps", 0, 0, false, nanos::get);
        at(2);
        bar.update(5, "reward 1.5");
        assertEquals("steps 5  2.5 it/s  reward 1.5" + NL, output());
    }

    @Test
    void theEtaIsThatOfWhicheverBudgetEndsTheRunFirst() {
        // 1000 iterations or 10,000 frames; after 10 s: 10 iterations (1 it/s) and 1000 frames (100/s)
        ProgressBar bar = new ProgressBar(out, "train", 0, 1000, false, nanos::get);
        bar.budget(0, 10_000);
        at(10);
        bar.update(10, 1000, "");
        // the frames end it after 90 more seconds (the iterations would take 990 s); the bar is 10% full
        assertEquals("train [##..................] 10/1000  1.0 it/s  ETA 1:30" + NL, output());

        bytes.reset();
        at(0);
        ProgressBar slowFrames = new ProgressBar(out, "train", 0, 100, false, nanos::get);
        slowFrames.budget(0, 1_000_000);
        at(20);
        slowFrames.update(10, 1000, "");
        // here the iterations end it first: 90 left at 0.5 it/s
        assertEquals("train [##..................] 10/100  2.0 s/it  ETA 3:00" + NL, output());
    }

    @Test
    void theEtaCountsToTheExpectedEarlyStop() {
        ProgressBar bar = new ProgressBar(out, "train", 0, 2000, false, nanos::get);
        at(50);
        bar.update(100, "val 0.2");
        assertEquals("train [#...................] 100/2000  2.0 it/s  ETA 15:50  val 0.2" + NL, output());
        bytes.reset();
        bar.expectedEnd(java.util.OptionalLong.of(400)); // 300 iterations left at 2 it/s, not 1900
        at(100);
        bar.update(200, "");
        assertEquals("train [##..................] 200/2000  2.0 it/s  ETA 1:40 (early stop ~400)" + NL, output());
        bytes.reset();
        bar.expectedEnd(java.util.OptionalLong.of(5000)); // beyond the budget: the budget ends the run
        at(150);
        bar.update(300, "");
        assertEquals("train [###.................] 300/2000  2.0 it/s  ETA 14:10" + NL, output());
        bytes.reset();
        bar.expectedEnd(java.util.OptionalLong.empty());
        at(200);
        bar.update(400, "");
        assertEquals("train [####................] 400/2000  2.0 it/s  ETA 13:20" + NL, output());
    }

    @Test
    void aResumedRunCountsItsFrameSpeedFromTheFramesItHadAlready() {
        at(100);
        ProgressBar bar = new ProgressBar(out, "train", 50, 1_000_000, false, nanos::get);
        bar.budget(5_000_000, 10_000_000);
        at(110);
        bar.update(51, 5_010_000, "");
        // 10,000 frames in 10 s: 4,990,000 left take 4990 s; the frame budget is half spent
        assertEquals("train [##########..........] 51/1000000  10.0 s/it  ETA 1:23:10" + NL, output());
        bytes.reset();
        at(111);
        bar.update(51, 5_011_000, ""); // no further 10% step and under 10 s since the last line: quiet
        assertEquals("", output());
    }

    @Test
    void formatsDurations() {
        assertEquals("0:00", ProgressBar.duration(0.2));
        assertEquals("3:20", ProgressBar.duration(200));
        assertEquals("59:59", ProgressBar.duration(3599));
        assertEquals("1:00:00", ProgressBar.duration(3600));
        assertEquals("27:46:40", ProgressBar.duration(100000));
    }

    @Test
    void theRedrawnLineFitsTheTerminal() {
        String status = "0.53M frames  2717 frames/s  return -3.021 (last 1000: -3.044)  H 1.07  and more words to wrap";
        ProgressBar bar = new ProgressBar(out, "train", 0, 600, true, nanos::get);
        nanos.set(1_000_000_000L);
        bar.update(120, status);
        String drawn = bytes.toString(StandardCharsets.UTF_8);
        String line = drawn.substring(drawn.lastIndexOf('\r') + 1);
        int columns = ProgressBar.terminalColumns(System.getenv("COLUMNS"));
        org.junit.jupiter.api.Assertions.assertTrue(line.length() <= columns - 1, line.length() + " > " + columns + ": " + line);
        org.junit.jupiter.api.Assertions.assertTrue(line.startsWith("train [####"), line);

        org.junit.jupiter.api.Assertions.assertEquals(80, ProgressBar.terminalColumns(null), "unknown: 80 columns");
        org.junit.jupiter.api.Assertions.assertEquals(80, ProgressBar.terminalColumns("wide"));
        org.junit.jupiter.api.Assertions.assertEquals(132, ProgressBar.terminalColumns("132"));
        org.junit.jupiter.api.Assertions.assertEquals("abcdefghijklmnopqrs~",
                ProgressBar.fit("abcdefghijklmnopqrstuvwxyz", 21));
        org.junit.jupiter.api.Assertions.assertEquals("short", ProgressBar.fit("short", 80));
    }
}
