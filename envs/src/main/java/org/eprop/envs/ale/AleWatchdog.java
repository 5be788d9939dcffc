package org.eprop.envs.ale;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Runs the native calls of one emulator whose ROM is not a known dump on a thread of its own, and
 * gives up on a call that makes no progress.
 *
 * <p><b>Why a separate thread.</b> ALE 0.6 has loops that end only when the game's RAM reaches a
 * value: on every reset, for example, Pong's rules press SELECT until RAM $96 holds the mode. On a
 * file that never writes that byte the native call never returns. Measured on random 2 and 4 KiB
 * images named {@code pong.bin} that pass {@link AleRoms}' content checks: 837 of 838 spin inside
 * {@code loadROM}, the thread RUNNABLE at 100 % of a core, printing only "Illegal Instruction!".
 * Java cannot interrupt or stop a thread inside native code, so the thread that must come back
 * with an error cannot be the one making the call: the caller hands each call to the emulator
 * thread and waits for it.
 *
 * <p><b>What "no progress" means.</b> A call that has used {@link #DEFAULT_BUDGET} of CPU time on
 * the emulator thread without returning. CPU time, not wall-clock time, because a stalled call spins
 * without pause while a working one returns after a bounded amount of work (loading a ROM, the
 * heaviest call, about 0.2 s of CPU; a step of 4 frames under 1 ms); on a busy machine, or after
 * the process was suspended, wall time grows but CPU time does not, so a slow but healthy run is
 * not cut short.
 * Where the JVM cannot measure thread CPU time, {@link #WALL_FALLBACK} of wall time is used.
 *
 * <p><b>After a stall</b> the call throws {@link EmulatorStalledException}, and so does every later
 * call: the emulator thread is still inside ALE, cannot be stopped, and keeps one core busy until
 * the JVM exits (it is a daemon thread, so it does not keep the JVM alive). The native emulator is
 * never freed, since that thread still uses it. This is why a ROM that is not a known dump is first
 * tried in a separate, short-lived JVM ({@link RomProbe}), which can be killed: a stall in this
 * process is the rare case of a ROM that passed that trial and stalls later.
 *
 * <p>Known dumps do not go through a watchdog: their calls run on the caller's thread as before
 * (no hand-over per step).
 */
final class AleWatchdog {
    /**
     * CPU time a single native call may use without returning (see the class comment). The
     * heaviest healthy call is a load: 0.13 to 0.26 s of CPU for the 8 shared dumps and the test
     * cartridge on this project's 2-core VM under load (a reset 6 to 12 ms, a step under 1 ms), so
     * 2 s leaves a margin of 8 for slower or busier machines.
     */
    static final Duration DEFAULT_BUDGET = Duration.ofSeconds(2);

    /** Wall-clock limit used instead where thread CPU time cannot be measured. */
    static final Duration WALL_FALLBACK = Duration.ofSeconds(30);

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();
    private static final AtomicInteger COUNT = new AtomicInteger();
    private static final long POLL_MILLIS = 20;

    private final String game;
    private final Path rom;
    private final long budgetNanos;
    private final boolean cpuTimed;
    private final LinkedBlockingQueue<FutureTask<?>> queue = new LinkedBlockingQueue<>();
    private final Thread thread;
    private volatile String stalledIn;
    private volatile String stalledMessage;

    /**
     * Starts the emulator thread.
     *
     * @param game the game, for messages
     * @param rom the ROM file, for messages
     * @param budget CPU time one call may use (tests use a short one)
     */
    AleWatchdog(String game, Path rom, Duration budget) {
        this.game = game;
        this.rom = rom;
        this.budgetNanos = budget.toNanos();
        this.cpuTimed = cpuTimeAvailable();
        this.thread = new Thread(this::serve, "eprop-ale-" + game + "-" + COUNT.incrementAndGet());
        thread.setDaemon(true);
        thread.start();
    }

    private static boolean cpuTimeAvailable() {
        try {
            if (!THREADS.isThreadCpuTimeSupported()) {
                return false;
            }
            if (!THREADS.isThreadCpuTimeEnabled()) {
                THREADS.setThreadCpuTimeEnabled(true);
            }
            return THREADS.getCurrentThreadCpuTime() >= 0;
        } catch (UnsupportedOperationException | SecurityException e) {
            return false;
        }
    }

    private void serve() {
        while (true) {
            FutureTask<?> task;
            try {
                task = queue.take();
            } catch (InterruptedException e) {
                return; // close(): no more calls
            }
            task.run();
        }
    }

    /** The CPU budget per call. */
    Duration budget() {
        return Duration.ofNanos(budgetNanos);
    }

    /** Whether a call has stalled (the emulator must not be used or freed any more). */
    boolean stalled() {
        return stalledIn != null;
    }

    /** Throws the stall of an earlier call again; the emulator must not be touched any more. */
    void checkNotStalled() {
        if (stalledIn != null) {
            throw new EmulatorStalledException(game, rom, stalledIn, stalledMessage);
        }
    }

    /**
     * Runs {@code call} on the emulator thread and returns its result, or throws what it threw.
     *
     * @param operation what the call does, for the message ({@code loadROM}, {@code step}, ...)
     * @throws EmulatorStalledException when the call used the whole budget without returning, or an
     *     earlier call did
     */
    <T> T call(String operation, Callable<T> call) {
        checkNotStalled();
        FutureTask<T> task = new FutureTask<>(call);
        long cpu0 = cpuTime();
        long wall0 = System.nanoTime();
        queue.add(task);
        boolean interrupted = false;
        try {
            while (true) {
                try {
                    return task.get(POLL_MILLIS, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    long used = cpuTimed ? cpuTime() - cpu0 : System.nanoTime() - wall0;
                    long limit = cpuTimed ? budgetNanos : WALL_FALLBACK.toNanos();
                    if (used >= limit && !task.isDone()) {
                        throw stall(operation, used);
                    }
                } catch (InterruptedException e) {
                    // The emulator is inside the call and cannot be abandoned halfway: finish waiting,
                    // then restore the interrupt for the caller.
                    interrupted = true;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException r) {
                        throw r;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(operation + " failed", cause);
                }
            }
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** {@link #call} for a call without a result. */
    void run(String operation, Runnable call) {
        call(operation, () -> {
            call.run();
            return null;
        });
    }

    private long cpuTime() {
        return cpuTimed ? THREADS.getThreadCpuTime(thread.getId()) : 0;
    }

    private EmulatorStalledException stall(String operation, long usedNanos) {
        String measure = cpuTimed ? String.format(Locale.ROOT, "%.1f s of CPU time", usedNanos / 1e9)
                : String.format(Locale.ROOT, "%.0f s (wall-clock time; this JVM cannot measure thread CPU time)",
                        usedNanos / 1e9);
        String message = "ALE made no progress on the ROM file " + rom + " for the Atari game '" + game + "': "
                + operation + " used " + measure + " without returning (on a working cartridge a load takes about "
                + "0.2 s, a step under a millisecond). "
                + "The file is not a known dump of " + game + " and was loaded only because "
                + "env.params.allow_unknown_rom is true; it is most likely not a working " + game + " cartridge. "
                + "The emulator thread is stuck in native code, where Java cannot stop it: this environment is "
                + "unusable, and the thread keeps one core busy until the JVM exits. Fix: use a known dump of "
                + game + " (" + AleRoms.HOW_TO_GET_ROMS + ")";
        stalledMessage = message;
        stalledIn = operation;
        return new EmulatorStalledException(game, rom, operation, cpuTimed ? usedNanos / 1e9 : Double.NaN, message);
    }

    /**
     * Ends the emulator thread once it is idle; the caller frees the emulator first. A stalled
     * thread stays inside its native call (the interrupt only marks it, so that it would end should
     * the call ever return).
     */
    void close() {
        thread.interrupt();
        if (stalledIn == null) {
            try {
                thread.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
