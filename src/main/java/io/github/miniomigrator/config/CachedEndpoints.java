package io.github.miniomigrator.config;

import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * The SDK's endpoint rules, evaluated once per bucket rather than twice per request (the SDK asks them for the endpoint
 * and again for the auth scheme: about 5 % of the client's CPU per small object). S3's rules (SDK 2.41) read only the
 * parameters of {@link Key} — the bucket and the client's own settings, never the object key, prefix or copy source —
 * so their answer for one bucket is the answer for every request to it; {@code CachedEndpointsTest} compares both for
 * every provider. An answer that fails (an invalid bucket name) is not kept.
 */
final class CachedEndpoints implements S3EndpointProvider {
    /** More distinct answers than any mapping set needs: past it the cache starts again rather than grow. */
    private static final int MOST = 4096;

    /** What S3's endpoint rules read. */
    record Key(String bucket, Region region, String endpoint, Boolean forcePathStyle, Boolean accelerate, Boolean useFips,
            Boolean useDualStack, Boolean useGlobalEndpoint, Boolean useObjectLambdaEndpoint, Boolean useArnRegion,
            Boolean disableAccessPoints, Boolean disableMultiRegionAccessPoints) {
        static Key of(S3EndpointParams p) {
            return new Key(p.bucket(), p.region(), p.endpoint(), p.forcePathStyle(), p.accelerate(), p.useFips(), p.useDualStack(),
                    p.useGlobalEndpoint(), p.useObjectLambdaEndpoint(), p.useArnRegion(), p.disableAccessPoints(),
                    p.disableMultiRegionAccessPoints());
        }
    }

    private final S3EndpointProvider rules;
    private final Map<Key, Endpoint> answers = new ConcurrentHashMap<>();

    CachedEndpoints(S3EndpointProvider rules) {
        this.rules = rules;
    }

    @Override
    public CompletableFuture<Endpoint> resolveEndpoint(S3EndpointParams params) {
        Key key = Key.of(params);
        Endpoint known = answers.get(key);
        if (known != null) {
            return CompletableFuture.completedFuture(known);
        }
        CompletableFuture<Endpoint> resolved = rules.resolveEndpoint(params);
        if (resolved.isDone() && !resolved.isCompletedExceptionally()) {
            if (answers.size() >= MOST) {
                answers.clear();
            }
            answers.put(key, resolved.join());
        }
        return resolved;
    }
}
