package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.DirectoryShard;
import io.github.miniomigrator.listing.KeyRange;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A pass over fixed shards counts each extra target key against the shard it belongs to; a pass that defers the looks
 * after its writes counts them for its settling join until the deferrals close.
 */
class CopyPassTest {
    static final BucketMapping MAPPING = new BucketMapping("src", "dst", "");

    @Test
    void extrasAreCountedPerDirectoryShard() {
        try (CopyPass pass = new CopyPass(MAPPING, List.of(DirectoryShard.directKeys("scan/"), DirectoryShard.everything("scan/a/"),
                DirectoryShard.everything("scan/b/")), false)) {
            pass.extraFound("scan/top.pdf");
            pass.extraFound("scan/a/deep/1.pdf");
            pass.extraFound("scan/a/"); // a child's folder object belongs to the child
            pass.extraFound("scan/b/2.pdf");
            assertEquals(List.of(1L, 2L, 1L), List.of(pass.extras(0), pass.extras(1), pass.extras(2)));
        }
    }

    @Test
    void extrasAreCountedPerKeyRangeAndAKeyOfNoShardCountsForAll() {
        try (CopyPass pass = new CopyPass(MAPPING, List.of(new KeyRange(null, "m"), new KeyRange("m", "t")), false)) {
            pass.extraFound("a");
            pass.extraFound("m");
            pass.extraFound("n");
            pass.extraFound("z"); // in neither: counted against both, so neither is left out of the deletion pass
            assertEquals(List.of(3L, 2L), List.of(pass.extras(0), pass.extras(1)));
        }
    }

    @Test
    void writesDeferTheirLookOnlyWhileDeferralsAreOpenAndAreCountedForTheSettlingJoin() {
        try (CopyPass pass = new CopyPass(MAPPING)) {
            assertFalse(pass.deferLook(), "a pass that was not prepared looks after each write at once");
            pass.deferLooks();
            assertTrue(pass.deferLook());
            assertTrue(pass.deferLook());
            assertEquals(2, pass.closeDeferrals());
            assertFalse(pass.deferLook(), "a copy landing after the settling join began looks for itself");
            assertEquals(2, pass.closeDeferrals(), "closing again changes nothing");
        }
    }

    @Test
    void aSettlingJoinCopiesNoNewKeyAfterAPassCutShortOrFailingAndItsCountsAddUpAsRewrites() {
        List<KeyRange> shards = List.of(new KeyRange(null, "m"), new KeyRange("m", null));
        try (CopyPass pass = new CopyPass(MAPPING, shards, false); CopyPass settling = pass.settlingRound(shards)) {
            assertTrue(settling.settlingRound());
            assertFalse(settling.onlyKeysTheTargetHolds());
            pass.cancel();
            assertTrue(settling.onlyKeysTheTargetHolds(), "a stopped pass's settling join leaves the keys it never reached");
            try (CopyPass failing = new CopyPass(MAPPING); CopyPass itsJoin = failing.settlingRound(null)) {
                failing.stats().failed("x", "refused");
                assertTrue(itsJoin.onlyKeysTheTargetHolds(), "nor does a failing pass's join copy every refused key again");
            }

            pass.stats().copiedObjects.add(5);
            pass.stats().failed("y", "refused");
            pass.extraFound("a");
            settling.stats().copiedObjects.add(1);
            settling.stats().failed("z", "could not copy");
            settling.stats().failed("y", "refused again");
            settling.extraFound("n");
            settling.extraFound("o");
            SettlingJoin.addUp(pass, settling);
            pass.addExtras(settling);
            assertEquals(5, pass.stats().copiedObjects.sum(), "an object written again is not copied twice");
            assertEquals(1, pass.stats().rewrites.sum());
            assertEquals(2, pass.stats().failedObjects.sum(), "the join's failures are the pass's, a key that failed in both once");
            assertEquals(List.of("y: refused", "z: could not copy", "y: refused again"), pass.stats().failures());
            assertNull(pass.stats().passError());
            assertEquals(List.of(1L, 2L), List.of(pass.extras(0), pass.extras(1)), "each shard's extras as the later listing found them");
        }
    }
}
