package io.github.miniomigrator.copy;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.TargetObject;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Identity on a target whose ETags are MD5s, for a source object MinIO stores encrypted (its ETag no MD5) and for one it does not. */
class IdentityTest {
    static final String MD5 = "9e107d9d372bb6826bd81d3542a419d6";
    static final String OTHER_MD5 = "e4d909c290d0fb1ca068ffaddf22cbd0";
    static final String MINIO_ETAG = "6d914a2453d18db6288bb273d9d701e9"; // 32 hex digits, not the MD5 of the bytes

    static String base64(String hex) {
        return Base64.getEncoder().encodeToString(HexFormat.of().parseHex(hex));
    }

    static TargetObject target(String etag, Map<String, String> metadata) {
        return new TargetObject(100, etag, metadata, null);
    }

    static Map<String, String> copiedEncrypted(String sourceEtag, String md5) {
        return Map.of("source-etag", sourceEtag, "md5chksum", base64(md5), "source-encryption", "aws:kms");
    }

    @Test
    void anEncryptedObjectIsTheSameAsItsCopy() {
        assertTrue(Identity.recordedSame(new ListingEntry("a", 100, MINIO_ETAG), target(MD5, copiedEncrypted(MINIO_ETAG, MD5)), true));
    }

    @Test
    void anEncryptedObjectWrittenAgainIsNot() {
        assertFalse(Identity.recordedSame(new ListingEntry("a", 100, OTHER_MD5), target(MD5, copiedEncrypted(MINIO_ETAG, MD5)), true));
    }

    @Test
    void aCopyOverwrittenWithItsRecordCarriedOverIsNot() {
        // other bytes (their MD5 is the target's ETag now) under the record of the copy
        assertFalse(Identity.recordedSame(new ListingEntry("a", 100, MINIO_ETAG), target(OTHER_MD5, copiedEncrypted(MINIO_ETAG, MD5)), true));
    }

    @Test
    void withoutTheEncryptionRecordTwoPlainMd5EtagsDecideAlone() {
        Map<String, String> plainCopy = Map.of("source-etag", MINIO_ETAG, "md5chksum", base64(MD5));
        assertFalse(Identity.recordedSame(new ListingEntry("a", 100, MINIO_ETAG), target(MD5, plainCopy), true));
        assertTrue(Identity.recordedSame(new ListingEntry("a", 100, MD5), target(MD5, Map.of()), true));
    }
}
