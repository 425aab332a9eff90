package io.github.miniomigrator.store;

import io.github.miniomigrator.config.PayloadSigning;
import io.github.miniomigrator.config.StorageClass;
import io.github.miniomigrator.listing.Directories;
import io.github.miniomigrator.listing.ListingEntry;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.AbortMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompletedMultipartUpload;
import software.amazon.awssdk.services.s3.model.CompletedPart;
import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.HeadBucketRequest;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.Part;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Error;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.UploadPartRequest;

/**
 * Reads and writes of the target through the S3Client bean. Writes are here rather than in camel-aws2-s3's producer:
 * it cannot set Content-Language or Expires, cannot give a part its Content-MD5, and evaluates a key header that
 * contains "${" as a Simple expression, which would write or delete the wrong key.
 */
public final class TargetStore {
    private static final Logger LOG = LoggerFactory.getLogger(TargetStore.class);
    private static final String OCTET_STREAM = "application/octet-stream";
    /** The client, once built (it is built while Camel starts, see MigrationRuntime). */
    private final java.util.function.Supplier<S3Client> client;
    private final Retry retry;
    /** Listings, HEADs and GETs: the same code reads a source that is not MinIO. */
    private final S3Reads reads;
    private final PayloadSigning signing;
    private final StorageClass storageClass;
    private final TargetEtags etags;
    private final UploadJournal journal;
    /** The journal record of each upload under way, by upload id. */
    private final Map<String, Path> journalled = new ConcurrentHashMap<>();

    /**
     * @param signing whether the client signs bodies; unsigned ones can be streamed once without being hashed first
     * @param storageClass the class every object and upload is written with
     * @param etags whether this target's plain ETags are MD5s of the bytes
     * @param journal where every multipart upload is recorded until it is completed or aborted
     */
    public TargetStore(S3Client s3, Retry retry, PayloadSigning signing, StorageClass storageClass, TargetEtags etags, UploadJournal journal) {
        this(() -> s3, retry, signing, storageClass, etags, journal);
    }

    /** @param client the client, asked at each request (a client being built is waited for) */
    public TargetStore(java.util.function.Supplier<S3Client> client, Retry retry, PayloadSigning signing, StorageClass storageClass,
            TargetEtags etags, UploadJournal journal) {
        this.etags = etags;
        this.journal = journal;
        this.client = client;
        this.retry = retry;
        this.reads = new S3Reads(client, retry, "target");
        this.signing = signing;
        this.storageClass = storageClass;
    }

    /** Whether {@link #putStream} can be used: the SDK would otherwise read the body twice (to sign it, then to send it). */
    public boolean streamsBodies() {
        return !signing.signed();
    }

    public Retry retry() {
        return retry;
    }

    public PayloadSigning signing() {
        return signing;
    }

    public TargetEtags etags() {
        return etags;
    }

    public StorageClass storageClass() {
        return storageClass;
    }

    /**
     * Keys under the prefix, with the prefix taken off, page by page; a failed page is asked for again. An entry that
     * came without Size or ETag (some stores list folder objects so) is completed by a HEAD of the key, and left out
     * when the key is gone by then.
     */
    public Iterator<ListingEntry> list(String bucket, String prefix) {
        return list(bucket, prefix, "", null);
    }

    /**
     * The same, only the keys that start with {@code within} and from after {@code startAfter} (both relative to the
     * prefix; null: from the first).
     */
    public Iterator<ListingEntry> list(String bucket, String prefix, String within, String startAfter) {
        return list(bucket, prefix, within, startAfter, false);
    }

    /** The same; {@code delimited}: only the keys directly under {@code within} (no '/' after it), from a listing with delimiter '/'. */
    public Iterator<ListingEntry> list(String bucket, String prefix, String within, String startAfter, boolean delimited) {
        return reads.list(bucket, prefix, within, startAfter, delimited);
    }

    /**
     * The mapping's directories (relative to its prefix) as a directory planner reads them: one ListObjectsV2 page with
     * delimiter '/' per question.
     */
    public Directories directories(String bucket, String prefix) {
        return reads.directories(bucket, prefix);
    }

    public Optional<TargetObject> head(String bucket, String key) {
        return reads.head(bucket, key).map(head -> new TargetObject(head.contentLength(), ListingEntry.normalizeEtag(head.eTag()),
                head.metadata(), head.storageClassAsString()));
    }

    /** The object's bytes as a stream (verify's sample downloads). */
    public InputStream get(String bucket, String key) {
        return reads.get(bucket, key);
    }

    /**
     * Deletes one object directly: the smoke test's own canary, and the delete-objects route's keys where the store takes
     * no DeleteObjects (a copied key is otherwise deleted through delete-object or delete-objects).
     */
    public void delete(String bucket, String key) {
        retry.call("DELETE target " + bucket + "/" + key, () -> s3().deleteObject(b -> b.bucket(bucket).key(key)));
    }

    /** The most keys one DeleteObjects request may carry (S3, OSS and OBS alike). */
    public static final int MAX_DELETE_KEYS = 1000;

    /**
     * Deletes up to {@value #MAX_DELETE_KEYS} keys of one bucket in one DeleteObjects request, in quiet mode (the store
     * answers only the keys it could not delete). The client's LegacyMd5Plugin gives the request the Content-MD5 that OSS
     * and S3 require of it. A failure of the whole request is retried as every request is; a key the store refused is not.
     *
     * @return the keys the store refused, each with its error code and message; empty when all are deleted
     * @throws UnsupportedRequestException when the store does not offer DeleteObjects (501 NotImplemented and the like)
     */
    public Map<String, String> deleteObjects(String bucket, List<String> keys) {
        if (keys.isEmpty() || keys.size() > MAX_DELETE_KEYS) {
            throw new IllegalArgumentException("DeleteObjects takes 1 to " + MAX_DELETE_KEYS + " keys, not " + keys.size());
        }
        Delete delete = Delete.builder().quiet(true).objects(keys.stream().map(key -> ObjectIdentifier.builder().key(key).build()).toList())
                .build();
        DeleteObjectsResponse answer = retry.call("DeleteObjects of " + keys.size() + " keys in target bucket " + bucket, () -> {
            try {
                return s3().deleteObjects(b -> b.bucket(bucket).delete(delete));
            } catch (RuntimeException e) {
                if (UnsupportedRequestException.means(e)) {
                    throw new UnsupportedRequestException("the target answered DeleteObjects with " + StoreException.describe(e));
                }
                throw e;
            }
        });
        Map<String, String> refused = new LinkedHashMap<>();
        for (S3Error error : answer.errors()) {
            refused.put(error.key(), (error.code() == null ? "refused" : error.code()) + (error.message() == null ? "" : " (" + error.message() + ")"));
        }
        return refused;
    }

    /** One PUT of a buffered body, with its Content-MD5 so the store checks the bytes it received; returns the ETag it answered. */
    public String put(String bucket, String key, ObjectAttributes attributes, byte[] body, int length, String md5Base64) {
        return s3().putObject(putRequest(bucket, key, attributes, length, md5Base64), body(body, length)).eTag();
    }

    /**
     * One PUT streamed from the source as it is read, never held in memory. The stream can be read once only, so a
     * failure is retried by the caller from a fresh GET; Content-MD5 makes the store refuse bytes that do not match.
     */
    public void putStream(String bucket, String key, ObjectAttributes attributes, InputStream body, long length, String md5Base64) {
        AtomicBoolean used = new AtomicBoolean();
        RequestBody once = RequestBody.fromContentProvider(() -> {
            if (used.getAndSet(true)) {
                throw new StreamAlreadySentException();
            }
            return body;
        }, length, OCTET_STREAM);
        s3().putObject(putRequest(bucket, key, attributes, length, md5Base64), once);
    }

    private PutObjectRequest putRequest(String bucket, String key, ObjectAttributes attributes, long length, String md5Base64) {
        return PutObjectRequest.builder().bucket(bucket).key(key).contentLength(length).contentMD5(md5Base64)
                .storageClass(storageClass.headerValue().orElse(null))
                .metadata(attributes.userMetadata())
                .contentType(attributes.contentType() == null ? OCTET_STREAM : attributes.contentType())
                .contentDisposition(attributes.contentDisposition()).contentEncoding(attributes.contentEncoding())
                .contentLanguage(attributes.contentLanguage()).cacheControl(attributes.cacheControl()).expires(attributes.expires())
                .build();
    }

    public String createUpload(String bucket, String key, ObjectAttributes attributes) {
        CreateMultipartUploadRequest.Builder request = CreateMultipartUploadRequest.builder().bucket(bucket).key(key)
                .storageClass(storageClass.headerValue().orElse(null))
                .metadata(attributes.userMetadata())
                .contentType(attributes.contentType() == null ? OCTET_STREAM : attributes.contentType())
                .contentDisposition(attributes.contentDisposition()).contentEncoding(attributes.contentEncoding())
                .contentLanguage(attributes.contentLanguage()).cacheControl(attributes.cacheControl()).expires(attributes.expires());
        // a record for every try: a try whose answer was lost may have started an upload all the same
        List<UploadJournal.Entry> unanswered = new ArrayList<>();
        AtomicReference<UploadJournal.Entry> answered = new AtomicReference<>();
        String uploadId = retry.call("start an upload of " + bucket + "/" + key, () -> {
            UploadJournal.Entry attempt = journal.intend(bucket, key);
            try {
                String id = s3().createMultipartUpload(request.build()).uploadId();
                answered.set(attempt);
                return id;
            } catch (RuntimeException e) {
                int status = StoreException.status(e);
                if (status >= 400 && status < 500) {
                    journal.finished(attempt.file()); // the store refused: it started nothing
                } else {
                    unanswered.add(attempt); // no answer, or a 5xx: the record stays until the store shows what it did
                }
                throw e;
            }
        });
        UploadJournal.Entry record = answered.get();
        journal.started(record.file(), bucket, key, uploadId, record.started());
        journalled.put(uploadId, record.file());
        for (UploadJournal.Entry lost : unanswered) {
            LeftoverUploads.Result orphans = LeftoverUploads.abortUnanswered(this, journal, lost, uploadId);
            if (orphans.aborted() > 0) {
                LOG.info("aborted {} upload(s) of {}/{} the store had started for a try whose answer was lost", orphans.aborted(), bucket, key);
            }
            orphans.notes().forEach(note -> LOG.warn("{}", note));
        }
        return uploadId;
    }

    /** @param stop given once the upload has failed elsewhere: no further try (the one on the wire ends as it would) */
    public CompletedPart uploadPart(String bucket, String key, String uploadId, int partNumber, byte[] body, int length, String md5Base64,
            StopSignal stop) {
        UploadPartRequest request = UploadPartRequest.builder().bucket(bucket).key(key).uploadId(uploadId).partNumber(partNumber)
                .contentLength((long) length).contentMD5(md5Base64).build();
        String etag = retry.call("upload part " + partNumber + " of " + bucket + "/" + key, stop,
                () -> s3().uploadPart(request, body(body, length)).eTag());
        return CompletedPart.builder().partNumber(partNumber).eTag(etag).build();
    }

    /**
     * Completes an upload. When a try got no answer the store may have completed it all the same, and the next try is
     * refused (NoSuchUpload, or InvalidPart from stores that check the parts first): then the object in place decides,
     * and it counts as completed only if its ETag is the one these very parts make.
     */
    public void completeUpload(String bucket, String key, String uploadId, List<CompletedPart> parts) {
        AtomicBoolean unanswered = new AtomicBoolean();
        retry.call("complete the upload of " + bucket + "/" + key, () -> {
            try {
                return s3().completeMultipartUpload(CompleteMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId)
                        .multipartUpload(CompletedMultipartUpload.builder().parts(parts).build()).build());
            } catch (RuntimeException e) {
                int status = StoreException.status(e);
                if (unanswered.get() && status >= 400 && status < 500 && completedBefore(bucket, key, parts)) {
                    LOG.info("the store had completed the upload of {}/{} before its answer was lost; the object in place has the "
                            + "ETag of these parts", bucket, key);
                    return null;
                }
                if (status == 0 || status >= 500) {
                    unanswered.set(true);
                }
                throw e;
            }
        });
        forget(uploadId);
    }

    private boolean completedBefore(String bucket, String key, List<CompletedPart> parts) {
        Optional<String> expected = MultipartEtag.of(parts.stream().map(CompletedPart::eTag).toList());
        return expected.isPresent() && head(bucket, key).map(object -> object.etag().equalsIgnoreCase(expected.get())).orElse(false);
    }

    private void forget(String uploadId) {
        Path record = journalled.remove(uploadId);
        if (record != null) {
            journal.finished(record);
        }
    }

    /** Aborts an upload this run started, and forgets it. */
    public void abortUpload(String bucket, String key, String uploadId) {
        abort(bucket, key, uploadId);
        forget(uploadId);
    }

    /** The bytes an unfinished upload holds in its parts, or -1 when the store no longer has it. */
    public long uploadedBytes(String bucket, String key, String uploadId) {
        return retry.call("list the parts of an upload of " + bucket + "/" + key, () -> {
            try {
                long bytes = 0;
                for (Part part : s3().listPartsPaginator(b -> b.bucket(bucket).key(key).uploadId(uploadId))
                        .parts()) {
                    bytes += part.size() == null ? 0 : part.size();
                }
                return bytes;
            } catch (S3Exception e) {
                if ("NoSuchUpload".equals(StoreException.errorCode(e)) || e.statusCode() == 404) {
                    return -1L;
                }
                throw e;
            }
        });
    }

    /** The unfinished uploads of exactly this key with when each was started; empty where the store cannot list them. */
    public List<MultipartUpload> uploadsOf(String bucket, String key) {
        return retry.call("list the unfinished uploads of " + bucket + "/" + key, () -> s3().listMultipartUploadsPaginator(b -> b.bucket(bucket)
                .prefix(key)).uploads().stream().filter(u -> key.equals(u.key())).toList());
    }

    /** Aborts an upload; one already gone (a retried abort whose first try the store had done) is what was wanted. */
    public void abort(String bucket, String key, String uploadId) {
        retry.call("abort upload of " + bucket + "/" + key, () -> {
            try {
                return s3().abortMultipartUpload(AbortMultipartUploadRequest.builder().bucket(bucket).key(key).uploadId(uploadId).build());
            } catch (S3Exception e) {
                if ("NoSuchUpload".equals(StoreException.errorCode(e))) {
                    return null;
                }
                throw e;
            }
        });
    }

    /**
     * Preflight: the bucket exists and answers these credentials. A HEAD's refusal has no body, so no error code: a 403
     * is asked again as a one-key listing, whose answer says whether the key, the secret or a permission is wrong.
     */
    public void checkBucket(String bucket) {
        try {
            retry.call("HEAD target bucket " + bucket, () -> s3().headBucket(HeadBucketRequest.builder().bucket(bucket).build()));
        } catch (RuntimeException e) {
            if (StoreException.status(e) != 403 || !StoreException.errorCode(e).isEmpty()) {
                throw e;
            }
            retry.call("list target bucket " + bucket, () -> s3().listObjectsV2(b -> b.bucket(bucket).maxKeys(1)));
            throw e;
        }
    }

    /** Bodies are given as providers over the buffer, so the SDK can read them twice (signing over http) without a copy. */
    private static RequestBody body(byte[] body, int length) {
        return RequestBody.fromContentProvider(() -> new ByteArrayInputStream(body, 0, length), length, OCTET_STREAM);
    }

    private S3Client s3() {
        return client.get();
    }
}
