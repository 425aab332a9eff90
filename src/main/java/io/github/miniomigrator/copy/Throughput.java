package io.github.miniomigrator.copy;

import java.util.ArrayList;
import java.util.List;

/** Bytes moved (PassStats.movedBytes, counted as they are read) at moments of a pass (seconds since its start), at most 240 points: when full, every other one goes. */
public final class Throughput {
    static final int MAX_POINTS = 240;

    public record Point(double seconds, long bytes, long objects) {
    }

    private final List<Point> points = new ArrayList<>();
    private int every = 1;
    private long calls;

    public synchronized void sample(double seconds, long bytes, long objects) {
        if (calls++ % every != 0) {
            return;
        }
        points.add(new Point(seconds, bytes, objects));
        if (points.size() >= MAX_POINTS) {
            List<Point> kept = new ArrayList<>();
            for (int i = 0; i < points.size(); i += 2) {
                kept.add(points.get(i));
            }
            points.clear();
            points.addAll(kept);
            every *= 2;
        }
    }

    public synchronized List<Point> points() {
        return List.copyOf(points);
    }
}
