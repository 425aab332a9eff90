package io.github.miniomigrator.store;

import io.minio.errors.ErrorResponseException;
import software.amazon.awssdk.awscore.exception.AwsServiceException;
import software.amazon.awssdk.core.exception.SdkException;

/** A store call failed; the message says which call, on what, and the store's own reason. */
public class StoreException extends RuntimeException {
    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }

    public StoreException(Throwable cause) {
        super(describe(cause), cause);
    }

    /** A short reason for a person: HTTP status and error code where the store gave them. */
    public static String describe(Throwable e) {
        Throwable t = e;
        while (t instanceof StoreException && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        if (t instanceof AwsServiceException aws) {
            String code = aws.awsErrorDetails() == null ? null : aws.awsErrorDetails().errorCode();
            return "HTTP " + aws.statusCode() + (code == null ? "" : " " + code)
                    + (aws.awsErrorDetails() != null && aws.awsErrorDetails().errorMessage() != null
                            ? " (" + aws.awsErrorDetails().errorMessage() + ")" : "");
        }
        if (t instanceof ErrorResponseException minio) {
            return "HTTP " + minio.response().code() + " " + minio.errorResponse().code()
                    + (minio.errorResponse().message() == null ? "" : " (" + minio.errorResponse().message() + ")");
        }
        if (t instanceof SdkException && t.getCause() != null) {
            return t.getClass().getSimpleName() + ": " + describe(t.getCause());
        }
        String message = t.getMessage();
        return t.getClass().getSimpleName() + (message == null ? "" : ": " + message);
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
