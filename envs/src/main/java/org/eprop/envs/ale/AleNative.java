package org.eprop.envs.ale;

import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.StampedLock;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads ALE's native library and controls its console messages.
 *
 * <p>ALE 0.6 writes its banner, the "Game console created" block, the MD5 warning and the seed
 * through {@code ale::Logger}, whose level is the process-wide variable
 * {@code ale::Logger::current_mode} (0 info, 1 warning, 2 error). The JavaCPP preset does not bind
 * {@code Logger::setMode}, but {@code libale.so} exports the variable, so its address is looked up
 * with {@link Loader#addressof} and the level written directly. The level is process-wide: the last
 * environment created or reseeded decides for all (the verbose one wins while it loads).
 * Messages that Stella prints on its own (e.g. "Illegal Instruction!" while running garbage) are
 * not covered; {@link AleRoms} keeps such images away.
 *
 * <p><b>Threads.</b> Stella's TIA keeps its mask and collision tables in static arrays and
 * recomputes them in every TIA constructor, i.e. on every {@code loadROM}. Two loads at once trip
 * an assertion in {@code TIA::computePlayerPositionResetWhenTable} that aborts the JVM (seen here
 * with two threads), and a load while another instance emulates can let that instance read a
 * half-written table. So creating, loading and destroying an emulator takes {@link #exclusive()},
 * and emulating (act, reset_game, screens) takes {@link #shared()}: instances still run in parallel,
 * and a reload waits until no other instance is inside a step. The lock is a {@link StampedLock}
 * (neither side is taken reentrantly): a {@code ReentrantReadWriteLock} keeps per-thread read
 * counts in thread-locals and allocated one for almost every step of every emulator thread.
 */
final class AleNative {
    private static final Logger LOG = LoggerFactory.getLogger(AleNative.class);
    private static final String MODE_SYMBOL = "_ZN3ale6Logger12current_modeE";
    private static final int INFO = 0;
    private static final int ERROR = 2;
    private static final StampedLock LOCK = new StampedLock();
    private static IntPointer mode;
    private static boolean loaded;

    private AleNative() {
    }

    /** Held while creating, loading (reseeding) or destroying an emulator. */
    static Lock exclusive() {
        return LOCK.asWriteLock();
    }

    /** Held while an emulator runs (steps, resets, screen reads). */
    static Lock shared() {
        return LOCK.asReadLock();
    }

    /** Loads the native libraries once. */
    static synchronized void load() {
        if (loaded) {
            return;
        }
        // The ALE preset (0.6.1-1.5.6) was built for JavaCPP 1.5.6; the project pins 1.5.7 for ND4J,
        // which runs it fine (see the parent POM). JavaCPP says so on every start, with a "Warning:"
        // line on stderr from its own logger. Sent to SLF4J instead, the note follows the logging
        // configuration (the command line and the tests keep org.bytedeco at error). JavaCPP reads
        // the property once, when its Loader class initialises; where ND4J or a direct
        // ALEInterface use came first, the launcher or the test JVM's options set it.
        if (System.getProperty("org.bytedeco.javacpp.logger") == null) {
            System.setProperty("org.bytedeco.javacpp.logger", "slf4j");
        }
        Loader.load(org.bytedeco.ale.global.ale.class);
        Pointer p = Loader.addressof(MODE_SYMBOL);
        if (p == null || p.isNull()) {
            LOG.debug("{} not found in the loaded libraries; ALE's console messages cannot be silenced", MODE_SYMBOL);
        } else {
            mode = new IntPointer(p);
        }
        loaded = true;
    }

    /** Sets ALE's console level: everything when {@code verbose}, errors only otherwise. */
    static synchronized void verbose(boolean verbose) {
        load();
        if (mode != null) {
            mode.put(verbose ? INFO : ERROR);
        }
    }

    /** Whether the console level can be set on this build. */
    static synchronized boolean canSilence() {
        load();
        return mode != null;
    }
}
