package io.github.miniomigrator.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;

/** The wait before a retry: the backoff, or longer where the store said how long. */
class RetryTest {
    static S3Exception answer(int status, String header, String value) {
        SdkHttpResponse response = SdkHttpResponse.builder().statusCode(status).putHeader(header, value).build();
        return (S3Exception) S3Exception.builder().statusCode(status)
                .awsErrorDetails(AwsErrorDetails.builder().errorCode("ServiceUnavailable").sdkHttpResponse(response).build()).build();
    }

    @Test
    void ossQosDelayIsMillisecondsAndRetryAfterSeconds() {
        Retry retry = new Retry(4, 10);
        assertTrue(retry.delayMillis(1, answer(503, "x-oss-qos-delay-time", "2500")) >= 2500);
        assertTrue(retry.delayMillis(1, answer(503, "Retry-After", "3")) >= 3000);
        assertTrue(retry.delayMillis(1, answer(503, "Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")) <= 10, "a date is left to the backoff");
        assertEquals(300_000, Retry.throttleHintMillis(answer(503, "x-oss-qos-delay-time", "99999999")), "at most five minutes");
        assertTrue(retry.delayMillis(1, new java.io.IOException("reset")) <= 10);
        assertTrue(retry.isTransient(answer(503, "x-oss-qos-delay-time", "1")));
    }

    /** A part stopped because a sibling failed (or the tool is stopping) is not retried; a reset or a timeout still is. */
    @Test
    void aRequestStoppedOnPurposeIsNotRetried() {
        Retry retry = new Retry(4, 10);
        assertFalse(retry.isTransient(software.amazon.awssdk.core.exception.AbortedException.builder().message("Thread was interrupted")
                .cause(new InterruptedException()).build()));
        assertFalse(retry.isTransient(new StoreException("upload part 3 failed", new InterruptedException())));
        assertTrue(retry.isTransient(new java.net.SocketTimeoutException("Read timed out")));
        assertTrue(retry.isTransient(new java.io.UncheckedIOException(new java.net.SocketException("Connection reset"))));
    }

    @Test
    void theStoresOwnCodesAreInTheReason() {
        S3Exception forbidden = (S3Exception) S3Exception.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .errorCode("PublicEndpointForbidden").errorMessage("use a custom domain")
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).putHeader("x-oss-ec", "0048-00000401").build()).build()).build();
        assertEquals("HTTP 400 PublicEndpointForbidden (use a custom domain), x-oss-ec 0048-00000401", StoreException.describe(forbidden));
        assertTrue(StoreException.publicEndpointForbidden(forbidden));
        S3Exception headOnly = (S3Exception) S3Exception.builder().statusCode(400).awsErrorDetails(AwsErrorDetails.builder()
                .sdkHttpResponse(SdkHttpResponse.builder().statusCode(400).putHeader("x-oss-ec", "0048-00000401").build()).build()).build();
        assertTrue(StoreException.publicEndpointForbidden(headOnly), "a HEAD's answer has no body, only the header");
    }
}
