package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
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

    private static final Object END = new Object();

    private final Queue<KeyRange> ranges;
    private final Function<KeyRange, RangeWalk<T>> open;
    private final BlockingQueue<Object> found;
    private final AtomicInteger running;
    private final List<Thread> threads;
    private volatile boolean closed;
    private volatile boolean failed;
    private Object next;

    public ParallelRanges(List<KeyRange> ranges, int workers, int capacity, String name, Function<KeyRange, RangeWalk<T>> open) {
        this.ranges = new ConcurrentLinkedQueue<>(ranges);
        this.open = open;
        this.found = new ArrayBlockingQueue<>(Math.max(1, capacity));
        int threadCount = Math.max(1, Math.min(workers, ranges.size()));
        this.running = new AtomicInteger(threadCount);
        this.threads = new java.util.ArrayList<>(threadCount);
        for (int i = 0; i < threadCount; i++) {
            Thread thread = new Thread(this::work, name + "-" + i);
            thread.setDaemon(true);
            threads.add(thread);
        }
        threads.forEach(Thread::start);
    }

    private void work() {
        try {
            for (KeyRange range = ranges.poll(); range != null && !closed && !failed; range = ranges.poll()) {
                try (RangeWalk<T> walk = open.apply(range)) {
                    while (!closed && !failed && walk.hasNext()) {
                        if (!put(walk.next())) {
                            return;
                        }
                    }
                }
            }
        } catch (RuntimeException e) {
            failed = true;
            ranges.clear();
            put(e);
        } finally {
            if (running.decrementAndGet() == 0) {
                put(END);
            }
        }
    }

    private boolean put(Object item) {
        try {
            while (!closed) {
                if (found.offer(item, 100, TimeUnit.MILLISECONDS)) {
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    @Override
    public boolean hasNext() {
        if (next == null) {
            try {
                next = found.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a listing page", e);
            }
        }
        if (next instanceof RuntimeException failure) {
            close();
            throw failure;
        }
        return next != END;
    }

    @Override
    @SuppressWarnings("unchecked")
    public T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T item = (T) next;
        next = null;
        return item;
    }

    @Override
    public void close() {
        closed = true;
        ranges.clear();
        threads.forEach(Thread::interrupt);
    }
}
