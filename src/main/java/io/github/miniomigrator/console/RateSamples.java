package io.github.miniomigrator.console;

import java.util.ArrayList;
import java.util.List;

/**
 * The console's rate chart: bytes moved per second, from readings of a growing count (every pass's bytes as they move,
 * in-flight parts included), the newest {@link #KEPT} kept. Bounded whatever the run's length.
 */
final class RateSamples {
    static final int KEPT = 300;

    /** One point of the chart: when (epoch ms) and the bytes per second since the reading before. */
    record Point(long time, long bytesPerSecond) {
    }

    private final Point[] points = new Point[KEPT];
    private int next;
    private int size;
    private long lastTime = -1;
    private long lastBytes;

    /** A reading of the count at this time; the first only sets the base. A count that shrank (a pass retired) counts 0. */
    synchronized void read(long timeMillis, long bytes) {
        if (lastTime >= 0 && timeMillis > lastTime) {
            long rate = Math.max(0, (bytes - lastBytes) * 1000 / (timeMillis - lastTime));
            points[next] = new Point(timeMillis, rate);
            next = (next + 1) % KEPT;
            size = Math.min(KEPT, size + 1);
        }
        lastTime = timeMillis;
        lastBytes = bytes;
    }

    /** Oldest first. */
    synchronized List<Point> points() {
        List<Point> out = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            out.add(points[(next - size + i + KEPT) % KEPT]);
        }
        return out;
    }

    /** The mean rate over the newest points covering about this many milliseconds; 0 before any. */
    synchronized long recent(long millis) {
        List<Point> all = points();
        if (all.isEmpty()) {
            return 0;
        }
        long newest = all.get(all.size() - 1).time();
        long sum = 0;
        int n = 0;
        for (int i = all.size() - 1; i >= 0 && newest - all.get(i).time() < millis; i--) {
            sum += all.get(i).bytesPerSecond();
            n++;
        }
        return n == 0 ? 0 : sum / n;
    }
}
