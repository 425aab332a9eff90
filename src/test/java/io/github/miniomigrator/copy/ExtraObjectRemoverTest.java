package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.lang.reflect.Proxy;
import io.github.miniomigrator.store.SourceStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * When the extras a pass found are kept, and why, and when the deletes stop the pass: every case decided before a
 * delete is sent. The remover has no store and no route here (null): a case that went on to delete would fail, counted.
 * The deletes themselves (the source asked again, the delete sent, a key back in the source copied again) are RemoveIT's.
 */
class ExtraObjectRemoverTest {
    static final BucketMapping MAPPING = new BucketMapping("src", "dst", "");

    static ExtraObjectRemover remover(boolean remove, long maxDelete, boolean brakeHolds) {
        return new ExtraObjectRemover(null, null, remove, maxDelete, null, null, null, () -> brakeHolds, null);
    }

    /** A pass that found {@code extras} target keys the source lacks, as CopyDecision queues them. */
    static CopyPass pass(boolean deletes, int extras) {
        CopyPass pass = new CopyPass(MAPPING, List.of(new KeyRange(null, null)), deletes);
        for (int i = 0; i < extras; i++) {
            pass.stats().extraSample.add("old/" + i);
            pass.extraKeys().add("old/" + i);
        }
        return pass;
    }

    static List<String> entries(DryRun plan) {
        List<String> entries = new ArrayList<>();
        plan.forEachEntry(entries::add);
        return entries;
    }

    @Test
    void nothingToDecideWithoutExtrasOrInABatchOfALargerPass() {
        for (CopyPass pass : List.of(pass(true, 0), pass(false, 3))) {
            try (pass; DryRun plan = new DryRun()) {
                pass.dryRun(plan);
                pass.stats().failed("x", "refused"); // would otherwise be noted
                remover(true, -1, true).deleteExtras(pass, pass.extraKeys());
                assertEquals(List.of(), pass.stats().notes());
                assertNull(pass.stats().extrasKept());
                assertEquals(List.of(), entries(plan));
            }
        }
    }

    @Test
    void withoutRemoveTheExtrasAreKeptSilentlyAndADryRunSaysWhy() {
        try (CopyPass pass = pass(true, 2); DryRun plan = new DryRun()) {
            remover(false, -1, false).deleteExtras(pass, pass.extraKeys());
            assertEquals(List.of(), pass.stats().notes());
            assertNull(pass.stats().extrasKept(), "kept as asked: not 'kept though migration.remove=true'");
            assertTrue(pass.stats().clean());
            pass.dryRun(plan);
            remover(false, -1, false).deleteExtras(pass, pass.extraKeys());
            assertEquals(2, plan.keptObjects.sum());
            assertTrue(entries(plan).get(0).contains("kept: migration.remove=false"), entries(plan).toString());
        }
    }

    /** With migration.remove=true, what keeps the extras, in the order the remover asks: errors, the brake, the limit. */
    @ParameterizedTest(name = "failed={0} brake={1} max={2} dryRun={3}")
    @CsvSource(delimiter = '|', textBlock = """
            true  | false | -1 | false | the pass had errors                    | were not deleted: the pass had errors |
            true  | true  | 1  | true  | the pass had errors                    | were not deleted: the pass had errors |
            false | true  | -1 | false | the delete brake holds                 | the delete brake holds the deletes    |
            false | true  | 1  | true  | the delete brake holds                 | the delete brake holds the deletes    |
            false | false | 2  | false | more than migration.max-delete=2       |                                       | 3 objects in dst are not in source bucket src
            false | false | 0  | true  | more than migration.max-delete=0       | a real pass would stop here: 3 objects in dst |
            """)
    void whatKeepsTheExtrasThoughRemoveIsOn(boolean failed, boolean brake, long maxDelete, boolean dryRun, String why, String note,
            String passError) {
        try (CopyPass pass = pass(true, 3); DryRun plan = new DryRun()) {
            if (failed) {
                pass.stats().failed("x", "refused");
            }
            if (dryRun) {
                pass.dryRun(plan);
            }
            remover(true, maxDelete, brake).deleteExtras(pass, pass.extraKeys());
            assertTrue(pass.stats().extrasKept().startsWith("not deleted though migration.remove=true: "), pass.stats().extrasKept());
            assertTrue(pass.stats().extrasKept().contains(why), pass.stats().extrasKept());
            if (note == null) {
                assertEquals(List.of(), pass.stats().notes());
            } else {
                assertEquals(1, pass.stats().notes().size(), pass.stats().notes().toString());
                assertTrue(pass.stats().notes().get(0).contains(note), pass.stats().notes().toString());
            }
            if (passError == null) {
                assertEquals(failed ? 1 : 0, pass.stats().failedObjects.sum(), "no delete was tried");
                assertNull(pass.stats().passError());
            } else {
                assertTrue(pass.stats().passError().startsWith(passError), pass.stats().passError());
            }
            assertEquals(dryRun ? 3 : 0, plan.keptObjects.sum(), "a dry run lists each kept key");
            assertEquals(0, plan.deleteObjects.sum());
        }
    }

    @ParameterizedTest(name = "max={0} candidates={1} -> over={2}")
    @CsvSource({"-1, 1000000, false", "0, 0, false", "0, 1, true", "5, 5, false", "5, 6, true"})
    void theLimitOnDeletes(long maxDelete, long candidates, boolean over) {
        Optional<String> error = remover(true, maxDelete, false).overLimit(MAPPING, candidates, List.of("a", "b"));
        assertEquals(over, error.isPresent());
        error.ifPresent(e -> assertTrue(e.contains("migration.max-delete=" + maxDelete + "; nothing was deleted"), e));
    }

    @Test
    void aPassWhoseWritesSettleLeavesTheDeletesToItsSettlingJoin() {
        try (CopyPass pass = pass(true, 2)) {
            pass.stats().failed("x", "refused"); // deleteExtras would note the extras kept
            pass.deferLooks();
            assertTrue(pass.deferLook());
            remover(true, -1, false).removeExtras(pass);
            assertEquals(List.of(), pass.stats().notes(), "the settling join decides, with the extras it finds");
            assertNull(pass.stats().extrasKept());
            remover(true, -1, false).removeExtras(pass);
            assertEquals(List.of(), pass.stats().notes(), "nor when asked again: its deferrals stay counted");
        }
        try (CopyPass pass = pass(true, 2)) {
            pass.stats().failed("x", "refused");
            remover(true, -1, false).removeExtras(pass);
            assertEquals(1, pass.stats().notes().size(), "a pass that deferred nothing decides itself");
        }
    }

    /** A source that has only the given keys (the remover asks it again per key before the delete). */
    static SourceStore sourceWith(Set<String> present) {
        return (SourceStore) Proxy.newProxyInstance(SourceStore.class.getClassLoader(), new Class<?>[] {SourceStore.class}, (proxy, method, args) -> {
            if (method.getName().equals("exists")) {
                return present.contains((String) args[1]);
            }
            throw new UnsupportedOperationException(method.getName());
        });
    }

    @Test
    void theKeysThatPassTheirChecksGoInBatchesOfAThousandEachKeyLockedUntilItsResultIsRecorded() {
        KeyLocks locks = new KeyLocks(4096);
        List<Integer> sizes = new ArrayList<>();
        List<String> unlockedWhileSent = new ArrayList<>();
        Function<DeleteBatch, List<DeleteResult>> store = batch -> {
            sizes.add(batch.keys().size());
            batch.keys().stream().filter(key -> !locks.of("dst", key).isHeldByCurrentThread()).forEach(unlockedWhileSent::add);
            // the store refuses one key of each batch in its answer; the others are deleted
            return batch.keys().stream().map(key -> key.endsWith("7") && key.length() == "old/1007".length()
                    ? new DeleteResult(batch.mapping(), key, "AccessDenied (Access Denied)") : DeleteResult.deleted(batch.mapping(), key)).toList();
        };
        ExtraObjectRemover remover = new ExtraObjectRemover(null, sourceWith(Set.of("old/5", "old/2499")), true, -1, locks, null,
                new WriteRecheck(false, null, null, true, null), () -> false, new TransferSlots(2), store);
        try (CopyPass pass = pass(true, 2500)) {
            remover.deleteExtras(pass, pass.extraKeys());
            assertEquals(List.of(1000, 1000, 498), sizes, "2,498 keys the source still lacks");
            assertEquals(List.of(), unlockedWhileSent);
            for (int i = 0; i < 2500; i++) {
                assertTrue(!locks.of("dst", "old/" + i).isLocked(), "every lock let go: old/" + i);
            }
            long refused = java.util.stream.IntStream.range(1000, 2500).filter(i -> i % 10 == 7 && i != 2499).count();
            assertEquals(refused, pass.stats().failedObjects.sum());
            assertEquals(2498 - refused, pass.stats().deletedObjects.sum());
            assertTrue(pass.stats().failures().contains("old/1007: could not delete from the target: AccessDenied (Access Denied)"),
                    pass.stats().failures().toString());
            assertTrue(pass.stats().notes().contains("'old/5' is in the source after all (written during the pass, or listed in another order); kept"));
        }
    }

    @Test
    void aBatchWithoutAnAnswerFailsEachOfItsKeys() {
        KeyLocks locks = new KeyLocks(16);
        ExtraObjectRemover remover = new ExtraObjectRemover(null, sourceWith(Set.of()), true, -1, locks, null,
                new WriteRecheck(false, null, null, true, null), () -> false, new TransferSlots(1), batch -> {
                    if (batch.keys().contains("old/0")) {
                        throw new IllegalStateException("route gone");
                    }
                    return List.of(); // an edited route that answers nothing for its keys
                });
        try (CopyPass pass = pass(true, 2)) {
            remover.deleteExtras(pass, pass.extraKeys());
            assertEquals(2, pass.stats().failedObjects.sum());
            assertEquals(0, pass.stats().deletedObjects.sum());
            assertTrue(pass.stats().failures().get(0).startsWith("old/0: could not delete from the target: IllegalStateException: route gone"),
                    pass.stats().failures().toString());
            for (int i = 0; i < 16; i++) {
                assertTrue(!locks.of("dst", "old/" + i).isLocked());
            }
        }
    }

    @Test
    void aDryRunSendsNoBatch() {
        ExtraObjectRemover remover = new ExtraObjectRemover(null, sourceWith(Set.of()), true, -1, new KeyLocks(16), null,
                new WriteRecheck(false, null, null, true, null), () -> false, new TransferSlots(1), batch -> {
                    throw new AssertionError("a dry run sent a batch");
                });
        try (CopyPass pass = pass(true, 3); DryRun plan = new DryRun()) {
            pass.dryRun(plan);
            remover.deleteExtras(pass, pass.extraKeys());
            assertEquals(3, entries(plan).size(), entries(plan).toString());
            assertEquals(0, pass.stats().deletedObjects.sum());
        }
    }
}
