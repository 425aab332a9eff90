package io.github.miniomigrator.copy;

import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.TargetObject;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/** When a target object holds the same bytes as its source object, decided without reading the bytes. */
public final class Identity {
    private Identity() {
    }

    /** The listings decide: same size and the same plain-MD5 ETag, or both empty (folder objects among them: ETags vary by store). */
    public static boolean listingsProve(ListingEntry source, ListingEntry target) {
        return source.size() == target.size() && (source.size() == 0 || source.etagIsMd5() && source.etag().equals(target.etag()));
    }

    /**
     * A HEAD decides: same size, and the target records this source ETag, or an MD5 equal to the source's plain-MD5
     * ETag. Where the target's ETags are known to be MD5s, two plain-MD5 ETags decide alone: metadata a later write
     * carried over must not call different bytes the same — unless the source's ETag only looks like an MD5 (an
     * encrypted object), which the target's record says and its own ETag vouches for ({@link #recordedEncrypted}).
     *
     * @param targetEtagsAreMd5 the target's ETag of a single PUT is the MD5 of the bytes (learnt by the write canary)
     */
    public static boolean recordedSame(ListingEntry source, TargetObject target, boolean targetEtagsAreMd5) {
        if (source.size() != target.size()) {
            return false;
        }
        if (source.size() == 0) {
            return true; // there is one empty content
        }
        if (targetEtagsAreMd5 && source.etagIsMd5() && ListingEntry.isMd5Hex(target.etag())) {
            return source.etag().equals(target.etag()) || recordedEncrypted(source, target);
        }
        String storedEtag = target.userMetadata().get(MetadataMapper.SOURCE_ETAG_KEY);
        if (storedEtag != null && !source.etag().isEmpty() && ListingEntry.normalizeEtag(storedEtag).equals(source.etag())) {
            return true;
        }
        if (source.etagIsMd5() && source.etag().equals(target.etag())) {
            return true;
        }
        String storedMd5 = target.userMetadata().get(MetadataMapper.MD5_KEY);
        return storedMd5 != null && source.etagIsMd5() && source.etag().equals(md5Hex(storedMd5));
    }

    /**
     * The target object is a copy of this very encrypted source object: its copy recorded that the source was encrypted
     * (so its ETag, 32 hex digits, is no MD5 of the bytes) and had this ETag (which changes when the object is written
     * again), and the MD5 it recorded is the target's own ETag, the MD5 of the bytes it holds now — so the record was
     * written with these bytes, not carried over by a later write of other ones.
     */
    static boolean recordedEncrypted(ListingEntry source, TargetObject target) {
        Map<String, String> recorded = target.userMetadata();
        String storedEtag = recorded.get(MetadataMapper.SOURCE_ETAG_KEY);
        String storedMd5 = recorded.get(MetadataMapper.MD5_KEY);
        return recorded.containsKey(MetadataMapper.SOURCE_ENCRYPTION_KEY) && storedEtag != null && storedMd5 != null
                && ListingEntry.normalizeEtag(storedEtag).equals(source.etag()) && md5Hex(storedMd5).equals(target.etag());
    }

    /** Whether the target says anything about its content that could be compared: a stored ETag or MD5, or a plain-MD5 ETag. */
    public static boolean comparable(ListingEntry source, TargetObject target) {
        return target.userMetadata().containsKey(MetadataMapper.SOURCE_ETAG_KEY) || target.userMetadata().containsKey(MetadataMapper.MD5_KEY)
                || (source.etagIsMd5() && ListingEntry.isMd5Hex(target.etag()));
    }

    private static String md5Hex(String base64) {
        try {
            return HexFormat.of().formatHex(Base64.getDecoder().decode(base64.trim()));
        } catch (IllegalArgumentException e) {
            return "";
        }
    }
}
