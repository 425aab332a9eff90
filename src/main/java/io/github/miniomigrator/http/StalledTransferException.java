package io.github.miniomigrator.http;

import java.net.SocketTimeoutException;
import java.time.Duration;

/**
 * A request that moved no byte for migration.timeout and was given up, its connection closed. A socket timeout (so
 * every layer that retries timeouts retries it), named with the request, so one log line can say which transfer stalled
 * and that it is tried again.
 */
public final class StalledTransferException extends SocketTimeoutException {
    private static final long serialVersionUID = 1L;

    /** @param what the request as a person reads it, e.g. "PUT dst/scan/a.tif (part 3)" */
    public StalledTransferException(String what, String stall, Duration timeout, Throwable cause) {
        super(what + " timed out: " + stall + " for " + seconds(timeout));
        initCause(cause);
    }

    /** The body was being sent and the connection took no more of it: the path died or the server stopped reading. */
    public static StalledTransferException sending(String what, Duration timeout, Throwable cause) {
        return new StalledTransferException(what, "could send nothing", timeout, cause);
    }

    /** Everything was sent and no answer came, or an answer stopped coming. */
    public static StalledTransferException receiving(String what, Duration timeout, Throwable cause) {
        return new StalledTransferException(what, "received nothing", timeout, cause);
    }

    /** The stall in a failure's causes, or null when it was no stall. */
    public static StalledTransferException in(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof StalledTransferException stalled) {
                return stalled;
            }
        }
        return null;
    }

    static String seconds(Duration timeout) {
        long millis = timeout.toMillis();
        return millis % 1000 == 0 ? millis / 1000 + " s" : String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
    }
}
