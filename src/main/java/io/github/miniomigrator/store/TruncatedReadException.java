package io.github.miniomigrator.store;

/** The source stream ended before the object's length, or its bytes did not match its MD5: worth reading again. */
public class TruncatedReadException extends RuntimeException {
    public TruncatedReadException(String message) {
        super(message);
    }
}
