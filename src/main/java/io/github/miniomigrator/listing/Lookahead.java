package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.NoSuchElementException;

/**
 * An iterator that finds its next element on demand: a subclass says what comes next, or null at the end (elements
 * are never null). One place for the hasNext / next bookkeeping every listing filter needs.
 */
public abstract class Lookahead<T> implements Iterator<T> {
    private T next;
    private boolean ended;

    /** The next element, or null when there is none (asked again only while it returns elements). */
    protected abstract T advance();

    @Override
    public final boolean hasNext() {
        if (next == null && !ended) {
            next = advance();
            ended = next == null;
        }
        return next != null;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        T element = next;
        next = null;
        return element;
    }
}
