package io.github.miniomigrator.store;

import java.util.Map;

/**
 * A target object as a HEAD shows it: size, ETag, user metadata (keys without the x-amz-meta- prefix) and storage
 * class (null where the store does not say, as S3 does not for STANDARD).
 */
public record TargetObject(long size, String etag, Map<String, String> userMetadata, String storageClass) {
}
