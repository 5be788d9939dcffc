package org.eprop.agent.run;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A request, from outside the training loop, to end a run at the next iteration boundary (SIGTERM
 * or Ctrl-C: the launcher's shutdown hook), and the loop's answer once its final checkpoint is on
 * disk. The loop polls {@link #requested()} after each iteration, so nothing is cut half way: the
 * run resumes from that checkpoint and loses no finished iteration.
 */
public final class StopSignal {
    private volatile boolean requested;
    private final CountDownLatch stopped = new CountDownLatch(1);

    /** A signal that is never raised (tests, and runs without a launcher). */
    public static StopSignal never() {
        return new StopSignal();
    }

    /** Asks the loop to stop after the iteration in progress. */
    public void request() {
        requested = true;
    }

    public boolean requested() {
        return requested;
    }

    /** The loop has written its final checkpoint and is ending. */
    public void stopped() {
        stopped.countDown();
    }

    /** Waits for {@link #stopped()}; false when the time ran out first. */
    public boolean awaitStopped(long timeout, TimeUnit unit) throws InterruptedException {
        return stopped.await(timeout, unit);
    }
}
