package io.github.miniomigrator.store;

import io.minio.errors.ErrorResponseException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** A store call failed; the message says which call, on what, and the store's own reason. */
public class StoreException extends RuntimeException {
    /** OSS's fine-grained error code, in every error answer (also a HEAD's, which has no body). */
    public static final String OSS_ERROR_CODE = "x-oss-ec";
    private static final String PUBLIC_ENDPOINT_FORBIDDEN = "0048-00000401";

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(Throwable cause) {
        super(describe(cause), cause);
    }

    /** A short reason for a person: the store's HTTP status and error code where it gave them, else the root cause. */
    public static String describe(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ArchivedObjectException archived) {
                return archived.getMessage(); // what to do, rather than the store's refusal it stands for
            }
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AwsServiceException aws) {
                String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
                String message = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorMessage();
                String providerCode = responseHeader(aws, OSS_ERROR_CODE).map(ec -> ", " + OSS_ERROR_CODE + " " + ec).orElse("");
                return "HTTP " + aws.statusCode() + (code == null ? "" : " " + code) + (message == null ? "" : " (" + message + ")") + providerCode;
            }
            if (t instanceof ErrorResponseException minio) {
                return "HTTP " + minio.response().code() + " " + minio.errorResponse().code()
                        + (minio.errorResponse().message() == null ? "" : " (" + minio.errorResponse().message() + ")");
            }
        }
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t && isWrapper(t)) {
            t = t.getCause();
        }
        String message = t.getMessage();
        if (t instanceof StoreException || t instanceof TruncatedReadException
                || t instanceof io.github.miniomigrator.http.StalledTransferException) {
            return message;
        }
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
    }

    /** Exceptions that only carry another one: Camel's, the JDK's concurrency ones, the SDK's client wrapper, ours. */
    private static boolean isWrapper(Throwable t) {
        return t instanceof StoreException || t instanceof org.apache.camel.RuntimeCamelException
                || t instanceof java.util.concurrent.CompletionException || t instanceof java.util.concurrent.ExecutionException
                || t instanceof SdkException || t instanceof java.lang.reflect.InvocationTargetException;
    }

    /** A header of the store's error answer, where it answered at all. */
    public static java.util.Optional<String> responseHeader(Throwable e, String name) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null && aws.awsErrorDetails().sdkHttpResponse() != null) {
                return aws.awsErrorDetails().sdkHttpResponse().firstMatchingHeader(name);
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * OSS's answer to data requests through the default public endpoint of a mainland-China region from an account
     * opened after 2025-03-20: such accounts must bind a custom domain to each bucket.
     */
    public static boolean publicEndpointForbidden(Throwable e) {
        return errorCode(e).equals("PublicEndpointForbidden")
                || responseHeader(e, OSS_ERROR_CODE).map(PUBLIC_ENDPOINT_FORBIDDEN::equals).orElse(false);
    }

    /** The TLS handshake failed: the certificate does not name the host, or no trusted CA signed it. */
    public static boolean tlsRefused(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof javax.net.ssl.SSLException) {
                return true;
            }
        }
        return false;
    }

    /**
     * An HTTP proxy refused the tunnel to the store: its 407 (a missing or wrong password) reaches the SDK as the answer,
     * another refusal as Apache's TunnelRefusedException; OkHttp throws an IOException saying which.
     */
    public static boolean proxyRefused(Throwable e) {
        if (status(e) == 407) {
            return true;
        }
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof org.apache.http.impl.execchain.TunnelRefusedException) {
                return true;
            }
            // OkHttp (the MinIO client's) says so only in its IOException's words
            String message = String.valueOf(t.getMessage());
            if (t instanceof java.io.IOException && (message.startsWith("Failed to authenticate with proxy")
                    || message.startsWith("Unexpected response code for CONNECT"))) {
                return true;
            }
        }
        return false;
    }

    /** A GET of an object in an archive storage class that has not been restored (S3, OSS and OBS answer InvalidObjectState). */
    public static boolean archived(Throwable e) {
        return errorCode(e).equals("InvalidObjectState");
    }

    /** The HTTP status the store answered with, or 0 when it gave none. */
    public static int status(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AwsServiceException aws) {
                return aws.statusCode();
            }
            if (t instanceof ErrorResponseException minio) {
                return minio.response().code();
            }
        }
        return 0;
    }

    /** The store's error code (NoSuchKey, BadDigest, ...), or empty. */
    public static String errorCode(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof AwsServiceException aws && aws.awsErrorDetails() != null && aws.awsErrorDetails().errorCode() != null) {
                return aws.awsErrorDetails().errorCode();
            }
            if (t instanceof ErrorResponseException minio && minio.errorResponse().code() != null) {
                return minio.errorResponse().code();
            }
        }
        return "";
    }
}
