package io.github.miniomigrator.events;

/** An event body that is not S3 event records of a known sender, or whose key cannot be decoded unambiguously: answered with 400 on the webhook, logged and counted elsewhere. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }
}
