package io.github.miniomigrator.store;

import io.github.miniomigrator.listing.Directories;
import io.github.miniomigrator.listing.KeySpace;
import io.github.miniomigrator.listing.ListingEntry;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import okhttp3.Headers;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;

/**
 * A source that is not MinIO (OSS, OBS, S3, Ceph or any S3 store; migration.source.provider), read through the AWS SDK
 * with the same code as the target ({@link S3Reads}), so its addressing, bucket domains, CA, timeouts and retries are
 * the target's ideas applied to the source's settings. Only reads: nothing here writes the source.
 */
public final class S3SourceStore implements SourceStore {
    private static final String OSS_RESTORE = "x-oss-restore";
    private final S3Reads reads;

    /** @param client the source's client, asked at each request */
    public S3SourceStore(Supplier<S3Client> client, Retry retry) {
        this.reads = new S3Reads(client, retry, "source");
    }

    @Override
    public Iterator<ListingEntry> list(String bucket, String prefix, String startAfter, boolean delimited) {
        return reads.list(bucket, "", prefix, startAfter, delimited);
    }

    @Override
    public Directories directories(String bucket) {
        return reads.directories(bucket, "");
    }

    @Override
    public KeySpace keySpace(String bucket) {
        return reads.keySpace(bucket, "");
    }

    /** A GET; an archived object that has not been restored is refused with what to do, whether the store refused it or not. */
    @Override
    public SourceObject get(String bucket, String key) {
        ResponseInputStream<GetObjectResponse> in;
        try {
            in = reads.open(bucket, key); // as MinIO's: the copy retries from a fresh GET, and counts it
        } catch (RuntimeException e) {
            if (StoreException.archived(e)) {
                // S3, OSS and OBS refuse the GET (InvalidObjectState); a HEAD names the class
                throw new ArchivedObjectException(bucket, key, reads.head(bucket, key).map(h -> h.storageClassAsString()).orElse(null), e);
            }
            throw e;
        }
        GetObjectResponse response = in.response();
        String storageClass = response.storageClassAsString();
        // stores that serve archived bytes all the same (S3Proxy keeps the class as a tier only) must not be read either:
        // what the store says the object is decides, as on S3, OSS and OBS
        if (ArchivedObjectException.isArchiveClass(storageClass) && !ArchivedObjectException.restored(response.restore())
                && !ArchivedObjectException.restored(response.sdkHttpResponse().firstMatchingHeader(OSS_RESTORE).orElse(null))) {
            in.abort();
            throw new ArchivedObjectException(bucket, key, storageClass, null);
        }
        return new SourceObject(in, headers(response.sdkHttpResponse().headers()));
    }

    /**
     * The GET's headers as they came, raw metadata values included (MinIO and Ceph store UTF-8 ones): the SDK gives
     * each byte as one character, so they are decoded as UTF-8 here ({@link RawHeaderValue}), as the MinIO client does.
     */
    static Headers headers(Map<String, List<String>> raw) {
        Headers.Builder headers = new Headers.Builder();
        raw.forEach((name, values) -> values.forEach(value -> headers.addUnsafeNonAscii(name, RawHeaderValue.utf8(value))));
        return headers.build();
    }

    @Override
    public Optional<ListingEntry> head(String bucket, String key) {
        return reads.head(bucket, key).map(h -> new ListingEntry(key, h.contentLength(), h.eTag()));
    }

    @Override
    public Optional<String> recordedMd5Hex(String bucket, String key) {
        return reads.head(bucket, key).flatMap(h -> h.metadata().entrySet().stream()
                .filter(e -> e.getKey().equalsIgnoreCase(io.github.miniomigrator.copy.MetadataMapper.MD5_KEY)).findFirst())
                .flatMap(e -> SourceStore.md5Hex(e.getValue()));
    }

    /** A HEAD, as on MinIO's side: a 404 is absent, any other error is thrown. */
    @Override
    public Optional<ListingEntry> stat(String bucket, String key) {
        return head(bucket, key);
    }

    @Override
    public void checkReadable(String bucket) {
        reads.checkReadable(bucket);
    }

    @Override
    public void readFirstByte(String bucket, String key) {
        reads.readFirstByte(bucket, key);
    }
}
