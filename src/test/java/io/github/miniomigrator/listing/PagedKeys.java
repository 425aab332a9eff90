package io.github.miniomigrator.listing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A bucket's keys as a store lists them, in memory: sorted in the store's own order (UTF-8 as S3 and MinIO, or UTF-16
 * as S3Proxy), listed in pages of {@code pageSize} where each page is a new request starting after the last key of
 * the previous one (so keys added meanwhile show up as they would on a store), start-after honoured in the store's
 * order, with delimiter '/' on request (common prefixes counted in a page, as S3 does), and every request counted.
 */
final class PagedKeys implements KeySpace, Directories, RangedMergeJoin.Lister {
    final ConcurrentSkipListSet<String> keys;
    private final int pageSize;
    final AtomicInteger requests = new AtomicInteger();

    PagedKeys(Comparator<String> order, int pageSize, Iterable<String> initial) {
        this.keys = new ConcurrentSkipListSet<>(order);
        this.pageSize = pageSize;
        initial.forEach(keys::add);
    }

    @Override
    public String firstKeyAfter(String prefix, String after) {
        requests.incrementAndGet();
        for (String key : after == null ? keys : keys.tailSet(after, false)) {
            if (key.startsWith(prefix)) {
                return key;
            }
            if (order().compare(key, prefix) > 0) {
                return null; // past every key with the prefix (they sort together, in either order)
            }
        }
        return null;
    }

    private java.util.Comparator<? super String> order() {
        return keys.comparator();
    }

    @Override
    public boolean holdsAtLeast(int count) {
        requests.incrementAndGet();
        return keys.size() >= count;
    }

    @Override
    public Level level(String prefix) {
        requests.incrementAndGet();
        boolean direct = false;
        java.util.Set<String> children = new java.util.HashSet<>();
        for (String key : keys) {
            if (key.startsWith(prefix)) {
                int slash = key.indexOf('/', prefix.length());
                if (slash < 0) {
                    direct = true;
                } else {
                    children.add(key.substring(0, slash + 1));
                }
            }
        }
        long entries = children.size() + keys.stream().filter(k -> k.startsWith(prefix) && k.indexOf('/', prefix.length()) < 0).count();
        return entries > ONE_PAGE ? null : new Level(direct, children);
    }

    @Override
    public java.util.Optional<ListingEntry> head(String key) {
        requests.incrementAndGet();
        return keys.contains(key) ? java.util.Optional.of(new ListingEntry(key, key.length(), Integer.toHexString(key.hashCode())))
                : java.util.Optional.empty();
    }

    /** Recursive listings only (the key-range tests). */
    Iterator<ListingEntry> list(String prefix, String after) {
        return list(prefix, after, false);
    }

    @Override
    public Iterator<ListingEntry> list(String prefix, String after, boolean delimited) {
        return new Iterator<>() {
            private String last = after;
            private Iterator<String> page = Collections.emptyIterator();
            private boolean truncated = true;

            @Override
            public boolean hasNext() {
                while (!page.hasNext() && truncated) {
                    requests.incrementAndGet();
                    List<String> next = new ArrayList<>(pageSize);
                    for (String key : last == null ? keys : keys.tailSet(last, false)) {
                        if (next.size() == pageSize || (!key.startsWith(prefix) && order().compare(key, prefix) > 0)) {
                            break;
                        }
                        if (key.startsWith(prefix)) {
                            next.add(key); // a common prefix's keys are kept here and left out below: a page holds them too
                        }
                    }
                    truncated = next.size() == pageSize; // a page cut short by the prefix's end is the last
                    if (!next.isEmpty()) {
                        last = next.get(next.size() - 1);
                    }
                    if (delimited) {
                        next.removeIf(key -> key.indexOf('/', prefix.length()) >= 0);
                    }
                    page = next.iterator();
                }
                return page.hasNext();
            }

            @Override
            public ListingEntry next() {
                if (!hasNext()) {
                    throw new NoSuchElementException();
                }
                String key = page.next();
                return new ListingEntry(key, key.length(), Integer.toHexString(key.hashCode()));
            }
        };
    }

    /** The listing, failing with the message (a store's 500 mid-way) once it has given this many entries. */
    static Iterator<ListingEntry> failingAfter(Iterator<ListingEntry> listing, int entries, String message) {
        return new Iterator<>() {
            private int read;

            @Override
            public boolean hasNext() {
                if (read == entries) {
                    throw new IllegalStateException(message);
                }
                return listing.hasNext();
            }

            @Override
            public ListingEntry next() {
                read++;
                return listing.next();
            }
        };
    }
}
