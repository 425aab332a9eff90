package io.github.miniomigrator.store;

import io.github.miniomigrator.http.StalledTransferException;
import io.minio.errors.InsufficientDataException;
import io.minio.errors.ServerException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.exception.SdkClientException;

/** Retries of transient failures (5xx, 429, resets, timeouts) with exponential backoff and jitter; 4xx is final. */
public final class Retry {
    private static final Logger LOG = LoggerFactory.getLogger(Retry.class);
    static final String OSS_QOS_DELAY = "x-oss-qos-delay-time";
    private static final long MAX_HINT_MILLIS = 300_000;
    private final int attempts;
    private final long baseDelayMillis;

    public Retry(int attempts, long baseDelayMillis) {
        this.attempts = attempts;
        this.baseDelayMillis = baseDelayMillis;
    }

    public int attempts() {
        return attempts;
    }

    public <T> T call(String what, Callable<T> call) {
        return call(what, StopSignal.NEVER, call);
    }

    /**
     * As {@link #call(String, Callable)}, and no try starts once {@code stop} is given (the one on the wire ends as it
     * would); a wait for the next try ends at once with it.
     */
    public <T> T call(String what, StopSignal stop, Callable<T> call) {
        for (int failure = 0; ; failure++) {
            stop.check(what);
            try {
                return call.call();
            } catch (Exception e) {
                if (stop.stopped() || !isTransient(e) || failure >= attempts) {
                    if (e instanceof StoreException s) {
                        throw s;
                    }
                    throw new StoreException(what + " failed: " + StoreException.describe(e), e);
                }
                sayIfStalled(e, failure + 1);
                pause(failure + 1, e, stop);
            }
        }
    }

    long delayMillis(int failure, Throwable cause) {
        long delay = Math.min(baseDelayMillis << Math.min(failure - 1, 6), 30_000);
        long jittered = delay / 2 + ThreadLocalRandom.current().nextLong(delay / 2 + 1);
        return Math.max(jittered, throttleHintMillis(cause));
    }

    /**
     * How long a throttling store asked us to wait: OSS's x-oss-qos-delay-time (milliseconds) on a 503, or the standard
     * Retry-After (seconds); capped at five minutes. 0 when it said nothing.
     */
    static long throttleHintMillis(Throwable cause) {
        if (cause == null) {
            return 0;
        }
        long hint = 0;
        try {
            hint = StoreException.responseHeader(cause, OSS_QOS_DELAY).map(v -> Long.parseLong(v.trim()))
                    .or(() -> StoreException.responseHeader(cause, "Retry-After").map(v -> Long.parseLong(v.trim()) * 1000)).orElse(0L);
        } catch (NumberFormatException e) {
            return 0; // a date or garbage: the backoff decides
        }
        return Math.max(0, Math.min(hint, MAX_HINT_MILLIS));
    }

    public boolean isTransient(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AbortedException || t instanceof InterruptedException || t instanceof CancellationException) {
                return false; // stopped on purpose (a stop, or a sibling part's failure): not the store's doing
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StreamAlreadySentException) {
                return true; // the store failed transiently first; the SDK could not replay the stream
            }
        }
        if (StoreException.errorCode(e).equals("BadDigest")) {
            return true; // the store's MD5 check refused bytes changed on the way: send them again
        }
        int status = StoreException.status(e);
        if (status != 0) {
            return status >= 500 || status == 429 || status == 408;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof IOException || t instanceof UncheckedIOException || t instanceof InsufficientDataException
                    || t instanceof ServerException || t instanceof TruncatedReadException || t instanceof StreamAlreadySentException) {
                return true;
            }
            if (t instanceof SdkClientException && t.getCause() == null && String.valueOf(t.getMessage()).contains("Unable to execute HTTP request")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One line when the failure that is about to be retried was a stalled transfer: silent until now (it moved no byte
     * for migration.timeout), it would otherwise look like a hang. The connection it stalled on is closed already, so
     * the next try opens a new one.
     * @param failure how many tries have failed so far
     */
    public void sayIfStalled(Throwable e, int failure) {
        StalledTransferException stalled = StalledTransferException.in(e);
        if (stalled != null) {
            LOG.warn("{}; retrying on a new connection (try {} of {})", stalled.getMessage(), failure + 1, attempts + 1);
        }
    }

    /** Waits before the next attempt: exponential backoff with jitter, or longer where the store said how long to wait. */
    public void pause(int failure, Throwable cause) {
        pause(failure, cause, StopSignal.NEVER);
    }

    private void pause(int failure, Throwable cause, StopSignal stop) {
        try {
            stop.sleep(delayMillis(failure, cause));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StoreException("interrupted while waiting to retry", e);
        }
    }
}
