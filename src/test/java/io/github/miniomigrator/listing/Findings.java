package io.github.miniomigrator.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/** The judge of a merge-join's findings, whole or in ranges. */
final class Findings {
    private Findings() {
    }

    /**
     * Resolving each unsure finding with a point lookup, as the copy does, must give the true set differences, and
     * each key of either side must be found exactly once.
     */
    static void assertExact(Set<String> source, Set<String> target, Iterator<Difference> join) {
        Set<String> onlySource = new HashSet<>();
        Set<String> onlyTarget = new HashSet<>();
        Set<String> both = new HashSet<>();
        Seen seen = new Seen();
        while (join.hasNext()) {
            Difference d = seen.count(join.next());
            switch (d.side()) {
                case BOTH -> both.add(d.key());
                case SOURCE_ONLY -> {
                    if (d.unsure() && target.contains(d.key())) {
                        both.add(d.key());
                    } else {
                        assertFalse(target.contains(d.key()), "a sure source-only finding must be right: " + d.key());
                        onlySource.add(d.key());
                    }
                }
                case TARGET_ONLY -> {
                    if (d.unsure() && source.contains(d.key())) {
                        both.add(d.key());
                    } else {
                        assertFalse(source.contains(d.key()), "a sure target-only finding must be right: " + d.key());
                        onlyTarget.add(d.key());
                    }
                }
            }
        }
        assertEquals(difference(source, target), onlySource);
        assertEquals(difference(target, source), onlyTarget);
        Set<String> common = new HashSet<>(source);
        common.retainAll(target);
        assertEquals(common, both);
        seen.assertEachKeyOnce();
        assertEquals(source, seen.source.keySet());
        assertEquals(target, seen.target.keySet());
    }

    /** How often a join found each key of each side. */
    static final class Seen {
        final Map<String, Integer> source = new HashMap<>();
        final Map<String, Integer> target = new HashMap<>();

        Difference count(Difference d) {
            if (d.source() != null) {
                source.merge(d.key(), 1, Integer::sum);
            }
            if (d.target() != null) {
                target.merge(d.key(), 1, Integer::sum);
            }
            return d;
        }

        void assertEachKeyOnce() {
            assertTrue(source.values().stream().allMatch(n -> n == 1), "no source key found twice");
            assertTrue(target.values().stream().allMatch(n -> n == 1), "no target key found twice");
        }
    }

    /** A source and a target: each key in the source only, the target only, or both (a third each). */
    record Sides(Set<String> source, Set<String> target) {
    }

    static Sides split(Set<String> all, java.util.Random random) {
        Set<String> source = new HashSet<>();
        Set<String> target = new HashSet<>();
        for (String key : all) {
            int where = random.nextInt(3);
            if (where != 1) {
                source.add(key);
            }
            if (where != 0) {
                target.add(key);
            }
        }
        return new Sides(source, target);
    }

    private static Set<String> difference(Set<String> a, Set<String> b) {
        Set<String> d = new HashSet<>(a);
        d.removeAll(b);
        return d;
    }
}
