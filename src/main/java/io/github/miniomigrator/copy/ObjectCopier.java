package io.github.miniomigrator.copy;

import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.listing.Difference;
import io.github.miniomigrator.listing.ListingEntry;
import io.github.miniomigrator.store.ObjectAttributes;
import io.github.miniomigrator.store.Retry;
import io.github.miniomigrator.store.SourceEncryption;
import io.github.miniomigrator.store.SourceObject;
import io.github.miniomigrator.store.SourceStore;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetStore;
import io.github.miniomigrator.store.TruncatedReadException;
import java.io.IOException;
import java.io.InputStream;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.locks.ReentrantLock;
import org.apache.camel.ExchangeProperty;
import io.github.miniomigrator.hooks.ObjectOutcome;
import org.apache.camel.Body;
import org.apache.camel.Exchange;
import org.apache.camel.ProducerTemplate;
import io.github.miniomigrator.logging.FailureBursts;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * Copies one object: a streamed GET from the source, then one PUT, or a multipart upload above the threshold, each
 * body and part with its Content-MD5; the source is read once, in order, and its parts go up several at once
 * ({@link PartUploads}). A failed multipart upload is aborted, so a target object is absent, old or complete, never
 * partial. Transient failures start the object again from a fresh GET.
 */
public final class ObjectCopier {
    private static final Logger LOG = LoggerFactory.getLogger(ObjectCopier.class);
    static final int MAX_PARTS = 10_000;

    private final SourceStore source;
    private final TargetStore target;
    private final MetadataMapper metadata;
    private final BufferPool buffers;
    private final Retry retry;
    private final long multipartThreshold;
    private final int minPartSize;
    private final KeyLocks locks;
    private final Bandwidth bandwidth;
    private final WriteRecheck recheck;
    private final TransferSlots slots;
    private final int partConcurrency;

    /**
     * @param slots the process's bound on transfers in flight: each copy holds one from its GET to its last PUT, and
     *     parts beyond the first in flight borrow spare ones
     * @param partConcurrency migration.multipart.concurrency: the most parts of one object in flight at once
     */
    public ObjectCopier(SourceStore source, TargetStore target, MetadataMapper metadata, BufferPool buffers, Retry retry,
            long multipartThreshold, int minPartSize, KeyLocks locks, Bandwidth bandwidth, WriteRecheck recheck, TransferSlots slots,
            int partConcurrency) {
        this.slots = slots;
        this.partConcurrency = partConcurrency;
        this.locks = locks;
        this.recheck = recheck;
        this.bandwidth = bandwidth;
        this.source = source;
        this.target = target;
        this.metadata = metadata;
        this.buffers = buffers;
        this.retry = retry;
        this.multipartThreshold = multipartThreshold;
        this.minPartSize = minPartSize;
    }

    /** As copy-bucket calls it: while an operator has suspended copy-object over JMX, callers wait (up to a day) for it. */
    static final String COPY_OBJECT = "direct:copy-object?timeout=86400000";

    /**
     * Copies one key through the copy-object route (an event's sync, a key back after a delete), whose answer (its body
     * after the copy) says whether the key is settled.
     */
    public static boolean throughRoute(ProducerTemplate producer, Difference difference, CopyPass pass) {
        Exchange done = producer.send(COPY_OBJECT, exchange -> {
            exchange.getMessage().setBody(difference);
            exchange.setProperty(CopyPass.PROPERTY, pass);
        });
        if (done.getException() != null) {
            throw new IllegalStateException(StoreException.describe(done.getException()), done.getException());
        }
        return Boolean.TRUE.equals(done.getMessage().getBody(Boolean.class));
    }

    /**
     * Route step of copy-object: copies the key, records the outcome in the pass, never throws for one object's failure.
     * Where other instances may write the same keys, the write is looked after: by the settling join after the pass
     * when the pass defers its looks ({@link SettlingJoin}), else at once ({@link WriteRecheck}). The copy waits for a
     * transfer slot after the key's lock ({@link TransferSlots}), and holds it until the key is settled.
     * @return whether the key is settled: copied (or left to the settling join), or gone from the source meanwhile
     *     (false: it failed)
     */
    public boolean copy(@Body Difference difference, @ExchangeProperty(CopyPass.PROPERTY) CopyPass pass, Exchange exchange) {
        if (pass.dryRun() != null) {
            pass.dryRun().wouldCopy(difference); // the one place a dry run's copies stop: decided, recorded, not written
            return true;
        }
        String key = difference.key();
        ReentrantLock lock = locks.of(pass.mapping().targetBucket(), pass.mapping().targetKey(key));
        lock.lock();
        try (TransferSlots.Slot slot = slots.take()) {
            Transfer transfer = pass.stats().started(key);
            try {
                CopyOutcome copy = copyAlone(key, pass, transfer);
                boolean settled = !copy.copied() ? !copy.failed()
                        : pass.deferLook() // landed before the settling join's listings start: they are its look
                                || recheck.settle(pass, key, copy.read(), () -> copyAlone(key, pass, transfer));
                outcome(pass, difference, copy, settled, transfer.failure()).putOn(exchange);
                return settled;
            } finally {
                pass.stats().ended(key);
            }
        } catch (InterruptedException e) {
            // stopped while waiting for a slot: nothing was written
            Thread.currentThread().interrupt();
            pass.stats().failed(key, "interrupted");
            outcome(pass, difference, CopyOutcome.FAILED, false, "interrupted").putOn(exchange);
            return false;
        } finally {
            lock.unlock();
        }
    }

    /** What the copy did, for the steps after it: copied (its read), gone from the source, or failed and why. */
    private static ObjectOutcome outcome(CopyPass pass, Difference difference, CopyOutcome copy, boolean settled, String reason) {
        if (!settled) {
            ListingEntry listed = difference.source();
            return ObjectOutcome.of(ObjectOutcome.FAILED, pass.mapping(), difference.key(), listed == null ? -1 : listed.size(),
                    listed == null ? null : listed.etag(), reason == null ? pass.stats().lastFailure() : reason);
        }
        if (!copy.copied()) {
            return ObjectOutcome.of(ObjectOutcome.GONE, pass.mapping(), difference.key(), -1, null, null);
        }
        return ObjectOutcome.of(ObjectOutcome.COPIED, pass.mapping(), difference.key(), copy.read().size(), copy.read().etag(), null);
    }

    /** Under the key's lock: a sync of the same key from an event waits, so the last writer wrote the latest read. */
    private CopyOutcome copyAlone(String key, CopyPass pass, Transfer transfer) {
        PassStats stats = pass.stats();
        for (int failure = 0; ; failure++) {
            try {
                ListingEntry read = copyOnce(pass.mapping(), key, stats, transfer);
                if (read == null) {
                    stats.goneObjects.increment();
                    stats.note("'" + key + "' was deleted from the source during the pass; nothing to copy");
                    return CopyOutcome.GONE;
                }
                transfer.landed();
                stats.copiedObjects.increment();
                stats.copiedBytes.add(read.size());
                LOG.debug("copied {} ({} bytes)", key, read.size());
                return CopyOutcome.copied(read);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                stats.failed(key, "interrupted");
                return CopyOutcome.FAILED;
            } catch (Exception e) {
                if (retry.isTransient(e) && failure < retry.attempts()) {
                    stats.retries.increment();
                    LOG.debug("retrying {} after {}", key, StoreException.describe(e));
                    retry.sayIfStalled(e, failure + 1);
                    retry.pause(failure + 1, e);
                    continue;
                }
                String reason = StoreException.describe(e);
                stats.failed(key, reason);
                FailureBursts.failed(LOG, "copies", "the report lists them", "could not copy " + pass.mapping().sourceBucket() + "/" + key
                        + ": " + reason, reason);
                return CopyOutcome.FAILED;
            }
        }
    }

    static boolean isDigestMismatch(Exception e) {
        String code = StoreException.errorCode(e);
        return code.equals("BadDigest") || code.equals("InvalidDigest");
    }

    /**
     * A 32-hex source ETag is taken for the MD5 of the bytes (a Content-MD5 to stream with, a check of the bytes read)
     * only when the GET says the object is not encrypted ({@link SourceEncryption}); an encrypted object's bytes are
     * hashed as they are read, and the copy records its encryption beside its ETag, which identifies it on later passes.
     * @param transfer the object's transfer, through which its bytes are read (and counted as they move)
     * @return the source object as read and written (its size and ETag), or null when the source key no longer exists
     */
    ListingEntry copyOnce(BucketMapping mapping, String key, PassStats stats, Transfer transfer) throws Exception {
        SourceObject response;
        try {
            response = source.get(mapping.sourceBucket(), key);
        } catch (Exception e) {
            if ("NoSuchKey".equals(StoreException.errorCode(e)) || StoreException.status(e) == 404) {
                return null;
            }
            throw e;
        }
        try (InputStream body = bandwidth.throttle(transfer.reading(response))) {
            String length = response.headers().get("Content-Length");
            if (length == null) {
                throw new StoreException("the source answered GET " + key + " without a Content-Length", null);
            }
            long size = Long.parseLong(length);
            transfer.size(size);
            String etag = ListingEntry.normalizeEtag(response.headers().get("ETag"));
            boolean etagIsMd5 = ListingEntry.isMd5Hex(etag) && SourceEncryption.of(response.headers()).isEmpty();
            String targetKey = mapping.targetKey(key);
            String recordedMd5 = recordedMd5Hex(response);
            if (etagIsMd5 && recordedMd5 != null && !recordedMd5.equals(etag)) {
                stats.note("the md5chksum recorded on source object '" + key + "' (" + recordedMd5 + ") disagrees with its MD5 ETag " + etag
                        + "; the bytes were checked against the ETag and the target records their MD5");
            }
            // where the ETag is no MD5 (multipart, encrypted), an MD5 recorded on the source (rclone's md5chksum) checks the bytes end to end
            String expectedMd5 = etagIsMd5 ? etag : recordedMd5;
            if (etagIsMd5 && size <= multipartThreshold && target.streamsBodies()) {
                putStreamed(mapping.targetBucket(), targetKey, key, response, body, size, etag, stats);
            } else if (size <= Math.min(multipartThreshold, minPartSize)) {
                putWhole(mapping.targetBucket(), targetKey, key, response, body, (int) size, etag, etagIsMd5, expectedMd5, stats);
            } else {
                uploadInParts(mapping.targetBucket(), targetKey, key, response, body, size, etag, etagIsMd5, expectedMd5, stats);
            }
            return new ListingEntry(key, size, etag);
        }
    }

    /** The common case: the source's ETag is the MD5 of its bytes, so the body goes straight through with it as Content-MD5. */
    private void putStreamed(String bucket, String targetKey, String key, SourceObject response, InputStream body, long size,
            String etag, PassStats stats) {
        String md5Base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(etag));
        ObjectAttributes attributes = metadata.attributes(response.headers(), key, etag, md5Base64, stats);
        try {
            target.putStream(bucket, targetKey, attributes, body, size, md5Base64);
        } catch (RuntimeException e) {
            if (!isDigestMismatch(e)) {
                throw e;
            }
            // an unencrypted object's single-part ETag is its MD5: the bytes changed on the way, so read them again
            throw new TruncatedReadException("the target's MD5 check refused the bytes read from the source: they changed on the way "
                    + "(" + StoreException.describe(e) + ")");
        }
    }

    /** An object up to the part size whose bytes are hashed here: its ETag is no MD5 (multipart, encrypted), or the target takes no stream. */
    private void putWhole(String bucket, String targetKey, String key, SourceObject response, InputStream body, int size,
            String etag, boolean etagIsMd5, String expectedMd5, PassStats stats) throws Exception {
        byte[] buffer = buffers.acquire(size);
        try {
            MessageDigest md5 = MessageDigest.getInstance("MD5");
            fill(body, buffer, size, md5, key);
            byte[] digest = md5.digest();
            if (etagIsMd5 && !HexFormat.of().formatHex(digest).equals(etag)) {
                // an unencrypted object's MD5 ETag is its bytes' MD5: these changed on the way, so read them again
                throw new TruncatedReadException("the bytes read from the source do not match its MD5 ETag " + etag);
            }
            if (!etagIsMd5 && expectedMd5 != null && !HexFormat.of().formatHex(digest).equals(expectedMd5)) {
                throw recordedMd5Mismatch(key, expectedMd5, HexFormat.of().formatHex(digest));
            }
            String md5Base64 = Base64.getEncoder().encodeToString(digest);
            ObjectAttributes attributes = metadata.attributes(response.headers(), key, etag, md5Base64, stats);
            target.put(bucket, targetKey, attributes, buffer, size, md5Base64);
        } finally {
            buffers.release(buffer);
        }
    }

    private void uploadInParts(String bucket, String targetKey, String key, SourceObject response, InputStream body, long size,
            String etag, boolean etagIsMd5, String expectedMd5, PassStats stats) throws Exception {
        boolean md5Known = expectedMd5 != null;
        // the md5chksum the target records: the ETag's MD5, or the one recorded on the source, checked below before completing
        String md5Base64 = md5Known ? Base64.getEncoder().encodeToString(HexFormat.of().parseHex(expectedMd5)) : null;
        ObjectAttributes attributes = metadata.attributes(response.headers(), key, etag, md5Base64, stats);
        int partSize = partSize(size, minPartSize);
        MessageDigest whole = MessageDigest.getInstance("MD5");
        String uploadId = target.createUpload(bucket, targetKey, attributes);
        boolean completed = false;
        try {
            List<CompletedPart> parts;
            // each part's MD5 is taken on its own thread; the whole object's here, as the source is read in order
            PartUploads.PartSender sender = (partNumber, buffer, length, stop) -> target.uploadPart(bucket, targetKey, uploadId,
                    partNumber, buffer, length, md5Base64(buffer, length), stop);
            try (PartUploads uploads = new PartUploads(partConcurrency, slots::trySpare, sender, Thread.currentThread().getName())) {
                long remaining = size;
                for (int partNumber = 1; remaining > 0; partNumber++) {
                    uploads.check(); // a part failed: read no further
                    int length = (int) Math.min(partSize, remaining);
                    byte[] buffer = buffers.acquire(length);
                    try {
                        fill(body, buffer, length, whole, key);
                    } catch (Exception | Error e) {
                        buffers.release(buffer);
                        throw e;
                    }
                    uploads.send(partNumber, buffer, length, () -> buffers.release(buffer));
                    remaining -= length;
                }
                parts = uploads.finish();
            } // closing stops and waits for every part still in flight: none lands after the abort below
            String read = HexFormat.of().formatHex(whole.digest());
            if (etagIsMd5 && !read.equals(etag)) {
                // the md5chksum we promised would be wrong: read the object again rather than store it
                throw new TruncatedReadException("the bytes read from the source do not match its MD5 ETag " + etag);
            }
            if (!etagIsMd5 && md5Known && !read.equals(expectedMd5)) {
                throw recordedMd5Mismatch(key, expectedMd5, read); // the upload is aborted below: nothing is stored
            }
            target.completeUpload(bucket, targetKey, uploadId, parts);
            completed = true;
        } finally {
            if (!completed) {
                abortQuietly(bucket, targetKey, uploadId);
            }
        }
    }

    /** The whole object's MD5 recorded on the source (x-amz-meta-md5chksum, base64 as rclone writes it), in hex; null if none or malformed. */
    static String recordedMd5Hex(SourceObject response) {
        String recorded = response.headers().get("x-amz-meta-" + MetadataMapper.MD5_KEY);
        return recorded == null ? null : io.github.miniomigrator.store.SourceStore.md5Hex(recorded).orElse(null);
    }

    /**
     * The bytes read do not have the MD5 the source object records for itself: not retried (the source says so every
     * time), the object fails with this reason and nothing is stored on the target.
     */
    private static StoreException recordedMd5Mismatch(String key, String recorded, String read) {
        return new StoreException("the bytes of '" + key + "' do not match the MD5 recorded on the source object (x-amz-meta-"
                + MetadataMapper.MD5_KEY + " " + recorded + ", read " + read + "): the source object or its md5chksum is corrupt; "
                + "nothing was written to the target", null);
    }

    private void abortQuietly(String bucket, String targetKey, String uploadId) {
        // a stop interrupts the copy; the abort must still go out, so the interrupt waits until it has
        boolean interrupted = Thread.interrupted();
        try {
            target.abortUpload(bucket, targetKey, uploadId);
        } catch (RuntimeException e) {
            LOG.warn("could not abort the unfinished upload {} of {}/{} ({}); it stays in the journal (migration.state.dir) and the next "
                    + "start aborts it", uploadId, bucket, targetKey, StoreException.describe(e));
        } finally {
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** At least the minimum, and large enough that the object fits in 10,000 parts; whole MiB. */
    static int partSize(long objectSize, int minPartSize) {
        long needed = (objectSize + MAX_PARTS - 1) / MAX_PARTS;
        long mib = 1 << 20;
        long rounded = (needed + mib - 1) / mib * mib;
        return (int) Math.max(minPartSize, rounded);
    }

    private static String md5Base64(byte[] buffer, int length) throws java.security.NoSuchAlgorithmException {
        MessageDigest md5 = MessageDigest.getInstance("MD5");
        md5.update(buffer, 0, length);
        return Base64.getEncoder().encodeToString(md5.digest());
    }

    private static void fill(InputStream in, byte[] buffer, int length, MessageDigest digest, String key) throws IOException {
        int read = in.readNBytes(buffer, 0, length);
        if (read < length) {
            throw new TruncatedReadException("the source stream of '" + key + "' ended after " + read + " of " + length + " bytes");
        }
        digest.update(buffer, 0, length);
    }
}
