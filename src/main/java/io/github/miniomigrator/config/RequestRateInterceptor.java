package io.github.miniomigrator.config;

import java.util.Optional;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

/**
 * Holds every request of one S3Client to its store's {@link RequestRate}. It waits before the request is signed and
 * before it takes a connection, so a waiting request holds neither a stale signature nor a pooled connection. One
 * execution is one HTTP request here: the SDK's own retries are off (the tool's retry layer calls the client again, and
 * that call waits its turn too).
 */
final class RequestRateInterceptor implements ExecutionInterceptor {
    private final RequestRate rate;

    RequestRateInterceptor(RequestRate rate) {
        this.rate = rate;
    }

    /** The client's configuration with this interceptor first among its interceptors, when the side has a rate limit. */
    static ClientOverrideConfiguration.Builder first(ClientOverrideConfiguration.Builder configuration, Optional<RequestRate> rate) {
        rate.ifPresent(limit -> configuration.addExecutionInterceptor(new RequestRateInterceptor(limit)));
        return configuration;
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        try {
            rate.acquire();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw AbortedException.builder().message("interrupted while waiting for the request rate limit").cause(e).build();
        }
    }
}
