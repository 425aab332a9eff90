package io.github.miniomigrator.listing;

import java.util.Iterator;
import java.util.List;

/**
 * A million keys on each side through the planned, ranged merge-join, from synthetic listings generated as they are
 * read; run in a JVM with a small heap, it proves the join holds no listing whole. Source: k0000000 … k0999999.
 * Target: the same without every tenth key, plus an extra key after every hundredth. Prints the findings and exits 1
 * when they are not exactly those.
 */
public final class MillionKeys {
    static final int KEYS = 1_000_000;

    public static void main(String[] args) {
        int threads = Integer.parseInt(args[0]);
        Synthetic source = new Synthetic(false);
        Synthetic target = new Synthetic(true);
        List<KeyRange> ranges = new RangePlanner(4 * threads).plan(source);
        long both = 0;
        long sourceOnly = 0;
        long targetOnly = 0;
        try (ParallelRanges<Difference> join = RangedMergeJoin.start(ranges, threads, 2000, source, "source", target, "target")) {
            while (join.hasNext()) {
                switch (join.next().side()) {
                    case BOTH -> both++;
                    case SOURCE_ONLY -> sourceOnly++;
                    case TARGET_ONLY -> targetOnly++;
                }
            }
        }
        String found = ranges.size() + " ranges: " + both + " both, " + sourceOnly + " source only, " + targetOnly + " target only";
        System.out.println(found);
        System.exit(both == 900_000 && sourceOnly == 100_000 && targetOnly == 10_000 ? 0 : 1);
    }

    static String key(int i) {
        char[] key = {'k', '0', '0', '0', '0', '0', '0', '0'};
        for (int at = 7; i > 0; at--, i /= 10) {
            key[at] = (char) ('0' + i % 10);
        }
        return new String(key);
    }

    private static final class Synthetic implements KeySpace, RangedMergeJoin.Lister {
        private final boolean target;

        Synthetic(boolean target) {
            this.target = target;
        }

        @Override
        public String firstKeyAfter(String prefix, String after) {
            Iterator<ListingEntry> listing = list(prefix, after, false);
            return listing.hasNext() ? listing.next().key() : null;
        }

        @Override
        public boolean holdsAtLeast(int keys) {
            return true;
        }

        @Override
        public Iterator<ListingEntry> list(String prefix, String after, boolean delimited) {
            Iterator<ListingEntry> all = listAfter(after);
            return new Lookahead<>() {
                @Override
                protected ListingEntry advance() {
                    while (all.hasNext()) {
                        ListingEntry entry = all.next();
                        if (entry.key().startsWith(prefix)) {
                            return entry;
                        }
                        if (KeyOrder.compareCodePoints(entry.key(), prefix) > 0) {
                            return null;
                        }
                    }
                    return null;
                }
            };
        }

        private Iterator<ListingEntry> listAfter(String after) {
            int low = 0;
            int high = KEYS;
            while (after != null && low < high) { // the first index whose key is not before `after`
                int middle = (low + high) >>> 1;
                if (KeyOrder.compareCodePoints(key(middle), after) < 0) {
                    low = middle + 1;
                } else {
                    high = middle;
                }
            }
            int first = low;
            return new Lookahead<>() {
                private int i = first;
                private boolean extraDue;

                @Override
                protected ListingEntry advance() {
                    while (i < KEYS || extraDue) {
                        if (extraDue) {
                            extraDue = false;
                            String extra = key(i - 1) + "x";
                            if (after == null || KeyOrder.compareCodePoints(extra, after) > 0) {
                                return new ListingEntry(extra, 1, "e");
                            }
                            continue;
                        }
                        int at = i++;
                        extraDue = target && at % 100 == 0;
                        String key = key(at);
                        if ((!target || at % 10 != 0) && (after == null || KeyOrder.compareCodePoints(key, after) > 0)) {
                            return new ListingEntry(key, 4096, "e");
                        }
                    }
                    return null;
                }
            };
        }
    }
}
