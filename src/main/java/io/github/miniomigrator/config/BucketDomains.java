package io.github.miniomigrator.config;

import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Buckets (of the target, or of a source read through the AWS SDK) reached through a domain of their own: an OSS custom domain (CNAME) names one bucket, so requests go
 * to {@code https://files.example.com/<key>} with the bucket neither in the host nor in the path. Since 2025-03-20
 * new Alibaba Cloud accounts must use one for data in mainland-China regions. An endpoint whose host starts with a
 * mapping's own target bucket and a dot (the runbook's {@code https://chengshi-oss.oss.cn-north-4.myalicloud.com}) is
 * that bucket's domain too.
 */
public final class BucketDomains {
    private final Map<String, URI> domains;
    private final String note;

    private BucketDomains(Map<String, URI> domains, String note) {
        this.domains = Map.copyOf(domains);
        this.note = note;
    }

    /** The domains of migration.target.bucket-domains, plus the endpoint when it is one mapping's own bucket domain. */
    public static BucketDomains of(Settings settings) {
        return of(settings, StoreSide.TARGET);
    }

    /** The same for either side: its bucket-domains setting, its endpoint, the mappings' buckets on that side. */
    public static BucketDomains of(Settings settings, StoreSide side) {
        Map<String, URI> domains = parse(side.bucketDomains(), settings.get(side.bucketDomains()));
        String endpointValue = settings.get(side.endpoint());
        if (settings.get(Setting.BUCKETS).isEmpty()) {
            return new BucketDomains(domains, null); // a client for the demo's own servers
        }
        List<BucketMapping> mappings = settings.mappings();
        for (String bucket : domains.keySet()) {
            if (mappings.stream().noneMatch(m -> side.bucketOf(m).equals(bucket))) {
                throw new SettingsException(side.bucketDomains().key() + " names bucket '" + bucket + "', which no mapping in "
                        + Setting.BUCKETS.key() + (side == StoreSide.TARGET ? " writes to: check the spelling (give the target bucket, not the source bucket)."
                                : " reads from: check the spelling (give the source bucket, not the target bucket)."));
            }
        }
        if (endpointValue.isEmpty() || side.pathStyle(settings)) {
            return new BucketDomains(domains, null);
        }
        URI endpoint = URI.create(Endpoints.check(side.endpoint(), endpointValue));
        String host = endpoint.getHost().toLowerCase(Locale.ROOT);
        Optional<String> owner = mappings.stream().map(side::bucketOf)
                .filter(bucket -> host.startsWith(bucket + ".")).findFirst();
        if (owner.isEmpty()) {
            return new BucketDomains(domains, null);
        }
        domains.putIfAbsent(owner.get(), endpoint);
        String note = side.endpoint().key() + " is the domain of bucket '" + owner.get()
                + "' (its host starts with the bucket name): its requests go to " + endpoint + "/<key>";
        for (BucketMapping mapping : mappings) {
            if (!domains.containsKey(side.bucketOf(mapping))) {
                throw new SettingsException(side.endpoint().key() + "=" + endpointValue + " is the domain of bucket '" + owner.get()
                        + "', so bucket '" + side.bucketOf(mapping) + "' cannot be reached through it. Set " + side.endpoint().key()
                        + " to the region's endpoint (e.g. https://oss-cn-hangzhou.aliyuncs.com) or give '" + side.bucketOf(mapping)
                        + "' its own domain in " + side.bucketDomains().key() + ".");
            }
        }
        return new BucketDomains(domains, note);
    }

    static Map<String, URI> parse(Setting setting, String value) {
        Map<String, URI> domains = new LinkedHashMap<>();
        for (String part : value.split(",")) {
            if (part.isBlank()) {
                continue;
            }
            int equals = part.indexOf('=');
            if (equals <= 0 || equals == part.length() - 1) {
                throw new SettingsException(setting.key() + ": '" + part.trim()
                        + "' is not bucket=URL; write it like oss-pro=https://files.example.com.");
            }
            String bucket = part.substring(0, equals).trim();
            String url = Endpoints.check(setting, part.substring(equals + 1).trim());
            if (domains.put(bucket, URI.create(url)) != null) {
                throw new SettingsException(setting.key() + " names bucket '" + bucket + "' twice.");
            }
        }
        return domains;
    }

    /** The domain through which the bucket is reached, or empty when it goes through migration.target.endpoint. */
    public Optional<URI> domainOf(String bucket) {
        return Optional.ofNullable(domains.get(bucket));
    }

    /** A line for the log when the endpoint was taken for a bucket's own domain. */
    public Optional<String> note() {
        return Optional.ofNullable(note);
    }

    public boolean isEmpty() {
        return domains.isEmpty();
    }
}
