package io.github.miniomigrator.store;

import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.listing.Directories;
import io.github.miniomigrator.listing.KeySpace;
import io.github.miniomigrator.listing.ListingEntry;
import io.minio.CloseableIterator;
import io.minio.Result;
import io.minio.messages.NotificationRecords;
import java.util.Iterator;
import java.util.Optional;

/**
 * Every read of the source, and nothing that writes it: a MinIO source through camel-minio ({@link MinioSourceStore}),
 * any other S3 store through the AWS SDK with the same code the target is read with ({@link S3SourceStore}).
 */
public interface SourceStore {
    /** Every object in the bucket, recursively, page by page as the iterator advances. */
    default Iterator<ListingEntry> list(String bucket) {
        return list(bucket, "", null);
    }

    /** The keys that start with the prefix, from after the given key (null: from the first). */
    default Iterator<ListingEntry> list(String bucket, String prefix, String startAfter) {
        return list(bucket, prefix, startAfter, false);
    }

    /** The same; {@code delimited}: only the keys directly under the prefix (no '/' after it), from a listing with delimiter '/'. */
    Iterator<ListingEntry> list(String bucket, String prefix, String startAfter, boolean delimited);

    /** The bucket's directories as a directory planner reads them: one listing with delimiter '/' per question, one page at most. */
    Directories directories(String bucket);

    /** The bucket's key space as a range planner probes it: one small listing request per question. */
    KeySpace keySpace(String bucket);

    /**
     * The object's bytes as a stream, with the headers its GET answered (Content-Type, ETag, user metadata).
     * @throws ArchivedObjectException when it is in an archive storage class and not restored: it cannot be read
     */
    SourceObject get(String bucket, String key);

    /** The object's size and ETag from a HEAD, or empty when it is gone. */
    Optional<ListingEntry> head(String bucket, String key);

    /**
     * The MD5 the object's own metadata records (x-amz-meta-md5chksum, base64, as this tool and rclone write it), in hex;
     * empty when it records none or is gone. One HEAD: asked only where the listings cannot decide (a multipart ETag on
     * this side, a plain MD5 on the other).
     */
    Optional<String> recordedMd5Hex(String bucket, String key);

    /** Hex of a base64 MD5 as metadata records it, or empty when it is not one. */
    static Optional<String> md5Hex(String base64) {
        try {
            byte[] md5 = java.util.Base64.getDecoder().decode(base64.trim());
            return md5.length == 16 ? Optional.of(java.util.HexFormat.of().formatHex(md5)) : Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }

    /**
     * The key's size and ETag now, or empty when it is gone: a HEAD, the one answer about a key that is authoritative on
     * every S3 store (a listing of the key as a prefix may name another key first, or lag behind a write). A 404 is
     * "gone"; any other error is thrown, never taken for "gone": a delete is decided on this answer.
     */
    Optional<ListingEntry> stat(String bucket, String key);

    /** Whether the key exists now (a HEAD; an error is thrown, never taken for "absent"). */
    default boolean exists(String bucket, String key) {
        return stat(bucket, key).isPresent();
    }

    /** Preflight: the bucket can be listed with these credentials (one key at most is read). */
    void checkReadable(String bucket) throws Exception;

    /**
     * `check`: one GET of the object's first byte (Range: bytes=0-0), the bytes read and dropped; the store's refusal
     * (a 403, or a 404 for a key that does not exist) is thrown as it came, not retried.
     */
    void readFirstByte(String bucket, String key);

    /** MinIO's ListenBucketNotification stream; other stores have no such API. */
    default CloseableIterator<Result<NotificationRecords>> listen(String bucket) throws Exception {
        throw new UnsupportedOperationException("the listen API is MinIO's: " + Setting.EVENTS_MODE.key() + "=listen needs "
                + Setting.SOURCE_PROVIDER.key() + "=minio");
    }
}
