package io.github.miniomigrator.store;

/** The SDK wanted to send a streamed body again (to retry a request): the copy starts over from a fresh GET instead. */
public class StreamAlreadySentException extends IllegalStateException {
    public StreamAlreadySentException() {
        super("a streamed body cannot be sent twice; the copy starts again from the source");
    }
}
