package io.github.miniomigrator.logging;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;

/**
 * One line per burst of failures, never a line per key: when a store is away, thousands of keys fail within seconds,
 * and a line each would bury the status line. Per kind of failure ("syncs", "copies", ...) the first few of each
 * 30-second window are logged as they come; the rest are counted and summed up in one line when the window ends —
 * "target unreachable (connect timed out): 14 more syncs failed in the last 30 s; they are retried". Every failure is
 * logged word for word at DEBUG, and the keys are in the reports (passes) or the event failure file (events).
 */
public final class FailureBursts {
    static final Duration WINDOW = Duration.ofSeconds(30);
    static final int LOGGED_PER_WINDOW = 3;
    private static final Map<String, Burst> BURSTS = new ConcurrentHashMap<>();
    private static final ScheduledExecutorService FLUSHER = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread thread = new Thread(r, "failure-bursts");
        thread.setDaemon(true);
        return thread;
    });

    static {
        FLUSHER.scheduleWithFixedDelay(FailureBursts::flushEnded, 1, 1, TimeUnit.SECONDS);
    }

    private FailureBursts() {
    }

    /**
     * A failure of one key.
     *
     * @param kind what failed, plural ("syncs", "copies", "comparisons with the target"): failures of one kind are summed up together
     * @param next what happens to them ("they are retried", "the pass report lists them")
     * @param line the failure in words, with its key
     * @param reason the store's answer without the key, for the summary line
     */
    public static void failed(Logger log, String kind, String next, String line, String reason) {
        log.debug("{}", line);
        Burst burst = BURSTS.computeIfAbsent(log.getName() + "|" + kind, k -> new Burst(log, kind, next));
        if (burst.count(reason)) {
            log.warn("{}", line);
        }
    }

    /** Logs the summary of every window that has ended now (the flusher does it every second; tests call it to be sure). */
    public static void flushEnded() {
        BURSTS.values().forEach(Burst::flushIfEnded);
    }

    /** The failures of one kind in the current window. */
    private static final class Burst {
        private final Logger log;
        private final String kind;
        private final String next;
        private long windowStart = System.nanoTime();
        private int inWindow;
        private int notLogged;
        private String lastReason = "";

        Burst(Logger log, String kind, String next) {
            this.log = log;
            this.kind = kind;
            this.next = next;
        }

        /** @return whether this failure is logged on its own line */
        synchronized boolean count(String reason) {
            flushIfEnded();
            inWindow++;
            lastReason = reason;
            if (inWindow <= LOGGED_PER_WINDOW) {
                return true;
            }
            notLogged++;
            return false;
        }

        synchronized void flushIfEnded() {
            long now = System.nanoTime();
            if (now - windowStart < WINDOW.toNanos()) {
                return;
            }
            if (notLogged > 0) {
                log.warn("{}: {} more {} failed in the last {} s ({} in all); {}", lastReason, notLogged, kind,
                        Math.round((now - windowStart) / 1e9), inWindow, next);
            }
            windowStart = now;
            inWindow = 0;
            notLogged = 0;
        }
    }
}
