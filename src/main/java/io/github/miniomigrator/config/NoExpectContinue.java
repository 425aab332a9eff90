package io.github.miniomigrator.config;

import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;

/**
 * Drops the "Expect: 100-continue" the SDK puts on every PutObject and UploadPart: waiting for the interim answer costs
 * a round trip per object, which over a WAN link to the cloud halves the rate of small objects. Bodies here are at
 * most one part, and Content-MD5 is checked by the store either way.
 */
final class NoExpectContinue implements ExecutionInterceptor {
    @Override
    public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
        SdkHttpRequest request = context.httpRequest();
        return request.firstMatchingHeader("Expect").isPresent() ? request.toBuilder().removeHeader("Expect").build() : request;
    }
}
