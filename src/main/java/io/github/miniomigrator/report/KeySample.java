package io.github.miniomigrator.report;

import java.util.List;
import java.util.TreeSet;

/**
 * A few keys of a counted set, so that a message reporting a count can show what it counts ("3003 objects … e.g.
 * a/1.pdf, a/2.pdf, …"): the {@link #SIZE} smallest in key order, so that the sample does not depend on which thread
 * or listing range came first. Bounded: it keeps {@link #SIZE} keys whatever the count.
 */
public final class KeySample {
    public static final int SIZE = 5;
    private final TreeSet<String> keys = new TreeSet<>();

    public synchronized void add(String key) {
        keys.add(key);
        if (keys.size() > SIZE) {
            keys.pollLast();
        }
    }

    /** Adds another sample's keys, up to the bound. */
    public void addAll(KeySample other) {
        other.keys().forEach(this::add);
    }

    public synchronized List<String> keys() {
        return List.copyOf(keys);
    }

    /** " (e.g. a/1.pdf, a/2.pdf, …)" for a count of more keys than shown, "" for no key. */
    public static String eg(List<String> keys, long count) {
        return keys.isEmpty() ? "" : " (" + examples(keys, count) + ")";
    }

    /** ", e.g. a/1.pdf, a/2.pdf, …" at the end of a sentence, "" for no key. */
    public static String egTail(List<String> keys, long count) {
        return keys.isEmpty() ? "" : ", " + examples(keys, count);
    }

    private static String examples(List<String> keys, long count) {
        return "e.g. " + String.join(", ", keys) + (count > keys.size() ? ", …" : "");
    }
}
