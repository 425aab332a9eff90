package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.listing.ListingEntry;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * The look after a write, as a loop: converge again while the source changed since the read, a bounded number of
 * times, then count the key as failed and hand it back; a key gone meanwhile is deleted only with migration.remove.
 */
class WriteRecheckTest {
    static final String KEY = "hot.txt";

    /** A source that answers HEADs from a script (the last answer repeats), and a target that records what it was asked. */
    static final class Stores {
        final Deque<Optional<ListingEntry>> heads = new ArrayDeque<>();
        final Deque<CopyOutcome> copies = new ArrayDeque<>();
        final List<String> done = new ArrayList<>();
        final List<String> handedBack = new ArrayList<>();
        final CopyPass pass = new CopyPass(new BucketMapping("src", "dst", ""));

        WriteRecheck recheck(boolean enabled, boolean remove) {
            return new WriteRecheck(enabled, (bucket, key) -> {
                done.add("HEAD");
                return heads.size() > 1 ? heads.poll() : heads.peek();
            }, (mapping, key) -> done.add("DELETE"), remove, (bucket, key) -> handedBack.add(bucket + "/" + key));
        }

        boolean settle(WriteRecheck recheck, ListingEntry written) {
            return recheck.settle(pass, KEY, written, () -> {
                done.add("COPY");
                return copies.poll();
            });
        }

        @SafeVarargs
        final Stores heads(Optional<ListingEntry>... answers) {
            heads.addAll(List.of(answers));
            return this;
        }
    }

    static ListingEntry version(int n) {
        return new ListingEntry(KEY, 100 + n, String.format("%032x", n));
    }

    static Optional<ListingEntry> present(int n) {
        return Optional.of(version(n));
    }

    @Test
    void aWriteTheSourceStillHoldsCostsOneHeadAndNothingElse() {
        Stores stores = new Stores().heads(present(1));
        assertTrue(stores.settle(stores.recheck(true, true), version(1)));
        assertEquals(List.of("HEAD"), stores.done);
        assertEquals(0, stores.pass.stats().rewrites.sum());
    }

    @Test
    void offItLooksAtNothing() {
        Stores stores = new Stores().heads(present(2));
        WriteRecheck off = stores.recheck(false, true);
        assertTrue(stores.settle(off, version(1)));
        assertEquals(Optional.empty(), off.reappeared(stores.pass.mapping(), KEY));
        assertEquals(List.of(), stores.done);
    }

    @Test
    void aNewerSourceIsCopiedAgainUntilTheSourceHoldsWhatWasWritten() {
        Stores stores = new Stores().heads(present(2), present(3), present(3));
        stores.copies.addAll(List.of(CopyOutcome.copied(version(2)), CopyOutcome.copied(version(3))));
        assertTrue(stores.settle(stores.recheck(true, true), version(1)));
        assertEquals(List.of("HEAD", "COPY", "HEAD", "COPY", "HEAD"), stores.done);
        assertEquals(2, stores.pass.stats().rewrites.sum());
        assertTrue(stores.pass.stats().clean());
    }

    @Test
    void aKeyThatKeepsChangingIsRewrittenAtMostTheBoundThenCountedAndHandedBack() {
        Stores stores = new Stores();
        for (int n = 2; n <= 20; n++) {
            stores.heads.add(present(n));
            stores.copies.add(CopyOutcome.copied(version(n - 1))); // each copy reads a version the source has already left
        }
        assertFalse(stores.settle(stores.recheck(true, true), version(1)));
        List<String> expected = new ArrayList<>();
        for (int round = 0; round < WriteRecheck.MAX_REWRITES; round++) {
            expected.addAll(List.of("HEAD", "COPY"));
        }
        expected.add("HEAD");
        assertEquals(expected, stores.done, "a bounded number of rounds");
        assertEquals(WriteRecheck.MAX_REWRITES, stores.pass.stats().rewrites.sum());
        assertEquals(1, stores.pass.stats().failedObjects.sum(), "counted, never silent");
        assertTrue(stores.pass.stats().failures().get(0).startsWith(KEY + ": the source changed again"), stores.pass.stats().failures().toString());
        assertEquals(List.of("src/" + KEY), stores.handedBack, "handed to the event queue for a later sync");
    }

    @Test
    void aKeyDeletedMeanwhileIsDeletedOnTheTargetWithRemove() {
        Stores stores = new Stores().heads(Optional.empty());
        assertTrue(stores.settle(stores.recheck(true, true), version(1)));
        assertEquals(List.of("HEAD", "DELETE", "HEAD"), stores.done);
    }

    @Test
    void aKeyDeletedMeanwhileIsKeptAndReportedWithoutRemove() {
        Stores stores = new Stores().heads(Optional.empty());
        assertTrue(stores.settle(stores.recheck(true, false), version(1)));
        assertEquals(List.of("HEAD"), stores.done);
        assertTrue(stores.pass.stats().notes().get(0).contains("migration.remove=false"), stores.pass.stats().notes().toString());
    }

    @Test
    void aCopyAgainThatFindsTheKeyGoneConvergesAsADeleteAndOneThatFailsEndsTheLoop() {
        Stores gone = new Stores().heads(present(2), Optional.empty());
        gone.copies.add(CopyOutcome.GONE);
        assertTrue(gone.settle(gone.recheck(true, true), version(1)));
        assertEquals(List.of("HEAD", "COPY", "DELETE", "HEAD"), gone.done);

        Stores failing = new Stores().heads(present(2));
        failing.copies.add(CopyOutcome.FAILED);
        assertFalse(failing.settle(failing.recheck(true, true), version(1)));
        assertEquals(List.of("HEAD", "COPY"), failing.done);
        assertEquals(List.of(), failing.handedBack);
    }

    @Test
    void aKeyBackInTheSourceAfterADeleteIsReported() {
        Stores stores = new Stores().heads(present(4));
        assertEquals(present(4), stores.recheck(true, true).reappeared(stores.pass.mapping(), KEY));
    }

    @Test
    void onInKafkaModeByDefaultAndTheSettingDecides() {
        assertTrue(WriteRecheck.wanted(new Settings(Map.of("migration.events.mode", "kafka"))));
        assertFalse(WriteRecheck.wanted(new Settings(Map.of("migration.events.mode", "listen"))));
        assertTrue(WriteRecheck.wanted(new Settings(Map.of("migration.events.mode", "listen", "migration.cluster.zookeeper", "zk:2181"))),
                "instances that share a ZooKeeper share the keys: the leader's passes and every instance's events");
        assertTrue(WriteRecheck.wanted(new Settings(Map.of("migration.events.mode", "webhook", "migration.recheck-after-write", "on"))));
        assertFalse(WriteRecheck.wanted(new Settings(Map.of("migration.events.mode", "kafka", "migration.recheck-after-write", "off"))));
        SettingsException refused = assertThrows(SettingsException.class,
                () -> WriteRecheck.wanted(new Settings(Map.of("migration.recheck-after-write", "sometimes"))));
        assertTrue(refused.getMessage().contains("migration.recheck-after-write=sometimes"), refused.getMessage());
    }
}
