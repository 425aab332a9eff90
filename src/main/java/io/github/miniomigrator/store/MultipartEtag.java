package io.github.miniomigrator.store;

import io.github.miniomigrator.listing.ListingEntry;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;

/**
 * The ETag S3, OSS, OBS and MinIO give an object completed from parts: the MD5 of the parts' binary MD5s, a dash,
 * and the number of parts. Lower-case hex, no quotes.
 */
public final class MultipartEtag {
    private MultipartEtag() {
    }

    /**
     * @param partEtags the parts' ETags in part order, as the store returned them (quoted or not, any case)
     * @return empty where a part's ETag is no MD5 (then the whole one cannot be known)
     */
    public static Optional<String> of(List<String> partEtags) {
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            for (String etag : partEtags) {
                String part = ListingEntry.normalizeEtag(etag);
                if (!ListingEntry.isMd5Hex(part)) {
                    return Optional.empty();
                }
                md5.update(HexFormat.of().parseHex(part));
            }
            return Optional.of(HexFormat.of().formatHex(md5.digest()) + "-" + partEtags.size());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("MD5 is part of every Java runtime", e);
        }
    }
}
