package io.github.miniomigrator.command;

import io.github.miniomigrator.copy.CopyPass;
import io.github.miniomigrator.copy.PassStats;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.report.Sizes;
import io.github.miniomigrator.store.SourceStore;
import java.io.Console;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.util.Iterator;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * On a terminal, a live line under the pass: objects and bytes done of the total, rate and ETA. The total comes from a
 * quick count of the source listing that runs alongside the copy (counts only, constant memory). Nothing in a log.
 */
final class TerminalProgress implements AutoCloseable {
    private final ScheduledExecutorService timer;
    private final PrintWriter console;
    private final AtomicLong totalObjects = new AtomicLong(-1);
    private final AtomicLong totalBytes = new AtomicLong(-1);

    private TerminalProgress(CopyPass pass, SourceStore source, Console terminal) {
        this.console = terminal.writer();
        this.timer = Executors.newScheduledThreadPool(2, r -> {
            Thread thread = new Thread(r, "terminal-progress");
            thread.setDaemon(true);
            return thread;
        });
        timer.execute(() -> count(source, pass));
        timer.scheduleAtFixedRate(() -> {
            console.print("\r" + line(pass.stats(), Duration.between(pass.started(), Instant.now()), totalObjects.get(), totalBytes.get()) + "   ");
            console.flush();
        }, 1, 1, TimeUnit.SECONDS);
    }

    /** A live line when the tool runs on a terminal; nothing (a no-op) under systemd, in a pipe or in tests. */
    static TerminalProgress start(CopyPass pass, SourceStore source) {
        Console terminal = System.console();
        return terminal == null ? null : new TerminalProgress(pass, source, terminal);
    }

    private void count(SourceStore source, CopyPass pass) {
        long objects = 0;
        long bytes = 0;
        try {
            Iterator<ListingEntry> listing = source.list(pass.mapping().sourceBucket());
            while (listing.hasNext() && !Thread.currentThread().isInterrupted()) {
                bytes += listing.next().size();
                objects++;
            }
            totalObjects.set(objects);
            totalBytes.set(bytes);
        } catch (RuntimeException e) {
            // the count only feeds the ETA; the pass itself reports listing errors
        }
    }

    /** "1,234/10,000 objects, 1.2 GiB/8.3 GiB, 45.0 MiB/s, ETA 3 min" — the totals shown once counted. */
    static String line(PassStats stats, Duration elapsed, long totalObjects, long totalBytes) {
        long done = stats.copiedObjects.sum() + stats.identicalObjects.sum() + stats.failedObjects.sum() + stats.goneObjects.sum();
        long bytes = stats.copiedBytes.sum() + stats.identicalBytes.sum() + stats.inFlightBytes(); // a large object counts as it moves
        double seconds = Math.max(0.001, elapsed.toMillis() / 1000.0);
        double rate = bytes / seconds;
        String objects = String.format(Locale.ROOT, "%,d", done) + (totalObjects >= 0 ? String.format(Locale.ROOT, "/%,d", totalObjects) : "");
        String moved = Sizes.human(bytes) + (totalBytes >= 0 ? "/" + Sizes.human(totalBytes) : "");
        String perSecond = Sizes.human((long) rate);
        if (totalBytes > 0 && bytes > 0) {
            double remaining = Math.max(0, totalBytes - bytes) / Math.max(rate, 1);
            return Messages.text("cli.terminal.line-eta", objects, moved, perSecond, ProgressLine.eta(remaining));
        }
        return Messages.text("cli.terminal.line", objects, moved, perSecond);
    }

    @Override
    public void close() {
        timer.shutdownNow();
        console.println();
        console.flush();
    }
}
