package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.config.BucketDomains;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.HostPort;
import io.github.miniomigrator.config.HttpAddress;
import io.github.miniomigrator.config.KafkaClientProperties;
import io.github.miniomigrator.config.Provider;
import io.github.miniomigrator.config.RequestRate;
import io.github.miniomigrator.config.Setting;
import io.github.miniomigrator.config.Settings;
import io.github.miniomigrator.config.StoreSide;
import io.github.miniomigrator.config.SettingsException;
import io.github.miniomigrator.config.StorageClass;
import io.github.miniomigrator.config.TargetProxy;
import io.github.miniomigrator.copy.WriteCanary;
import io.github.miniomigrator.logging.Printed;
import io.github.miniomigrator.observe.ObserveCredentials;
import io.github.miniomigrator.report.Sizes;
import io.github.miniomigrator.store.LeftoverUploads;
import io.github.miniomigrator.store.StoreException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Checks made before any byte moves, each failure naming the setting or bucket and the fix. Settings are checked
 * before any client exists; then each source bucket is listed and each target bucket probed for writing.
 */
public final class Preflight {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(Preflight.class);
    private Preflight() {
    }

    /** Mappings well formed, bucket names valid for their store, credentials and endpoints present. */
    public static List<BucketMapping> checkSettings(Settings settings) {
        List<BucketMapping> mappings = settings.mappings();
        Provider provider = settings.provider();
        Provider sourceProvider = checkSourceAddressing(settings);
        List<String> problems = new ArrayList<>();
        for (BucketMapping mapping : mappings) {
            sourceProvider.bucketNameProblem(mapping.sourceBucket()).ifPresent(problem -> problems.add(
                    "source bucket '" + mapping.sourceBucket() + "' cannot exist on " + sourceProvider.displayName() + ": " + problem + "."));
            Optional<String> targetProblem = provider.bucketNameProblem(mapping.targetBucket());
            targetProblem.ifPresent(problem -> problems.add("target bucket '" + mapping.targetBucket() + "' would be refused by "
                    + provider.displayName() + ": " + problem + ". A valid name would be '" + suggestName(mapping.targetBucket()) + "'."));
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(Setting.BUCKETS.key() + ": " + String.join(" ", problems)
                    + " Create the target bucket under a valid name and change the mapping.");
        }
        for (StoreSide side : StoreSide.values()) {
            checkRegion(settings, side);
            checkEndpointBesideDomains(settings, side);
        }
        for (Setting required : List.of(Setting.SOURCE_ENDPOINT, Setting.SOURCE_ACCESS_KEY, Setting.SOURCE_SECRET_KEY,
                Setting.TARGET_ENDPOINT, Setting.TARGET_ACCESS_KEY, Setting.TARGET_SECRET_KEY)) {
            settings.required(required);
        }
        StorageClass.parse(provider, settings.get(Setting.TARGET_STORAGE_CLASS));
        settings.concurrency();
        for (StoreSide side : StoreSide.values()) {
            RequestRate.of(settings, side);
        }
        BucketDomains.of(settings);
        TargetProxy.of(settings);
        TargetProxy.of(settings, StoreSide.SOURCE);
        return mappings;
    }

    /**
     * A region set empty (migration.target.region=) would reach the SDK's builder and fail deep inside Camel's start
     * ("region must not be blank"); a missing one takes the default.
     */
    static void checkRegion(Settings settings, StoreSide side) {
        if (settings.get(side.region()).isEmpty()) {
            Provider provider = side.provider(settings);
            throw new SettingsException(side.region().key() + " is empty: set the " + side.word() + " store's region, e.g. "
                    + side.region().key() + "=" + provider.exampleRegion() + " for " + provider.displayName()
                    + (provider == Provider.MINIO ? " (MinIO's default)" : "") + ", or remove the line to sign for "
                    + side.region().defaultValue() + ".");
        }
    }

    /**
     * The endpoint stays required when every bucket has a domain of its own (no request for such a bucket goes to the
     * endpoint): the SDK's client is built on it and its endpoint rules derive each request's signing from it before
     * the bucket's domain replaces the URL, the record of the target's ETag kind in the state folder is kept per endpoint,
     * and a mapping added later without a domain goes through it. The message says so, rather than a bare "not set".
     */
    static void checkEndpointBesideDomains(Settings settings, StoreSide side) {
        if (settings.get(side.endpoint()).isEmpty() && !settings.get(side.bucketDomains()).isEmpty()) {
            Provider provider = side.provider(settings);
            throw new SettingsException(side.endpoint().key() + " is not set: it is needed even though " + side.bucketDomains().key()
                    + " names the buckets' domains (requests for those buckets go to their domains, not to it): the client is built on "
                    + "it and signs requests for its region" + (side == StoreSide.TARGET ? ", the record of the target's ETags in the state "
                    + "folder is kept per endpoint" : "") + ", and a bucket without a domain goes through it. Set it to the region's endpoint" + Addressing.regionEndpointExample(provider,
                    settings.get(side.region())) + ".");
        }
    }

    /**
     * The source's provider, and addressing settings that fit it: path style and bucket domains are for a source read
     * through the AWS SDK; a MinIO source is read through camel-minio, which finds its own addressing.
     */
    static Provider checkSourceAddressing(Settings settings) {
        Provider source = settings.sourceProvider();
        if (source == Provider.MINIO) {
            for (Setting sdkOnly : List.of(Setting.SOURCE_PATH_STYLE, Setting.SOURCE_BUCKET_DOMAINS)) {
                if (!settings.get(sdkOnly).isEmpty()) {
                    throw new SettingsException(sdkOnly.key() + " is for a source read through the AWS SDK, and "
                            + Setting.SOURCE_PROVIDER.key() + " is minio (read through camel-minio, which finds its own addressing): "
                            + "remove " + sdkOnly.key() + ", or set " + Setting.SOURCE_PROVIDER.key() + " to the source's store "
                            + "(oss, obs, s3 or generic).");
                }
            }
            return source;
        }
        BucketDomains.of(settings, StoreSide.SOURCE);
        return source;
    }

    /**
     * `run`'s HTTP address (the webhook, /observe/health, /observe/metrics) is free on migration.http.host, the
     * interface the server will bind: Camel starts its server in the background and only logs a failure to bind, so a
     * port already taken would leave `run` without its webhook while it says "drained" (found while checking on Ceph
     * RGW: bench/rgw-notes.md).
     */
    public static void checkHttpPortFree(Settings settings) {
        HttpAddress.of(settings).checkFree();
    }

    /**
     * The credentials health and metrics require, checked (a short token, a user name without password: exit 2); and
     * a note when they are open to other machines: listening beyond loopback without credentials is the operator's
     * choice, but one they should see made.
     */
    public static Optional<String> checkHttpAccess(Settings settings) {
        HttpAddress address = HttpAddress.of(settings);
        if (ObserveCredentials.of(settings).isPresent() || !address.reachableFromOtherMachines()) {
            return Optional.empty();
        }
        return Optional.of("/observe/health and /observe/metrics on " + address + " (" + Setting.HTTP_HOST.key() + ") need no credentials: "
                + "anyone who reaches this port can read them. Set " + Setting.HTTP_TOKEN.key() + " (Prometheus: authorization "
                + "credentials) or " + Setting.HTTP_USERNAME.key() + " and " + Setting.HTTP_PASSWORD.key() + " (basic_auth)");
    }

    /**
     * `run`'s event settings: a known mode and what it needs — the webhook's token; Kafka's brokers and topic, and no
     * passed-through Kafka setting the tool sets itself. @return the mode, in lower case
     */
    public static String checkEventSettings(Settings settings) {
        String mode = settings.get(Setting.EVENTS_MODE).toLowerCase(Locale.ROOT);
        if (!List.of("listen", "webhook", "kafka", "off").contains(mode)) {
            throw new SettingsException(Setting.EVENTS_MODE.key() + "=" + mode + " is not a mode: use listen, webhook, kafka or off.");
        }
        Provider source = settings.sourceProvider();
        if (mode.equals("listen") && source != Provider.MINIO) {
            throw new SettingsException(Setting.EVENTS_MODE.key() + "=listen needs a MinIO source (its ListenBucketNotification API), and "
                    + Setting.SOURCE_PROVIDER.key() + " is " + source.name().toLowerCase(Locale.ROOT) + ": set " + Setting.EVENTS_MODE.key()
                    + "=off and let " + Setting.RECONCILE_INTERVAL.key() + " (e.g. 30m) run catch-up passes, or feed the store's "
                    + "notifications (S3 event records as MinIO, Ceph RGW or AWS send them) through webhook (RGW: "
                    + Setting.WEBHOOK_PATH_SECRET.key() + "), kafka or " + Setting.EVENTS_URI.key() + ".");
        }
        String token = settings.get(Setting.WEBHOOK_TOKEN);
        String pathSecret = settings.get(Setting.WEBHOOK_PATH_SECRET);
        if (mode.equals("webhook") && (token.length() < 16 && pathSecret.isEmpty() || !token.isEmpty() && token.length() < 16)) {
            throw new SettingsException(Setting.WEBHOOK_TOKEN.key() + " must be set, at least 16 characters, for the webhook: "
                    + "set " + Setting.WEBHOOK_TOKEN.environmentVariable() + " and give MinIO the same auth_token (or, for a sender that "
                    + "cannot send a token, such as Ceph RGW, set " + Setting.WEBHOOK_PATH_SECRET.environmentVariable() + ").");
        }
        if (!pathSecret.isEmpty() && (pathSecret.length() < 16 || !pathSecret.matches("[A-Za-z0-9._~-]+"))) {
            throw new SettingsException(Setting.WEBHOOK_PATH_SECRET.key() + " must be at least 16 characters of A-Z a-z 0-9 - _ . ~ "
                    + "(it is a path segment, sent unescaped; e.g. the output of openssl rand -hex 16): set "
                    + Setting.WEBHOOK_PATH_SECRET.environmentVariable() + ".");
        }
        if (mode.equals("webhook")) {
            HttpAddress.of(settings).checkReachableByMinio();
        }
        if (mode.equals("kafka")) {
            for (String broker : settings.required(Setting.KAFKA_BROKERS).split(",")) {
                if (!HostPort.matches(broker)) {
                    throw new SettingsException(Setting.KAFKA_BROKERS.key() + ": '" + broker.trim() + "' is not host:port; write the "
                            + "bootstrap servers as kafka1:9092,kafka2:9092 (the addresses MinIO's notify_kafka brokers has).");
                }
            }
            settings.required(Setting.KAFKA_TOPIC);
            KafkaClientProperties.of(settings);
        }
        return mode;
    }

    /**
     * Each target bucket exists and takes the pass's writes, proven by a canary written as the pass writes, read back
     * and deleted (what it learnt is printed); first, the multipart uploads an earlier run left unfinished are aborted.
     * It needs the target and not Camel: commands run it while Camel starts ({@link MigrationRuntime#start(Settings,
     * MigrationRuntime.Events, java.util.function.Consumer)}), then {@link #checkSources}; nothing is copied before both.
     */
    public static void checkTargets(MigrationRuntime runtime, List<BucketMapping> mappings, PrintStream out) {
        LeftoverUploads.Result leftovers =
                LeftoverUploads.abortAll(runtime.targetStore(), runtime.uploadJournal());
        if (leftovers.aborted() > 0) {
            String line = "Aborted " + leftovers.aborted() + " unfinished multipart uploads (" + Sizes.human(leftovers.bytes())
                    + " in their parts) that an earlier run left behind (a crash, a kill -9 or a reboot).";
            LOG.warn(Printed.ALSO, line);
            out.println(line);
        }
        leftovers.notes().forEach(note -> {
            LOG.warn(Printed.ALSO, note);
            out.println("Note: " + note + ".");
        });
        for (StoreSide side : StoreSide.values()) {
            Addressing.ipEndpointNote(runtime.settings(), side).ifPresent(note -> {
                LOG.warn(Printed.ALSO, note);
                out.println("Note: " + note + ".");
            });
        }
        WriteCanary canary = new WriteCanary(runtime.targetStore());
        boolean deletesNeeded = runtime.settings().flag(Setting.REMOVE);
        for (BucketMapping mapping : mappings) {
            try {
                runtime.targetStore().checkBucket(mapping.targetBucket());
                for (String note : canary.prove(mapping, deletesNeeded)) {
                    LOG.warn(Printed.ALSO, "target bucket '{}': {}", mapping.targetBucket(), note);
                    out.println("Note on target bucket '" + mapping.targetBucket() + "': " + note + ".");
                }
            } catch (Exception e) {
                throw targetProblem(runtime.settings(), mapping, e, "written");
            }
        }
    }

    /**
     * For `copy --dry-run`, which writes nothing: the target's read checks of {@link #checkTargets} (each bucket exists
     * and can be listed), without its write canary and without aborting the uploads earlier runs left unfinished.
     */
    public static void checkTargetsForDryRun(MigrationRuntime runtime, List<BucketMapping> mappings) {
        for (BucketMapping mapping : mappings) {
            try {
                runtime.targetStore().checkBucket(mapping.targetBucket());
                runtime.targetStore().list(mapping.targetBucket(), mapping.targetPrefix()).hasNext();
            } catch (Exception e) {
                throw targetProblem(runtime.settings(), mapping, e, "listed");
            }
        }
    }

    /** For verify, which writes nothing: each source bucket can be listed, each target bucket can be listed. */
    public static void checkReadable(MigrationRuntime runtime, List<BucketMapping> mappings) {
        checkSources(runtime, mappings);
        for (BucketMapping mapping : mappings) {
            try {
                runtime.targetStore().list(mapping.targetBucket(), mapping.targetPrefix()).hasNext();
            } catch (Exception e) {
                throw targetProblem(runtime.settings(), mapping, e, "listed");
            }
        }
    }

    private static SettingsException targetProblem(Settings settings, BucketMapping mapping, Exception e, String what) {
        if (StoreException.publicEndpointForbidden(e)) {
            return new SettingsException("target bucket '" + mapping.targetBucket() + "' cannot be " + what + ": " + StoreException.describe(e)
                    + ". Alibaba Cloud OSS refuses uploads and downloads through the default public endpoint of a mainland-China region for "
                    + "accounts opened after 2025-03-20. Bind a custom domain to the bucket (OSS console: Bucket > Domain Names, with a CNAME "
                    + "record) and set " + Setting.TARGET_BUCKET_DOMAINS.key() + "=" + mapping.targetBucket() + "=https://<that domain>; "
                    + "or run the tool inside Alibaba Cloud (same region) with " + Setting.TARGET_ENDPOINT.key()
                    + "=https://oss-<region>-internal.aliyuncs.com.");
        }
        int status = StoreException.status(e);
        String code = StoreException.errorCode(e);
        Optional<String> pathStyleOnly = StoreException.proxyRefused(e) || StoreException.tlsRefused(e) ? Optional.empty()
                : Addressing.pathStyleOnly(settings, StoreSide.TARGET, mapping.targetBucket(), e);
        if (pathStyleOnly.isPresent()) {
            return new SettingsException("target bucket '" + mapping.targetBucket() + "' cannot be " + what + ": " + pathStyleOnly.get() + ".");
        }
        Optional<String> bucketDomain = Addressing.bucketDomainAsEndpoint(settings, StoreSide.TARGET, mapping.targetBucket(), e);
        if (bucketDomain.isPresent()) {
            return new SettingsException("target bucket '" + mapping.targetBucket() + "' cannot be " + what + ": " + bucketDomain.get() + ".");
        }
        String why = StoreException.proxyRefused(e) ? "the proxy in " + Setting.TARGET_PROXY.key() + " refused to open a tunnel to the "
                + "target: check " + Setting.TARGET_PROXY_USERNAME.key() + " and " + Setting.TARGET_PROXY_PASSWORD.key()
                + ", and that the proxy lets CONNECT through to the target's host and port"
                : StoreException.tlsRefused(e) ? tlsAdvice(Setting.TARGET_ENDPOINT, Setting.TARGET_CA_CERT)
                : status == 404 && (code.isEmpty() || code.equals("NoSuchBucket")) ? "it does not exist; create it first (the tool never creates buckets)"
                : status == 403 ? AccessRefusal.advice(StoreSide.TARGET, e, "ListBucket, PutObject (and AbortMultipartUpload)").orElseThrow()
                : "check " + Setting.TARGET_ENDPOINT.key() + ", " + Setting.TARGET_REGION.key() + " and " + Setting.TARGET_PATH_STYLE.key();
        return new SettingsException("target bucket '" + mapping.targetBucket() + "' cannot be " + what + ": " + StoreException.describe(e)
                + "; " + why + ".");
    }

    private static String tlsAdvice(Setting endpoint, Setting caCert) {
        return "the TLS connection was refused: the host in " + endpoint.key() + " must be a name the server's certificate holds, "
                + "and a certificate from a private CA needs " + caCert.key();
    }

    /** Each source bucket can be listed (through the source's store: once the runtime has started). */
    public static void checkSources(MigrationRuntime runtime, List<BucketMapping> mappings) {
        for (BucketMapping mapping : mappings) {
            try {
                runtime.sourceStore().checkReadable(mapping.sourceBucket());
            } catch (Exception e) {
                Optional<String> pathStyleOnly = StoreException.proxyRefused(e) || StoreException.tlsRefused(e) ? Optional.empty()
                        : Addressing.pathStyleOnly(runtime.settings(), StoreSide.SOURCE, mapping.sourceBucket(), e);
                if (pathStyleOnly.isPresent()) {
                    throw new SettingsException("source bucket '" + mapping.sourceBucket() + "' cannot be listed: " + pathStyleOnly.get() + ".");
                }
                Optional<String> bucketDomain = Addressing.bucketDomainAsEndpoint(runtime.settings(), StoreSide.SOURCE, mapping.sourceBucket(), e);
                if (bucketDomain.isPresent()) {
                    throw new SettingsException("source bucket '" + mapping.sourceBucket() + "' cannot be listed: " + bucketDomain.get() + ".");
                }
                throw new SettingsException("source bucket '" + mapping.sourceBucket() + "' cannot be listed: " + StoreException.describe(e)
                        + (StoreException.publicEndpointForbidden(e) ? "; Alibaba Cloud OSS refuses downloads through the default public "
                                + "endpoint of a mainland-China region for accounts opened after 2025-03-20: bind a custom domain to the bucket "
                                + "and set " + Setting.SOURCE_BUCKET_DOMAINS.key() + "=" + mapping.sourceBucket() + "=https://<that domain>."
                        : StoreException.proxyRefused(e) ? "; the proxy in " + Setting.SOURCE_PROXY.key() + " refused to open a tunnel to the "
                                + "source: check " + Setting.SOURCE_PROXY_USERNAME.key() + " and " + Setting.SOURCE_PROXY_PASSWORD.key()
                                + ", and that the proxy lets CONNECT through to the source's host and port."
                        : StoreException.tlsRefused(e) ? "; " + tlsAdvice(Setting.SOURCE_ENDPOINT, Setting.SOURCE_CA_CERT) + "."
                        : StoreException.status(e) == 403 ? "; " + AccessRefusal.advice(StoreSide.SOURCE, e,
                                "s3:ListBucket and s3:GetObject on it" + (runtime.settings().sourceProvider() == Provider.MINIO
                                        ? " (MinIO's built-in readonly policy lacks s3:ListBucket)" : "")).orElseThrow() + "."
                                : ". Check that it exists on " + Setting.SOURCE_ENDPOINT.key() + " and that " + Setting.SOURCE_ACCESS_KEY.key()
                                        + " may list and read it (s3:ListBucket, s3:GetObject)."));
            }
        }
    }

    static String suggestName(String name) {
        String s = name.toLowerCase(java.util.Locale.ROOT).replaceAll("[^a-z0-9-]", "-").replaceAll("-+", "-").replaceAll("^-+|-+$", "");
        if (s.length() > 63) {
            s = s.substring(0, 63).replaceAll("-+$", "");
        }
        while (s.length() < 3) {
            s = s + "0";
        }
        return s;
    }
}
