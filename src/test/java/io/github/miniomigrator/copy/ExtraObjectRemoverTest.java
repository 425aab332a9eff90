package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
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
}
