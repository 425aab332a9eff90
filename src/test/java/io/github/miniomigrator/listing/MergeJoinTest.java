package io.github.miniomigrator.listing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class MergeJoinTest {
    /** Characters that make the two orders disagree, and ordinary ones around them. */
    private static final String[] PIECES = {"a", "b", "z", "/", "发", "票", "（", "）", "！", "\uFF5E", "\uE000", "😀", "📄", "𝄞", " ", "+", "0"};

    @Test
    void theTwoOrdersDisagreeWhereDesignSaysTheyDo() {
        String emoji = "a😀";
        String fullwidth = "a！";
        assertTrue(KeyOrder.UTF16.compare(emoji, fullwidth) < 0, "UTF-16: the surrogate sorts first");
        assertTrue(KeyOrder.UTF8.compare(emoji, fullwidth) > 0, "UTF-8 bytes: the emoji sorts last");
        assertTrue(KeyOrder.mayOrderDifferently(emoji));
        assertFalse(KeyOrder.mayOrderDifferently("发票/2024/scan 1.pdf"));
    }

    @Test
    void codePointOrderIsUtf8ByteOrder() {
        Random random = new Random(7);
        for (int i = 0; i < 20_000; i++) {
            String a = randomKey(random);
            String b = randomKey(random);
            int bytes = java.util.Arrays.compareUnsigned(a.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    b.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            assertEquals(Integer.signum(bytes), Integer.signum(KeyOrder.compareCodePoints(a, b)), a + " vs " + b);
        }
    }

    @Test
    void findsExactlyTheDifferencesWhicheverOrderEachSideListsIn() {
        Random random = new Random(11);
        for (int round = 0; round < 300; round++) {
            Set<String> all = new HashSet<>();
            while (all.size() < 60) {
                all.add(randomKey(random));
            }
            Findings.Sides sides = Findings.split(all, random);
            Set<String> source = sides.source();
            Set<String> target = sides.target();
            for (Comparator<String> sourceOrder : List.of(KeyOrder.UTF8, KeyOrder.UTF16)) {
                for (Comparator<String> targetOrder : List.of(KeyOrder.UTF8, KeyOrder.UTF16)) {
                    assertExact(source, target, sourceOrder, targetOrder);
                }
            }
        }
    }

    private static void assertExact(Set<String> source, Set<String> target, Comparator<String> sourceOrder, Comparator<String> targetOrder) {
        Findings.assertExact(source, target, new MergeJoin(listing(source, sourceOrder, "source"), listing(target, targetOrder, "target")));
    }

    @Test
    void ordinaryKeysAreNeverUnsure() {
        List<String> source = List.of("a", "b/1", "b/2", "发票/1.pdf", "z");
        List<String> target = List.of("a", "b/2", "c", "发票/2.pdf");
        MergeJoin join = new MergeJoin(entries(source).iterator(), entries(target).iterator());
        List<String> found = new ArrayList<>();
        while (join.hasNext()) {
            Difference d = join.next();
            assertFalse(d.unsure());
            found.add(d.side() + " " + d.key());
        }
        assertEquals(List.of("BOTH a", "SOURCE_ONLY b/1", "BOTH b/2", "TARGET_ONLY c", "SOURCE_ONLY z", "SOURCE_ONLY 发票/1.pdf",
                "TARGET_ONLY 发票/2.pdf").stream().sorted().toList(), found.stream().sorted().toList());
    }

    @Test
    void aListingOutOfOrderStopsThePass() {
        OrderCheckedListing listing = new OrderCheckedListing(entries(List.of("a", "c", "b")).iterator(), "source bucket x");
        listing.next();
        listing.next();
        ListingOrderException e = assertThrows(ListingOrderException.class, listing::next);
        assertTrue(e.getMessage().contains("'b' came after 'c'"), e.getMessage());
        assertTrue(e.getMessage().contains("without deleting anything"));
    }

    @Test
    void aRepeatedKeyStopsThePass() {
        OrderCheckedListing listing = new OrderCheckedListing(entries(List.of("a", "a")).iterator(), "target y");
        listing.next();
        assertThrows(ListingOrderException.class, listing::next);
    }

    @Test
    void eitherOrderAloneIsAccepted() {
        List<String> keys = List.of("a😀", "a！", "b");
        drain(new OrderCheckedListing(entries(keys).iterator(), "utf16"));
        drain(new OrderCheckedListing(entries(keys.stream().sorted(KeyOrder.UTF8).toList()).iterator(), "utf8"));
        // but a mix of both orders is neither
        List<String> mixed = List.of("a😀", "a！", "b😀", "b！", "b😀x");
        assertThrows(ListingOrderException.class, () -> drain(new OrderCheckedListing(entries(mixed).iterator(), "mixed")));
    }

    private static void drain(OrderCheckedListing listing) {
        while (listing.hasNext()) {
            listing.next();
        }
    }

    private static OrderCheckedListing listing(Set<String> keys, Comparator<String> order, String name) {
        List<String> sorted = new ArrayList<>(new TreeSet<>(order) {
            {
                addAll(keys);
            }
        });
        return new OrderCheckedListing(entries(sorted).iterator(), name);
    }

    private static List<ListingEntry> entries(List<String> keys) {
        return keys.stream().map(k -> new ListingEntry(k, k.length(), "")).toList();
    }

    private static String randomKey(Random random) {
        StringBuilder key = new StringBuilder();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            key.append(PIECES[random.nextInt(PIECES.length)]);
        }
        return key.toString();
    }
}
