package io.github.miniomigrator.store;

import io.github.miniomigrator.listing.Directories;
import io.github.miniomigrator.listing.DirectoryShard;
import io.github.miniomigrator.listing.KeySpace;
import io.github.miniomigrator.listing.ListingEntry;
import io.minio.CloseableIterator;
import io.minio.ListObjectsArgs;
import io.minio.ListenBucketNotificationArgs;
import io.minio.MinioClient;
import io.minio.Result;
import io.minio.messages.Item;
import io.minio.messages.NotificationRecords;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.camel.CamelExecutionException;
import org.apache.camel.Endpoint;
import org.apache.camel.ProducerTemplate;

/**
 * A MinIO source (migration.source.provider=minio, the default): listed through camel-minio's producer operations (its
 * consumer would empty the bucket: deleteAfterRead defaults to true), watched through MinIO's listen API, and its
 * objects read (GET, HEAD) through the AWS SDK as any S3 store's are ({@link S3SourceStore}): the SDK's client costs
 * less CPU per object than the MinIO client's OkHttp (measured: 10,000 x 4 KiB, 8-12 % less client CPU), and one
 * reading path serves every provider. Only reads. The one class that uses camel-minio (deprecated from Camel 4.23), so
 * the source side can move off it in one place.
 */
public final class MinioSourceStore implements SourceStore {
    private final ProducerTemplate producer;
    private final Map<String, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Retry retry;

    private final S3SourceStore objects;

    /** @param objects the source's objects read through the AWS SDK (path-style, as MinIO is addressed) */
    public MinioSourceStore(ProducerTemplate producer, Retry retry, S3SourceStore objects) {
        this.producer = producer;
        this.retry = retry;
        this.objects = objects;
    }

    /** Resolved once per bucket and operation: a URI string per call costs Camel a parse and a registry lookup per object. */
    private Endpoint endpoint(String bucket, String operation) {
        return endpoints.computeIfAbsent(bucket + "?" + operation, k -> producer.getCamelContext().getEndpoint(
                // autoCreateBucket=false: the source is never written; pojoRequest: keys travel in typed requests, not headers.
                "minio:" + bucket + "?minioClient=#sourceMinioClient&autoCreateBucket=false&pojoRequest=true&operation=" + operation));
    }

    /** Page by page as the iterator advances; resumes after a failed page. */
    @Override
    public Iterator<ListingEntry> list(String bucket, String prefix, String startAfter, boolean delimited) {
        return new PagedListing(bucket, prefix, startAfter, delimited);
    }

    /**
     * The bucket's directories as a directory planner reads them: one listing with delimiter '/' per question, read no
     * further than one page. MinIO's client gives each common prefix as an item whose isDir() is true.
     */
    @Override
    public Directories directories(String bucket) {
        return prefix -> retry.call("list the directory '" + prefix + "' of source bucket " + bucket, () -> {
            boolean directKeys = false;
            Set<String> children = new HashSet<>();
            int seen = 0;
            ListObjectsArgs.Builder request = ListObjectsArgs.builder().bucket(bucket).recursive(false).maxKeys(Directories.ONE_PAGE);
            for (Result<Item> result : listing(bucket, prefix.isEmpty() ? request : request.prefix(prefix))) {
                Item item = result.get();
                if (++seen > Directories.ONE_PAGE) {
                    return null;
                }
                if (item.isDeleteMarker()) {
                    continue;
                }
                if (DirectoryShard.isChild(prefix, item.objectName())) {
                    children.add(item.objectName()); // a common prefix, or a folder object some stores list in its place
                } else {
                    directKeys = true; // an object, or the folder object of the directory itself
                }
            }
            return new Directories.Level(directKeys, children);
        });
    }

    /** The bucket's key space as a range planner probes it: one small listing request per question. */
    @Override
    public KeySpace keySpace(String bucket) {
        return new KeySpace() {
            @Override
            public String firstKeyAfter(String prefix, String after) {
                return retry.call("probe the keys of source bucket " + bucket, () -> {
                    for (Result<Item> result : listing(bucket, after(request(bucket, prefix).maxKeys(1), after))) {
                        return result.get().objectName();
                    }
                    return null;
                });
            }

            @Override
            public boolean holdsAtLeast(int keys) {
                return retry.call("count the keys of source bucket " + bucket, () -> {
                    int seen = 0;
                    for (Result<Item> result : listing(bucket, request(bucket, "").maxKeys(keys))) {
                        result.get();
                        if (++seen >= keys) {
                            return true;
                        }
                    }
                    return false;
                });
            }
        };
    }

    @Override
    public SourceObject get(String bucket, String key) {
        return objects.get(bucket, key);
    }

    @Override
    public Optional<ListingEntry> head(String bucket, String key) {
        return objects.head(bucket, key);
    }

    @Override
    public Optional<String> recordedMd5Hex(String bucket, String key) {
        return objects.recordedMd5Hex(bucket, key);
    }

    /**
     * A HEAD. Not a listing of the key as a prefix: a listing can name another key first (a store that lists a folder
     * object after the keys under it, as S3Proxy's filesystem-nio2 store does to MinIO's client) or lag behind a write,
     * and a delete that trusted it would remove a target object the source holds. A 404 is absent; any other error is
     * thrown.
     */
    @Override
    public Optional<ListingEntry> stat(String bucket, String key) {
        return objects.stat(bucket, key);
    }

    @Override
    public void readFirstByte(String bucket, String key) {
        objects.readFirstByte(bucket, key);
    }

    /** MinIO's ListenBucketNotification stream for created and removed objects; it ends silently on disconnect. */
    @Override
    public CloseableIterator<Result<io.minio.messages.NotificationRecords>> listen(String bucket) throws Exception {
        return minioClient().listenBucketNotification(ListenBucketNotificationArgs.builder().bucket(bucket)
                .prefix("").suffix("").events(new String[] {"s3:ObjectCreated:*", "s3:ObjectRemoved:*"}).build());
    }

    /** camel-minio has no listen operation: the same client bean it uses, for this one call. */
    private MinioClient minioClient() {
        return producer.getCamelContext().getRegistry().lookupByNameAndType("sourceMinioClient", MinioClient.class);
    }

    /**
     * camel-minio asks whether the bucket exists (a HEAD) before it lists, and a HEAD's refusal has no body: the MinIO
     * client then calls any 403 AccessDenied. A 403 is asked again as a listing by the client itself, whose answer names
     * the real reason (a wrong secret, an unknown key, or a permission).
     */
    @Override
    public void checkReadable(String bucket) throws Exception {
        try {
            for (Result<Item> result : listing(bucket, ListObjectsArgs.builder().bucket(bucket).recursive(true).maxKeys(1))) {
                result.get();
                return;
            }
        } catch (Exception e) {
            if (StoreException.status(e) != 403) {
                throw e;
            }
            for (Result<Item> result : minioClient().listObjects(ListObjectsArgs.builder().bucket(bucket).recursive(true).maxKeys(1).build())) {
                result.get();
                break;
            }
            throw e;
        }
    }

    /** A recursive listing of the keys under the prefix ("": all). */
    private static ListObjectsArgs.Builder request(String bucket, String prefix) {
        return request(bucket, prefix, false);
    }

    /** A listing of the keys under the prefix, recursive or with delimiter '/'. */
    private static ListObjectsArgs.Builder request(String bucket, String prefix, boolean delimited) {
        ListObjectsArgs.Builder request = ListObjectsArgs.builder().bucket(bucket).recursive(!delimited);
        return prefix.isEmpty() ? request : request.prefix(prefix);
    }

    /**
     * A listing that starts after a key goes through ListObjects V1 with a marker: minio-java sends V2's start-after on
     * every page along with the continuation token, which S3Proxy refuses (400 InvalidArgument); V1 moves its marker
     * from page to page instead, on every store.
     */
    private static ListObjectsArgs.Builder after(ListObjectsArgs.Builder request, String key) {
        return key == null ? request : request.useApiVersion1(true).marker(key);
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

    /**
     * Lazily paged listing that, when a page fails with a transient error, lists again from after the last key it
     * read. A page is held back until the next one starts (1,000 entries at most) so that a folder object a store lists
     * as a prefix after the page's objects (S3Proxy's filesystem-nio2 store does, with MinIO's client) goes back in its
     * place; an entry listed without an ETag is completed by a HEAD. A delimited listing skips the common prefixes
     * (MinIO's client gives them as items whose isDir() is true).
     */
    private final class PagedListing implements Iterator<ListingEntry> {
        private static final int WINDOW = 1000;
        private final String bucket;
        private final String prefix;
        private final boolean delimited;
        private final java.util.LinkedList<ListingEntry> window = new java.util.LinkedList<>();
        private Iterator<Result<Item>> page;
        private String lastKey;
        private boolean exhausted;
        private int failures;

        PagedListing(String bucket, String prefix, String startAfter, boolean delimited) {
            this.bucket = bucket;
            this.prefix = prefix;
            this.delimited = delimited;
            this.lastKey = startAfter;
        }

        @Override
        public boolean hasNext() {
            while (!exhausted && window.size() <= WINDOW) {
                read();
            }
            return !window.isEmpty();
        }

        /** Reads one entry from the store into the window, or notes the end. */
        private void read() {
            try {
                if (page == null) {
                    page = listing(bucket, after(request(bucket, prefix, delimited), lastKey)).iterator();
                }
                if (!page.hasNext()) {
                    exhausted = true;
                    return;
                }
                Item item = page.next().get();
                failures = 0;
                if (item.isDeleteMarker()) {
                    return;
                }
                if (item.isDir() && delimited && !item.objectName().equals(prefix)) {
                    return; // a child directory: another shard lists it
                }
                if (item.isDir()) {
                    // a recursive listing has no prefixes (nor has a delimited one the directory itself): this is a
                    // folder object the store listed as one
                    head(bucket, item.objectName()).ifPresent(this::putInPlace);
                    return;
                }
                lastKey = item.objectName();
                if (item.etag() == null || item.etag().isEmpty()) {
                    head(bucket, item.objectName()).ifPresent(window::addLast); // listed without ETag: ask the object itself
                } else {
                    window.addLast(new ListingEntry(item.objectName(), item.size(), item.etag(), modified(item)));
                }
            } catch (Exception e) {
                page = null;
                if (!retry.isTransient(e) || ++failures > retry.attempts()) {
                    throw new StoreException("listing source bucket " + bucket + " failed"
                            + (lastKey == null ? "" : " after key '" + lastKey + "'") + ": " + StoreException.describe(e), e);
                }
                retry.pause(failures, e);
            }
        }

        /** Before the held-back entries that sort after it (the merge-join checks the order it is then given). */
        private void putInPlace(ListingEntry entry) {
            java.util.ListIterator<ListingEntry> at = window.listIterator(window.size());
            while (at.hasPrevious()) {
                if (at.previous().key().compareTo(entry.key()) < 0) {
                    at.next();
                    break;
                }
            }
            at.add(entry);
        }

        @Override
        public ListingEntry next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            return window.removeFirst();
        }
    }

    /** An item's last-modified time, null where the listing gave none. */
    private static java.time.Instant modified(Item item) {
        try {
            java.time.ZonedDateTime time = item.lastModified();
            return time == null ? null : time.toInstant();
        } catch (RuntimeException e) {
            return null; // a listing entry without a time: reports leave it blank
        }
    }
}
