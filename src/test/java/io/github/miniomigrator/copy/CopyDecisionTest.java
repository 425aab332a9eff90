package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.listing.KeyRange;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The decisions the listings make alone, key by key: which keys are copied, skipped as identical or queued as extras,
 * and what each counts. The decision here has no store at all (null): each case below is decided without a request,
 * and one that asked a store would come out FAILED. The cases a HEAD of the target decides are the ITs' (real servers).
 */
class CopyDecisionTest {
    static final BucketMapping MAPPING = new BucketMapping("src", "dst", "");
    static final String MD5 = "9e107d9d372bb6826bd81d3542a419d6";
    static final String OTHER_MD5 = "e4d909c290d0fb1ca068ffaddf22cbd0";
    static final String MULTIPART = "0732917abc3288784e318ac0aab1757a-2";

    static CopyDecision decision(boolean remove) {
        return new CopyDecision(null, null, remove);
    }

    static Difference both(long sourceSize, String sourceEtag, long targetSize, String targetEtag) {
        return new Difference(Difference.Side.BOTH, "k", new ListingEntry("k", sourceSize, sourceEtag), new ListingEntry("k", targetSize, targetEtag), false);
    }

    static Stream<Arguments> listingsProve() {
        return Stream.of(
                Arguments.of("same size, same plain-MD5 ETag", 10, MD5, 10, MD5, true),
                Arguments.of("same ETag quoted and upper case on one side", 10, MD5, 10, "\"" + MD5.toUpperCase() + "\"", true),
                Arguments.of("an empty object, ETags as each store gives them", 0, "d41d8cd98f00b204e9800998ecf8427e", 0, "", true),
                Arguments.of("a folder object (empty, ETags differ by store)", 0, MD5, 0, OTHER_MD5, true),
                Arguments.of("sizes differ, ETags the same", 10, MD5, 11, MD5, false),
                Arguments.of("an empty source, a non-empty target", 0, "", 10, MD5, false),
                Arguments.of("plain-MD5 ETags differ", 10, MD5, 10, OTHER_MD5, false),
                Arguments.of("multipart ETags, the same: no MD5 of the bytes, a HEAD decides", 10, MULTIPART, 10, MULTIPART, false),
                Arguments.of("multipart source, plain-MD5 target (another part size)", 10, MULTIPART, 10, MD5, false),
                Arguments.of("no ETag on either side", 10, "", 10, "", false));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listingsProve")
    void theListingsProveTheSameBytesOrLeaveItToAHead(String what, long sourceSize, String sourceEtag, long targetSize, String targetEtag,
            boolean proven) {
        Difference difference = both(sourceSize, sourceEtag, targetSize, targetEtag);
        assertEquals(proven, Identity.listingsProve(difference.source(), difference.target()), what);
        PassStats stats = new PassStats();
        assertEquals(proven, CopyDecision.countedIdentical(difference, stats), what);
        assertEquals(List.of(proven ? 1L : 0L, proven ? 1L : 0L, proven ? sourceSize : 0L),
                List.of(stats.sourceObjects.sum(), stats.identicalObjects.sum(), stats.identicalBytes.sum()),
                "counted as decide would count it, and only when proven");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("listingsProve")
    void provenKeysAreSkippedWithoutAskingAStore(String what, long sourceSize, String sourceEtag, long targetSize, String targetEtag,
            boolean proven) {
        try (CopyPass pass = new CopyPass(MAPPING)) {
            String action = decision(false).decide(both(sourceSize, sourceEtag, targetSize, targetEtag), pass);
            // unproven, the decision asks the target (none here): FAILED stands for "went to a HEAD"
            assertEquals(proven ? CopyDecision.SKIP : CopyDecision.FAILED, action, what);
            assertEquals(List.of(1L, 1L, sourceSize, targetSize),
                    List.of(pass.stats().sourceObjects.sum(), pass.stats().targetObjects.sum(), pass.stats().sourceBytes.sum(),
                            pass.stats().targetBytes.sum()));
        }
    }

    @Test
    void aKeyOnlyInTheSourceIsCopiedWithoutAskingTheTarget() {
        try (CopyPass pass = new CopyPass(MAPPING)) {
            assertEquals(CopyDecision.COPY, decision(true).decide(Difference.sourceOnly(new ListingEntry("new", 7, MULTIPART), false), pass));
            assertEquals(List.of(1L, 7L, 0L), List.of(pass.stats().sourceObjects.sum(), pass.stats().sourceBytes.sum(),
                    pass.stats().targetObjects.sum()));
            assertTrue(pass.stats().clean());
        }
    }

    @Test
    void anUnsureSourceOnlyKeyGoesToTheTargetFirst() {
        // the stores may order the key differently: a HEAD must confirm it is missing (here no store, so it fails, counted)
        try (CopyPass pass = new CopyPass(MAPPING)) {
            assertEquals(CopyDecision.FAILED, decision(true).decide(Difference.sourceOnly(new ListingEntry("ß", 7, MD5), true), pass));
            assertEquals(1, pass.stats().failedObjects.sum());
            assertTrue(pass.stats().lastFailure().contains("could not compare with the target"), pass.stats().lastFailure());
        }
    }

    @Test
    void aSettlingJoinAfterAPassCutShortLeavesNewKeysToTheNextPass() {
        List<KeyRange> shards = List.of(new KeyRange(null, null));
        try (CopyPass pass = new CopyPass(MAPPING, shards, true); CopyPass settling = pass.settlingRound(shards)) {
            Difference newKey = Difference.sourceOnly(new ListingEntry("new", 7, MD5), false);
            assertEquals(CopyDecision.COPY, decision(true).decide(newKey, settling), "the join of a pass that ran through copies");
            pass.cancel();
            assertEquals(CopyDecision.SKIP, decision(true).decide(newKey, settling));
            assertEquals(2, settling.stats().sourceObjects.sum(), "counted all the same");
        }
    }

    /** remove, dry run, the pass deletes (not a batch of a larger pass): whether an extra key is queued for deletion. */
    @ParameterizedTest(name = "remove={0} dryRun={1} deletes={2} -> queued={3}")
    @CsvSource({
            "true,  false, true,  true",
            "false, false, true,  false",
            "false, true,  true,  true", // a dry run queues them to list each as kept, and why
            "true,  true,  true,  true",
            "true,  false, false, false", // a batch of a larger pass: that pass decides on deletes
            "false, true,  false, false"})
    void anExtraTargetKeyIsSkippedCountedAndQueuedWhereDeletesMayFollow(boolean remove, boolean dryRun, boolean deletes, boolean queued) {
        try (DryRun plan = new DryRun(); CopyPass pass = new CopyPass(MAPPING, List.of(new KeyRange(null, null)), deletes)) {
            if (dryRun) {
                pass.dryRun(plan);
            }
            Difference extra = new Difference(Difference.Side.TARGET_ONLY, "old", null, new ListingEntry("old", 5, MD5), false);
            assertEquals(CopyDecision.SKIP, decision(remove).decide(extra, pass));
            assertEquals(List.of(1L, 5L, 1L, 1L), List.of(pass.stats().targetObjects.sum(), pass.stats().targetBytes.sum(),
                    pass.stats().extraObjects.sum(), pass.extras(0)));
            assertEquals(List.of("old"), pass.stats().extraSample.keys());
            List<String> keys = new ArrayList<>();
            pass.extraKeys().forEach(keys::add);
            assertEquals(queued ? List.of("old") : List.of(), keys);
            assertEquals(0, plan.keptObjects.sum() + plan.deleteObjects.sum(), "deciding deletes nothing and keeps nothing yet");
        }
    }
}
