package io.github.miniomigrator.store;

import java.util.Optional;
import okhttp3.Headers;

/**
 * How a source object is encrypted at rest, as its GET (or HEAD) says: MinIO, as S3, answers with
 * {@code x-amz-server-side-encryption} (SSE-S3, SSE-KMS) or {@code x-amz-server-side-encryption-customer-algorithm}
 * (SSE-C). The ETag of such an object is 32 hex digits like an MD5 but, for SSE-KMS and SSE-C (and SSE-S3 on a MinIO
 * with a KMS), not the MD5 of the bytes. The listing does not say which objects are encrypted; the GET does, so the
 * copy learns it and records it on the target ({@code x-amz-meta-source-encryption}), where later passes and verify
 * read it with the HEAD they make anyway.
 */
public final class SourceEncryption {
    static final String SSE = "x-amz-server-side-encryption";
    static final String SSE_C = "x-amz-server-side-encryption-customer-algorithm";

    private SourceEncryption() {
    }

    /**
     * The object's encryption as its answer names it ("aws:kms", "AES256", or "SSE-C AES256" for a customer key), or
     * empty when it is stored unencrypted: only then is a 32-hex ETag the MD5 of its bytes.
     */
    public static Optional<String> of(Headers headers) {
        String customer = headers.get(SSE_C);
        if (customer != null && !customer.isBlank()) {
            return Optional.of("SSE-C " + customer.trim());
        }
        String sse = headers.get(SSE);
        return sse == null || sse.isBlank() ? Optional.empty() : Optional.of(sse.trim());
    }
}
