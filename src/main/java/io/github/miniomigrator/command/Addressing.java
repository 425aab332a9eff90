package io.github.miniomigrator.command;

import io.github.miniomigrator.config.Provider;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.SourceClientFactory;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.config.TargetClientFactory;
import io.github.miniomigrator.i18n.Messages;
import io.github.miniomigrator.store.StoreException;
import java.net.URI;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Virtual-hosted addressing (the default of oss, obs and s3) names the bucket in the host; many self-hosted stores
 * (Ceph RGW without rgw_dns_name, MinIO, S3Proxy) answer only path-style. The AWS SDK quietly sends path-style where
 * the endpoint is an IP address, and elsewhere fails on a host name nobody serves: both are said here, with the
 * setting that fixes them, rather than left to a fallback or to a bare UnknownHostException.
 */
final class Addressing {
    private Addressing() {
    }

    /** Whether this side's requests go through the AWS SDK with virtual-hosted addressing and no per-bucket domains. */
    private static boolean virtualHosted(Settings settings, StoreSide side) {
        if (side == StoreSide.SOURCE && side.provider(settings) == Provider.MINIO) {
            return false; // the MinIO client, path-style always
        }
        return !side.pathStyle(settings) && settings.get(side.bucketDomains()).isEmpty() && !settings.get(side.endpoint()).isEmpty();
    }

    /**
     * A note where the settings ask for virtual-hosted addressing of an endpoint that is an IP address: no bucket can
     * be named in such a host, so the SDK sends path-style requests instead, whatever the provider's default says.
     */
    static Optional<String> ipEndpointNote(Settings settings, StoreSide side) {
        if (!virtualHosted(settings, side)) {
            return Optional.empty();
        }
        String host = hostOf(settings.get(side.endpoint()));
        if (!isIp(host)) {
            return Optional.empty();
        }
        return Optional.of(Messages.text("cli.addressing.ip-endpoint", side.endpoint().key(), host, describeAddressing(settings, side),
                side.pathStyleSetting().key()));
    }

    /**
     * Where reaching a bucket with virtual-hosted addressing failed: the sentence saying that the endpoint answers
     * path-style and what to set, when one path-style request to the same endpoint reaches the bucket; empty otherwise.
     */
    static Optional<String> pathStyleOnly(Settings settings, StoreSide side, String bucket, Exception failure) {
        int status = StoreException.status(failure);
        if (!virtualHosted(settings, side) || isIp(hostOf(settings.get(side.endpoint())))) {
            return Optional.empty(); // at an IP address the requests went path-style already
        }
        if (status == 403 || status == 407 || status >= 500) {
            return Optional.empty(); // a store answered about this bucket: credentials, a proxy or the store, not the addressing
        }
        Map<String, String> values = new HashMap<>(settings.all());
        values.put(side.pathStyleSetting().key(), "true");
        Settings pathStyle = new Settings(values);
        try (S3Client client = side == StoreSide.TARGET ? TargetClientFactory.create(pathStyle) : SourceClientFactory.createS3(pathStyle)) {
            client.headBucket(b -> b.bucket(bucket));
        } catch (RuntimeException e) {
            return Optional.empty(); // path-style does not reach it either: the failure has another cause
        }
        String host = hostOf(settings.get(side.endpoint()));
        return Optional.of(Messages.text("cli.addressing.path-style-only", describeAddressing(settings, side), bucket + "." + host,
                StoreException.describe(failure), settings.get(side.endpoint()), side.pathStyleSetting().key()));
    }

    /**
     * Where the host the SDK made of bucket and endpoint (bucket.endpoint-host) does not resolve: the endpoint is most
     * likely a bucket's own (custom) domain, which names the bucket by itself and belongs in bucket-domains, while the
     * endpoint is the region's. Empty for any other failure.
     */
    static Optional<String> bucketDomainAsEndpoint(Settings settings, StoreSide side, String bucket, Exception failure) {
        if (!virtualHosted(settings, side)) {
            return Optional.empty();
        }
        String endpoint = settings.get(side.endpoint());
        String host = hostOf(endpoint);
        String unresolved = unresolvedHost(failure);
        if (host == null || unresolved == null || !unresolved.equalsIgnoreCase(bucket + "." + host)) {
            return Optional.empty();
        }
        Provider provider = side.provider(settings);
        return Optional.of(Messages.text("cli.addressing.bucket-domain-as-endpoint", unresolved, side.endpoint().key(), endpoint,
                side.bucketDomains().key(), bucket, regionEndpointExample(provider, settings.get(side.region()))));
    }

    static String regionEndpointExample(Provider provider, String region) {
        String example = switch (provider) {
            case OSS -> "https://oss-" + region + ".aliyuncs.com";
            case OBS -> "https://obs." + region + ".myhuaweicloud.com";
            case S3 -> "https://s3." + region + ".amazonaws.com";
            default -> "";
        };
        return example.isEmpty() ? "" : Messages.text("cli.addressing.endpoint-example", example);
    }

    /** The host name an UnknownHostException in the chain names, or null. */
    private static String unresolvedHost(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.net.UnknownHostException unknown && unknown.getMessage() != null) {
                String message = unknown.getMessage().trim();
                int colon = message.indexOf(':'); // some resolvers add ": Name or service not known"
                return colon < 0 ? message : message.substring(0, colon).trim();
            }
        }
        return null;
    }

    private static String describeAddressing(Settings settings, StoreSide side) {
        return settings.get(side.pathStyleSetting()).isEmpty()
                ? Messages.text("cli.addressing.virtual-by-default", side.providerSetting().key(),
                        side.provider(settings).name().toLowerCase(java.util.Locale.ROOT))
                : Messages.text("cli.addressing.virtual-asked", side.pathStyleSetting().key(), settings.get(side.pathStyleSetting()));
    }

    private static boolean isIp(String host) {
        return host != null && (host.startsWith("[") || host.contains(":") || host.matches("\\d{1,3}(\\.\\d{1,3}){3}"));
    }

    private static String hostOf(String endpoint) {
        try {
            return URI.create(endpoint).getHost();
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
