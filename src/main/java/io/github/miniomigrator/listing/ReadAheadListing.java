package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * Reads a listing ahead in its own thread, at most {@code capacity} entries, so that the source and the target are
 * listed at the same time rather than page by page in turn. Memory stays bounded by the capacity.
 */
public final class ReadAheadListing implements Iterator<ListingEntry>, AutoCloseable {
    private final Handoff<ListingEntry> entries;
    private final Thread reader;

    public ReadAheadListing(Iterator<ListingEntry> listing, int capacity, String name) {
        this.entries = new Handoff<>(capacity);
        this.reader = new Thread(() -> read(listing), "list-" + name);
        reader.setDaemon(true);
        reader.start();
    }

    private void read(Iterator<ListingEntry> listing) {
        try {
            while (!entries.closed() && listing.hasNext()) {
                if (!entries.put(listing.next())) {
                    return;
                }
            }
            entries.end();
        } catch (RuntimeException e) {
            entries.fail(e);
        }
    }

    @Override
    public boolean hasNext() {
        return entries.hasNext();
    }

    @Override
    public ListingEntry next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return entries.take();
    }

    @Override
    public void close() {
        entries.close();
        reader.interrupt();
    }
}
