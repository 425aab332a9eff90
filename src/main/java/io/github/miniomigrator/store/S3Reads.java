package io.github.miniomigrator.store;

import io.github.miniomigrator.listing.Directories;
import io.github.miniomigrator.listing.DirectoryShard;
import io.github.miniomigrator.listing.KeyOrder;
import io.github.miniomigrator.listing.KeySpace;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.listing.ListingOrderException;
import io.github.miniomigrator.listing.Lookahead;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CommonPrefix;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * The reads of any S3 store through an S3Client — listings with their guards, directories, key-space probes, HEAD and
 * GET — shared by the target and by a source that is not read through camel-minio, so both directions list and read
 * with the same code.
 */
public final class S3Reads {
    private final Supplier<S3Client> client;
    private final Retry retry;
    /** "source" or "target", in messages. */
    private final String side;

    /** @param client the client, asked at each request (a client being built is waited for) */
    public S3Reads(Supplier<S3Client> client, Retry retry, String side) {
        this.client = client;
        this.retry = retry;
        this.side = side;
    }

    /**
     * Keys under the prefix that start with {@code within}, with the prefix taken off, from after {@code startAfter}
     * (relative to the prefix; null: from the first), page by page; a failed page is asked for again. An entry that
     * came without Size or ETag (some stores list folder objects so) is completed by a HEAD of the key, and left out when
     * the key is gone by then. {@code delimited}: only the keys directly under {@code within} (no '/' after it).
     */
    public Iterator<ListingEntry> list(String bucket, String prefix, String within, String startAfter, boolean delimited) {
        Iterator<S3Object> objects = objects(bucket, prefix + within, startAfter == null ? null : prefix + startAfter, delimited);
        return new Lookahead<>() {
            @Override
            protected ListingEntry advance() {
                while (objects.hasNext()) {
                    S3Object object = objects.next();
                    if (!object.key().startsWith(prefix)) {
                        if (KeyOrder.compareCodePoints(object.key(), prefix) > 0 && object.key().compareTo(prefix) > 0) {
                            return null; // past the mapping's prefix: a store that ignored it has nothing more of ours
                        }
                        // cut to the prefix's length, it would pass for one of the mapping's keys
                        throw new ListingOrderException("the listing of " + side + " " + bucket + "/" + prefix + " was asked for the keys under '"
                                + prefix + within + "' and showed '" + object.key() + "'; the pass stopped without deleting anything. The "
                                + "store ignores the prefix.");
                    }
                    String key = object.key().substring(prefix.length());
                    if (object.size() != null && object.eTag() != null) {
                        return new ListingEntry(key, object.size(), object.eTag(), object.lastModified());
                    }
                    Optional<ListingEntry> looked = head(bucket, object.key()).map(h -> new ListingEntry(key, h.contentLength(), h.eTag()));
                    if (looked.isPresent()) {
                        return looked.get();
                    }
                }
                return null;
            }
        };
    }

    /**
     * The mapping's directories (relative to its prefix) as a directory planner reads them: one ListObjectsV2 page with
     * delimiter '/' per question; its contents say whether the directory holds keys itself, its common prefixes are the
     * children.
     */
    public Directories directories(String bucket, String prefix) {
        return within -> {
            ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).delimiter("/").maxKeys(Directories.ONE_PAGE);
            if (!(prefix + within).isEmpty()) {
                request.prefix(prefix + within);
            }
            ListObjectsV2Response response = retry.call("list the directory '" + within + "' of " + side + " " + bucket + "/" + prefix,
                    () -> s3().listObjectsV2(request.build()));
            if (Boolean.TRUE.equals(response.isTruncated())) {
                return null;
            }
            Set<String> children = new HashSet<>();
            for (CommonPrefix child : response.commonPrefixes()) {
                if (child.prefix() == null || !child.prefix().startsWith(prefix)) {
                    return null; // not a directory of the mapping: the store ignored the prefix
                }
                children.add(child.prefix().substring(prefix.length()));
            }
            boolean directKeys = false;
            for (S3Object object : response.contents()) {
                String key = object.key().substring(prefix.length());
                if (DirectoryShard.isChild(within, key)) {
                    children.add(key); // a folder object S3Proxy's in-memory store lists in place of its common prefix
                } else {
                    directKeys = true;
                }
            }
            return new Directories.Level(directKeys, children);
        };
    }

    private Iterator<S3Object> objects(String bucket, String prefix, String startAfter, boolean delimited) {
        return new Lookahead<>() {
            private Iterator<S3Object> page = Collections.emptyIterator();
            private String continuation;
            private boolean last;

            @Override
            protected S3Object advance() {
                while (!page.hasNext() && !last) {
                    ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).maxKeys(1000);
                    if (delimited) {
                        request.delimiter("/");
                    }
                    if (!prefix.isEmpty()) {
                        request.prefix(prefix);
                    }
                    if (continuation != null) {
                        request.continuationToken(continuation);
                    } else if (startAfter != null) {
                        request.startAfter(startAfter);
                    }
                    ListObjectsV2Response response = retry.call("listing " + side + " bucket " + bucket, () -> s3().listObjectsV2(request.build()));
                    page = response.contents().iterator();
                    continuation = response.nextContinuationToken();
                    last = !Boolean.TRUE.equals(response.isTruncated()) || continuation == null;
                }
                return page.hasNext() ? page.next() : null;
            }
        };
    }

    /** The object's HEAD answer, or empty when it is gone. */
    public Optional<HeadObjectResponse> head(String bucket, String key) {
        return retry.call("HEAD " + side + " " + bucket + "/" + key, () -> {
            try {
                return Optional.of(s3().headObject(b -> b.bucket(bucket).key(key)));
            } catch (NoSuchKeyException e) {
                return Optional.empty();
            } catch (S3Exception e) {
                if (e.statusCode() == 404) {
                    return Optional.empty();
                }
                throw e;
            }
        });
    }

    /** The object's bytes as a stream, with the GET's answer (headers, storage class) on it; a failed GET is asked again. */
    public ResponseInputStream<GetObjectResponse> get(String bucket, String key) {
        return retry.call("GET " + side + " " + bucket + "/" + key, () -> open(bucket, key));
    }

    /** One GET, not retried: for a copy, which starts again from a fresh GET after any failure and counts its retries. */
    public ResponseInputStream<GetObjectResponse> open(String bucket, String key) {
        return s3().getObject(b -> b.bucket(bucket).key(key));
    }


    /**
     * The bucket's key space (under the prefix, keys relative to it) as a range planner probes it: one small listing
     * request per question.
     */
    public KeySpace keySpace(String bucket, String prefix) {
        return new KeySpace() {
            @Override
            public String firstKeyAfter(String within, String after) {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).maxKeys(1);
                if (!(prefix + within).isEmpty()) {
                    request.prefix(prefix + within);
                }
                if (after != null) {
                    request.startAfter(prefix + after);
                }
                ListObjectsV2Response response = retry.call("probe the keys of " + side + " bucket " + bucket,
                        () -> s3().listObjectsV2(request.build()));
                for (S3Object object : response.contents()) {
                    if (!object.key().startsWith(prefix + within)) {
                        return null; // a store that ignores the prefix: the listing itself will stop on it
                    }
                    return object.key().substring(prefix.length());
                }
                return null;
            }

            /** One page at most, as the interface asks: {@code keys} up to 1,000. */
            @Override
            public boolean holdsAtLeast(int keys) {
                ListObjectsV2Request.Builder request = ListObjectsV2Request.builder().bucket(bucket).maxKeys(keys);
                if (!prefix.isEmpty()) {
                    request.prefix(prefix);
                }
                ListObjectsV2Response response = retry.call("count the keys of " + side + " bucket " + bucket,
                        () -> s3().listObjectsV2(request.build()));
                return response.contents().size() >= keys;
            }
        };
    }

    /** One GET of the object's first byte (Range: bytes=0-0), read and dropped; not retried: a refusal is the answer asked for. */
    public void readFirstByte(String bucket, String key) {
        try (ResponseInputStream<GetObjectResponse> in = s3().getObject(b -> b.bucket(bucket).key(key).range("bytes=0-0"))) {
            in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new StoreException("reading the first byte of " + side + " " + bucket + "/" + key + " failed: " + e.getMessage(), e);
        }
    }

    /** Preflight: the bucket can be listed with these credentials (one key at most is read). */
    public void checkReadable(String bucket) {
        retry.call("list " + side + " bucket " + bucket, () -> s3().listObjectsV2(b -> b.bucket(bucket).maxKeys(1)));
    }

    private S3Client s3() {
        return client.get();
    }
}
