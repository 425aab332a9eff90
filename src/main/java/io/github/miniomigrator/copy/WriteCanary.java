package io.github.miniomigrator.copy;

import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.PayloadSigning;
import io.github.miniomigrator.store.ObjectAttributes;
import io.github.miniomigrator.store.StoreException;
import io.github.miniomigrator.store.TargetObject;
import io.github.miniomigrator.store.TargetStore;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Proves the write path on the target before the pass, not on the first of ten million objects: a small object is
 * PUT exactly as the pass sends one (streamed, Content-MD5, the payload-signing mode, the two metadata keys, the
 * storage class), looked at with a HEAD, read back and deleted; then a multipart upload is started and aborted. A
 * target that refuses UNSIGNED-PAYLOAD gets signed bodies for the whole run; any other refusal stops the run with the
 * store's own answer.
 */
public final class WriteCanary {
    private final TargetStore target;

    public WriteCanary(TargetStore target) {
        this.target = target;
    }

    /** One canary object: where it goes, its bytes and the attributes it is written with (as the pass writes an object). */
    public record Canary(String bucket, String key, byte[] body, String md5Hex, String md5Base64, ObjectAttributes attributes) {
        /** A new canary for the mapping's target, under the reserved key {@link WriteCanary#KEY_PREFIX} and a UUID, below its prefix. */
        public static Canary of(BucketMapping mapping) {
            String key = mapping.targetKey(KEY_PREFIX + UUID.randomUUID());
            byte[] body = ("minio-migrator preflight canary, " + Instant.now() + "\n").getBytes(StandardCharsets.UTF_8);
            String md5Hex = WriteCanary.md5Hex(body);
            String md5Base64 = Base64.getEncoder().encodeToString(HexFormat.of().parseHex(md5Hex));
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put(MetadataMapper.SOURCE_ETAG_KEY, md5Hex);
            metadata.put(MetadataMapper.MD5_KEY, md5Base64);
            return new Canary(mapping.targetBucket(), key, body, md5Hex, md5Base64,
                    new ObjectAttributes("text/plain", null, null, null, null, null, metadata));
        }
    }

    /** The name every canary starts with (below the mapping's target prefix). */
    public static final String KEY_PREFIX = ".minio-migrator-canary-";

    /** What the canary learnt that an operator should read; an exception when the target cannot take the pass's writes. */
    public List<String> prove(BucketMapping mapping, boolean deletesNeeded) {
        List<String> notes = new ArrayList<>();
        Canary canary = Canary.of(mapping);
        String bucket = canary.bucket();
        String key = canary.key();
        write(canary, notes);
        try {
            TargetObject head = target.head(bucket, key).orElseThrow(() -> new StoreException(
                    "the canary " + bucket + "/" + key + " was written but a HEAD does not find it", null));
            if (head.size() != canary.body().length) {
                throw new StoreException("the canary " + bucket + "/" + key + " reads back as " + head.size() + " bytes, "
                        + canary.body().length + " were written", null);
            }
            target.etags().learn(canary.md5Hex().equals(head.etag()));
            if (!canary.md5Hex().equals(head.etag())) {
                notes.add(Messages.text("cli.canary.etag-not-md5", head.etag()));
            }
            if (!target.storageClass().matches(head.storageClass())) {
                notes.add(head.storageClass() == null ? Messages.text("cli.canary.no-storage-class", target.storageClass())
                        : Messages.text("cli.canary.other-storage-class", target.storageClass(), head.storageClass()));
            }
            if (target.storageClass().archive()) {
                notes.add(Messages.text("cli.canary.archive", target.storageClass()));
            } else {
                readBack(canary);
            }
        } finally {
            delete(canary, deletesNeeded, notes);
        }
        String uploadId = target.createUpload(bucket, key, canary.attributes());
        target.abortUpload(bucket, key, uploadId);
        return notes;
    }

    /**
     * PUTs the canary exactly as the pass sends an object; a refusal that may be about UNSIGNED-PAYLOAD is tried again
     * with a signed body, and the whole run signs from then on (said in the notes).
     */
    public void write(Canary canary, List<String> notes) {
        putWithFallback(canary.bucket(), canary.key(), canary.attributes(), canary.body(), canary.md5Base64(), notes);
    }

    private void putWithFallback(String bucket, String key, ObjectAttributes attributes, byte[] body, String md5Base64, List<String> notes) {
        try {
            put(bucket, key, attributes, body, md5Base64);
        } catch (RuntimeException unsigned) {
            PayloadSigning signing = target.signing();
            if (signing.signed() || !mayBeAboutPayloadSigning(unsigned)) {
                throw unsigned;
            }
            signing.signFromNowOn();
            try {
                put(bucket, key, attributes, body, md5Base64);
            } catch (RuntimeException signed) {
                String first = StoreException.describe(unsigned);
                String second = StoreException.describe(signed);
                throw new StoreException(first + (first.equals(second) ? "" : "; with a signed body too: " + second), unsigned);
            }
            notes.add(Messages.text("cli.canary.signed", StoreException.describe(unsigned)));
        }
    }

    /** The answers a store gives to a payload-hash header it does not take: a 400 or 403 (not a missing bucket or a refused domain). */
    private static boolean mayBeAboutPayloadSigning(RuntimeException e) {
        int status = StoreException.status(e);
        return (status == 400 || status == 403 || status == 501) && !StoreException.publicEndpointForbidden(e);
    }

    private void put(String bucket, String key, ObjectAttributes attributes, byte[] body, String md5Base64) {
        target.retry().call("PUT canary " + bucket + "/" + key, () -> {
            if (target.streamsBodies()) {
                target.putStream(bucket, key, attributes, new ByteArrayInputStream(body), body.length, md5Base64);
            } else {
                target.put(bucket, key, attributes, body, body.length, md5Base64);
            }
            return null;
        });
    }

    /** GETs the canary and compares its bytes with those written. */
    public void readBack(Canary canary) {
        String bucket = canary.bucket();
        String key = canary.key();
        byte[] body = canary.body();
        byte[] read;
        try (InputStream in = target.get(bucket, key)) {
            read = in.readAllBytes();
        } catch (java.io.IOException e) {
            throw new StoreException("reading the canary " + bucket + "/" + key + " back failed: " + e.getMessage(), e);
        }
        if (!Arrays.equals(body, read)) {
            throw new StoreException("the canary " + bucket + "/" + key + " reads back as other bytes than were written", null);
        }
    }

    private void delete(Canary canary, boolean deletesNeeded, List<String> notes) {
        String bucket = canary.bucket();
        String key = canary.key();
        try {
            target.delete(bucket, key);
        } catch (RuntimeException e) {
            if (deletesNeeded) {
                throw new StoreException("deleting the canary " + bucket + "/" + key + " failed (" + StoreException.describe(e)
                        + "); migration.remove=true needs DeleteObject", e);
            }
            notes.add(Messages.text("cli.canary.not-deleted", key, StoreException.describe(e)));
        }
    }

    private static String md5Hex(byte[] body) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(body));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
