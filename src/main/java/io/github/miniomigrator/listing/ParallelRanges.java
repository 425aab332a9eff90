package io.github.miniomigrator.listing;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * Works through shards (key ranges or directories) with a few threads at once, each shard by its own iterator (a
 * merge-join of that shard's two listings), and hands out what they find as one stream, in no particular order between
 * shards. At most {@code capacity} findings wait; the first failure of any shard ends the stream with that failure,
 * and the other shards stop.
 */
public final class ParallelRanges<T> implements Iterator<T>, AutoCloseable {
    /** One shard's findings; closed when the shard is done or the whole walk stops. */
    public interface RangeWalk<T> extends Iterator<T>, AutoCloseable {
        @Override
        void close();
    }

    private final Queue<Shard> ranges;
    /** Shards whose walk has begun: a walk cut short found nothing in the others. */
    private final Set<Shard> begun = ConcurrentHashMap.newKeySet();
    private final Function<Shard, RangeWalk<T>> open;
    private final Handoff<T> found;
    private final AtomicInteger running;
    private final List<Thread> threads;
    private volatile boolean failed;

    public ParallelRanges(List<? extends Shard> ranges, int workers, int capacity, String name, Function<Shard, RangeWalk<T>> open) {
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
            for (Shard range = ranges.poll(); range != null && !found.closed() && !failed; range = ranges.poll()) {
                begun.add(range);
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

    /** Whether the walk of this shard has begun (it may have found something). */
    public boolean begun(Shard shard) {
        return begun.contains(shard);
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
