package io.github.miniomigrator.command;

import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.report.Sizes;
import java.util.Locale;

/**
 * The log's progress line of a pass, from its counts: while the source is being listed, how far the listing got; once
 * it has ended (the totals are known), % done by bytes (by objects when the bytes are 0), the rate over the last
 * interval and an ETA. Bytes in flight count as done as they move, so a large object shows before it lands.
 */
final class ProgressLine {
    private ProgressLine() {
    }

    /**
     * "src -> dst: 3003 source objects listed (198.3 MiB), 42.1% done (83.5 MiB); 3000 copied (80.1 MiB), 0 identical,
     * 0 failed; 2.0 MiB/s, ETA 57 s; 3 transfers running, …"
     * @param bytesPerSecond bytes moved per second over the last interval
     * @param stuck the transfers running long ({@link PassStats#stuckTransfers}), or ""
     */
    static String of(String mapping, PassStats s, long bytesPerSecond, String stuck) {
        long copied = s.copiedObjects.sum();
        String tally = Messages.text("cli.progress.tally", copied, Sizes.human(s.copiedBytes.sum()), s.identicalObjects.sum(),
                s.failedObjects.sum());
        String rate = Sizes.human(bytesPerSecond) + "/s";
        String tail = stuck.isEmpty() ? "" : Messages.text("cli.progress.stuck-tail", stuck);
        long listedObjects = s.listedObjects.sum();
        long listedBytes = s.listedBytes.sum();
        if (!s.isListingComplete()) {
            return Messages.text("cli.progress.listing", mapping, listedObjects, Sizes.human(listedBytes), tally, rate, tail);
        }
        long doneBytes = Math.min(listedBytes, s.copiedBytes.sum() + s.identicalBytes.sum() + s.inFlightBytes());
        long doneObjects = Math.min(listedObjects, copied + s.identicalObjects.sum() + s.failedObjects.sum() + s.goneObjects.sum());
        double percent = listedBytes > 0 ? 100.0 * doneBytes / listedBytes : listedObjects > 0 ? 100.0 * doneObjects / listedObjects : 100;
        String eta;
        if (listedBytes - doneBytes <= 0 && doneObjects >= listedObjects) {
            eta = Messages.text("cli.progress.eta", eta(0));
        } else if (bytesPerSecond <= 0 || listedBytes == 0) {
            eta = Messages.text("cli.progress.eta-unknown");
        } else {
            eta = Messages.text("cli.progress.eta", eta((double) (listedBytes - doneBytes) / bytesPerSecond));
        }
        return Messages.text("cli.progress.line", mapping, listedObjects, Sizes.human(listedBytes), String.format(Locale.ROOT, "%.1f", percent),
                Sizes.human(doneBytes), tally, rate, eta, tail);
    }

    /** "45 s", "12 min", "3.5 h". */
    static String eta(double seconds) {
        return seconds < 120 ? Messages.text("cli.unit.seconds", String.format(Locale.ROOT, "%.0f", seconds))
                : seconds < 7200 ? Messages.text("cli.unit.minutes", String.format(Locale.ROOT, "%.0f", seconds / 60))
                : Messages.text("cli.unit.hours", String.format(Locale.ROOT, "%.1f", seconds / 3600));
    }

    /** Bytes per second between one reading of a growing count and the next (the progress line's interval). */
    static final class Rate {
        private long lastBytes;
        private long lastNanos;

        Rate(long startNanos) {
            this.lastNanos = startNanos;
        }

        long perSecond(long bytesNow, long nanosNow) {
            long nanos = Math.max(1, nanosNow - lastNanos);
            long rate = (long) ((bytesNow - lastBytes) * 1e9 / nanos);
            lastBytes = bytesNow;
            lastNanos = nanosNow;
            return Math.max(0, rate);
        }
    }
}
