package io.github.miniomigrator.command;

import java.io.PrintStream;
import java.time.Duration;

/**
 * What a cutover's drain waits for, on the console while it waits: what stands between now and drained, at most every
 * few seconds (the quiet period counts down in it), so an operator watching a stopped application sees why it waits.
 */
final class DrainLines {
    private static final long EVERY = Duration.ofSeconds(5).toNanos();
    private final PrintStream out;
    private long last = System.nanoTime();
    private String lastShown = "";

    DrainLines(PrintStream out) {
        this.out = out;
    }

    /** The reasons the sync is not drained now; printed when a few seconds passed since the last line. */
    void waiting(String why) {
        long now = System.nanoTime();
        if (why == null || why.isEmpty() || now - last < EVERY && !lastShown.isEmpty()) {
            return;
        }
        out.println(io.github.miniomigrator.i18n.Messages.text("cli.cutover.draining", why));
        out.flush();
        last = now;
        lastShown = why;
    }
}
