package io.github.miniomigrator.config;

import io.github.miniomigrator.cutover.ForwardGate;
import io.github.miniomigrator.http.WatchedHttpClient;
import java.net.URI;
import java.time.Duration;
import java.util.Optional;
import javax.net.ssl.X509TrustManager;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.http.apache.ApacheHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.LegacyMd5Plugin;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3Configuration;
import software.amazon.awssdk.services.s3.endpoints.S3EndpointProvider;

/**
 * An S3Client for either store, from that side's settings. Built here because camel-aws2-s3 cannot set what OSS and
 * OBS need: no aws-chunked CRC32 uploads (OSS rejects them), checksums only when an operation requires them, and
 * Content-MD5 on DeleteObjects. A source read through it gets the same addressing, CA, timeouts and retry layer.
 */
public final class S3ClientFactory {
    private S3ClientFactory() {
    }

    /**
     * @param side whose endpoint, region, credentials, CA and addressing settings are read
     * @param signing whether bodies go out unsigned (preflight's canary may switch it for the whole run)
     * @param domains buckets reached through their own domain rather than through the side's endpoint
     * @param proxy the proxy set for this side; empty: the SDK reads the JVM's properties and the environment
     * @param gate every write of the client passes it
     */
    public static S3Client create(Settings settings, StoreSide side, PayloadSigning signing, BucketDomains domains,
            Optional<TargetProxy> proxy, ForwardGate gate) {
        String endpoint = Endpoints.check(side.endpoint(), settings.required(side.endpoint()));
        Duration timeout = TargetClientFactory.idleTimeout(settings);
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .maxConnections(TargetClientFactory.connections(settings))
                .expectContinueEnabled(false)
                .connectionTimeout(Duration.ofSeconds(15))
                // bounds reads only: a write that stops is the watchdog's (WatchedHttpClient)
                .socketTimeout(timeout);
        proxy.ifPresent(p -> http.proxyConfiguration(p.configuration()));
        String caCert = settings.get(side.caCert());
        X509TrustManager trust = caCert.isEmpty() ? null : TrustedCertificates.trustManager(side.caCert(), caCert);
        // the SDK's own TLS sockets, told apart so that a stalled write over TLS can be aborted; trust goes with them
        http.socketFactory(WatchedHttpClient.tlsSocketFactory(trust));
        S3EndpointProvider rules = domains.isEmpty() ? S3EndpointProvider.defaultProvider() : new BucketDomainEndpoints(domains);
        return S3Client.builder()
                .endpointProvider(new CachedEndpoints(rules))
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(settings.get(side.region())))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        settings.required(side.accessKey()), settings.required(side.secretKey()))))
                .forcePathStyle(side.pathStyle(settings))
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .addPlugin(LegacyMd5Plugin.create())
                // one retry layer, the tool's own (store.Retry): it counts retries and honours a store's throttling hints
                // a request waits for the side's rate limit (migration.rate) before the gate: one still waiting is no write in flight
                .overrideConfiguration(o -> RequestRateInterceptor.first(o, RequestRate.of(settings, side))
                        .addExecutionInterceptor(gate).addExecutionInterceptor(new NoExpectContinue()).retryStrategy(AwsRetryStrategy.doNotRetry()))
                .putAuthScheme(new PayloadSigningScheme(signing))
                .httpClientBuilder(WatchedHttpClient.around(http, timeout, side.pathStyle(settings)))
                .build();
    }
}
