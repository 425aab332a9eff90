package io.github.miniomigrator.events;

/** A hint that a source key may have changed: which bucket and key, nothing more is trusted. */
public record ObjectChange(String bucket, String key) {
}
