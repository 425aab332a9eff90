package io.github.miniomigrator.http;

import java.io.IOException;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Aborts a request whose body has stopped going out. A socket read times out by itself (the clients' socket
 * timeouts), a socket write never does: a path that dies, or a server that stops reading, leaves the writing thread
 * blocked until TCP gives up (about 15 minutes) or for ever. A total deadline per request would not do, since a large
 * object legitimately takes long; so each request being written records its progress and one shared thread, ticking
 * a few times per timeout, aborts those that have moved no byte for the whole timeout. Aborting closes the connection
 * (over TLS the plain socket beneath first, see RawSocketTlsFactory), which unblocks the write and keeps the broken
 * connection out of the pool.
 */
public final class StallWatchdog implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(StallWatchdog.class);
    /** One thread for every client of the process: the ticks are a walk over the few requests in flight. */
    private static final ScheduledExecutorService TICKER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "stalled-request-watchdog");
        t.setDaemon(true);
        return t;
    });

    /** Aborts run here, never on the ticker: closing a connection can block, and must not hold up the other watches. */
    private static final java.util.concurrent.ExecutorService ABORTS = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "stalled-request-abort");
        t.setDaemon(true);
        return t;
    });
    /** The watch of the request this thread is executing, for the TLS sockets it writes through. */
    private static final ThreadLocal<Watch> CURRENT = new ThreadLocal<>();

    private final Duration timeout;
    private final long timeoutNanos;
    private final Set<Watch> watched = ConcurrentHashMap.newKeySet();
    private final ScheduledFuture<?> ticking;

    public StallWatchdog(Duration timeout) {
        this.timeout = timeout;
        this.timeoutNanos = timeout.toNanos();
        // a stall is noticed at most one tick (a quarter of the timeout, 1 s at most) after the timeout
        long tick = Math.max(50, Math.min(1000, timeout.toMillis() / 4));
        this.ticking = TICKER.scheduleWithFixedDelay(this::tick, tick, tick, TimeUnit.MILLISECONDS);
    }

    public Duration timeout() {
        return timeout;
    }

    /** A request's watch, not yet armed: it is armed when its body starts to go out. */
    public Watch watch(Runnable abort) {
        return new Watch(abort);
    }

    /** A TLS socket is written on this thread, through this plain socket (see RawSocketTlsFactory). */
    static void writingTo(java.net.Socket plain) {
        Watch watch = CURRENT.get();
        if (watch != null) {
            watch.plain = plain;
        }
    }

    /** Requests being watched right now (for tests). */
    int watching() {
        return watched.size();
    }

    private void tick() {
        long now = System.nanoTime();
        for (Watch watch : watched) {
            try {
                watch.abortIfStalled(now);
            } catch (RuntimeException e) {
                LOG.debug("could not abort a stalled request", e);
            }
        }
    }

    @Override
    public void close() {
        ticking.cancel(false);
        watched.clear();
    }

    /**
     * One request. Time spent inside a read of the body does not count: that is the source being slow or a bandwidth
     * limit pausing, which the source's own timeout bounds; only time the body waits for the connection to take it does.
     */
    public final class Watch {
        private static final int IDLE = 0;
        private static final int ARMED = 1;
        private static final int STALLED = 2;
        private static final int DONE = 3;
        private final AtomicInteger state = new AtomicInteger(IDLE);
        private final Runnable abort;
        private volatile long lastProgress;
        private volatile boolean inRead;
        private volatile boolean bodySent;
        /** The plain socket beneath the TLS one the request writes to, when it goes over TLS. */
        private volatile java.net.Socket plain;

        private Watch(Runnable abort) {
            this.abort = abort;
        }

        /** The body is about to be read: armed from the first read on, so connecting keeps its own timeout. */
        public void enterRead() {
            inRead = true;
            if (state.get() == IDLE && state.compareAndSet(IDLE, ARMED)) {
                watched.add(this);
            }
        }

        /** A read of the body returned: the connection took what was read before it. */
        public void exitRead(boolean endOfBody) {
            lastProgress = System.nanoTime();
            inRead = false;
            if (endOfBody) {
                bodySent = true;
            }
        }

        /** The request is about to run on this thread. */
        public void enter() {
            CURRENT.set(this);
        }

        private void abortIfStalled(long now) {
            if (!inRead && now - lastProgress > timeoutNanos && state.compareAndSet(ARMED, STALLED)) {
                watched.remove(this);
                ABORTS.execute(() -> {
                    closePlainSocket();
                    abort.run();
                });
            }
        }

        private void closePlainSocket() {
            java.net.Socket socket = plain;
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException e) {
                    LOG.debug("closing a stalled connection", e);
                }
            }
        }

        /** The answer came (or the request failed): no more watching. @return false when it was aborted as stalled */
        public boolean finish() {
            CURRENT.remove();
            watched.remove(this);
            return state.getAndUpdate(s -> s == STALLED ? STALLED : DONE) != STALLED;
        }

        public boolean stalled() {
            return state.get() == STALLED;
        }

        /** Whether all of the body had been read when it stalled: then it was the answer that did not come. */
        public boolean bodySent() {
            return bodySent;
        }
    }
}
