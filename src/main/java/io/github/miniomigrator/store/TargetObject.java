package io.github.miniomigrator.store;

import java.util.Map;

/** A target object as a HEAD shows it: size, ETag and user metadata (keys without the x-amz-meta- prefix). */
public record TargetObject(long size, String etag, Map<String, String> userMetadata) {
}
