package io.github.miniomigrator.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("process")
class RangedMergeJoinTest {
    private static final List<Comparator<String>> ORDERS = List.of(KeyOrder.UTF8, KeyOrder.UTF16);
    /** Characters that make the two orders disagree, and ordinary ones around them (as in MergeJoinTest). */
    private static final String[] PIECES = {"a", "b", "z", "/", "d", "di", "dir0", "发", "票", "（", "！", "\uFF5E", "\uE000", "\uD7FF", "😀",
        "📄", "𝄞", " ", "+", "0", "1", "9"};

    @Test
    void rangesCoverEveryKeyExactlyOnceInEitherOrder() {
        Random random = new Random(3);
        for (int round = 0; round < 60; round++) {
            Set<String> keys = new HashSet<>();
            int size = 1000 + random.nextInt(1500);
            while (keys.size() < size) {
                keys.add(randomKey(random));
            }
            for (Comparator<String> order : ORDERS) {
                PagedKeys store = new PagedKeys(order, 1 + random.nextInt(300), keys);
                List<KeyRange> ranges = new RangePlanner(2 + random.nextInt(40)).plan(store);
                assertContiguous(ranges);
                Map<String, Integer> listed = new HashMap<>();
                for (KeyRange range : ranges) {
                    Iterator<ListingEntry> listing = new OrderCheckedListing(new ShardListing(store.list(range.commonPrefix(), range.after()), range, "x"), "x");
                    listing.forEachRemaining(e -> {
                        assertTrue(range.contains(e.key()), e.key() + " listed in " + range);
                        listed.merge(e.key(), 1, Integer::sum);
                    });
                }
                assertEquals(keys, listed.keySet(), "every key listed, in " + ranges.size() + " ranges");
                assertTrue(listed.values().stream().allMatch(n -> n == 1), "no key in two ranges");
                for (String key : keys) {
                    assertEquals(1, ranges.stream().filter(r -> r.contains(key)).count(), key);
                }
            }
        }
    }

    @Test
    void thePlannerSplitsDirectoriesFlatNumbersAndUuids() {
        List<String> directories = new ArrayList<>();
        List<String> numbers = new ArrayList<>();
        List<String> uuids = new ArrayList<>();
        Random random = new Random(5);
        for (int i = 0; i < 10_000; i++) {
            directories.add(String.format("dir%03d/obj%06d", i % 100, i));
            numbers.add(String.format("scan-%07d.pdf", i));
            uuids.add(new UUID(random.nextLong(), random.nextLong()) + ".pdf");
        }
        for (List<String> layout : List.of(directories, numbers, uuids)) {
            PagedKeys store = new PagedKeys(KeyOrder.UTF8, 1000, layout);
            RangePlanner planner = new RangePlanner(16);
            List<KeyRange> ranges = planner.plan(store);
            long largest = ranges.stream().mapToLong(r -> layout.stream().filter(r::contains).count()).max().orElseThrow();
            assertTrue(ranges.size() >= 10 && ranges.size() <= 30, layout.get(0) + ": " + ranges.size() + " ranges");
            assertTrue(largest <= 1200, layout.get(0) + ": the largest range holds " + largest + " of 10,000 keys");
            assertTrue(planner.probes() <= 8 * 16 + 64, planner.probes() + " probes");
        }
    }

    @Test
    void aSmallOrEmptyBucketIsOneRange() {
        List<String> small = new ArrayList<>();
        for (int i = 0; i < RangePlanner.ONE_PAGE - 1; i++) {
            small.add("k" + i);
        }
        assertEquals(List.of(KeyRange.ALL), new RangePlanner(16).plan(new PagedKeys(KeyOrder.UTF8, 1000, small)));
        assertEquals(List.of(KeyRange.ALL), new RangePlanner(16).plan(new PagedKeys(KeyOrder.UTF8, 1000, List.of())));
        assertEquals(List.of(KeyRange.ALL), new RangePlanner(1).plan(new PagedKeys(KeyOrder.UTF8, 1000, List.of("a", "b"))));
    }

    @Test
    void theRangedJoinFindsWhatTheSingleJoinFindsWhateverTheOrdersAndPages() {
        Random random = new Random(11);
        for (int round = 0; round < 40; round++) {
            Set<String> all = new HashSet<>();
            while (all.size() < 1600) {
                all.add(randomKey(random));
            }
            Findings.Sides sides = Findings.split(all, random);
            Set<String> source = sides.source();
            Set<String> target = sides.target();
            for (Comparator<String> sourceOrder : ORDERS) {
                for (Comparator<String> targetOrder : ORDERS) {
                    PagedKeys sourceStore = new PagedKeys(sourceOrder, 1 + random.nextInt(200), source);
                    PagedKeys targetStore = new PagedKeys(targetOrder, 1 + random.nextInt(200), target);
                    List<KeyRange> ranges = new RangePlanner(2 + random.nextInt(30)).plan(sourceStore);
                    assertExact(source, target, join(ranges, 1 + random.nextInt(6), sourceStore, targetStore));
                }
            }
        }
    }

    @Test
    void pagesThatEndExactlyAtARangeEdgeAndEmptyRanges() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            keys.add(String.format("k%04d", i));
        }
        // the first range ends with k0999, the last key of the first page of 1,000; (k2, k3] and (k4, end] hold no key
        List<KeyRange> ranges = List.of(new KeyRange(null, "k0999"), new KeyRange("k0999", "k1"), new KeyRange("k1", "k2"),
                new KeyRange("k2", "k3"), new KeyRange("k3", "k4"), new KeyRange("k4", null));
        Set<String> source = new HashSet<>(keys);
        Set<String> target = new HashSet<>(keys.subList(500, 2500));
        target.add("k4x"); // only in the target, in the last range
        for (int pageSize : new int[] {1000, 999, 1001, 1}) {
            PagedKeys sourceStore = new PagedKeys(KeyOrder.UTF8, pageSize, source);
            PagedKeys targetStore = new PagedKeys(KeyOrder.UTF16, pageSize, target);
            assertExact(source, target, join(ranges, 3, sourceStore, targetStore));
        }
        PagedKeys emptyTarget = new PagedKeys(KeyOrder.UTF8, 1000, List.of());
        assertExact(source, Set.of(), join(ranges, 2, new PagedKeys(KeyOrder.UTF8, 1000, source), emptyTarget));
    }

    @Test
    void aRangeThatGrowsDuringThePassStillFindsEveryKeyThatWasThereOnce() throws Exception {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            keys.add(String.format("dir%02d/obj%05d", i % 40, i));
        }
        PagedKeys sourceStore = new PagedKeys(KeyOrder.UTF8, 100, keys);
        PagedKeys targetStore = new PagedKeys(KeyOrder.UTF16, 100, keys.subList(0, 10_000));
        List<KeyRange> ranges = new RangePlanner(12).plan(sourceStore);
        assertTrue(ranges.size() > 4, ranges.toString());
        Set<String> before = new HashSet<>(keys);
        Thread writer = new Thread(() -> {
            Random random = new Random(13);
            for (int i = 0; i < 5000; i++) {
                // new keys in every range, some just after a listed one, some at a range's very edges
                String key = String.format("dir%02d/obj%05d", random.nextInt(40), random.nextInt(20_000)) + (i % 3 == 0 ? "" : "-new" + i);
                sourceStore.keys.add(key);
                targetStore.keys.add(key + "~");
            }
        });
        Findings.Seen seen = new Findings.Seen();
        try (ParallelRanges<Difference> join = join(ranges, 4, sourceStore, targetStore)) {
            writer.start();
            while (join.hasNext()) {
                seen.count(join.next());
            }
        }
        writer.join(TimeUnit.SECONDS.toMillis(30));
        assertTrue(seen.source.keySet().containsAll(before), "every key there from the start is found");
        seen.assertEachKeyOnce();
        assertTrue(seen.source.size() > before.size(), "the writer's keys were listed too (some of them): " + seen.source.size());
    }

    @Test
    void aFailureInOneRangeEndsTheWholeWalkWithThatFailure() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            keys.add(String.format("%c%04d", 'a' + i % 10, i));
        }
        PagedKeys store = new PagedKeys(KeyOrder.UTF8, 100, keys);
        List<KeyRange> ranges = new RangePlanner(10).plan(store);
        RangedMergeJoin.Lister failing = (prefix, after, delimited) -> {
            Iterator<ListingEntry> listing = store.list(prefix, after);
            if (!"e".equals(after)) {
                return listing;
            }
            return PagedKeys.failingAfter(listing, 250, "listing page 3 failed: 500 InternalError");
        };
        assertTrue(ranges.stream().anyMatch(r -> "e".equals(r.after())), ranges.toString());
        try (ParallelRanges<Difference> join = RangedMergeJoin.start(ranges, 3, 50, failing, "source", store, "target")) {
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> join.forEachRemaining(d -> { }));
            assertTrue(e.getMessage().contains("page 3 failed"), e.getMessage());
            assertThrows(IllegalStateException.class, join::hasNext, "and stays failed: it never reports a clean end");
        }
        RangedMergeJoin.Lister outOfOrder = (prefix, after, delimited) -> "e".equals(after)
                ? List.of(new ListingEntry("e1", 1, "x"), new ListingEntry("e3", 1, "x"), new ListingEntry("e2", 1, "x")).iterator()
                : store.list(prefix, after);
        try (ParallelRanges<Difference> join = RangedMergeJoin.start(ranges, 3, 50, store, "source", outOfOrder, "target bucket t")) {
            ListingOrderException e = assertThrows(ListingOrderException.class, () -> join.forEachRemaining(d -> { }));
            assertTrue(e.getMessage().contains("'e2' came after 'e3'"), e.getMessage());
        }
    }

    @Test
    void aStoreThatIgnoresStartAfterStopsThePass() {
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < 2000; i++) {
            keys.add(String.format("%c%04d", 'a' + i % 4, i));
        }
        PagedKeys store = new PagedKeys(KeyOrder.UTF8, 1000, keys);
        List<KeyRange> ranges = new RangePlanner(4).plan(store);
        RangedMergeJoin.Lister ignoring = (prefix, after, delimited) -> store.list("", null);
        try (ParallelRanges<Difference> join = RangedMergeJoin.start(ranges, 2, 100, store, "source", ignoring, "target bucket t")) {
            ListingOrderException e = assertThrows(ListingOrderException.class, () -> join.forEachRemaining(d -> { }));
            assertTrue(e.getMessage().contains("ignores start-after"), e.getMessage());
        }
    }

    @Test
    void aRangeHasAStableSerialisedFormAndSafeBoundaries() {
        KeyRange range = new KeyRange("dir01", "dir02/\"x\"\n");
        assertEquals(range, KeyRange.decode(range.encode()));
        assertEquals("{\"after\":\"dir01\",\"upTo\":\"dir02/\\\"x\\\"\\n\"}", range.encode());
        assertEquals(KeyRange.ALL, KeyRange.decode(KeyRange.ALL.encode()));
        assertNull(KeyRange.decode("{\"after\":null,\"upTo\":\"b\"}").after());
        assertEquals("('dir01', 'dir02']", new KeyRange("dir01", "dir02").name());
        assertEquals("dir0", new KeyRange("dir01", "dir02").commonPrefix());
        assertEquals("", new KeyRange(null, "dir02").commonPrefix());
        assertEquals("", new KeyRange("a", "b").commonPrefix());
        assertThrows(IllegalArgumentException.class, () -> new KeyRange("a😀", null), "a boundary the two orders disagree around");
        assertThrows(IllegalArgumentException.class, () -> new KeyRange("b", "a"));
        assertThrows(IllegalArgumentException.class, () -> new KeyRange("a", "a"));
        assertThrows(IllegalArgumentException.class, () -> KeyRange.decode("{\"after\":\"b\",\"upTo\":\"a\"}"));
        assertThrows(IllegalArgumentException.class, () -> KeyRange.decode("not json"));
        assertFalse(range.contains("dir01"));
        assertTrue(range.contains("dir01/a"));
    }

    @Test
    void aMillionKeysOnEachSideInA64MibHeap() throws Exception {
        Process java = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx64m",
                "-XX:+UseSerialGC", "-cp", System.getProperty("java.class.path"), MillionKeys.class.getName(), "4")
                .redirectErrorStream(true).start();
        String output = new String(java.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(java.waitFor(120, TimeUnit.SECONDS), "finished");
        assertEquals(0, java.exitValue(), output);
        assertTrue(output.contains("900000 both, 100000 source only, 10000 target only"), output);
    }

    private static ParallelRanges<Difference> join(List<KeyRange> ranges, int threads, PagedKeys source, PagedKeys target) {
        return RangedMergeJoin.start(ranges, threads, 1 + threads * 7, source, "source", target, "target");
    }

    private static void assertContiguous(List<KeyRange> ranges) {
        assertNull(ranges.get(0).after());
        assertNull(ranges.get(ranges.size() - 1).upTo());
        for (int i = 1; i < ranges.size(); i++) {
            assertEquals(ranges.get(i - 1).upTo(), ranges.get(i).after());
        }
    }

    private static void assertExact(Set<String> source, Set<String> target, ParallelRanges<Difference> join) {
        try (join) {
            Findings.assertExact(source, target, join);
        }
    }

    private static String randomKey(Random random) {
        StringBuilder key = new StringBuilder();
        int pieces = 1 + random.nextInt(5);
        for (int i = 0; i < pieces; i++) {
            key.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return key.toString();
    }
}
