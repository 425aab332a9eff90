package io.github.miniomigrator.listing;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.TreeSet;

/**
 * Splits a bucket's key space into ranges to list in parallel, from a few one-key listings ("which key comes first
 * after X?"), the way a directory walk splits a tree but without needing '/' in the keys. It learns which characters
 * follow a common prefix ({@code dir0} → {@code dir00}, {@code dir01}, …), puts a boundary before each, and splits
 * the groups found further, breadth first, until it has the ranges it wants or has spent its probes. Only where the
 * ranges fall depends on what it learns — whatever it learns, the ranges cover every key exactly once.
 */
public final class RangePlanner {
    /** A bucket below one listing page is listed in one piece: splitting it would cost more requests than it saves. */
    public static final int ONE_PAGE = 1000;
    /** Keys are at most 1,024 bytes: a longer common prefix cannot be. */
    private static final int MAX_DEPTH = 1024;
    private static final int MAX_FANOUT = 100;

    private final int wanted;
    private final int probeBudget;
    private int probes;

    /** @param wanted how many ranges to aim for (at least 1) */
    public RangePlanner(int wanted) {
        this.wanted = Math.max(1, wanted);
        this.probeBudget = 8 * this.wanted + 64;
    }

    public List<KeyRange> plan(KeySpace space) {
        if (wanted == 1 || !space.holdsAtLeast(ONE_PAGE)) {
            return List.of(KeyRange.ALL);
        }
        TreeSet<String> boundaries = new TreeSet<>(KeyOrder.UTF8);
        Deque<String> open = new ArrayDeque<>();
        open.add("");
        while (!open.isEmpty() && boundaries.size() + 1 < wanted && probes < probeBudget) {
            String prefix = open.poll();
            List<String> groups = groupsUnder(space, prefix);
            if (groups.size() == 1) {
                if (groups.get(0).length() < MAX_DEPTH) {
                    open.addFirst(groups.get(0)); // one group: the common prefix is longer, look after it
                }
                continue;
            }
            for (int i = 1; i < groups.size(); i++) {
                boundaries.add(groups.get(i));
            }
            open.addAll(groups);
        }
        return ranges(boundaries);
    }

    /** Probes spent by the last plan. */
    public int probes() {
        return probes;
    }

    /**
     * The prefixes one character longer than {@code prefix} that some key starts with, in order: each probe asks for
     * the first key after the last character found. A character from U+D800 up ends the search (a boundary may not
     * hold one); its keys stay in the last group.
     */
    private List<String> groupsUnder(KeySpace space, String prefix) {
        List<String> groups = new ArrayList<>();
        String after = prefix.isEmpty() ? null : prefix;
        while (groups.size() < MAX_FANOUT && probes < probeBudget) {
            probes++;
            String key = space.firstKeyAfter(prefix, after);
            if (key == null || key.length() <= prefix.length() || !key.startsWith(prefix)) {
                break;
            }
            char next = key.charAt(prefix.length());
            if (next >= 0xD7FF || (!groups.isEmpty() && next <= groups.get(groups.size() - 1).charAt(prefix.length()))) {
                break;
            }
            groups.add(prefix + next);
            after = prefix + (char) (next + 1); // past every key that starts with prefix + next
        }
        return groups;
    }

    private static List<KeyRange> ranges(TreeSet<String> boundaries) {
        List<KeyRange> ranges = new ArrayList<>(boundaries.size() + 1);
        String after = null;
        for (String boundary : boundaries) {
            ranges.add(new KeyRange(after, boundary));
            after = boundary;
        }
        ranges.add(new KeyRange(after, null));
        return ranges;
    }
}
