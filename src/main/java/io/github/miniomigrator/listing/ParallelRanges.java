package io.github.miniomigrator.listing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Works through key ranges with a few threads at once, each range by its own iterator (a merge-join of that range's
 * two listings), and hands out what they find as one stream, in no particular order between ranges. At most
 * {@code capacity} findings wait; the first failure of any range ends the stream with that failure, and the other
 * ranges stop.
 */
public final class ParallelRanges<T> implements Iterator<T>, AutoCloseable {
    /** One range's findings; closed when the range is done or the whole walk stops. */
    public interface RangeWalk<T> extends Iterator<T>, AutoCloseable {
        @Override
        void close();
    }

    private final Queue<KeyRange> ranges;
    private final Function<KeyRange, RangeWalk<T>> open;
    private final Handoff<T> found;
    private final AtomicInteger running;
    private final List<Thread> threads;
    private volatile boolean failed;

    public ParallelRanges(List<KeyRange> ranges, int workers, int capacity, String name, Function<KeyRange, RangeWalk<T>> open) {
        this.ranges = new ConcurrentLinkedQueue<>(ranges);
        this.open = open;
        this.found = new Handoff<>(capacity);
        int threadCount = Math.max(1, Math.min(workers, ranges.size()));
        this.running = new AtomicInteger(threadCount);
        this.threads = new ArrayList<>(threadCount);
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::work, name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void work() {
        try {
            for (KeyRange range = ranges.poll(); range != null && !found.closed() && !failed; range = ranges.poll()) {
                try (RangeWalk<T> walk = open.apply(range)) {
                    while (!found.closed() && !failed && walk.hasNext()) {
                        if (!found.put(walk.next())) {
                            return;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            failed = true;
            ranges.clear();
            found.fail(e);
        } finally {
            // the last thread out ends the stream: behind every finding, and behind a failure put before it
            if (running.decrementAndGet() == 0) {
                found.end();
            }
        }
    }

    @Override
    public boolean hasNext() {
        try {
            return found.hasNext();
        } catch (RuntimeException failure) {
            close();
            throw failure;
        }
    }

    @Override
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return found.take();
    }

    @Override
    public void close() {
        found.close();
        ranges.clear();
        threads.forEach(Thread::interrupt);
    }
}
