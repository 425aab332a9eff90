package io.github.miniomigrator.config;

import java.util.function.Function;

/**
 * Which store a setting is about: the same ideas (provider, endpoint, addressing, bucket domains, credentials, CA) are
 * read for the source and for the target, so that one piece of code builds a client for either from its own keys.
 */
public enum StoreSide {
    SOURCE("source", Setting.SOURCE_PROVIDER, Setting.SOURCE_ENDPOINT, Setting.SOURCE_REGION, Setting.SOURCE_ACCESS_KEY,
            Setting.SOURCE_SECRET_KEY, Setting.SOURCE_CA_CERT, Setting.SOURCE_PATH_STYLE, Setting.SOURCE_BUCKET_DOMAINS,
            Setting.SOURCE_PROXY, Setting.SOURCE_PROXY_USERNAME, Setting.SOURCE_PROXY_PASSWORD, BucketMapping::sourceBucket),
    TARGET("target", Setting.TARGET_PROVIDER, Setting.TARGET_ENDPOINT, Setting.TARGET_REGION, Setting.TARGET_ACCESS_KEY,
            Setting.TARGET_SECRET_KEY, Setting.TARGET_CA_CERT, Setting.TARGET_PATH_STYLE, Setting.TARGET_BUCKET_DOMAINS,
            Setting.TARGET_PROXY, Setting.TARGET_PROXY_USERNAME, Setting.TARGET_PROXY_PASSWORD, BucketMapping::targetBucket);

    private final String word;
    private final Setting provider;
    private final Setting endpoint;
    private final Setting region;
    private final Setting accessKey;
    private final Setting secretKey;
    private final Setting caCert;
    private final Setting pathStyle;
    private final Setting bucketDomains;
    private final Setting proxy;
    private final Setting proxyUsername;
    private final Setting proxyPassword;
    private final Function<BucketMapping, String> bucketOf;

    StoreSide(String word, Setting provider, Setting endpoint, Setting region, Setting accessKey, Setting secretKey, Setting caCert,
            Setting pathStyle, Setting bucketDomains, Setting proxy, Setting proxyUsername, Setting proxyPassword,
            Function<BucketMapping, String> bucketOf) {
        this.word = word;
        this.provider = provider;
        this.endpoint = endpoint;
        this.region = region;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.caCert = caCert;
        this.pathStyle = pathStyle;
        this.bucketDomains = bucketDomains;
        this.proxy = proxy;
        this.proxyUsername = proxyUsername;
        this.proxyPassword = proxyPassword;
        this.bucketOf = bucketOf;
    }

    /** "source" or "target", as messages say it. */
    public String word() {
        return word;
    }

    public Provider provider(Settings settings) {
        return Provider.parse(provider, settings.get(provider));
    }

    /** Path-style addressing as set, else the provider's default (virtual-hosted for OSS, OBS and S3). */
    public boolean pathStyle(Settings settings) {
        return settings.get(pathStyle).isEmpty() ? provider(settings).pathStyleByDefault() : settings.flag(pathStyle);
    }

    /** The mapping's bucket on this side. */
    public String bucketOf(BucketMapping mapping) {
        return bucketOf.apply(mapping);
    }

    public Setting providerSetting() {
        return provider;
    }

    public Setting endpoint() {
        return endpoint;
    }

    public Setting region() {
        return region;
    }

    public Setting accessKey() {
        return accessKey;
    }

    public Setting secretKey() {
        return secretKey;
    }

    public Setting caCert() {
        return caCert;
    }

    public Setting pathStyleSetting() {
        return pathStyle;
    }

    public Setting bucketDomains() {
        return bucketDomains;
    }

    public Setting proxy() {
        return proxy;
    }

    public Setting proxyUsername() {
        return proxyUsername;
    }

    public Setting proxyPassword() {
        return proxyPassword;
    }
}
