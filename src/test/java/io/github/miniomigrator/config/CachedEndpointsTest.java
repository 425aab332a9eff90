package io.github.miniomigrator.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.awscore.endpoints.AwsEndpointAttribute;
import software.amazon.awssdk.endpoints.Endpoint;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointParams;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * Endpoint answers kept per bucket are the answers the SDK's rules give for every request: for each provider's endpoint
 * and addressing, every bucket form, and keys, prefixes and copy sources that differ from the request that filled the
 * cache.
 */
class CachedEndpointsTest {
    private static final S3EndpointProvider RULES = S3EndpointProvider.defaultProvider();

    private static List<S3EndpointParams> requests() {
        List<S3EndpointParams> all = new ArrayList<>();
        String[][] stores = {
            {"https://oss-cn-hangzhou.aliyuncs.com", "cn-hangzhou"}, // OSS
            {"https://obs.cn-north-4.myhuaweicloud.com", "cn-north-4"}, // OBS
            {null, "us-west-2"}, // AWS S3, no endpoint override
            {"https://s3.us-west-2.amazonaws.com", "us-west-2"},
            {"http://127.0.0.1:9000", "us-east-1"}, // MinIO, S3Proxy, Ceph RGW
            {"https://rgw.internal:7480", "default"},
        };
        String[] buckets = {"photos", "my.bucket.with.dots", "b-1", "archive2026"};
        String[][] requests = {{"a.txt", null, null}, {"dir/b c/ü.pdf", null, null}, {null, "dir/", null}, {"x", null, "src/x"}};
        for (String[] store : stores) {
            for (Boolean pathStyle : new Boolean[] {true, false, null}) {
                for (String bucket : buckets) {
                    for (String[] request : requests) {
                        all.add(S3EndpointParams.builder().endpoint(store[0]).region(Region.of(store[1])).forcePathStyle(pathStyle)
                                .useFips(false).useDualStack(false).accelerate(false).useGlobalEndpoint(false).bucket(bucket)
                                .key(request[0]).prefix(request[1]).copySource(request[2]).build());
                    }
                }
            }
        }
        return all;
    }

    private static String answer(S3EndpointProvider provider, S3EndpointParams params) {
        try {
            Endpoint e = provider.resolveEndpoint(params).join();
            return e.url() + " " + e.headers() + " " + e.attribute(AwsEndpointAttribute.AUTH_SCHEMES);
        } catch (CompletionException e) {
            return "refused: " + e.getCause().getMessage();
        }
    }

    @Test
    void everyRequestGetsTheRulesOwnAnswer() {
        CachedEndpoints cached = new CachedEndpoints(RULES);
        List<S3EndpointParams> requests = requests();
        for (int round = 0; round < 2; round++) { // the second round answers from the cache
            for (S3EndpointParams params : requests) {
                assertEquals(answer(RULES, params), answer(cached, params), params.toString());
            }
        }
    }

    @Test
    void theRulesAreAskedOncePerBucketNotPerKey() {
        AtomicInteger asked = new AtomicInteger();
        CachedEndpoints cached = new CachedEndpoints(params -> {
            asked.incrementAndGet();
            return RULES.resolveEndpoint(params);
        });
        for (int i = 0; i < 1000; i++) {
            for (String bucket : new String[] {"photos", "scans"}) {
                cached.resolveEndpoint(S3EndpointParams.builder().endpoint("https://oss-cn-hangzhou.aliyuncs.com")
                        .region(Region.of("cn-hangzhou")).bucket(bucket).key("k" + i).build()).join();
            }
        }
        assertEquals(2, asked.get());
    }

    @Test
    void aRefusedRequestIsNotKept() {
        AtomicInteger asked = new AtomicInteger();
        CachedEndpoints cached = new CachedEndpoints(params -> {
            asked.incrementAndGet();
            return RULES.resolveEndpoint(params);
        });
        // the rules refuse path-style addressing with S3 Accelerate, each time they are asked
        S3EndpointParams invalid = S3EndpointParams.builder().region(Region.US_WEST_2).forcePathStyle(true).accelerate(true)
                .bucket("photos").key("k").build();
        assertThrows(CompletionException.class, () -> cached.resolveEndpoint(invalid).join());
        assertThrows(CompletionException.class, () -> cached.resolveEndpoint(invalid).join());
        assertEquals(2, asked.get());
    }
}
