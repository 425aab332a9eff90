package io.github.miniomigrator.command;

import io.github.miniomigrator.MigrationRuntime;
import io.github.miniomigrator.config.BucketDomains;
import io.github.miniomigrator.config.BucketMapping;
import io.github.miniomigrator.config.KeyFilter;
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
import io.github.miniomigrator.i18n.Messages;
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
                    Messages.text("cli.preflight.source-bucket-name", mapping.sourceBucket(), sourceProvider.displayName(), problem)));
            Optional<String> targetProblem = provider.bucketNameProblem(mapping.targetBucket());
            targetProblem.ifPresent(problem -> problems.add(Messages.text("cli.preflight.target-bucket-name", mapping.targetBucket(),
                    provider.displayName(), problem, suggestName(mapping.targetBucket()))));
        }
        if (!problems.isEmpty()) {
            throw new SettingsException(Messages.text("cli.preflight.bucket-names", Setting.BUCKETS.key(), String.join(" ", problems)));
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
        KeyFilter.of(settings);
        io.github.miniomigrator.hooks.Hook.check(settings);
        return mappings;
    }

    /**
     * A region set empty (migration.target.region=) would reach the SDK's builder and fail deep inside Camel's start
     * ("region must not be blank"); a missing one takes the default.
     */
    static void checkRegion(Settings settings, StoreSide side) {
        if (settings.get(side.region()).isEmpty()) {
            Provider provider = side.provider(settings);
            throw new SettingsException(Messages.text("cli.preflight.region-empty", side.region().key(), SideWords.of(side),
                    provider.exampleRegion(), provider.displayName(), provider == Provider.MINIO ? Messages.text("cli.preflight.region-minio-default") : "",
                    side.region().defaultValue()));
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
            String example = Addressing.regionEndpointExample(provider, settings.get(side.region()));
            throw new SettingsException(side == StoreSide.TARGET
                    ? Messages.text("cli.preflight.target-endpoint-beside-domains", side.endpoint().key(), side.bucketDomains().key(), example)
                    : Messages.text("cli.preflight.source-endpoint-beside-domains", side.endpoint().key(), side.bucketDomains().key(), example));
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
                    throw new SettingsException(Messages.text("cli.preflight.sdk-only-setting", sdkOnly.key(), Setting.SOURCE_PROVIDER.key()));
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
        return Optional.of(Messages.text("cli.preflight.http-open", address, Setting.HTTP_HOST.key(), Setting.HTTP_TOKEN.key(),
                Setting.HTTP_USERNAME.key(), Setting.HTTP_PASSWORD.key()));
    }

    /**
     * `run`'s event settings: a known mode and what it needs — the webhook's token; Kafka's brokers and topic, and no
     * passed-through Kafka setting the tool sets itself. @return the mode, in lower case
     */
    public static String checkEventSettings(Settings settings) {
        String mode = settings.get(Setting.EVENTS_MODE).toLowerCase(Locale.ROOT);
        if (!List.of("listen", "webhook", "kafka", "off").contains(mode)) {
            throw new SettingsException(Messages.text("cli.preflight.events-mode", Setting.EVENTS_MODE.key(), mode));
        }
        Provider source = settings.sourceProvider();
        if (mode.equals("listen") && source != Provider.MINIO) {
            throw new SettingsException(Messages.text("cli.preflight.listen-needs-minio", Setting.EVENTS_MODE.key(), Setting.SOURCE_PROVIDER.key(),
                    source.name().toLowerCase(Locale.ROOT), Setting.RECONCILE_INTERVAL.key(), Setting.WEBHOOK_PATH_SECRET.key(),
                    Setting.EVENTS_URI.key()));
        }
        String token = settings.get(Setting.WEBHOOK_TOKEN);
        String pathSecret = settings.get(Setting.WEBHOOK_PATH_SECRET);
        if (mode.equals("webhook") && (token.length() < 16 && pathSecret.isEmpty() || !token.isEmpty() && token.length() < 16)) {
            throw new SettingsException(Messages.text("cli.preflight.webhook-token", Setting.WEBHOOK_TOKEN.key(),
                    Setting.WEBHOOK_TOKEN.environmentVariable(), Setting.WEBHOOK_PATH_SECRET.environmentVariable()));
        }
        if (!pathSecret.isEmpty() && (pathSecret.length() < 16 || !pathSecret.matches("[A-Za-z0-9._~-]+"))) {
            throw new SettingsException(Messages.text("cli.preflight.webhook-path-secret", Setting.WEBHOOK_PATH_SECRET.key(),
                    Setting.WEBHOOK_PATH_SECRET.environmentVariable()));
        }
        if (mode.equals("webhook")) {
            HttpAddress.of(settings).checkReachableByMinio();
        }
        if (mode.equals("kafka")) {
            for (String broker : settings.required(Setting.KAFKA_BROKERS).split(",")) {
                if (!HostPort.matches(broker)) {
                    throw new SettingsException(Messages.text("cli.preflight.kafka-broker", Setting.KAFKA_BROKERS.key(), broker.trim()));
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
            String line = Messages.text("cli.preflight.uploads-aborted", leftovers.aborted(), Sizes.human(leftovers.bytes()));
            LOG.warn(Printed.ALSO, line);
            out.println(line);
        }
        leftovers.notes().forEach(note -> {
            LOG.warn(Printed.ALSO, note);
            out.println(Messages.text("cli.note", note));
        });
        for (StoreSide side : StoreSide.values()) {
            Addressing.ipEndpointNote(runtime.settings(), side).ifPresent(note -> {
                LOG.warn(Printed.ALSO, note);
                out.println(Messages.text("cli.note", note));
            });
        }
        WriteCanary canary = new WriteCanary(runtime.targetStore());
        boolean deletesNeeded = runtime.settings().flag(Setting.REMOVE);
        for (BucketMapping mapping : mappings) {
            try {
                runtime.targetStore().checkBucket(mapping.targetBucket());
                for (String note : canary.prove(mapping, deletesNeeded)) {
                    LOG.warn(Printed.ALSO, "target bucket '{}': {}", mapping.targetBucket(), note);
                    out.println(Messages.text("cli.preflight.target-bucket-note", mapping.targetBucket(), note));
                }
            } catch (Exception e) {
                throw targetProblem(runtime.settings(), mapping, e, Messages.text("cli.preflight.written"));
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
                throw targetProblem(runtime.settings(), mapping, e, Messages.text("cli.preflight.listed"));
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
                throw targetProblem(runtime.settings(), mapping, e, Messages.text("cli.preflight.listed"));
            }
        }
    }

    /** @param what the verb of the refused step, in the output's language (cli.preflight.written, cli.preflight.listed) */
    private static SettingsException targetProblem(Settings settings, BucketMapping mapping, Exception e, String what) {
        String bucket = mapping.targetBucket();
        if (StoreException.publicEndpointForbidden(e)) {
            return new SettingsException(Messages.text("cli.preflight.target-public-endpoint", bucket, what, StoreException.describe(e),
                    Setting.TARGET_BUCKET_DOMAINS.key(), Setting.TARGET_ENDPOINT.key()));
        }
        int status = StoreException.status(e);
        String code = StoreException.errorCode(e);
        Optional<String> pathStyleOnly = StoreException.proxyRefused(e) || StoreException.tlsRefused(e) ? Optional.empty()
                : Addressing.pathStyleOnly(settings, StoreSide.TARGET, bucket, e);
        if (pathStyleOnly.isPresent()) {
            return new SettingsException(Messages.text("cli.preflight.target-refused", bucket, what, pathStyleOnly.get()));
        }
        Optional<String> bucketDomain = Addressing.bucketDomainAsEndpoint(settings, StoreSide.TARGET, bucket, e);
        if (bucketDomain.isPresent()) {
            return new SettingsException(Messages.text("cli.preflight.target-refused", bucket, what, bucketDomain.get()));
        }
        String why = StoreException.proxyRefused(e) ? proxyAdvice(StoreSide.TARGET)
                : StoreException.tlsRefused(e) ? tlsAdvice(Setting.TARGET_ENDPOINT, Setting.TARGET_CA_CERT)
                : status == 404 && (code.isEmpty() || code.equals("NoSuchBucket")) ? Messages.text("cli.preflight.no-such-bucket")
                : status == 403 ? AccessRefusal.advice(StoreSide.TARGET, e, "ListBucket, PutObject (and AbortMultipartUpload)").orElseThrow()
                : Messages.text("cli.preflight.check-target", Setting.TARGET_ENDPOINT.key(), Setting.TARGET_REGION.key(), Setting.TARGET_PATH_STYLE.key());
        return new SettingsException(Messages.text("cli.preflight.target-refused-why", bucket, what, StoreException.describe(e), why));
    }

    private static String proxyAdvice(StoreSide side) {
        return Messages.text("cli.preflight.proxy-refused", side.proxy().key(), side.proxyUsername().key(), side.proxyPassword().key(),
                SideWords.of(side));
    }

    private static String tlsAdvice(Setting endpoint, Setting caCert) {
        return Messages.text("cli.preflight.tls-refused", endpoint.key(), caCert.key());
    }

    /** Each source bucket can be listed (through the source's store: once the runtime has started). */
    public static void checkSources(MigrationRuntime runtime, List<BucketMapping> mappings) {
        for (BucketMapping mapping : mappings) {
            try {
                runtime.sourceStore().checkReadable(mapping.sourceBucket());
            } catch (Exception e) {
                throw sourceProblem(runtime.settings(), mapping.sourceBucket(), e);
            }
        }
    }

    private static SettingsException sourceProblem(Settings settings, String bucket, Exception e) {
        Optional<String> pathStyleOnly = StoreException.proxyRefused(e) || StoreException.tlsRefused(e) ? Optional.empty()
                : Addressing.pathStyleOnly(settings, StoreSide.SOURCE, bucket, e);
        if (pathStyleOnly.isPresent()) {
            return new SettingsException(Messages.text("cli.preflight.source-refused", bucket, pathStyleOnly.get()));
        }
        Optional<String> bucketDomain = Addressing.bucketDomainAsEndpoint(settings, StoreSide.SOURCE, bucket, e);
        if (bucketDomain.isPresent()) {
            return new SettingsException(Messages.text("cli.preflight.source-refused", bucket, bucketDomain.get()));
        }
        String answer = StoreException.describe(e);
        String why = StoreException.publicEndpointForbidden(e)
                ? Messages.text("cli.preflight.source-public-endpoint", Setting.SOURCE_BUCKET_DOMAINS.key(), bucket)
                : StoreException.proxyRefused(e) ? proxyAdvice(StoreSide.SOURCE)
                : StoreException.tlsRefused(e) ? tlsAdvice(Setting.SOURCE_ENDPOINT, Setting.SOURCE_CA_CERT)
                : StoreException.status(e) == 403 ? AccessRefusal.advice(StoreSide.SOURCE, e, settings.sourceProvider() == Provider.MINIO
                        ? Messages.text("cli.preflight.source-grant-minio") : Messages.text("cli.preflight.source-grant")).orElseThrow()
                : null;
        return new SettingsException(why != null ? Messages.text("cli.preflight.source-refused-why", bucket, answer, why)
                : Messages.text("cli.preflight.source-check", bucket, answer, Setting.SOURCE_ENDPOINT.key(), Setting.SOURCE_ACCESS_KEY.key()));
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
