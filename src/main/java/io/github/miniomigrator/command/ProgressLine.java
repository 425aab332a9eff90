package io.github.miniomigrator.command;

import io.github.miniomigrator.copy.PassProgress;
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
        String tally = Messages.text("cli.progress.tally", s.copiedObjects.sum(), Sizes.human(s.copiedBytes.sum()), s.identicalObjects.sum(),
                s.failedObjects.sum());
        String rate = Sizes.human(bytesPerSecond) + "/s";
        String tail = stuck.isEmpty() ? "" : Messages.text("cli.progress.stuck-tail", stuck);
        PassProgress p = PassProgress.of(s, bytesPerSecond);
        if (!p.listingComplete()) {
            return Messages.text("cli.progress.listing", mapping, p.listedObjects(), Sizes.human(p.listedBytes()), tally, rate, tail);
        }
        String eta = p.etaSeconds() < 0 ? Messages.text("cli.progress.eta-unknown") : Messages.text("cli.progress.eta", eta(p.etaSeconds()));
        return Messages.text("cli.progress.line", mapping, p.listedObjects(), Sizes.human(p.listedBytes()),
                String.format(Locale.ROOT, "%.1f", p.percent()), Sizes.human(p.doneBytes()), tally, rate, eta, tail);
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
