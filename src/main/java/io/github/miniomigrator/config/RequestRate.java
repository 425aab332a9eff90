package io.github.miniomigrator.config;

import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * A limit of requests per second to one store (migration.rate for the target, migration.source.rate for the source):
 * OSS counts and throttles queries per second, whatever their size, which a byte-rate limit cannot keep below a quota.
 *
 * <p>A token bucket kept as one reservation time (the generic cell rate algorithm): each request reserves the next free
 * moment, one interval of 1/rate after the last reservation, and sleeps until it — no busy waiting, waiting requests go
 * in the order they asked, and any one second sees at most rate + a tenth of it requests (a burst of a tenth of a second's
 * worth passes at once after a quiet spell). Thread-safe: the reservation is taken under a lock, the sleep outside it.
 */
public final class RequestRate {
    private static final long SECOND = TimeUnit.SECONDS.toNanos(1);
    static final double MAX = 1_000_000;

    /** Sleeps for a number of nanoseconds; a test's sleeper moves a fake clock instead. */
    interface Sleeper {
        void sleep(long nanos) throws InterruptedException;
    }

    private final double perSecond;
    private final long interval;
    /** How far ahead of its reservation a request may go: the burst allowed after a quiet spell, less one interval. */
    private final long tolerance;
    private final LongSupplier clock;
    private final Sleeper sleeper;
    /** The moment the next request is due when the bucket is empty (nanoTime); in the past when the bucket is full. */
    private long next;

    RequestRate(double perSecond, LongSupplier clock, Sleeper sleeper) {
        this.perSecond = perSecond;
        this.interval = Math.max(1, Math.round(SECOND / perSecond));
        long burst = Math.max(1, (long) Math.ceil(perSecond / 10));
        this.tolerance = (burst - 1) * interval;
        this.clock = clock;
        this.sleeper = sleeper;
        this.next = clock.getAsLong();
    }

    public RequestRate(double perSecond) {
        this(perSecond, System::nanoTime, TimeUnit.NANOSECONDS::sleep);
    }

    /** The limit the side's setting asks for; empty when it is off (the default). */
    public static Optional<RequestRate> of(Settings settings, StoreSide side) {
        return parse(setting(side), settings.get(setting(side))).map(RequestRate::new);
    }

    /** migration.rate for the target, migration.source.rate for the source. */
    public static Setting setting(StoreSide side) {
        return side == StoreSide.SOURCE ? Setting.SOURCE_RATE : Setting.RATE;
    }

    /** Requests per second as written (100, 2.5, 100/s), or empty for off, 0 and nothing. */
    static Optional<Double> parse(Setting setting, String value) {
        String written = value.trim().toLowerCase(Locale.ROOT);
        if (written.endsWith("/s")) {
            written = written.substring(0, written.length() - 2).trim();
        }
        if (written.isEmpty() || written.equals("off")) {
            return Optional.empty();
        }
        double perSecond;
        try {
            perSecond = Double.parseDouble(written);
        } catch (NumberFormatException e) {
            perSecond = Double.NaN;
        }
        if (perSecond == 0) {
            return Optional.empty();
        }
        if (!(perSecond >= 0.01 && perSecond <= MAX)) {
            throw new SettingsException(setting.key() + "=" + value + " is not a request rate: write the requests per second the store "
                    + "may receive, e.g. 100 (OSS counts QPS), or off.");
        }
        return Optional.of(perSecond);
    }

    /** Waits until this request may go. */
    public void acquire() throws InterruptedException {
        long wait;
        synchronized (this) {
            long now = clock.getAsLong();
            long due = Math.max(next, now);
            wait = due - tolerance - now;
            next = due + interval;
        }
        if (wait > 0) {
            sleeper.sleep(wait);
        }
    }

    public double perSecond() {
        return perSecond;
    }

    /** "100 requests/s", as the log says it. */
    public String describe() {
        return (perSecond == Math.rint(perSecond) ? String.valueOf((long) perSecond) : String.valueOf(perSecond)) + " requests/s";
    }
}
