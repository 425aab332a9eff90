package io.github.miniomigrator.store;

import io.github.miniomigrator.listing.ListingEntry;
import io.minio.GetObjectArgs;
import io.minio.GetObjectResponse;
import io.minio.ListObjectsArgs;
import io.minio.Result;
import io.minio.messages.Item;
import java.util.Iterator;
import java.util.NoSuchElementException;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.ProducerTemplate;

/**
 * Every access to the source, and only reads, through camel-minio's producer operations (its consumer would empty
 * the bucket: deleteAfterRead defaults to true). Kept in one class so the source side can move to another component.
 */
public final class SourceStore {
    private final ProducerTemplate producer;
    private final Retry retry;

    public SourceStore(ProducerTemplate producer, Retry retry) {
        this.producer = producer;
        this.retry = retry;
    }

    private static String endpoint(String bucket, String operation) {
        // autoCreateBucket=false: the source is never written; pojoRequest: keys travel in typed requests, not headers.
        return "minio:" + bucket + "?minioClient=#sourceMinioClient&autoCreateBucket=false&pojoRequest=true&operation=" + operation;
    }

    /** Every object in the bucket, recursively, page by page as the iterator advances; resumes after a failed page. */
    public Iterator<ListingEntry> list(String bucket) {
        return new PagedListing(bucket);
    }

    /** The object's bytes as a stream, with its headers (Content-Type, ETag, user metadata) on the response. */
    public GetObjectResponse get(String bucket, String key) {
        return (GetObjectResponse) unwrap(() -> producer.requestBody(endpoint(bucket, "getObject"),
                GetObjectArgs.builder().bucket(bucket).object(key)));
    }

    /** Whether the key exists now. */
    public boolean exists(String bucket, String key) {
        return stat(bucket, key).isPresent();
    }

    /** The key's size and ETag now: a listing of that exact prefix (camel-minio has no HEAD operation). */
    public java.util.Optional<ListingEntry> stat(String bucket, String key) {
        return retry.call("look up source " + bucket + "/" + key, () -> {
            Iterable<Result<Item>> items = listing(bucket, ListObjectsArgs.builder().bucket(bucket).prefix(key).recursive(true).maxKeys(2));
            for (Result<Item> result : items) {
                Item item = result.get();
                // the key itself sorts before every longer key with this prefix, in either order
                return item.objectName().equals(key) && !item.isDeleteMarker()
                        ? java.util.Optional.of(new ListingEntry(key, item.size(), item.etag())) : java.util.Optional.<ListingEntry>empty();
            }
            return java.util.Optional.<ListingEntry>empty();
        });
    }

    /** MinIO's ListenBucketNotification stream for created and removed objects; it ends silently on disconnect. */
    public io.minio.CloseableIterator<Result<io.minio.messages.NotificationRecords>> listen(String bucket) throws Exception {
        return minioClient().listenBucketNotification(io.minio.ListenBucketNotificationArgs.builder().bucket(bucket)
                .prefix("").suffix("").events(new String[] {"s3:ObjectCreated:*", "s3:ObjectRemoved:*"}).build());
    }

    /** camel-minio has no listen operation: the same client bean it uses, for this one call. */
    private io.minio.MinioClient minioClient() {
        return producer.getCamelContext().getRegistry().lookupByNameAndType("sourceMinioClient", io.minio.MinioClient.class);
    }

    /** Preflight: the bucket can be listed with these credentials (one key at most is read). */
    public void checkReadable(String bucket) throws Exception {
        for (Result<Item> result : listing(bucket, ListObjectsArgs.builder().bucket(bucket).recursive(true).maxKeys(1))) {
            result.get();
            return;
        }
    }

    @SuppressWarnings("unchecked")
    private Iterable<Result<Item>> listing(String bucket, ListObjectsArgs.Builder request) {
        return (Iterable<Result<Item>>) unwrap(() -> producer.requestBody(endpoint(bucket, "listObjects"), request));
    }

    private static Object unwrap(java.util.function.Supplier<Object> call) {
        try {
            return call.get();
        } catch (CamelExecutionException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            throw new StoreException(cause);
        }
    }

    /** Lazily paged listing that, when a page fails with a transient error, lists again from after the last key it gave. */
    private final class PagedListing implements Iterator<ListingEntry> {
        private final String bucket;
        private Iterator<Result<Item>> page;
        private String lastKey;
        private ListingEntry next;
        private int failures;

        PagedListing(String bucket) {
            this.bucket = bucket;
        }

        @Override
        public boolean hasNext() {
            while (next == null) {
                try {
                    if (page == null) {
                        ListObjectsArgs.Builder request = ListObjectsArgs.builder().bucket(bucket).recursive(true);
                        if (lastKey != null) {
                            request.startAfter(lastKey);
                        }
                        page = listing(bucket, request).iterator();
                    }
                    if (!page.hasNext()) {
                        return false;
                    }
                    Item item = page.next().get();
                    if (item.isDir() || item.isDeleteMarker()) {
                        continue;
                    }
                    next = new ListingEntry(item.objectName(), item.size(), item.etag());
                    lastKey = item.objectName();
                    failures = 0;
                } catch (Exception e) {
                    page = null;
                    if (!retry.isTransient(e) || ++failures > retry.attempts()) {
                        throw new StoreException("listing source bucket " + bucket + " failed"
                                + (lastKey == null ? "" : " after key '" + lastKey + "'") + ": " + StoreException.describe(e), e);
                    }
                    retry.pause(failures, e);
                }
            }
            return true;
        }

        @Override
        public ListingEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ListingEntry entry = next;
            next = null;
            return entry;
        }
    }
}
