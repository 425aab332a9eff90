package io.github.miniomigrator.events;

/** An event body that is not MinIO event JSON: answered with 400 on the webhook, logged and counted elsewhere. */
public class MalformedEventException extends RuntimeException {
    public MalformedEventException(String message) {
        super(message);
    }
}
