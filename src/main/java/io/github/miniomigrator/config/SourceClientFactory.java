package io.github.miniomigrator.config;

import io.github.miniomigrator.http.NamedTimeoutsInterceptor;
import io.github.miniomigrator.http.QuickAckSockets;
import io.minio.MinioClient;
import java.net.URI;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.X509TrustManager;
import okhttp3.ConnectionPool;
import okhttp3.ConnectionSpec;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The source's client: for MinIO (the default) the MinIO client camel-minio reads it through; for any other store an
 * S3Client built by the same code as the target's, from the migration.source.* settings.
 */
public final class SourceClientFactory {
    private SourceClientFactory() {
    }

    /**
     * A source that is not MinIO. Requests to it carry no body, so payload signing does not matter. Its gate is shut for
     * good: the source is never written (invariant 1), whatever code asks.
     */
    public static S3Client createS3(Settings settings) {
        return S3ClientFactory.create(settings, StoreSide.SOURCE, new PayloadSigning(), BucketDomains.of(settings, StoreSide.SOURCE),
                TargetProxy.of(settings, StoreSide.SOURCE), io.github.miniomigrator.cutover.ForwardGate.shutForGood(
                        "the source is only read (invariant 1)"));
    }

    public static MinioClient create(Settings settings) {
        String endpoint = Endpoints.check(Setting.SOURCE_ENDPOINT, settings.required(Setting.SOURCE_ENDPOINT));
        int connections = TargetClientFactory.connections(settings);
        // the MinIO client sends each request through OkHttp's dispatcher, which by default lets 5 go to one host at once
        Dispatcher dispatcher = new Dispatcher();
        dispatcher.setMaxRequests(connections);
        dispatcher.setMaxRequestsPerHost(connections);
        Duration timeout = TargetClientFactory.idleTimeout(settings);
        // OkHttp bounds both directions itself: a read by the socket's timeout, a write by a watchdog that closes the socket
        OkHttpClient.Builder http = new OkHttpClient.Builder()
                .dispatcher(dispatcher)
                .connectTimeout(Duration.ofSeconds(15))
                .readTimeout(timeout)
                .writeTimeout(timeout)
                .addNetworkInterceptor(new NamedTimeoutsInterceptor(timeout))
                .connectionPool(new ConnectionPool(connections, 5, java.util.concurrent.TimeUnit.MINUTES))
                .retryOnConnectionFailure(true)
                // quick acks: a server with Nagle on (Ceph RGW by default) otherwise holds each body ~40 ms behind its headers
                .socketFactory(QuickAckSockets.socketFactory());
        TargetProxy.of(settings, StoreSide.SOURCE).ifPresent(proxy -> proxy.applyTo(http));
        RequestRate.of(settings, StoreSide.SOURCE).ifPresent(rate -> http.addInterceptor(chain -> {
            try {
                rate.acquire();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while waiting for " + Setting.SOURCE_RATE.key());
            }
            return chain.proceed(chain.request());
        }));
        String caCert = settings.get(Setting.SOURCE_CA_CERT);
        if (URI.create(endpoint).getScheme().equalsIgnoreCase("http")) {
            // plain http: without a TLS connection spec OkHttp builds no SSL context nor trust store (60 ms of start-up)
            http.connectionSpecs(List.of(ConnectionSpec.CLEARTEXT));
        } else if (!caCert.isEmpty()) {
            X509TrustManager trust = TrustedCertificates.trustManager(Setting.SOURCE_CA_CERT, caCert);
            http.sslSocketFactory(TrustedCertificates.sslContext(trust).getSocketFactory(), trust);
        }
        return MinioClient.builder()
                .endpoint(URI.create(endpoint).toString())
                .region(settings.get(Setting.SOURCE_REGION))
                .credentials(settings.required(Setting.SOURCE_ACCESS_KEY), settings.required(Setting.SOURCE_SECRET_KEY))
                .httpClient(http.build())
                .build();
    }
}
