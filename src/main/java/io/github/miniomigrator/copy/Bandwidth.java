package io.github.miniomigrator.copy;

import com.google.common.util.concurrent.RateLimiter;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.SettingsException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Clock;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * migration.bandwidth: one byte-rate limit shared by all transfers (Guava's RateLimiter), changing through the day by a
 * timetable in rclone's --bwlimit syntax ("08:00,10M 20:00,off"), so the full copy runs off-peak without anyone
 * restarting it. Source reads are throttled, so the source's bandwidth is what the limit protects.
 */
public final class Bandwidth {
    private static final Pattern SLOT = Pattern.compile("(?:(\\d{1,2}):(\\d{2}),)?([0-9.]+[bkmgBKMG]?|off)");

    /** From this time of day on, this many bytes per second (0: no limit). */
    public record Slot(LocalTime from, long bytesPerSecond) {
    }

    private final List<Slot> slots;
    private final Clock clock;
    private volatile RateLimiter limiter;
    private volatile long current = -1;
    /** An operator's limit from the console, in force over the timetable until cleared; -1: none. */
    private volatile long override = -1;

    public Bandwidth(List<Slot> slots, Clock clock) {
        this.slots = slots;
        this.clock = clock;
    }

    public static Bandwidth parse(String value, Clock clock) {
        String text = value.strip();
        List<Slot> slots = new ArrayList<>();
        if (text.isEmpty() || text.equalsIgnoreCase("off")) {
            return new Bandwidth(List.of(), clock);
        }
        for (String token : text.split("\\s+")) {
            Matcher m = SLOT.matcher(token);
            if (!m.matches()) {
                throw new SettingsException(Setting.BANDWIDTH.key() + ": '" + token
                        + "' is neither a rate (10M, 512K, off) nor HH:MM,rate; e.g. \"08:00,10M 20:00,off\".");
            }
            LocalTime from = LocalTime.MIDNIGHT;
            if (m.group(1) != null) {
                int hour = Integer.parseInt(m.group(1));
                int minute = Integer.parseInt(m.group(2));
                if (hour > 23 || minute > 59) {
                    throw new SettingsException(Setting.BANDWIDTH.key() + ": '" + token + "' has no such time of day.");
                }
                from = LocalTime.of(hour, minute);
            } else if (text.split("\\s+").length > 1) {
                throw new SettingsException(Setting.BANDWIDTH.key() + ": a timetable gives every entry a time, like 08:00,10M.");
            }
            slots.add(new Slot(from, rate(m.group(3))));
        }
        slots.sort(Comparator.comparing(Slot::from));
        return new Bandwidth(List.copyOf(slots), clock);
    }

    /** rclone's units: a bare number or B is bytes, K / M / G are KiB / MiB / GiB per second; off is no limit. */
    static long rate(String value) {
        if (value.equalsIgnoreCase("off")) {
            return 0;
        }
        char unit = Character.toLowerCase(value.charAt(value.length() - 1));
        double number = Double.parseDouble(Character.isLetter(unit) ? value.substring(0, value.length() - 1) : value);
        double factor = switch (unit) {
            case 'k' -> 1024;
            case 'm' -> 1024 * 1024;
            case 'g' -> 1024 * 1024 * 1024;
            default -> 1;
        };
        return (long) (number * factor);
    }

    /** The limit in force now, in bytes per second; 0 when there is none. The last slot of the day runs on past midnight. */
    public long limitNow() {
        long operator = override;
        if (operator >= 0) {
            return operator;
        }
        if (slots.isEmpty()) {
            return 0;
        }
        LocalTime now = LocalTime.now(clock);
        Slot active = slots.get(slots.size() - 1);
        for (Slot slot : slots) {
            if (!slot.from().isAfter(now)) {
                active = slot;
            }
        }
        return active.bytesPerSecond();
    }

    /** Waits until these bytes may pass under the limit in force. */
    public void acquire(int bytes) {
        long limit = limitNow();
        if (limit != current) {
            synchronized (this) {
                if (limit != current) {
                    // a new limiter per slot: setRate from "unlimited" would hand out a full second of stored burst
                    limiter = limit == 0 ? null : RateLimiter.create(limit);
                    current = limit;
                }
            }
        }
        RateLimiter active = limiter;
        if (active != null && bytes > 0) {
            active.acquire(bytes);
        }
    }

    public boolean unlimited() {
        return slots.isEmpty();
    }

    /**
     * An operator's limit (the console's), in force over migration.bandwidth's timetable until {@link #clearOverride}
     * or a restart; 0 lifts every limit. Transfers that start from now on follow it, as do those already throttled.
     *
     * @param value a rate in rclone's units (10M, 512K, off)
     * @throws SettingsException for anything else, naming the forms allowed
     */
    public void override(String value) {
        String text = value == null ? "" : value.strip();
        try {
            if (text.matches("[0-9.]+[bkmgBKMG]?|(?i:off)")) {
                override = rate(text);
                return;
            }
        } catch (NumberFormatException e) {
            // "1.2.3M": digits and dots, not a number
        }
        throw new SettingsException("bandwidth '" + value + "' is not a rate: use 10M, 512K, 1G or off.");
    }

    /** Back to migration.bandwidth's own limit (its timetable). */
    public void clearOverride() {
        override = -1;
    }

    /** The operator's limit in bytes per second (0: none), or -1 when the setting's own is in force. */
    public long overridden() {
        return override;
    }

    public String describe() {
        if (slots.isEmpty()) {
            return "off";
        }
        StringBuilder text = new StringBuilder();
        for (Slot slot : slots) {
            text.append(text.length() == 0 ? "" : " ").append(slot.from()).append(',')
                    .append(slot.bytesPerSecond() == 0 ? "off" : String.format(Locale.ROOT, "%d B/s", slot.bytesPerSecond()));
        }
        return text.toString();
    }

    /** The source stream, read no faster than the limit allows (in chunks of at most 64 KiB, so the rate stays even). */
    public InputStream throttle(InputStream in) {
        if (slots.isEmpty() && override < 0) {
            return in;
        }
        return new FilterInputStream(in) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                if (b >= 0) {
                    acquire(1);
                }
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, Math.min(length, 64 * 1024));
                if (n > 0) {
                    acquire(n);
                }
                return n;
            }
        };
    }
}
