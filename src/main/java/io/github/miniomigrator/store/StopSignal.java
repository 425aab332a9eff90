package io.github.miniomigrator.store;

import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * Tells the retries of a request that their work is no longer wanted (a sibling part of the same upload failed), without
 * interrupting the thread: a request on the wire ends as it would (an interrupt would make the client cut it mid-body),
 * and no further try starts; a wait before the next try ends at once.
 */
public final class StopSignal {
    /** Never stops: for requests with nobody to stop them. */
    public static final StopSignal NEVER = new StopSignal();

    private final CountDownLatch stopped = new CountDownLatch(1);

    public void stop() {
        if (this != NEVER) {
            stopped.countDown();
        }
    }

    public boolean stopped() {
        return stopped.getCount() == 0;
    }

    /** Throws when stopped: no next try. */
    public void check(String what) {
        if (stopped()) {
            throw new CancellationException(what + " was not tried again: the upload it belongs to failed");
        }
    }

    /**
     * Waits the given time unless stopped first.
     * @return true when stopped (at once or during the wait)
     */
    boolean sleep(long millis) throws InterruptedException {
        return stopped.await(millis, TimeUnit.MILLISECONDS);
    }
}
