package org.eprop.agent.run;

import java.io.PrintStream;
import java.util.Locale;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * A progress line for long runs: iterations done, speed, time left and the latest metrics.
 *
 * <p>Why two modes: on a terminal one line is redrawn in place with {@code \r}
 * ({@code train [#######.............] 120/600  2.4 it/s  ETA 3:20  loss 0.512 err 23.4%}), at
 * most every 100 ms so that a fast loop does not spend its time printing. In a CI log or a pipe a
 * {@code \r} line would pile up into one endless line, so there full lines are printed instead:
 * the first update, then each time a further 10% of the total is reached, and otherwise at most
 * one every 10 s. The speed is the average since the bar was made (from {@code initial} on a
 * resumed run), the ETA is the remaining iterations at that speed; before any progress it shows
 * {@code ETA --:--}. A speed under 1 it/s is shown as seconds per iteration ({@code 12.5 s/it}).
 * With {@code total <= 0} (unknown) the bar, the ETA and the 10% steps are left out.
 *
 * <p>A run may also end on a second budget, e.g. the actor-critic's emulator frames
 * ({@code max_frames}) besides its iterations: given one ({@link #budget}) and its count at each
 * update, the bar fills to whichever budget is further along, and the ETA is the sooner of the two
 * ends, each at its own speed measured since the bar was made (frames per second for the frames).
 *
 * <p>A run may also end early (early stopping): given an estimate of the iteration it will stop at
 * ({@link #expectedEnd}, e.g. from {@link EarlyStopEstimate}), the ETA counts to that iteration
 * while it is before the budget, and says so: {@code ETA 1:05 (early stop ~380)}.
 *
 * <p>The time source is injectable ({@link LongSupplier} of nanoseconds, like
 * {@link System#nanoTime()}) so that tests can drive it.
 */
public final class ProgressBar {
    static final int WIDTH = 20;
    static final long REDRAW_NANOS = 100_000_000L;
    static final long LOG_INTERVAL_NANOS = 10_000_000_000L;
    /** The width assumed for a terminal that does not say its own. */
    static final int DEFAULT_COLUMNS = 80;

    private final PrintStream out;
    private final String label;
    private final long initial;
    private final long total;
    private final boolean interactive;
    private final LongSupplier nanoTime;
    private final long start;
    private final int columns = terminalColumns(System.getenv("COLUMNS"));

    private long done;
    /** The second budget (see the class comment): its count at the start, now, and its total (0: none). */
    private long budgetInitial;
    private long budgetDone;
    private long budgetTotal;
    /** The estimated iteration of an early stop; 0: none. */
    private long expectedEnd;
    private String status = "";
    private boolean printedAny;
    private long lastPrintNanos;
    private long lastPrintedStep = -1;
    private int lastLineLength;
    private boolean lineOpen;
    private boolean pendingRedraw;

    /** A bar from 0 on the system clock. */
    public ProgressBar(PrintStream out, String label, long total, boolean interactive) {
        this(out, label, 0, total, interactive, System::nanoTime);
    }

    /**
     * @param initial the count already done when the bar starts (a resumed run); the speed counts from it
     * @param nanoTime the time source, in nanoseconds
     */
    public ProgressBar(PrintStream out, String label, long initial, long total, boolean interactive,
            LongSupplier nanoTime) {
        this.out = Objects.requireNonNull(out, "out");
        this.label = Objects.requireNonNull(label, "label");
        this.initial = initial;
        this.total = total;
        this.interactive = interactive;
        this.nanoTime = Objects.requireNonNull(nanoTime, "nanoTime");
        this.start = nanoTime.getAsLong();
        this.done = initial;
        this.lastPrintedStep = step(initial);
    }

    /** Whether the process writes to a terminal, where the bar is redrawn in place. */
    public static boolean isInteractive() {
        return System.console() != null;
    }

    /**
     * A second budget that can end the run before the iterations do (e.g. emulator frames): its
     * count now ({@code initial}, the start of its speed) and its total. Call before the updates,
     * which then give its count with {@link #update(long, long, String)}.
     */
    public synchronized void budget(long initial, long total) {
        this.budgetInitial = initial;
        this.budgetDone = initial;
        this.budgetTotal = total;
        this.lastPrintedStep = step(done);
    }

    /**
     * The iteration at which the run is expected to stop before its budget (an early-stopping
     * estimate), or empty for none; used by the ETA from the next update on.
     */
    public synchronized void expectedEnd(java.util.OptionalLong iteration) {
        this.expectedEnd = iteration.isPresent() ? Math.max(1, iteration.getAsLong()) : 0;
    }

    /** Reports {@code done} iterations and a short status (e.g. the latest loss), printing if due. */
    public synchronized void update(long done, String status) {
        update(done, budgetDone, status);
    }

    /** As {@link #update(long, String)}, with the second budget's count (see {@link #budget}). */
    public synchronized void update(long done, long budgetDone, String status) {
        this.budgetDone = budgetDone;
        this.done = done;
        this.status = status == null ? "" : status;
        long now = nanoTime.getAsLong();
        if (interactive) {
            if (!printedAny || now - lastPrintNanos >= REDRAW_NANOS || (total > 0 && done >= total)) {
                redraw(now);
            } else {
                pendingRedraw = true;
            }
        } else {
            long step = step(done);
            if (!printedAny || step > lastPrintedStep || now - lastPrintNanos >= LOG_INTERVAL_NANOS) {
                out.println(line(now));
                out.flush();
                printedAny = true;
                lastPrintNanos = now;
                lastPrintedStep = Math.max(lastPrintedStep, step);
            }
        }
    }

    /**
     * Ends the bar: on a terminal the last state is drawn (if the redraw limit skipped it) and the
     * line closed; then {@code <label> done in <elapsed>  <summary>} is printed on a line of its own.
     */
    public synchronized void finish(String summary) {
        long now = nanoTime.getAsLong();
        if (interactive) {
            if (pendingRedraw) {
                redraw(now); // the last update was skipped by the redraw limit
            }
            if (lineOpen) {
                out.print('\n');
                lineOpen = false;
            }
        }
        StringBuilder sb = new StringBuilder(label).append(" done in ").append(duration((now - start) / 1e9));
        if (summary != null && !summary.isEmpty()) {
            sb.append("  ").append(summary);
        }
        out.println(sb);
        out.flush();
    }

    private void redraw(long now) {
        String line = fit(line(now), columns);
        StringBuilder sb = new StringBuilder(line.length() + 8).append('\r').append(line);
        for (int i = line.length(); i < lastLineLength; i++) {
            sb.append(' '); // wipe the rest of a longer previous line
        }
        out.print(sb);
        out.flush();
        lastLineLength = line.length();
        lineOpen = true;
        pendingRedraw = false;
        printedAny = true;
        lastPrintNanos = now;
    }

    /**
     * The line cut to the terminal's width less one column (a line as wide as the terminal wraps on
     * some terminals, and a wrapped line cannot be redrawn in place with {@code \r}).
     */
    static String fit(String line, int columns) {
        int max = Math.max(20, columns - 1);
        return line.length() <= max ? line : line.substring(0, max - 1) + "~";
    }

    /**
     * The terminal's width: {@code COLUMNS} when the shell exports it, else 80 (Java cannot ask the
     * terminal itself).
     */
    static int terminalColumns(String columnsVariable) {
        try {
            int c = columnsVariable == null ? 0 : Integer.parseInt(columnsVariable.strip());
            return c >= 20 ? c : DEFAULT_COLUMNS;
        } catch (NumberFormatException e) {
            return DEFAULT_COLUMNS;
        }
    }

    /** The progress line, without line terminator. */
    String line(long now) {
        StringBuilder sb = new StringBuilder(label);
        if (total > 0) {
            int filled = (int) parts(WIDTH);
            sb.append(" [").append("#".repeat(filled)).append(".".repeat(WIDTH - filled)).append("] ")
                    .append(done).append('/').append(total);
        } else {
            sb.append(' ').append(done);
        }
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (done - initial) / seconds : 0;
        if (rate > 0) {
            sb.append("  ").append(rate >= 1 ? String.format(Locale.ROOT, "%.1f it/s", rate)
                    : String.format(Locale.ROOT, "%.1f s/it", 1 / rate));
        }
        if (total > 0) {
            boolean early = expectedEnd > 0 && expectedEnd < total;
            long end = early ? Math.max(done, expectedEnd) : total;
            double left = rate > 0 ? Math.max(0, end - done) / rate : Double.POSITIVE_INFINITY;
            double budgetRate = seconds > 0 ? (budgetDone - budgetInitial) / seconds : 0;
            if (budgetTotal > 0 && budgetRate > 0) {
                left = Math.min(left, Math.max(0, budgetTotal - budgetDone) / budgetRate);
            }
            sb.append("  ETA ").append(Double.isFinite(left) ? duration(left) : "--:--");
            if (early && Double.isFinite(left)) {
                sb.append(" (early stop ~").append(end).append(')');
            }
        }
        if (!status.isEmpty()) {
            sb.append("  ").append(status);
        }
        return sb.toString();
    }

    /** {@code m:ss} under an hour, {@code h:mm:ss} from an hour on (rounded to whole seconds). */
    static String duration(double seconds) {
        long s = Math.round(seconds);
        long h = s / 3600;
        long m = (s % 3600) / 60;
        long sec = s % 60;
        return h > 0 ? String.format(Locale.ROOT, "%d:%02d:%02d", h, m, sec)
                : String.format(Locale.ROOT, "%d:%02d", m, sec);
    }

    /**
     * How far the run is in whole {@code 1/of}ths (rounded down): by the iterations, or by the second
     * budget where that is further along. Integer arithmetic, so that a share exactly reached counts.
     */
    private long parts(long of) {
        return Math.max(parts(done, total, of), budgetTotal > 0 ? parts(budgetDone, budgetTotal, of) : 0);
    }

    private static long parts(long count, long total, long of) {
        return Math.max(0, Math.min(count, total)) * of / total;
    }

    /** The completed 10% step of the run at {@code count} iterations (0..10), or -1 without a total. */
    private long step(long count) {
        if (total <= 0) {
            return -1;
        }
        return Math.max(parts(count, total, 10), budgetTotal > 0 ? parts(budgetDone, budgetTotal, 10) : 0);
    }
}
