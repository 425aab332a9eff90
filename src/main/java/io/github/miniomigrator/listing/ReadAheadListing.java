package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * Reads a listing ahead in its own thread, at most {@code capacity} entries, so that the source and the target are
 * listed at the same time rather than page by page in turn. Memory stays bounded by the capacity.
 */
public final class ReadAheadListing implements Iterator<ListingEntry>, AutoCloseable {
    private static final Object END = new Object();

    private final BlockingQueue<Object> queue;
    private final Thread reader;
    private volatile boolean closed;
    private Object next;

    public ReadAheadListing(Iterator<ListingEntry> listing, int capacity, String name) {
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.reader = new Thread(() -> read(listing), "list-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Iterator<ListingEntry> listing) {
        Object last = END;
        try {
            while (!closed && listing.hasNext()) {
                if (!put(listing.next())) {
                    return;
                }
            }
        } catch (RuntimeException e) {
            last = e;
        }
        put(last);
    }

    private boolean put(Object item) {
        try {
            while (!closed) {
                if (queue.offer(item, 100, TimeUnit.MILLISECONDS)) {
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
                next = queue.take();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for a listing page", e);
            }
        }
        if (next instanceof RuntimeException failure) {
            throw failure;
        }
        return next != END;
    }

    @Override
    public ListingEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        ListingEntry entry = (ListingEntry) next;
        next = null;
        return entry;
    }

    @Override
    public void close() {
        closed = true;
        reader.interrupt();
    }
}
