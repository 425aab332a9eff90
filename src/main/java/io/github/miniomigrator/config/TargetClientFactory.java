package io.github.miniomigrator.config;

import io.github.miniomigrator.cutover.ForwardGate;
import java.net.URI;
import java.time.Duration;
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
import software.amazon.awssdk.services.s3.S3ClientBuilder;
import software.amazon.awssdk.services.s3.S3Configuration;

/**
 * The target S3Client, built here because camel-aws2-s3 cannot set what OSS and OBS need: no aws-chunked CRC32
 * uploads (OSS rejects them), checksums only when an operation requires them, and Content-MD5 on DeleteObjects.
 */
public final class TargetClientFactory {
    private TargetClientFactory() {
    }

    /** migration.timeout: how long a request may go without a byte in either direction. */
    static Duration idleTimeout(Settings settings) {
        Duration timeout = settings.duration(Setting.TIMEOUT);
        if (timeout.isZero() || timeout.toMillis() < 100) {
            throw new SettingsException(Setting.TIMEOUT.key() + "=" + settings.get(Setting.TIMEOUT)
                    + " is too short: a request that stalls must fail, but a slow answer must not; use e.g. 60s.");
        }
        return timeout;
    }

    /** Connections (and requests in flight) each store's client allows: every transfer and every listing shard at once, and a few more. */
    static int connections(Settings settings) {
        return (int) (settings.number(Setting.CONCURRENCY, 1, 1024) + settings.number(Setting.LISTING_CONCURRENCY, 1, 64) + 4);
    }

    /** A client for the demo's and the tests' own servers: bodies unsigned, no bucket domains. */
    public static S3Client create(Settings settings) {
        return create(settings, new PayloadSigning(), BucketDomains.of(settings), new ForwardGate());
    }

    /**
     * @param signing whether bodies go out unsigned (preflight's canary may switch it for the whole run)
     * @param domains buckets reached through their own domain rather than through migration.target.endpoint
     * @param gate every write of the client passes it (a cutover shuts it)
     */
    public static S3Client create(Settings settings, PayloadSigning signing, BucketDomains domains, ForwardGate gate) {
        String endpoint = Endpoints.check(Setting.TARGET_ENDPOINT, settings.required(Setting.TARGET_ENDPOINT));
        int connections = connections(settings);
        ApacheHttpClient.Builder http = ApacheHttpClient.builder()
                .maxConnections(connections)
                .expectContinueEnabled(false)
                .connectionTimeout(Duration.ofSeconds(15))
                .socketTimeout(idleTimeout(settings));
        TargetProxy.of(settings).ifPresent(proxy -> http.proxyConfiguration(proxy.configuration()));
        String caCert = settings.get(Setting.TARGET_CA_CERT);
        if (!caCert.isEmpty()) {
            X509TrustManager trust = TrustedCertificates.trustManager(Setting.TARGET_CA_CERT, caCert);
            http.tlsTrustManagersProvider(() -> new javax.net.ssl.TrustManager[] {trust});
        }
        S3ClientBuilder builder = S3Client.builder();
        if (!domains.isEmpty()) {
            builder.endpointProvider(new BucketDomainEndpoints(domains));
        }
        return builder
                .endpointOverride(URI.create(endpoint))
                .region(Region.of(settings.get(Setting.TARGET_REGION)))
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(
                        settings.required(Setting.TARGET_ACCESS_KEY), settings.required(Setting.TARGET_SECRET_KEY))))
                .forcePathStyle(settings.targetPathStyle())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .serviceConfiguration(S3Configuration.builder().chunkedEncodingEnabled(false).build())
                .addPlugin(LegacyMd5Plugin.create())
                // one retry layer, the tool's own (store.Retry): it counts retries and honours a store's throttling hints
                .overrideConfiguration(o -> o.addExecutionInterceptor(gate).addExecutionInterceptor(new NoExpectContinue()).retryStrategy(AwsRetryStrategy.doNotRetry()))
                .putAuthScheme(new PayloadSigningScheme(signing))
                .httpClientBuilder(http)
                .build();
    }
}
