package io.github.miniomigrator.store;

/**
 * The store does not offer a request at all (it answered 501 NotImplemented, or 405 MethodNotAllowed): not a failure to
 * retry, a fact to remember. Carries no store exception as its cause, so {@link Retry} never takes it for a 5xx.
 */
public final class UnsupportedRequestException extends StoreException {
    public UnsupportedRequestException(String message) {
        super(message, null);
    }

    /** Whether the store's refusal says it does not offer the request, rather than that this one failed. */
    public static boolean means(Throwable e) {
        int status = StoreException.status(e);
        String code = StoreException.errorCode(e);
        return status == 501 || status == 405 || code.equals("NotImplemented") || code.equals("MethodNotAllowed");
    }
}
