package io.github.miniomigrator.store;

import java.time.Instant;
import java.util.Map;

/** The portable headers and user metadata an object carries from source to target. */
public record ObjectAttributes(String contentType, String contentDisposition, String contentEncoding, String contentLanguage,
        String cacheControl, Instant expires, Map<String, String> userMetadata) {
}
