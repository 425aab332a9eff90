package io.github.miniomigrator.config;

import java.util.concurrent.CompletableFuture;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * The SDK's own endpoint rules, except that a bucket with a domain of its own is sent to that domain: the SDK then
 * puts neither the bucket in the host nor in the path, and signs for the domain's host. The rules' other answers
 * (signing name and region) are kept.
 */
final class BucketDomainEndpoints implements S3EndpointProvider {
    private final S3EndpointProvider rules = S3EndpointProvider.defaultProvider();
    private final BucketDomains domains;

    BucketDomainEndpoints(BucketDomains domains) {
        this.domains = domains;
    }

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
        CompletableFuture<Endpoint> resolved = rules.resolveEndpoint(params);
        if (params.bucket() == null) {
            return resolved;
        }
        return domains.domainOf(params.bucket()).map(domain -> resolved.thenApply(e -> e.toBuilder().url(domain).build())).orElse(resolved);
    }
}
